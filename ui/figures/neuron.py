"""One neuron's output over the input plane, with the line where its answer changes (§I.A).

Built on ``ui.figures.boundary.boundary_figure`` (the same heatmap and points as the Playground),
plus two kinds of trace:

- ``zero_line``: the contour z = 0 of a z computed by the engine on the same grid. For one
  neuron z = w₁x₁ + w₂x₂ + b is linear, and a contour interpolates linearly between cells, so
  the drawn line is exactly w·x + b = 0; nothing here recomputes z.
- the point the student picked, a star, where eq. (1) is written out with numbers.

Trace order: those of ``boundary_figure`` (0 heatmap, 1–4 points), then the zero line, then
the rings around missed points and the picked point, if given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ui.figures.boundary import Extent, boundary_figure, cell_axes
from ui.figures.encode import typed
from ui.figures.style import INK

XOR_CLASS_NAMES = ("XOR = 0", "XOR = 1")


def xor_plane_figure(
    values: Any,
    *,
    name: str,
    symbol: str,
    extent: Sequence[float],
    value_range: tuple[float, float],
    points_x: Any,
    points_class: Any,
    height: int,
    title: str | None,
) -> dict[str, Any]:
    """``values`` (ny, nx) over the plane with the four XOR points drawn large: the map of the
    neuron page and of the XOR page, named ``name`` and called ``symbol`` (y, a³₁) in the
    colour bar and the hover label instead of a^L."""
    fig = boundary_figure(
        z=np.asarray(values, dtype=np.float32),
        extent=extent,
        value_range=value_range,
        train_x=points_x,
        train_y=points_class,
        class_names=XOR_CLASS_NAMES,
        height=height,
        title=title,
    )
    heat = fig["data"][0]
    heat["name"] = name
    heat["colorbar"]["title"]["text"] = symbol
    heat["hovertemplate"] = heat["hovertemplate"].replace("a<sup>L</sup>", symbol)
    for trace in fig["data"][1:3]:
        trace["marker"]["size"] = 16
    return fig


def zero_line(
    z: np.ndarray,
    extent: Extent,
    *,
    name: str,
    color: str = INK,
    dash: str = "solid",
    width: float = 3.0,
    xaxis: str = "x",
    yaxis: str = "y",
    showlegend: bool = True,
) -> dict[str, Any]:
    """A contour trace drawing only the level z = 0 of z (ny, nx) laid out like the heatmap."""
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 2:
        raise ValueError(f"z must be a 2-D (ny, nx) array, got shape {z.shape}")
    return {
        "type": "contour",
        "name": name,
        "z": typed(z, "f4"),
        **cell_axes(extent, z.shape),
        "autocontour": False,
        "contours": {"start": 0, "end": 0, "size": 1, "coloring": "none", "showlabels": False},
        "line": {"color": color, "width": width, "dash": dash, "smoothing": 0},
        "showscale": False,
        "showlegend": showlegend,
        "hoverinfo": "skip",
        "xaxis": xaxis,
        "yaxis": yaxis,
    }


def neuron_plane_figure(
    *,
    y: np.ndarray,
    z: np.ndarray,
    extent: Extent,
    value_range: tuple[float, float],
    points_x: np.ndarray,
    points_class: np.ndarray,
    picked: tuple[float, float] | None = None,
    missed: np.ndarray | None = None,
    line_z: float = 0.0,
    height: int = 440,
    title: str | None = None,
) -> dict[str, Any]:
    """y = σ(z) over the plane (y, z: (ny, nx) from the engine), the line z = line_z, the XOR
    points (points_x (2, N), points_class (N,) 0/1), optionally the picked point (x₁, x₂), and
    a ring around each point the neuron does not get right (missed: (N,) bool).

    line_z: where the line is drawn: the z at which y crosses the threshold the page counts a
    point right by (0 for sigmoid, tanh, sign; 0.5 for ReLU: ``ui.lecture.neuron.decision_z``).
    """
    fig = xor_plane_figure(
        y,
        name="neuron output y",
        symbol="y",
        extent=extent,
        value_range=value_range,
        points_x=points_x,
        points_class=points_class,
        height=height,
        title=title,
    )
    name = f"line z = {line_z:g}"
    fig["data"].append(zero_line(np.asarray(z) - line_z, extent, name=name, dash="dash"))
    if missed is not None:
        fig["data"].append(rings(points_x, missed))
    if picked is not None:
        fig["data"].append(picked_point(*picked))
    return fig


def rings(points_x: np.ndarray, mask: np.ndarray, *, name: str = "not right") -> dict[str, Any]:
    """A thick black ring around each point where ``mask`` is True."""
    points_x = np.asarray(points_x, dtype=np.float64)
    mask = np.asarray(mask, dtype=bool)
    if mask.shape != (points_x.shape[1],):
        raise ValueError(f"mask must have shape ({points_x.shape[1]},), got {mask.shape}")
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": points_x[0, mask].tolist(),
        "y": points_x[1, mask].tolist(),
        "marker": {"symbol": "circle-open", "size": 30, "color": INK, "line": {"width": 3}},
        "hoverinfo": "skip",
        "showlegend": bool(mask.any()),
    }


def picked_point(x1: float, x2: float, *, name: str = "your point") -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": [float(x1)],
        "y": [float(x2)],
        "marker": {
            "symbol": "star",
            "size": 22,
            "color": "#ffd21f",
            "line": {"color": INK, "width": 1.5},
        },
        "hovertemplate": "x₁ = %{x:.2f}<br>x₂ = %{y:.2f}<extra></extra>",
    }


def point_notes(
    points_x: np.ndarray, texts: Sequence[str], *, xref: str = "x", yref: str = "y"
) -> list[dict[str, Any]]:
    """Layout annotations: text up and to the right of each point (e.g. the value a neuron
    takes there), on a white box so that it reads on any colour."""
    points_x = np.asarray(points_x, dtype=np.float64)
    if points_x.shape != (2, len(texts)):
        raise ValueError(f"points_x must have shape (2, {len(texts)}), got {points_x.shape}")
    return [
        {
            "text": f"<b>{t}</b>",
            "x": float(x1),
            "y": float(x2),
            "xref": xref,
            "yref": yref,
            "xanchor": "left",
            "yanchor": "bottom",
            "xshift": 7,
            "yshift": 7,
            "showarrow": False,
            "font": {"size": 16, "color": INK},
            "bgcolor": "rgba(255,255,255,0.85)",
            "borderpad": 1,
        }
        for x1, x2, t in zip(points_x[0], points_x[1], texts, strict=True)
    ]
