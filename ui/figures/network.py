"""The network diagram: layers left to right, every neuron a small map over the input plane.

One xy axis holds everything (no subplots): layer l is the column x = l, neuron j of a layer sits
at y = DY·((K_l − 1)/2 − (j − 1)) (neuron 1 on top, each column centred), and is drawn as a
square picture of side SIDE showing a^l_j over the input plane (the caller's ``thumbnails``,
quantised to uint8 with ``quantize(a, *thumb_range[l])``; row 0 is the bottom, as in
``ui.figures.boundary.plane_grid``). The pictures are PNG layout images, not heatmap traces: a
frame changes them with Plotly.relayout, which redraws images only, and a trace update then
redraws a dozen traces instead of one per neuron more. Equal axis scales keep them square.

A link k → j into layer l is w^l_jk: blue if w^l_jk > 0 (0 counts as positive), orange if
negative, wider and more opaque the larger |w^l_jk|, in ``len(WIDTH_EDGES) + 1`` fixed bins per
sign. Fixed bin edges (not relative to the largest weight) let a student compare frames: a link
that thickens has grown. Each bin is ONE scatter trace whose segments are separated by NaN.

Trace order (stable for a given ``sizes``; ``network_trace_index`` returns it):
  0 … 2·NB − 1          links, negative bins (thinnest first), then positive bins; NB = 5
  2·NB                  link hover: an invisible marker 42 % along each link, "w³₁₂ = −0.53"
  2·NB + 1              the squares' outlines (one NaN-separated path, static)
  2·NB + 2              input hover (layer 1): which feature each input neuron is
  2·NB + 3              neuron hover (layers 2 … L): b, mean z, mean a, mean δ (= ∂C/∂b, eq. 19)
  layout.images         the neurons' pictures: layer 1 neurons 1 … K_1, then layer 2, …, L

A dead ReLU neuron (0 at every training point, so δ = 0 and it cannot learn; ``dead``) is drawn
as grey diagonal stripes instead of its picture, which would be a flat white square like a
neuron that happens to be 0 in the middle of the plane; its hover says so.

Links end at the squares' edges, so nothing is drawn across a picture. The hover traces have
``mode: "none"``: plotly.js hovers them without drawing an SVG node per point, which matters
because any data change makes Plotly.react redraw every trace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from ui.figures.encode import png_data_url, quantize, scale_lut, typed
from ui.figures.style import (
    DIVERGING,
    INK,
    NEGATIVE,
    POSITIVE,
    TICK_FONT_SIZE,
    base_layout,
    class_shape_html,
)
from ui.notation import HOVER, activation_name, human, symbol, weight_name
from ui.user_text import plotly_literal

DY = 0.36  # vertical distance between neuron centres, in layer units (x = l)
SIDE = 0.27  # side of a neuron's square
LINK_HOVER_AT = 0.42  # fraction along a link where its hover marker sits (see _geometry)
#: |w| bin edges: < 0.25, < 0.5, < 1, < 2, ≥ 2; the widths (px) and opacities of the bins.
WIDTH_EDGES = (0.25, 0.5, 1.0, 2.0)
WIDTHS = (0.8, 1.6, 2.6, 3.8, 5.5)
OPACITIES = (0.35, 0.55, 0.75, 0.9, 1.0)
NB = len(WIDTHS)
_LINK_HOVER = 2 * NB
_LUT = scale_lut(DIVERGING)
# A neuron's picture has 64 shades, not 256: every frame carries a palette per picture, and 64
# colours (192 bytes) instead of 256 (768) keep a frame's bytes below what RGB pictures took; a
# 20 × 20 picture shows no difference. Level v is drawn as the middle colour of its four.
THUMB_SHIFT = 2
_THUMB_LUT = np.ascontiguousarray(_LUT[(1 << THUMB_SHIFT) // 2 :: 1 << THUMB_SHIFT])
_NEUTRAL_PNG = png_data_url(np.full((1, 1), 128 >> THUMB_SHIFT, dtype=np.uint8), _THUMB_LUT)
# a dead neuron: grey diagonal stripes, unlike any value of the diverging scale
_STRIPES = ((np.add.outer(np.arange(20), np.arange(20)) // 3) % 2).astype(np.uint8)  # 0 and 1
DEAD_PNG = png_data_url(_STRIPES, scale_lut(((0.0, "#8a8a8a"), (1.0, "#dcdcdc")))[[0, 255]])
_DEAD_NOTE = "<br><b>dead</b>: 0 at every training point, so δ = 0 and it cannot learn"
# The labels live in the margins: input names on the left, layer names below, in pixels, so
# they keep their size whatever the scale of the diagram.
MARGIN = {"l": 64, "r": 48, "t": 6, "b": 46}


def network_trace_index(sizes: Sequence[int]) -> dict[str, Any]:
    """Where each part of ``network_figure(sizes=…)`` is: trace indices in ``data``, and for
    ``thumbnails`` the indices of the neurons' pictures in ``layout.images``."""
    sizes = _check_sizes(sizes)
    first, thumbs = 0, {}
    for l, K in enumerate(sizes, start=1):
        thumbs[l] = range(first, first + K)
        first += K
    return {
        "links": range(0, 2 * NB),
        "link_hover": _LINK_HOVER,
        "thumbnails": thumbs,
        "outlines": _LINK_HOVER + 1,
        "input_hover": _LINK_HOVER + 2,
        "neuron_hover": _LINK_HOVER + 3,
        "n_traces": _LINK_HOVER + 4,
    }


