"""The network's output a^L over the input plane (2-D data) or along x₁ (1-D data), with the data.

Grid convention (``plane_grid``): the heatmap covers ``extent`` exactly, in nx × ny cells, and
z[i, j] is a^L at the *centre* of cell (i, j): x₁ = x_min + (j + ½)·Δx₁, x₂ = y_min + (i + ½)·Δx₂,
so row 0 of z is the bottom row of the picture.

Two ways to draw the map:

- ``live=False`` (static pages): trace 0 is a heatmap of z, uint8 from ``quantize`` or float;
  with float z, hovering the plane shows a^L.
- ``live=True`` (the Playground while training): the map is a PNG in ``layout.images[0]``, one
  pixel per cell, coloured server-side, and trace 0 only carries the colour bar. A frame's
  update (``boundary_update``) is that image alone, drawn by Plotly.relayout without redrawing
  the points: a heatmap update redraws every trace, several times the browser's work per frame
  (benchmarks/README.md). Hovering the background then shows nothing; the points still show
  x₁, x₂.

More than two classes (K_L ≥ 2 outputs, one per class): the picture is the winning class
argmax_j a^L_j at each cell, its colour the class's (``style.CLASS_PALETTE``), its strength the
network's confidence (``playground.metrics.winning_class``): white where it is unsure, the
class's colour where it is sure. ``class_levels`` packs class and confidence into one uint8 per
cell (CLASS_LEVELS shades per class, K ≤ 10), so the picture is a palette PNG like the
two-class one and a frame's update is again the layout image alone.

Trace order (stable; while training only the live image changes):
  boundary: 0 heatmap (static) or colour bar (live; an empty trace for K classes) ·
            1 … K training classes 0 … K−1 · K+1 … 2K test classes 0 … K−1 (two classes:
            1, 2 training, 3, 4 test; regression: 1 training · 2 test). Test traces exist even
            when hidden.
  curve:    0 the line a^L(x₁) · 1 training points · 2 test points.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from ui.figures.encode import (
    apply_updates,
    as_1d,
    png_data_url,
    quantize,
    scale_lut,
    typed,
    u8_position,
)
from ui.figures.style import (
    CLASS_COLORS,
    DIVERGING,
    INK,
    TICK_FONT_SIZE,
    axis,
    base_layout,
    class_area_color,
    class_marker,
    legend_top,
    nice_ticks,
    stepped_scale,
)
from ui.notation import COORD, HOVER
from ui.user_text import plotly_literal

Extent = tuple[float, float, float, float]
#: Cells per side of every map over the input plane (the Playground's output, the lecture pages'
#: maps); a neuron's picture in the network diagram takes every 5th of them.
GRID = 100
#: The plane around the lecture's four XOR points (0 and 1 in each coordinate), with a margin.
XOR_EXTENT: Extent = (-0.5, 1.5, -0.5, 1.5)

CURVE_LINE = 0
_KINDS = ("classification", "regression")
_A_L = "a<sup>L</sup>"
_X_Y = f"x₁ = %{{x:{COORD}}}<br>y = %{{y:{HOVER}}}"  # a point of 1-D data


def _marker(which: str, color: Any, outline: str | None = None) -> dict[str, Any]:
    """Training: a circle with a white outline; test: a diamond with a dark outline, so the two
    differ without colour. A fresh dict each time (an update may edit a figure in place)."""
    if which == "training":
        return {
            "symbol": "circle",
            "size": 9,
            "color": color,
            "line": {"color": outline or "#ffffff", "width": 1.2},
        }
    return {
        "symbol": "diamond",
        "size": 9,
        "color": color,
        "line": {"color": outline or INK, "width": 1.4},
    }


def plane_grid(extent: Extent, nx: int = GRID, ny: int | None = None) -> np.ndarray:
    """The (2, ny·nx) cell centres the heatmap expects, row-major: reshape a^L to (ny, nx)."""
    x_min, x_max, y_min, y_max = _check_extent(extent)
    ny = nx if ny is None else ny
    if min(nx, ny) < 1:
        raise ValueError(f"nx and ny must be ≥ 1, got nx={nx}, ny={ny}")
    x1 = x_min + (np.arange(nx) + 0.5) * ((x_max - x_min) / nx)
    x2 = y_min + (np.arange(ny) + 0.5) * ((y_max - y_min) / ny)
    g1, g2 = np.meshgrid(x1, x2)
    return np.stack([g1.ravel(), g2.ravel()])


def cell_axes(extent: Extent, shape: tuple[int, int]) -> dict[str, float]:
    """x0, dx, y0, dy of a heatmap or contour of ``shape`` (ny, nx) whose cells cover ``extent``
    as ``plane_grid`` lays them out (x0, y0: the centre of the first cell)."""
    x_min, x_max, y_min, y_max = _check_extent(extent)
    ny, nx = shape
    dx, dy = (x_max - x_min) / nx, (y_max - y_min) / ny
    return {"x0": x_min + 0.5 * dx, "dx": dx, "y0": y_min + 0.5 * dy, "dy": dy}


# ---------------------------------------------------------------------------------------------
# 2-D: a heatmap of a^L with the points on top


def boundary_figure(
    *,
    z: np.ndarray,
    extent: Extent,
    value_range: tuple[float, float],
    train_x: np.ndarray,
    train_y: np.ndarray,
    test_x: np.ndarray | None = None,
    test_y: np.ndarray | None = None,
    show_test: bool = False,
    discretize: bool = False,
    kind: str = "classification",
    threshold: float | None = None,
    class_names: Sequence[str] = ("class 0", "class 1"),
    title: str | None = None,
    height: int = 480,
    live: bool = False,
    class_map: np.ndarray | None = None,
) -> dict[str, Any]:
    """a^L over the plane (z: (ny, nx), uint8 or float, see the module docstring) and the data.

    value_range: (lo, hi), the a^L values at the two ends of the colour scale (the output
    activation's range, e.g. (−1, 1) for tanh); uint8 z must be ``quantize(a_L, lo, hi)``.
    train_x, test_x: (2, N) points; train_y, test_y: (N,) classes 0/1, or targets for regression.
    discretize: two flat colours split at ``threshold`` (default: the middle of value_range);
    only the colour scale changes, not z. Ignored for regression.
    class_names: one per class, K of them, shown as plain text (an uploaded file's labels may
    hold tags); train_y, test_y then hold classes 0 … K−1.
    class_map: K classes with one output each: ``class_levels`` of the winning class and its
    confidence, (ny, nx); the picture is drawn from it (as a layout image) instead of from z.
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {list(_KINDS)}")
    names = [plotly_literal(n) for n in class_names]
    k = len(names)
    if kind == "classification" and not 2 <= k <= MAX_CLASS_COLOURS:
        raise ValueError(f"class_names must name 2 to {MAX_CLASS_COLOURS} classes, got {k}")
    x_min, x_max, y_min, y_max = _check_extent(extent)
    lo, hi = _check_range(value_range)
    colours = _colorscale(kind, discretize, threshold, lo, hi)["colorscale"]
    if class_map is not None:
        # K classes: the picture is the winning class and its confidence; no colour bar
        data: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "winning class",
                "x": [None],
                "y": [None],
                "showlegend": False,
                "hoverinfo": "skip",
            }
        ]
        image = _layout_image(class_png(class_map, k), (x_min, x_max, y_min, y_max))
    elif live:
        # The map is a layout image (see ``boundary_update``); trace 0 carries the colour bar.
        ticks = nice_ticks(lo, hi)
        bar = {"tickvals": ticks, "ticktext": [f"{t:g}" for t in ticks], **_colorbar()}
        marker = {
            "color": [lo, hi],
            "cmin": lo,
            "cmax": hi,
            "colorscale": colours,
            "showscale": True,
            "colorbar": bar,
        }
        data = [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "network output a^L",
                "x": [None],
                "y": [None],
                "showlegend": False,
                "hoverinfo": "skip",
                "marker": marker,
            }
        ]
        image = _layout_image(_png(z, lo, hi, colours), (x_min, x_max, y_min, y_max))
    else:
        # A heatmap: hovering the plane shows a^L when z is float (static pages).
        z_attributes = _z_attributes(z, lo, hi)  # checks z
        heat = {
            "type": "heatmap",
            "name": "network output a^L",
            "showscale": True,
            "colorbar": _colorbar(),
            "colorscale": colours,
            "hoverongaps": False,
            **cell_axes(extent, np.shape(z)),
        }
        data = [heat]
        apply_updates({"data": data}, {0: z_attributes})

    sets = [("training", train_x, train_y, True)]
    sets.append(("test", *_empty_if_none(test_x, test_y), bool(show_test)))
    for label, x, y, visible in sets:
        x = _check_points(x, f"{label} x", d=2)
        y = as_1d(y, f"{label} y")
        if y.shape[0] != x.shape[1]:
            raise ValueError(f"{label} y must have {x.shape[1]} values, got {y.shape[0]}")
        if kind == "classification":
            cls = np.rint(y)
            for c in range(k):
                mask = cls == c
                # legend: "● class 0  ■ class 1  ○ test", the test classes share one entry
                data.append(
                    {
                        "type": "scatter",
                        "mode": "markers",
                        "name": names[c] if label == "training" else "test data",
                        "legendgroup": f"{label}{c}" if label == "training" else label,
                        "showlegend": label == "training" or c == 0,
                        "x": typed(x[0, mask]),
                        "y": typed(x[1, mask]),
                        "marker": class_marker(c, label),
                        "hovertemplate": (
                            f"{label} point, {names[c]}"
                            f"<br>x₁ = %{{x:{COORD}}}<br>x₂ = %{{y:{COORD}}}<extra></extra>"
                        ),
                        "visible": visible,
                    }
                )
        else:
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": f"{label} data",
                    "x": typed(x[0]),
                    "y": typed(x[1]),
                    "customdata": typed(y),
                    "marker": {
                        **_marker(label, typed(y), outline=INK),
                        "colorscale": DIVERGING,
                        "cmin": lo,
                        "cmax": hi,
                    },
                    "hovertemplate": (
                        f"{label} point<br>x₁ = %{{x:{COORD}}}<br>x₂ = %{{y:{COORD}}}"
                        f"<br>y = %{{customdata:{HOVER}}}<extra></extra>"
                    ),
                    "visible": visible,
                }
            )

    layout = base_layout(height=height, title=title, uirevision="boundary")
    layout["margin"].update({"l": 56, "r": 8, "b": 52})
    layout["xaxis"] = axis("x₁", range=[x_min, x_max], constrain="domain", mirror=True)
    layout["yaxis"] = axis(
        "x₂", range=[y_min, y_max], scaleanchor="x", scaleratio=1, constrain="domain", mirror=True
    )
    layout["hovermode"] = "closest"
    layout["showlegend"] = True
    layout["legend"] = legend_top(itemclick=False, itemdoubleclick=False)
    if live or class_map is not None:
        layout["images"] = [image]
    return {"data": data, "layout": layout}


