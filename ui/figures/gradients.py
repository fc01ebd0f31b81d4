"""The network diagram's gradients view: where backpropagation puts the error.

The same diagram as ``ui.figures.network`` (the same geometry, pictures and hover), with two
things drawn differently:

- each link k → j into layer l shows ∂C/∂w^l_jk, eq. (18) (plus the regularisation term, if any):
  blue where it is > 0 (the update (24) makes w^l_jk smaller), orange where < 0, wider the larger
  |∂C/∂w^l_jk| is compared with the largest of the whole network (bins at 10, 20, 40, 80 % of it:
  one scale for every layer, so a layer whose links are all thin gets little of the update);
- each neuron j of layers 2 … L is ringed by δ^l_j averaged over the batch, eqs. (10), (17),
  which by (19) is ∂C/∂b^l_j: a diverging colour scale, white at 0, shared by every layer, with a
  colour bar; above each column, the largest |δ^l_j| of that layer in numbers.

Trace order: ``network_trace_index(sizes)`` (links, link hover, outlines, input and neuron hover),
then ``2·RING_LEVELS`` ring traces (negative levels palest first, then positive) and one invisible
trace that carries the colour bar. The link hover's customdata is (n_links, 2): ∂C/∂w, w.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from ui.figures.encode import apply_updates, scale_lut, typed
from ui.figures.network import (
    DY,
    NB,
    SIDE,
    WIDTH_EDGES,
    network_figure,
    network_trace_index,
    network_update,
)
from ui.figures.style import DIVERGING, INK, TICK_FONT_SIZE
from ui.notation import HOVER, human, sup

RING_LEVELS = 8  # colour levels per sign of δ
RING_PAD = 0.02  # the ring's path runs this far outside a neuron's square (layer units)
RING_WIDTH = 5  # px
#: |∂C/∂w| as a fraction of the largest, at the link-width bins' edges
RELATIVE_EDGES = (0.1, 0.2, 0.4, 0.8)
_TO_BINS = WIDTH_EDGES[-1] / RELATIVE_EDGES[-1]  # fraction → the weights view's |w| bins
assert all(abs(e * _TO_BINS - w) < 1e-12 for e, w in zip(RELATIVE_EDGES, WIDTH_EDGES, strict=True))
_LUT = scale_lut(DIVERGING)
_EMPTY = {"x": typed(np.empty(0)), "y": typed(np.empty(0))}
MARGIN_TOP = 40  # the per-layer |δ| labels, two lines
_MARGIN_RIGHT = 104  # the colour bar


def gradient_trace_index(sizes: Sequence[int]) -> dict[str, Any]:
    """``network_trace_index`` plus "rings" (trace indices) and "colorbar"."""
    base = network_trace_index(sizes)
    n = base["n_traces"]
    return {
        **base,
        "rings": range(n, n + 2 * RING_LEVELS),
        "colorbar": n + 2 * RING_LEVELS,
        "n_traces": n + 2 * RING_LEVELS + 1,
    }


def ring_color(level: int, positive: bool) -> str:
    """The colour of ring ``level`` (0 palest … RING_LEVELS − 1 full) on the diverging scale."""
    t = 0.5 + (level + 1) / (2 * RING_LEVELS) * (1 if positive else -1)
    r, g, b = _LUT[min(255, max(0, round(t * 255)))]
    return f"rgb({r},{g},{b})"


def gradient_figure(
    *,
    sizes: Sequence[int],
    input_labels: Sequence[str],
    activations: Sequence[str],
    w: Mapping[int, np.ndarray],
    b: Mapping[int, np.ndarray],
    grad_w: Mapping[int, np.ndarray],
    delta: Mapping[int, np.ndarray],
    neuron_stats: Mapping[int, Mapping[str, np.ndarray]] | None = None,
    thumbnails: Mapping[int, np.ndarray] | None = None,
    thumb_range: Mapping[int, tuple[float, float]] | None = None,
    dead: Mapping[int, np.ndarray] | None = None,
    height: int | None = None,
) -> dict[str, Any]:
    """The gradients view of a network with sizes [K_1, …, K_L].

    grad_w[l]: (K_l, K_{l−1}) ∂C/∂w^l; delta[l]: (K_l,) δ^l_j averaged over the batch (= ∂C/∂b^l_j),
    for l = 2 … L; the other arguments as in ``network_figure``.
    """
    sizes = [int(K) for K in sizes]
    L = len(sizes)
    fig = network_figure(
        sizes=sizes,
        input_labels=input_labels,
        activations=activations,
        w=_link_values(sizes, grad_w),
        b=b,
        neuron_stats=neuron_stats,
        thumbnails=thumbnails,
        thumb_range=thumb_range,
        dead=dead,
        height=height,
    )
    index = gradient_trace_index(sizes)
    data, layout = fig["data"], fig["layout"]
    for i in index["links"]:
        sign, strength = divmod(i, NB)
        data[i]["name"] = f"{'∂C/∂w > 0' if sign else '∂C/∂w < 0'}, bin {strength + 1}"
    data[index["link_hover"]]["hovertemplate"] = (
        f"∂C/∂%{{text}} = %{{customdata[0]:{HOVER}}}  (eq. 18)<br>"
        f"%{{text}} = %{{customdata[1]:{HOVER}}}<br>%{{hovertext}}<extra></extra>"
    )
    for level in range(2 * RING_LEVELS):
        positive, lv = divmod(level, RING_LEVELS)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"δ {'>' if positive else '<'} 0, level {lv + 1}",
                "line": {"color": ring_color(lv, bool(positive)), "width": RING_WIDTH},
                "hoverinfo": "skip",
                "x": [],
                "y": [],
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": "δ colour bar",
            "x": [1.0],
            "y": [0.0],
            "hoverinfo": "skip",
            "marker": {
                "size": 1,
                "opacity": 0,
                "color": [0.0],
                "colorscale": [list(s) for s in DIVERGING],
                "cmin": -1.0,
                "cmax": 1.0,
                "showscale": True,
                "colorbar": {
                    "title": {"text": "mean δ", "side": "top"},
                    "thickness": 12,
                    "len": 0.6,  # clear of the per-layer labels above and the names below
                    "y": 0.5,
                    "yanchor": "middle",
                    "x": 1.0,
                    "xpad": 8,
                    "tickformat": ".2~g",
                    "tickfont": {"size": TICK_FONT_SIZE - 2},
                    "outlinewidth": 0,
                },
            },
        }
    )
    top = DY * (max(sizes) - 1) / 2 + SIDE / 2 + RING_PAD
    if L >= 5:  # the colour bar narrows the columns: "output · tanh" on two lines
        last = layout["annotations"][L - 1]
        last["text"] = last["text"].replace(" · ", "<br>")
    layout["annotations"] = [*layout["annotations"], *_layer_labels(L, top)]
    layout["margin"] = {**layout["margin"], "t": MARGIN_TOP, "r": _MARGIN_RIGHT}
    updates = gradient_update(
        sizes=sizes,
        w=w,
        b=b,
        grad_w=grad_w,
        delta=delta,
        neuron_stats=neuron_stats,
        thumb_range=thumb_range,
        dead=dead,
        n_annotations=len(layout["annotations"]),
    )
    apply_updates(fig, updates)
    return fig


def gradient_update(
    *,
    sizes: Sequence[int],
    w: Mapping[int, np.ndarray],
    b: Mapping[int, np.ndarray],
    grad_w: Mapping[int, np.ndarray],
    delta: Mapping[int, np.ndarray],
    n_annotations: int,
    neuron_stats: Mapping[int, Mapping[str, np.ndarray]] | None = None,
    thumbnails: Mapping[int, np.ndarray] | None = None,
    thumb_range: Mapping[int, tuple[float, float]] | None = None,
    dead: Mapping[int, np.ndarray] | None = None,
    reveal_from: int = 2,
) -> dict[int | str, dict]:
    """A frame of the gradients view: the links by ∂C/∂w, their hover (∂C/∂w, w), the rings by
    δ, the colour bar's range and the per-layer labels (the last L − 1 of ``n_annotations``).

    reveal_from: only layers reveal_from … L have their δ and ∂C/∂w drawn (a slow-motion Step's
    backward pass, which computes them from L down); the colour scale and the links' widths are
    still those of every layer, so a revealed layer looks as it will when all are."""
    sizes = [int(K) for K in sizes]
    L = len(sizes)
    links = _link_values(sizes, grad_w)
    for l in range(2, min(reveal_from, L + 1)):
        links[l] = np.full_like(links[l], np.nan)  # not drawn
    out = network_update(
        sizes=sizes,
        w=links,
        b=b,
        neuron_stats=neuron_stats,
        thumbnails=thumbnails,
        thumb_range=thumb_range,
        dead=dead,
    )
    index = gradient_trace_index(sizes)
    g_all = np.concatenate(
        [_param(grad_w, l, (sizes[l - 1], sizes[l - 2])) for l in range(2, L + 1)]
    )
    if reveal_from > 2:  # a slow-motion phase only, never a Play frame
        hidden = np.concatenate(
            [np.full(sizes[l - 1] * sizes[l - 2], l < reveal_from) for l in range(2, L + 1)]
        )
        g_all = np.where(hidden, np.nan, g_all)
    w_all = np.concatenate([_param(w, l, (sizes[l - 1], sizes[l - 2])) for l in range(2, L + 1)])
    out[index["link_hover"]] = {"customdata": typed(np.column_stack([g_all, w_all]))}

    d = {l: _param(delta, l, (sizes[l - 1],)) for l in range(2, L + 1)}
    d_all = np.concatenate([d[l] for l in range(2, L + 1)])
    finite = np.isfinite(d_all)
    scale = float(np.max(np.abs(d_all[finite]))) if finite.any() else 0.0
    paths = _ring_paths(tuple(sizes))  # (n_neurons of layers 2 … L, 6) each
    level = np.zeros(len(d_all), dtype=np.intp)
    if scale > 0:
        level = np.minimum(RING_LEVELS - 1, (np.abs(d_all) / scale * RING_LEVELS).astype(np.intp))
    # each neuron's ring trace (negative levels, then positive), −1: no ring (δ = 0 or NaN)
    code = np.where(finite & (d_all != 0), np.where(d_all > 0, RING_LEVELS, 0) + level, -1)
    if reveal_from > 2:
        shown = np.concatenate([np.full(sizes[l - 1], l >= reveal_from) for l in range(2, L + 1)])
        code = np.where(shown, code, -1)
    for i, trace in enumerate(index["rings"]):
        rows = np.flatnonzero(code == i)
        out[trace] = (
            {"x": typed(paths[0][rows].ravel()), "y": typed(paths[1][rows].ravel())}
            if rows.size
            else _EMPTY  # most levels are empty: their spec is encoded once
        )
    top = scale if scale > 0 else 1.0
    out[index["colorbar"]] = {"marker.cmin": -top, "marker.cmax": top}

    layout = out.setdefault("layout", {})
    first = n_annotations - (L - 1)
    for l in range(2, L + 1):
        m = np.abs(d[l][np.isfinite(d[l])])
        biggest = human(float(m.max()), ".2g") if m.size else "—"
        if l < reveal_from:
            biggest = "…"  # not computed yet
        layout[f"annotations[{first + l - 2}].text"] = f"max |δ{sup(l)}|<br>{biggest}"
    return out


def _link_values(sizes: list[int], grad_w: Mapping[int, np.ndarray]) -> dict[int, np.ndarray]:
    """∂C/∂w^l scaled so that the weights view's |w| bins become fractions of the largest
    |∂C/∂w| over every layer (one scale for the whole network)."""
    g = {l: _param(grad_w, l, (sizes[l - 1], sizes[l - 2])) for l in range(2, len(sizes) + 1)}
    finite = [np.abs(v[np.isfinite(v)]) for v in g.values()]
    scale = max((float(v.max()) for v in finite if v.size), default=0.0)
    factor = _TO_BINS / scale if scale > 0 else 0.0
    return {l: (v * factor).reshape(sizes[l - 1], sizes[l - 2]) for l, v in g.items()}


@lru_cache(maxsize=64)
def _ring_paths(sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """One closed square path (5 corners and a NaN) around each neuron of layers 2 … L."""
    h = SIDE / 2 + RING_PAD
    cx, cy = [], []
    for l in range(2, len(sizes) + 1):
        K = sizes[l - 1]
        cx.append(np.full(K, float(l)))
        cy.append(DY * ((K - 1) / 2 - np.arange(K)))
    x, y = np.concatenate(cx), np.concatenate(cy)
    corners_x = np.array([-h, h, h, -h, -h, np.nan])
    corners_y = np.array([-h, -h, h, h, -h, np.nan])
    return x[:, None] + corners_x, y[:, None] + corners_y


def _layer_labels(L: int, top: float) -> list[dict[str, Any]]:
    return [
        {
            "text": "",
            "x": l,
            "y": top,
            "xref": "x",
            "yref": "y",
            "yanchor": "bottom",
            "yshift": 4,
            "showarrow": False,
            "font": {"size": TICK_FONT_SIZE - 2, "color": INK},
        }
        for l in range(2, L + 1)
    ]


def _param(values: Mapping[int, Any], l: int, shape: tuple[int, ...]) -> np.ndarray:
    if l not in values:
        raise ValueError(f"layer {l} is missing; expected layers 2 … L")
    v = np.asarray(values[l], dtype=np.float64).reshape(-1)
    if v.size != int(np.prod(shape)):
        raise ValueError(f"layer {l} must have shape {shape}, got {np.shape(values[l])}")
    return v