def suggested_height(sizes: Sequence[int], width: int) -> int:
    """The height (px) at which the diagram fills a chart ``width`` px wide (without a title)."""
    x0, x1, y0, y1 = _ranges(tuple(_check_sizes(sizes)))
    inner = (width - MARGIN["l"] - MARGIN["r"]) * (y1 - y0) / (x1 - x0)
    return round(inner) + MARGIN["t"] + MARGIN["b"]


def network_figure(
    *,
    sizes: Sequence[int],
    input_labels: Sequence[str],
    activations: Sequence[str],
    w: Mapping[int, np.ndarray],
    b: Mapping[int, np.ndarray],
    neuron_stats: Mapping[int, Mapping[str, np.ndarray]] | None = None,
    thumbnails: Mapping[int, np.ndarray] | None = None,
    thumb_range: Mapping[int, tuple[float, float]] | None = None,
    dead: Mapping[int, np.ndarray] | None = None,
    classes: Sequence[str] | None = None,
    threshold: float | None = None,
    height: int | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The diagram of a network with sizes [K_1, …, K_L] and its current weights.

    input_labels: K_1 names ("x₁", "sin x₁"); activations: one name per layer l = 2 … L.
    w[l]: (K_l, K_{l−1}); b[l]: (K_l, 1) or (K_l,), for l = 2 … L.
    neuron_stats[l]: {"z", "a", "delta"}, each (K_l,): z^l_j, a^l_j and δ^l_j averaged over
    the training set (optional; hover then shows b only).
    thumbnails[l]: (K_l, ny, nx) uint8 maps of a^l_j over the input plane, for l = 1 … L
    (optional: a neutral square; float maps are quantised here with thumb_range).
    thumb_range[l]: the (lo, hi) the maps were quantised with, for the layer, or (K_l, 2) for
    each neuron (input features differ in scale: x₁ vs x₁² vs sin x₁); hover shows them.
    dead[l]: (K_l,) bool, the ReLU neurons of layer l that are 0 at every training point.
    classes: the class names (plain text, escaped here) when the network classifies: each
    output neuron is marked with the shape and colour of its class's points (K_L ≥ 2, one per
    class), or, with one output and two classes, with the side of ``threshold`` each class is on.
    height: pixels; default ``suggested_height(sizes, 900)``.
    """
    sizes = _check_sizes(sizes)
    L = len(sizes)
    if len(input_labels) != sizes[0]:
        raise ValueError(f"need {sizes[0]} input labels, got {len(input_labels)}")
    if len(activations) != L - 1:
        raise ValueError(f"need {L - 1} activations (layers 2 … {L}), got {len(activations)}")
    act_names = [activation_name(a) for a in activations]
    outputs = output_classes(sizes[-1], classes, threshold)
    geo = _geometry(tuple(sizes))
    index = network_trace_index(sizes)
    updates = network_update(
        sizes=sizes,
        w=w,
        b=b,
        neuron_stats=neuron_stats,
        thumbnails=thumbnails if thumbnails is not None else {},
        thumb_range=thumb_range,
        dead=dead,
    )

    data: list[dict[str, Any]] = []
    for i in index["links"]:
        sign, strength = divmod(i, NB)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"{'w > 0' if sign else 'w < 0'}, bin {strength + 1}",
                "line": {"color": POSITIVE if sign else NEGATIVE, "width": WIDTHS[strength]},
                "opacity": OPACITIES[strength],
                "hoverinfo": "skip",
                **updates[i],
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "none",  # hover without an SVG node per point: cheaper to redraw
            "name": "weights",
            "x": typed(geo["hover_x"]),
            "y": typed(geo["hover_y"]),
            "text": geo["link_names"],
            "hovertext": geo["link_texts"],
            "hovertemplate": (
                f"%{{text}} = %{{customdata:{HOVER}}}<br>%{{hovertext}}<extra></extra>"
            ),
            **updates[_LINK_HOVER],
        }
    )
    # the neurons' pictures: layout images, which Plotly.relayout redraws without the traces
    images = []
    for l, pictures in index["thumbnails"].items():
        for j, i in enumerate(pictures):
            source = updates.get("layout", {}).get(f"images[{i}].source") or _NEUTRAL_PNG
            images.append(_picture(l, geo["y"][l][j], source))
    # the squares' outlines: one path (a layout shape per square redraws much more slowly)
    data.append(
        {
            "type": "scatter",
            "mode": "lines",
            "name": "outlines",
            "x": typed(geo["outline_x"]),
            "y": typed(geo["outline_y"]),
            "line": {"color": "#9a9a9a", "width": 1},
            "hoverinfo": "skip",
        }
    )
    # hover: the input neurons (what each feature is) and the neurons of layers 2 … L
    input_ranges = _neuron_ranges(thumb_range, 1, sizes[0])
    input_notes = []
    for k, label in enumerate(input_labels):
        note = f"<b>layer 1 (input), neuron {k + 1}</b><br>{symbol('a', 1, k + 1)} = {label}"
        if input_ranges is not None:
            lo, hi = input_ranges[k]
            note += (
                f"<br>square: {label} over the input plane,<br>{lo:.3g} (orange) to {hi:.3g} (blue)"
            )
        input_notes.append(note + "<extra></extra>")
    data.append(_hover_markers("inputs", geo, 1, input_notes))
    data.append(
        {
            **_hover_markers(
                "neurons",
                geo,
                slice(2, L + 1),
                _neuron_templates(sizes, act_names, neuron_stats, thumb_range, outputs),
            ),
            **updates[index["neuron_hover"]],
        }
    )

    layout = base_layout(
        height=height or suggested_height(sizes, 900), title=title, uirevision="network"
    )
    x0, x1, y0, y1 = _ranges(tuple(sizes))
    hidden = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    layout["xaxis"] = {**hidden, "range": [x0, x1], "constrain": "domain"}
    layout["yaxis"] = {**hidden, "range": [y0, y1], "scaleanchor": "x", "constrain": "domain"}
    layout["margin"] = {**MARGIN, "t": MARGIN["t"] + (36 if title else 0)}
    layout["hovermode"] = "closest"
    layout["annotations"] = _labels(sizes, input_labels, act_names, geo) + [
        _output_mark(L, float(geo["y"][L][j]), mark) for j, (mark, _) in enumerate(outputs)
    ]
    # the output neuron stands out: a bold frame
    layout["images"] = images
    layout["shapes"] = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "y",
            "x0": L - SIDE / 2,
            "x1": L + SIDE / 2,
            "y0": float(geo["y"][L][j]) - SIDE / 2,
            "y1": float(geo["y"][L][j]) + SIDE / 2,
            "line": {"color": INK, "width": 2},
            "layer": "above",
        }
        for j in range(sizes[-1])
    ]
    return {"data": data, "layout": layout}


def network_update(
    *,
    sizes: Sequence[int],
    w: Mapping[int, np.ndarray],
    b: Mapping[int, np.ndarray],
    neuron_stats: Mapping[int, Mapping[str, np.ndarray]] | None = None,
    thumbnails: Mapping[int, np.ndarray] | None = None,
    thumb_range: Mapping[int, tuple[float, float]] | None = None,
    dead: Mapping[int, np.ndarray] | None = None,
) -> dict[int | str, dict]:
    """The update of a frame: per trace, the link bins, the weights under the link hover and
    the neuron hover values; under "layout", the pictures of the layers in ``thumbnails``
    (stripes for the ``dead`` neurons)."""
    sizes = _check_sizes(sizes)
    L = len(sizes)
    index = network_trace_index(sizes)
    shapes = {l: (sizes[l - 1], sizes[l - 2]) for l in range(2, L + 1)}
    w_all = np.concatenate([_check_param(w, l, shapes[l], "w").ravel() for l in shapes])
    b_all = np.concatenate([_check_param(b, l, (sizes[l - 1],), "b") for l in range(2, L + 1)])

    # links: bin b of sign s holds the links with s = (w ≥ 0) and |w| in [edge_{b−1}, edge_b)
    strength = np.searchsorted(WIDTH_EDGES, np.abs(w_all), side="right")
    bins = np.where(np.isfinite(w_all), (w_all >= 0) * NB + strength, _NO_BIN).astype(np.uint8)
    out: dict[int | str, dict] = {
        i: dict(trace) for i, trace in _link_traces(tuple(sizes), bins.tobytes()).items()
    }
    out[index["link_hover"]] = {"customdata": typed(w_all)}

    # neuron hover: b, mean z, mean a, mean δ, and the square's colour range, one row each
    n = len(b_all)
    stats = np.full((n, 6), np.nan)
    stats[:, 0] = b_all
    row = 0
    for l in range(2, L + 1):
        K = sizes[l - 1]
        layer = (neuron_stats or {}).get(l)
        if layer is not None:
            for col, key in ((1, "z"), (2, "a"), (3, "delta")):
                values = np.asarray(layer[key], dtype=np.float64).reshape(-1)
                if values.shape != (K,):
                    raise ValueError(f"neuron_stats[{l}][{key!r}] must have shape ({K},)")
                stats[row : row + K, col] = values
        ranges = _neuron_ranges(thumb_range, l, K)
        if ranges is not None:
            stats[row : row + K, 4:6] = ranges
        row += K
    dead_masks = _dead_masks(dead, sizes)
    out[index["neuron_hover"]] = {
        "customdata": typed(stats),
        "text": [
            _DEAD_NOTE if dead_masks[l][j] else ""
            for l in range(2, L + 1)
            for j in range(sizes[l - 1])
        ],
    }

    for l, maps in (thumbnails or {}).items():
        if l not in index["thumbnails"]:
            raise ValueError(f"thumbnails has layer {l}; expected layers 1 … {L}")
        maps = np.asarray(maps)
        if maps.ndim != 3 or maps.shape[0] != sizes[l - 1]:
            raise ValueError(
                f"thumbnails[{l}] must have shape ({sizes[l - 1]}, ny, nx), got {maps.shape}"
            )
        if maps.dtype != np.uint8:
            ranges = _neuron_ranges(thumb_range, l, len(maps))
            if ranges is None:
                raise ValueError(f"float thumbnails[{l}] need thumb_range[{l}] to quantize them")
            maps = np.stack([quantize(m, lo, hi) for m, (lo, hi) in zip(maps, ranges, strict=True)])
        layout = out.setdefault("layout", {})
        for j, i in enumerate(index["thumbnails"][l]):
            gone = l in dead_masks and dead_masks[l][j]
            layout[f"images[{i}].source"] = (
                DEAD_PNG if gone else png_data_url(maps[j][::-1] >> THUMB_SHIFT, _THUMB_LUT)
            )
    return out


def _picture(cx: float, cy: float, source: str) -> dict[str, Any]:
    """A neuron's picture: the square of side SIDE centred at (cx, cy)."""
    return {
        "source": source,
        "xref": "x",
        "yref": "y",
        "x": cx - SIDE / 2,
        "y": float(cy) + SIDE / 2,
        "sizex": SIDE,
        "sizey": SIDE,
        "xanchor": "left",
        "yanchor": "top",
        "sizing": "stretch",
        "layer": "below",  # links end at the squares' edges; the outlines go on top
    }