def _layout_image(source: str, extent: Extent) -> dict[str, Any]:
    """A PNG stretched over ``extent``, under the points."""
    x_min, x_max, y_min, y_max = extent
    return {
        "source": source,
        "xref": "x",
        "yref": "y",
        "x": x_min,
        "y": y_max,
        "sizex": x_max - x_min,
        "sizey": y_max - y_min,
        "xanchor": "left",
        "yanchor": "top",
        "sizing": "stretch",
        "layer": "below",
    }


# ---------------------------------------------------------------------------------------------
# K classes: the winning class and its confidence

#: Shades of each class's colour, from unsure (white) to sure; K × CLASS_LEVELS ≤ 256.
CLASS_LEVELS = 25
MAX_CLASS_COLOURS = 256 // CLASS_LEVELS


def class_levels(cls: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """One uint8 per cell: class · CLASS_LEVELS + the confidence in [0, 1] as 0 … CLASS_LEVELS−1
    (a non-finite confidence, from a diverged output, is drawn as unsure)."""
    cls = np.asarray(cls)
    conf = np.nan_to_num(np.asarray(confidence, dtype=np.float64), nan=0.0)
    if cls.shape != conf.shape:
        raise ValueError(f"cls and confidence must have one shape, got {cls.shape}, {conf.shape}")
    if cls.size and not (0 <= cls.min() and cls.max() < MAX_CLASS_COLOURS):
        raise ValueError(f"classes must be 0 to {MAX_CLASS_COLOURS - 1}, got {cls.max()}")
    shade = np.rint(np.clip(conf, 0.0, 1.0) * (CLASS_LEVELS - 1))
    return (cls * CLASS_LEVELS + shade).astype(np.uint8)


def class_lut(k: int) -> np.ndarray:
    """(256, 3) uint8: the colour of every value ``class_levels`` gives for k classes."""
    return _class_lut(int(k))


@functools.cache
def _class_lut(k: int) -> np.ndarray:
    lut = np.zeros((256, 3), dtype=np.uint8)
    for c in range(k):
        for s in range(CLASS_LEVELS):
            lut[c * CLASS_LEVELS + s] = class_area_color(c, s / (CLASS_LEVELS - 1))
    lut.flags.writeable = False
    return lut


def class_png(levels: np.ndarray, k: int) -> str:
    """``class_levels`` of the plane as a PNG data URL (row 0 of ``levels`` is the bottom)."""
    levels = np.asarray(levels)
    if levels.ndim != 2 or min(levels.shape) < 1 or levels.dtype != np.uint8:
        raise ValueError(f"levels must be a 2-D uint8 array, got {levels.dtype} {levels.shape}")
    return png_data_url(levels[::-1], class_lut(k))


def class_map_update(levels: np.ndarray, k: int) -> dict[str, dict]:
    """The update of a frame of the K-class picture: the layout image alone."""
    return {"layout": {"images[0].source": class_png(levels, k)}}


def boundary_update(
    z: np.ndarray,
    *,
    value_range: tuple[float, float],
    kind: str = "classification",
    discretize: bool = False,
    threshold: float | None = None,
) -> dict[str, dict]:
    """The update of a frame: only the layout image changes, {"layout": {"images[0].source"}}.

    The browser redraws a layout image without touching a trace (Plotly.relayout), several
    times cheaper than redrawing a heatmap and the points on top of it."""
    lo, hi = _check_range(value_range)
    colours = _colorscale(kind, discretize, threshold, lo, hi)["colorscale"]
    return {"layout": {"images[0].source": _png(z, lo, hi, colours)}}


def _png(z: Any, lo: float, hi: float, colours) -> str:
    """z (uint8 levels from ``quantize``, or a^L values) as a PNG; z's row 0 is the bottom."""
    z = np.asarray(z)
    if z.ndim != 2 or min(z.shape) < 1:
        raise ValueError(f"z must be a 2-D (ny, nx) array, got shape {z.shape}")
    if z.dtype.kind == "f":
        z = quantize(z, lo, hi)
    elif z.dtype != np.uint8:
        raise ValueError(f"z must be uint8 (quantize) or float, got dtype {z.dtype}")
    return png_data_url(z[::-1], scale_lut(colours))


def _z_attributes(z: Any, lo: float, hi: float) -> dict[str, Any]:
    z = np.asarray(z)
    if z.ndim != 2 or min(z.shape) < 1:
        raise ValueError(f"z must be a 2-D (ny, nx) array, got shape {z.shape}")
    ticks = nice_ticks(lo, hi)
    text = [f"{t:g}" for t in ticks]
    where = f"x₁ = %{{x:{COORD}}}<br>x₂ = %{{y:{COORD}}}"
    if z.dtype == np.uint8:
        out = {
            "z": typed(z, "u1"),
            "zmin": 0,
            "zmax": 255,
            "colorbar.tickvals": [u8_position(t, lo, hi) for t in ticks],
            "hovertemplate": where + "<extra></extra>",
        }
    elif z.dtype.kind == "f":
        out = {
            "z": typed(z, "f4"),
            "zmin": lo,
            "zmax": hi,
            "colorbar.tickvals": ticks,
            "hovertemplate": where + f"<br>{_A_L} = %{{z:{HOVER}}}<extra></extra>",
        }
    else:
        raise ValueError(f"z must be uint8 (quantize) or float, got dtype {z.dtype}")
    out["colorbar.ticktext"] = text
    return out


def _colorbar() -> dict[str, Any]:
    return {
        "title": {"text": _A_L, "side": "top", "font": {"size": 16}},
        "thickness": 14,
        "len": 0.9,
        "x": 1.01,
        "xpad": 4,
        "outlinewidth": 0,
        "tickfont": {"size": TICK_FONT_SIZE},
    }


def _colorscale(
    kind: str, discretize: bool, threshold: float | None, lo: float, hi: float
) -> dict[str, Any]:
    if discretize and kind == "classification":
        t = (lo + hi) / 2 if threshold is None else float(threshold)
        return {"colorscale": stepped_scale((t - lo) / (hi - lo))}
    return {"colorscale": DIVERGING}


# ---------------------------------------------------------------------------------------------
# 1-D: the curve a^L(x₁) with the data


def curve_figure(
    *,
    grid_x: np.ndarray,
    output: np.ndarray,
    train_x: np.ndarray,
    train_y: np.ndarray,
    test_x: np.ndarray | None = None,
    test_y: np.ndarray | None = None,
    show_test: bool = False,
    y_range: tuple[float, float] | None = None,
    title: str | None = None,
    height: int = 420,
) -> dict[str, Any]:
    """a^L along x₁ (``output`` at the points ``grid_x``, e.g. 200 of them) and the data.

    train_x, test_x: (1, N) or (N,); train_y, test_y: (N,). y_range fixes the vertical axis
    (default: the targets' range plus a margin) so that it does not jump while training.
    """
    gx = as_1d(grid_x, "grid_x")
    out = as_1d(output, "output")
    if gx.shape != out.shape:
        raise ValueError(f"output must have shape {gx.shape} like grid_x, got {out.shape}")
    tx, ty = as_1d(train_x, "train x"), as_1d(train_y, "train y")
    vx, vy = (
        (np.zeros(0), np.zeros(0))
        if test_x is None
        else (as_1d(test_x, "test x"), as_1d(test_y, "test y"))
    )
    for name, x, y in (("training", tx, ty), ("test", vx, vy)):
        if x.shape != y.shape:
            raise ValueError(f"{name} x and y must have the same length, got {x.size}, {y.size}")
    if y_range is None:
        targets = np.concatenate([ty, vy])
        targets = targets[np.isfinite(targets)]
        lo, hi = (float(targets.min()), float(targets.max())) if targets.size else (-1.0, 1.0)
        pad = 0.15 * (hi - lo) if hi > lo else 1.0
        y_range = (lo - pad, hi + pad)
    lo, hi = _check_range(y_range)
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": f"network output {_A_L}",
            "x": typed(gx),
            "y": typed(out),
            "line": {"color": INK, "width": 3.5},
            "hovertemplate": f"x₁ = %{{x:{COORD}}}<br>{_A_L} = %{{y:{HOVER}}}<extra></extra>",
            "zorder": 1,
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": "training data",
            "x": typed(tx),
            "y": typed(ty),
            "marker": _marker("training", CLASS_COLORS[1]),
            "hovertemplate": f"training point<br>{_X_Y}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": "test data",
            "x": typed(vx),
            "y": typed(vy),
            "marker": _marker("test", "#ffffff"),
            "hovertemplate": f"test point<br>{_X_Y}<extra></extra>",
            "visible": bool(show_test),
        },
    ]
    layout = base_layout(height=height, title=title, uirevision="curve")
    x_lo, x_hi = float(np.nanmin(gx)), float(np.nanmax(gx))
    margin = 0.02 * (x_hi - x_lo)
    layout["xaxis"] = axis("x₁", range=[x_lo - margin, x_hi + margin])
    layout["yaxis"] = axis(
        f"y  and  {_A_L}", range=[lo, hi], zeroline=True, zerolinecolor="#cccccc"
    )
    layout["hovermode"] = "closest"
    layout["showlegend"] = True
    layout["legend"] = legend_top(itemclick=False, itemdoubleclick=False)
    return {"data": data, "layout": layout}


