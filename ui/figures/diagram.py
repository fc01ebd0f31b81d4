"""A small network drawn as in the lecture's Fig. 1 and Fig. 5, every weight written on its link.

Meant for the lecture's own tiny networks (a few neurons per layer), where the numbers matter
more than the picture: layer l is the column x = l, neuron j of a layer sits at
y = (K_l − 1)/2 − (j − 1) (neuron 1 on top), drawn as a circle with its name inside. The link
k → j into layer l carries w^l_jk: blue if positive, orange if negative, grey and dotted if 0
(it passes nothing on), wider the larger |w^l_jk|, and a label "w²₁₂ = −1" in the link's colour.

Labels sit ``LABEL_AT`` of the way along their link from the source when both layers have more
than one neuron (there the links of a fan cross in the middle), else half way. For up to three
neurons a layer this keeps every label on its own line; the diagram is not meant for more. Notes
(values, biases) go left of the input neurons and under the others, away from the labels.

Trace order: one line per link (l, j, k in order), then the neurons of each layer l = 1 … L.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ui.figures.style import INK, MUTED, NEGATIVE, POSITIVE, TICK_FONT_SIZE, base_layout
from ui.notation import number, weight_name

MAX_NEURONS = 4  # per layer: beyond that the labels collide
LABEL_AT = 0.35
ZERO_COLOR = "#9a9a9a"
NODE_SIZE = 54  # px


def link_width(w: float) -> float:
    """Line width in px: 1.5 for |w| → 0, growing with |w| up to 9 px at |w| ≥ 5."""
    return 1.5 + 1.5 * min(abs(float(w)), 5.0)


def weight_diagram(
    *,
    layers: Sequence[Sequence[str]],
    w: Mapping[int, Any],
    edge_names: Mapping[tuple[int, int, int], str] | None = None,
    notes: Mapping[tuple[int, int], str] | None = None,
    layer_titles: Sequence[str] | None = None,
    height: int = 380,
    title: str | None = None,
) -> dict[str, Any]:
    """The diagram of a small network with its weights.

    layers: the neurons' names, one list per layer l = 1 … L (e.g. [["x₁", "x₂", "1"], ["y"]]).
    w: w[l] of shape (K_l, K_{l−1}) for l = 2 … L.
    edge_names: (l, j, k) with 0-based j, k → the link's name; default the lecture's w^l_jk.
    notes: (l, j) with 0-based j → a short text under that neuron (e.g. "b²₁ = 0").
    layer_titles: one caption under each column.
    """
    sizes = [len(names) for names in layers]
    if len(sizes) < 2 or min(sizes) < 1 or max(sizes) > MAX_NEURONS:
        raise ValueError(
            f"layers must list ≥ 2 layers of 1 to {MAX_NEURONS} neurons, got sizes {sizes}"
        )
    if layer_titles is not None and len(layer_titles) != len(sizes):
        raise ValueError(f"need {len(sizes)} layer titles, got {len(layer_titles)}")
    L = len(sizes)
    ys = {l: (K - 1) / 2 - np.arange(K) for l, K in enumerate(sizes, start=1)}
    edge_names = edge_names or {}
    notes = notes or {}

    data: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for l in range(2, L + 1):
        K, Kp = sizes[l - 1], sizes[l - 2]
        wl = np.asarray(w[l], dtype=np.float64) if l in w else None
        if wl is None or wl.shape != (K, Kp):
            got = None if wl is None else wl.shape
            raise ValueError(f"w[{l}] must have shape ({K}, {Kp}), got {got}")
        t = LABEL_AT if K > 1 and Kp > 1 else 0.5
        for j in range(K):
            for k in range(Kp):
                value = float(wl[j, k])
                zero = value == 0 or not np.isfinite(value)
                color = ZERO_COLOR if zero else (POSITIVE if value > 0 else NEGATIVE)
                x0, y0, x1, y1 = l - 1, float(ys[l - 1][k]), l, float(ys[l][j])
                name = edge_names.get((l, j, k), weight_name(l, j + 1, k + 1))
                data.append(
                    {
                        "type": "scatter",
                        "mode": "lines",
                        "name": name,
                        "x": [x0, x1],
                        "y": [y0, y1],
                        "line": {
                            "color": color,
                            "width": 1.5 if zero else link_width(value),
                            **({"dash": "dot"} if zero else {}),
                        },
                        "hoverinfo": "skip",
                    }
                )
                annotations.append(
                    {
                        "text": f"<b>{name} = {number(value)}</b>",
                        "x": x0 + t * (x1 - x0),
                        "y": y0 + t * (y1 - y0),
                        "xref": "x",
                        "yref": "y",
                        "showarrow": False,
                        "font": {"size": TICK_FONT_SIZE + 1, "color": INK if zero else color},
                        "bgcolor": "rgba(255,255,255,0.92)",
                        "bordercolor": color,
                        "borderwidth": 1,
                        "borderpad": 2,
                    }
                )
    for l, names in enumerate(layers, start=1):
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": f"layer {l}",
                "x": [float(l)] * len(names),
                "y": ys[l].tolist(),
                "text": list(names),
                "textposition": "middle center",
                "textfont": {"size": 17, "color": INK},
                "marker": {
                    "size": NODE_SIZE,
                    "color": "#ffffff",
                    "line": {"color": INK, "width": 2.5 if l == L else 1.5},
                },
                "hoverinfo": "skip",
                "cliponaxis": False,
            }
        )
        for j in range(len(names)):
            if (l, j) not in notes:
                continue
            where = (
                {"xanchor": "right", "xshift": -NODE_SIZE / 2 - 6}
                if l == 1
                else {"yanchor": "top", "yshift": -NODE_SIZE / 2 - 2}
            )
            annotations.append(
                {
                    "text": notes[(l, j)],
                    "x": l,
                    "y": float(ys[l][j]),
                    "xref": "x",
                    "yref": "y",
                    **where,
                    "showarrow": False,
                    "font": {"size": TICK_FONT_SIZE, "color": MUTED},
                }
            )
    half = (max(sizes) - 1) / 2
    if layer_titles is not None:
        for l, text in enumerate(layer_titles, start=1):
            annotations.append(
                {
                    "text": text,
                    "x": l,
                    "y": -half - 0.5,
                    "xref": "x",
                    "yref": "y",
                    "yanchor": "top",
                    "showarrow": False,
                    "font": {"size": TICK_FONT_SIZE, "color": INK},
                }
            )
    layout = base_layout(height=height, title=title, uirevision="diagram")
    layout["margin"] = {"l": 10, "r": 10, "t": 40 if title else 10, "b": 10}
    hidden = {"visible": False, "fixedrange": True}
    left = 0.45 if any(l == 1 for l, _ in notes) else 0.65  # room for the inputs' notes
    layout["xaxis"] = {**hidden, "range": [left, L + 0.35]}
    layout["yaxis"] = {**hidden, "range": [-half - 1.0, half + 0.5]}
    layout["annotations"] = annotations
    layout["hovermode"] = False
    return {"data": data, "layout": layout}