# ---------------------------------------------------------------------------------------------


_NO_BIN = 255  # a link whose weight is not finite is in no bin (drawn by no trace)


@lru_cache(maxsize=256)
def _link_traces(sizes: tuple[int, ...], bins: bytes) -> dict[int, dict[str, Any]]:
    """Each link trace's segments for the links' bins (sign × NB + width bin, one byte per link).

    The bins change only when a weight crosses a width edge or zero, rarely during Play, so
    the encoded segments are kept: a frame whose bins did not change costs a lookup instead
    of 2 × 2 × NB typed arrays (about 0.1 ms; benchmarks/README.md). 256 entries cover the
    networks of a class at their current bins."""
    geo = _geometry(sizes)
    seg_x, seg_y = geo["seg_x"], geo["seg_y"]  # (n_links, 3): start, end, NaN
    codes = np.frombuffer(bins, dtype=np.uint8)
    traces = {}
    for i in network_trace_index(sizes)["links"]:
        mask = codes == i
        traces[i] = {"x": typed(seg_x[mask].ravel()), "y": typed(seg_y[mask].ravel())}
    return traces


@lru_cache(maxsize=64)
def _geometry(sizes: tuple[int, ...]) -> dict[str, Any]:
    """Positions that depend on the architecture only (cached: pure numbers, no student state).

    Links are ordered by l, then j, then k (w^l raveled row by row), like ``network_update``'s
    w_all. The hover marker of link k → j sits LINK_HOVER_AT of the way from k to j; at 0.42
    no two links between the same columns share a marker position, since 0.58·(y_k − y_k') =
    0.42·(y_j' − y_j) has no solution with |Δy| < 21 rows (not true at the midpoint, 0.5).
    """
    L = len(sizes)
    y = {l: DY * ((K - 1) / 2 - np.arange(K)) for l, K in enumerate(sizes, start=1)}
    xs, ys, names, texts = [], [], [], []
    for l in range(2, L + 1):
        K, Kp = sizes[l - 1], sizes[l - 2]
        jj, kk = np.meshgrid(np.arange(K), np.arange(Kp), indexing="ij")
        jj, kk = jj.ravel(), kk.ravel()
        xs.append(
            np.column_stack([np.full(jj.size, l - 1 + SIDE / 2), np.full(jj.size, l - SIDE / 2)])
        )
        ys.append(np.column_stack([y[l - 1][kk], y[l][jj]]))
        for j, k in zip(jj.tolist(), kk.tolist(), strict=True):
            names.append(weight_name(l, j + 1, k + 1))
            texts.append(f"from neuron {k + 1} of layer {l - 1} to neuron {j + 1} of layer {l}")
    x2, y2 = np.concatenate(xs), np.concatenate(ys)
    nan = np.full((len(x2), 1), np.nan)
    t = LINK_HOVER_AT
    cx = np.concatenate([np.full(K, float(l)) for l, K in enumerate(sizes, start=1)])
    cy = np.concatenate([y[l] for l in range(1, L + 1)])
    h = SIDE / 2
    corners_x = np.array([-h, h, h, -h, -h, np.nan])
    corners_y = np.array([-h, -h, h, h, -h, np.nan])
    return {
        "outline_x": (cx[:, None] + corners_x).ravel(),
        "outline_y": (cy[:, None] + corners_y).ravel(),
        "y": y,
        "seg_x": np.hstack([x2, nan]),
        "seg_y": np.hstack([y2, nan]),
        "hover_x": (1 - t) * x2[:, 0] + t * x2[:, 1],
        "hover_y": (1 - t) * y2[:, 0] + t * y2[:, 1],
        "link_names": names,
        "link_texts": texts,
    }