def curve_update(output: np.ndarray) -> dict[int, dict]:
    """The per-trace update of a frame: {0: the new a^L values on the same grid}."""
    return {CURVE_LINE: {"y": typed(as_1d(output, "output"))}}


# ---------------------------------------------------------------------------------------------


def _check_extent(extent: Extent) -> Extent:
    try:
        x_min, x_max, y_min, y_max = (float(v) for v in extent)
    except (TypeError, ValueError):
        raise ValueError(f"extent must be (x_min, x_max, y_min, y_max), got {extent!r}") from None
    if not (np.isfinite([x_min, x_max, y_min, y_max]).all() and x_max > x_min and y_max > y_min):
        raise ValueError(f"extent must be finite with x_min < x_max, y_min < y_max, got {extent}")
    return x_min, x_max, y_min, y_max


def _check_range(value_range: tuple[float, float]) -> tuple[float, float]:
    lo, hi = (float(v) for v in value_range)
    if not (np.isfinite([lo, hi]).all() and hi > lo):
        raise ValueError(f"value range must be finite (lo, hi) with lo < hi, got {value_range}")
    return lo, hi


def _check_points(x: Any, name: str, *, d: int) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] != d:
        raise ValueError(f"{name} must have shape ({d}, N), got {x.shape}")
    return x


def _empty_if_none(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    if x is None or y is None:
        return np.zeros((2, 0)), np.zeros(0)
    return x, y
