"""Figures of the XOR network (lecture Example 1, Fig. 5): its diagram, its output over the plane,
and what each hidden neuron computes. Every number drawn comes from the engine (the caller passes
``ui.lecture.xor.planes`` and the table); these functions only lay it out.

- ``xor_diagram``: Fig. 5 with every w^l_jk written on its link (``ui.figures.diagram``).
- ``xor_output_figure``: a³₁ over the plane with the four points, and the two lines z²₁ = 0 and
  z²₂ = 0 where the hidden neurons switch on: the band between them is where XOR is 1.
- ``unit_maps_figure``: three small maps side by side, a²₁, a²₂ and a³₁, with the value at each
  of the four inputs written next to it (the lecture's table, placed on the plane).
- ``runs_cost_figure``: the cost curve of the latest run over those of earlier runs, with the
  legend under the plot so that long run names do not squeeze it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from playground import Network
from ui.figures.boundary import Extent, cell_axes
from ui.figures.curves import cost_figure
from ui.figures.diagram import weight_diagram
from ui.figures.encode import typed
from ui.figures.neuron import XOR_CLASS_NAMES, point_notes, xor_plane_figure, zero_line
from ui.figures.style import (
    DIVERGING,
    TICK_FONT_SIZE,
    axis,
    base_layout,
    class_marker,
    panel_domains,
    panel_title,
)
from ui.notation import activation_name, number, sub, symbol

#: The two hidden neurons' lines: one dash each, so they differ without colour.
UNIT_DASHES = ("dash", "dot")


def xor_diagram(
    net: Network,
    *,
    values: Mapping[int, Sequence[float]] | None = None,
    height: int = 400,
    title: str | None = None,
) -> dict[str, Any]:
    """Fig. 5: inputs x₁, x₂ and the constant 1, the hidden neurons a²₁, a²₂ and the output a³₁,
    every weight on its link and every bias under its neuron.

    values: optionally a^l for one input, {1: (x₁, x₂, 1), 2: (a²₁, a²₂), 3: (a³₁,)}, written
    under the neurons.
    """
    if tuple(net.sizes) != (3, 2, 1):
        raise ValueError(f"the XOR diagram needs a 3-2-1 network, got sizes {net.sizes}")
    layers = [["x₁", "x₂", "1"], ["a²₁", "a²₂"], ["a³₁"]]
    notes: dict[tuple[int, int], str] = {}
    for l in (2, 3):
        for j in range(net.sizes[l - 1]):
            notes[(l, j)] = f"{symbol('b', l, j + 1)} = {number(net.b[l][j, 0])}"
    if values is not None:
        for l, vals in values.items():
            for j, v in enumerate(vals):
                if l == 1 and j == 2:
                    continue  # the constant 1 needs no "= 1"
                name = layers[l - 1][j]
                text = f"<b>{name} = {number(v)}</b>"
                notes[(l, j)] = f"{notes[(l, j)]}<br>{text}" if (l, j) in notes else text
    acts = [activation_name(a) for a in net.activations]
    return weight_diagram(
        layers=layers,
        w={l: net.w[l] for l in (2, 3)},
        notes=notes,
        layer_titles=[
            "<b>layer 1</b> · input",
            f"<b>layer 2</b> · hidden, {acts[0]}",
            f"<b>layer 3</b> · output, {acts[1]}",
        ],
        height=height,
        title=title,
    )


def xor_output_figure(
    *,
    a_out: np.ndarray,
    z_hidden: np.ndarray,
    extent: Extent,
    value_range: tuple[float, float],
    points_x: np.ndarray,
    points_class: np.ndarray,
    point_values: Sequence[float] | None = None,
    height: int = 460,
    title: str | None = None,
) -> dict[str, Any]:
    """a³₁ over the plane (a_out (ny, nx)), the four points, and for each hidden neuron j the line
    z²_j = 0 (z_hidden (2, ny, nx)) where a²_j = max(0, z²_j) starts to grow."""
    fig = xor_plane_figure(
        a_out,
        name="output a³₁",
        symbol="a³₁",
        extent=extent,
        value_range=value_range,
        points_x=points_x,
        points_class=points_class,
        height=height,
        title=title,
    )
    for j, z in enumerate(np.asarray(z_hidden)):
        fig["data"].append(
            zero_line(
                z,
                extent,
                name=f"line z²{sub(j + 1)} = 0",
                dash=UNIT_DASHES[j],
                width=3.5 if UNIT_DASHES[j] == "dot" else 3.0,
            )
        )
    if point_values is not None:
        notes = point_notes(points_x, [number(v) for v in point_values])
        fig["layout"]["annotations"] = [*fig["layout"].get("annotations", []), *notes]
    return fig


def unit_maps_figure(
    *,
    maps: Sequence[np.ndarray],
    zero_lines: Sequence[np.ndarray | None],
    titles: Sequence[str],
    extent: Extent,
    points_x: np.ndarray,
    points_class: np.ndarray,
    point_values: Sequence[Sequence[float]],
    height: int = 330,
) -> dict[str, Any]:
    """Small maps side by side: maps[i] (ny, nx) over the plane, white at 0 and bluer (orange for
    negative) the larger |value|, its line zero_lines[i] = 0 if given, and the four points with
    point_values[i] written next to them."""
    n = len(maps)
    if not n or not (len(zero_lines) == len(titles) == len(point_values) == n):
        raise ValueError("maps, zero_lines, titles and point_values need one entry per panel")
    x_min, x_max, y_min, y_max = (float(v) for v in extent)
    data: list[dict[str, Any]] = []
    layout = base_layout(height=height, title=None, uirevision="unit-maps")
    layout["margin"].update({"t": 56, "l": 40, "r": 8, "b": 44})
    annotations = []
    for i, (m, zl, title, vals) in enumerate(
        zip(maps, zero_lines, titles, point_values, strict=True)
    ):
        m = np.asarray(m, dtype=np.float64)
        top = float(np.nanmax(np.abs(m))) if m.size else 1.0
        top = top if np.isfinite(top) and top > 0 else 1.0
        suffix = "" if i == 0 else str(i + 1)
        xa, ya = f"x{suffix}", f"y{suffix}"
        data.append(
            {
                "type": "heatmap",
                "name": title,
                "z": typed(m, "f4"),
                **cell_axes(extent, m.shape),
                "zmin": -top,
                "zmax": top,
                "colorscale": DIVERGING,
                "showscale": False,
                "xaxis": xa,
                "yaxis": ya,
                "hovertemplate": (
                    "x₁ = %{x:.2f}<br>x₂ = %{y:.2f}<br>value = %{z:.3f}<extra></extra>"
                ),
            }
        )
        if zl is not None:
            data.append(
                zero_line(
                    zl,
                    extent,
                    name="z = 0",
                    xaxis=xa,
                    yaxis=ya,
                    showlegend=False,
                    width=2,
                    dash="dash",
                )
            )
        pts = np.asarray(points_x, dtype=np.float64)
        for c in (0, 1):
            mask = np.asarray(points_class) == c
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": XOR_CLASS_NAMES[c],
                    "x": pts[0, mask].tolist(),
                    "y": pts[1, mask].tolist(),
                    "marker": class_marker(c, size=11),
                    "showlegend": False,
                    "hoverinfo": "skip",
                    "xaxis": xa,
                    "yaxis": ya,
                }
            )
        annotations += point_notes(pts, [number(v) for v in vals], xref=xa, yref=ya)
        domain = panel_domains(n, 0.06)[i]
        layout[f"xaxis{suffix}"] = axis(
            "x₁",
            domain=domain,
            anchor=ya,
            range=[x_min, x_max],
            constrain="domain",
            mirror=True,
            dtick=0.5,
        )
        layout[f"yaxis{suffix}"] = axis(
            "x₂" if i == 0 else None,
            anchor=xa,
            range=[y_min, y_max],
            scaleanchor=xa,
            constrain="domain",
            mirror=True,
            dtick=0.5,
        )
        annotations.append(panel_title(title, domain, yshift=8))
    layout["annotations"] = annotations
    layout["hovermode"] = "closest"
    layout["font"]["size"] = TICK_FONT_SIZE
    return {"data": data, "layout": layout}


def runs_cost_figure(runs: Sequence[Mapping[str, Any]], *, height: int = 340) -> dict[str, Any]:
    """C after each step for several runs, oldest first, each ``{"label", "steps",
    "cost_train"}``: the last is drawn as the live curve, the others as kept runs."""
    if not runs:
        raise ValueError("runs must hold at least one run")
    *kept, last = runs
    fig = cost_figure(
        steps=last["steps"], cost_train=last["cost_train"], kept_runs=kept, height=height
    )
    fig["data"][0]["name"] = f"latest: {last['label']}"
    n = sum(bool(t.get("showlegend", True)) for t in fig["data"])
    fig["layout"]["legend"] = {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": -0.22,
        "yanchor": "top",
        "font": {"size": TICK_FONT_SIZE},
    }
    fig["layout"]["margin"]["b"] = 70 + 24 * n
    fig["layout"]["height"] = height + 24 * n
    return fig