def _ranges(sizes: tuple[int, ...]) -> tuple[float, float, float, float]:
    """The axis ranges: the squares plus a little air; the labels hang into the margins."""
    half = DY * (max(sizes) - 1) / 2 + SIDE / 2
    return 1 - SIDE / 2 - 0.06, len(sizes) + SIDE / 2 + 0.06, -half - 0.04, half + 0.04


_SHORT = {"sigmoid": "sigm.", "linear": "lin.", "input": "in"}


def _labels(
    sizes: list[int], input_labels: Sequence[str], act_names: list[str], geo: dict[str, Any]
) -> list[dict[str, Any]]:
    L = len(sizes)
    bottom = -(DY * (max(sizes) - 1) / 2 + SIDE / 2) - 0.02
    notes = []
    short = L >= 6  # columns get narrow: abbreviate, and put "output" on a line of its own
    for l in range(1, L + 1):
        kind = "input" if l == 1 else act_names[l - 2]
        if short:
            kind = _SHORT.get(kind, kind)
        if l == L:
            kind = f"output<br>{kind}" if short else f"output · {kind}"
        notes.append(
            {
                "text": f"<b>{'' if short else 'layer '}{l}</b><br>{kind}",
                "x": l,
                "y": bottom,
                "xref": "x",
                "yref": "y",
                "yanchor": "top",
                "yshift": -2,
                "showarrow": False,
                "font": {"size": TICK_FONT_SIZE, "color": INK},
            }
        )
    for k, label in enumerate(input_labels):
        notes.append(
            {
                "text": label,
                "x": 1 - SIDE / 2 - 0.03,
                "y": geo["y"][1][k],
                "xref": "x",
                "yref": "y",
                "xanchor": "right",
                "showarrow": False,
                "font": {"size": 16, "color": INK},
            }
        )
    return notes


def output_classes(
    outputs: int, classes: Sequence[str] | None, threshold: float | None
) -> list[tuple[str, str]]:
    """(mark, hover line) for each output neuron: the class it stands for, as the map draws
    its points (a coloured shape), and in words. Empty when the network does not classify or
    the names do not fit the outputs (then nothing is claimed)."""
    if not classes:
        return []
    shape = class_shape_html
    names = [plotly_literal(n, 24) for n in classes]
    if outputs >= 2 and len(names) == outputs:
        return [(shape(k), f"stands for class {k}: {names[k]}") for k in range(outputs)]
    if outputs == 1 and len(names) == 2 and threshold is not None:
        t = human(threshold, ".3g")
        return [
            (
                f"{shape(1)} &gt; {t}<br>{shape(0)} ≤ {t}",
                f"above {t}: class 1, {names[1]}; else class 0, {names[0]}",
            )
        ]
    return []


def _output_mark(L: int, y: float, text: str) -> dict[str, Any]:
    """The class of an output neuron, to the right of its square, in the right margin."""
    return {
        "text": text,
        "x": L + SIDE / 2 + 0.03,
        "y": y,
        "xref": "x",
        "yref": "y",
        "xanchor": "left",
        "align": "left",
        "showarrow": False,
        "font": {"size": TICK_FONT_SIZE, "color": INK},
    }


def _hover_markers(name: str, geo: dict[str, Any], layers: int | slice, templates: list[str]):
    ls = [layers] if isinstance(layers, int) else range(layers.start, layers.stop)
    xs = np.concatenate([np.full(len(geo["y"][l]), l, dtype=float) for l in ls])
    ys = np.concatenate([geo["y"][l] for l in ls])
    return {
        "type": "scatter",
        "name": name,
        "x": typed(xs),
        "y": typed(ys),
        "mode": "none",
        "hovertemplate": templates,
    }


def _neuron_templates(
    sizes: list[int],
    act_names: list[str],
    neuron_stats: Mapping[int, Any] | None,
    thumb_range: Mapping[int, Any] | None,
    outputs: Sequence[tuple[str, str]] = (),
) -> list[str]:
    """One hover template per neuron of layers 2 … L; the values come from customdata;
    ``outputs`` as from ``output_classes``."""
    L = len(sizes)
    out = []
    for l in range(2, L + 1):
        where = "output" if l == L else "hidden"
        for j in range(1, sizes[l - 1] + 1):
            b, z, a, d = (symbol(s, l, j) for s in "bzaδ")
            lines = [
                f"<b>neuron {j} of layer {l}</b> ({where}, {act_names[l - 2]})",
                f"{b} = %{{customdata[0]:{HOVER}}}",
            ]
            if l == L and j <= len(outputs):
                lines.insert(1, outputs[j - 1][1])
            if neuron_stats is not None and l in neuron_stats:
                lines += [
                    f"mean {z} = %{{customdata[1]:{HOVER}}}",
                    f"mean {a} = %{{customdata[2]:{HOVER}}}",
                    f"mean {d} = ∂C/∂{b} = %{{customdata[3]:{HOVER}}}  (eq. 19)",
                ]
            if thumb_range is not None and l in thumb_range:
                # a hidden ReLU is never negative: its scale's orange half goes unused
                low = (
                    "0 (white)"
                    if act_names[l - 2] == "ReLU" and l < L
                    else "%{customdata[4]:.3g} (orange)"
                )
                lines.append(
                    f"square: {a} over the input plane, {low} to %{{customdata[5]:.3g}} (blue)"
                )
            out.append("<br>".join(lines) + "%{text}<extra></extra>")
    return out


def _dead_masks(dead: Mapping[int, Any] | None, sizes: list[int]) -> dict[int, np.ndarray]:
    """{l: (K_l,) bool} for layers 2 … L, all False where ``dead`` says nothing."""
    out = {l: np.zeros(sizes[l - 1], dtype=bool) for l in range(2, len(sizes) + 1)}
    for l, mask in (dead or {}).items():
        if l not in out:
            raise ValueError(f"dead has layer {l}; expected layers 2 … {len(sizes)}")
        m = np.asarray(mask, dtype=bool).reshape(-1)
        if m.shape != out[l].shape:
            raise ValueError(f"dead[{l}] must have shape ({sizes[l - 1]},), got {m.shape}")
        out[l] = m
    return out


def _neuron_ranges(thumb_range: Mapping[int, Any] | None, l: int, K: int) -> np.ndarray | None:
    """thumb_range[l] as one (lo, hi) row per neuron: given per layer (2,) or per neuron (K, 2)."""
    if not thumb_range or l not in thumb_range:
        return None
    r = np.asarray(thumb_range[l], dtype=np.float64)
    if r.shape == (2,):
        r = np.broadcast_to(r, (K, 2))
    if r.shape != (K, 2):
        raise ValueError(f"thumb_range[{l}] must be (lo, hi) or have shape ({K}, 2), got {r.shape}")
    return r


def _check_sizes(sizes: Sequence[int]) -> list[int]:
    try:
        out = [int(K) for K in sizes]
    except (TypeError, ValueError):
        raise ValueError(
            f"sizes must be a list of layer sizes [K_1, …, K_L], got {sizes!r}"
        ) from None
    if len(out) < 2 or min(out) < 1 or any(float(K) != int(K) for K in sizes):
        raise ValueError(f"sizes must be ≥ 2 positive integers [K_1, …, K_L], got {list(sizes)}")
    return out


def _check_param(params: Mapping[int, Any], l: int, shape: tuple[int, ...], name: str):
    if l not in params:
        raise ValueError(f"{name}^{l} is missing; expected layers 2 … L")
    value = np.asarray(params[l], dtype=np.float64)
    if name == "b":
        value = value.reshape(-1)
    if value.shape != shape:
        raise ValueError(f"{name}^{l} must have shape {shape}, got {value.shape}")
    return value
