"""Presenter view of a figure: every text and mark scaled for a projector, in high contrast;
and copies of a figure for a phone's narrow screen.

A lecture hall's back row reads a chart from ten metres away, on a projector that washes colours
out. ``presenter`` returns a copy of a figure dict (``{"data", "layout", ...}`` as the builders of
``ui.figures`` return it) with every font size (titles, ticks, legends, colour bars, annotations
such as the network's layer labels, hover labels), every line width and the margins multiplied
by ``scale``, every marker by √scale (a diagram's node grows no more than the room of its
labels), and its text and axis lines black. The figure's height is the caller's (it chooses
the chart's size on the page); sizes in data coordinates grow with the chart by themselves.
"""

from __future__ import annotations

import copy
from typing import Any

SCALE = 1.45  # measured on a 1920×1080 screen: 14 px ticks become 20 px
HIGH_CONTRAST_INK = "#000000"

# Keys whose number is a length on screen, wherever they appear in a figure.
_FONTISH = ("font", "tickfont", "textfont", "insidetextfont", "outsidetextfont")


def presenter(figure: dict[str, Any], scale: float = SCALE) -> dict[str, Any]:
    """A copy of ``figure`` for a projector: texts, marks and margins × ``scale``, black ink."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    out = {k: v for k, v in figure.items() if k not in ("data", "layout")}
    out["data"] = [_trace(t, scale) for t in figure.get("data", [])]
    out["layout"] = _layout(figure.get("layout", {}), scale)
    return out


def _trace(trace: dict[str, Any], s: float) -> dict[str, Any]:
    t = dict(trace)
    if isinstance(t.get("marker"), dict):
        marker = dict(t["marker"])
        if isinstance(marker.get("size"), int | float):  # a diagram's nodes keep their labels clear
            marker["size"] = round(marker["size"] * s**0.5, 1)
        if isinstance(marker.get("line"), dict):
            marker["line"] = _line(marker["line"], s)
        if isinstance(marker.get("colorbar"), dict):
            marker["colorbar"] = _colorbar(marker["colorbar"], s)
        t["marker"] = marker
    if isinstance(t.get("line"), dict):
        t["line"] = _line(t["line"], s)
    if isinstance(t.get("colorbar"), dict):
        t["colorbar"] = _colorbar(t["colorbar"], s)
    for key in _FONTISH:
        if isinstance(t.get(key), dict):
            t[key] = _font(t[key], s)
    if isinstance(t.get("hoverlabel"), dict):
        t["hoverlabel"] = _fonts_inside(t["hoverlabel"], s)
    return t


def _line(line: dict[str, Any], s: float) -> dict[str, Any]:
    out = dict(line)
    if isinstance(out.get("width"), int | float):
        out["width"] = round(out["width"] * s, 2)
    return out


def _font(font: dict[str, Any], s: float) -> dict[str, Any]:
    out = dict(font)
    if isinstance(out.get("size"), int | float):
        out["size"] = round(out["size"] * s)
    return out


def _fonts_inside(obj: Any, s: float) -> Any:
    """Every font dict below ``obj`` scaled (titles, tick labels, legends, annotations)."""
    if isinstance(obj, list):
        return [_fonts_inside(v, s) for v in obj]
    if not isinstance(obj, dict):
        return obj
    out = {}
    for key, value in obj.items():
        if key in _FONTISH and isinstance(value, dict):
            out[key] = _font(value, s)
        elif isinstance(value, dict | list):
            out[key] = _fonts_inside(value, s)
        else:
            out[key] = value
    return out


def _colorbar(colorbar: dict[str, Any], s: float) -> dict[str, Any]:
    out = _fonts_inside(colorbar, s)
    if "tickfont" not in out:
        out["tickfont"] = {"size": round(14 * s)}
    if isinstance(out.get("thickness"), int | float):
        out["thickness"] = round(out["thickness"] * s)
    else:
        out["thickness"] = round(30 * s * 0.6)
    return out


def _layout(layout: dict[str, Any], s: float) -> dict[str, Any]:
    out = _fonts_inside(copy.deepcopy(layout), s)
    font = dict(out.get("font") or {})
    font.setdefault("size", round(12 * s))  # plotly.js's default, scaled
    font["color"] = HIGH_CONTRAST_INK
    out["font"] = font
    if isinstance(out.get("margin"), dict):
        out["margin"] = {
            k: round(v * s) if isinstance(v, int | float) and k != "pad" else v
            for k, v in out["margin"].items()
        }
    for key, axis in out.items():
        if (key.startswith(("xaxis", "yaxis"))) and isinstance(axis, dict):
            if axis.get("showline") or axis.get("ticks"):
                axis["linecolor"] = HIGH_CONTRAST_INK
                axis["tickcolor"] = HIGH_CONTRAST_INK
                axis["linewidth"] = max(2, axis.get("linewidth", 1))
                axis["ticklen"] = round(axis.get("ticklen", 5) * s)
                axis["tickwidth"] = max(2, axis.get("tickwidth", 1))
    for shape in out.get("shapes") or []:
        if isinstance(shape, dict) and isinstance(shape.get("line"), dict):
            shape["line"] = _line(shape["line"], s)
    for note in out.get("annotations") or []:
        if isinstance(note, dict) and "font" not in note:
            note["font"] = {"size": round(font["size"])}
    return out


def in_rows(figure: dict[str, Any], cols: int, *, gap: float = 0.08) -> dict[str, Any]:
    """A copy of a figure whose panels stand side by side (x axes with their own ``domain``,
    titled by paper-anchored annotations above them), rearranged ``cols`` to a row: for a
    phone, where four panels in a row overlap their titles. The height grows with the rows."""
    layout = copy.deepcopy(figure.get("layout", {}))
    xaxes = sorted(
        (k for k, v in layout.items() if k.startswith("xaxis") and isinstance(v, dict)),
        key=lambda k: int(k[5:] or 1),
    )
    panels = [k for k in xaxes if "domain" in layout[k]]
    if not panels or cols < 1:
        return figure
    rows = -(-len(panels) // cols)
    width = (1 - gap * (cols - 1)) / cols
    y_gap = 0.2 if rows > 1 else 0.0
    row_h = (1 - y_gap * (rows - 1)) / rows
    moved: list[tuple[tuple[float, float], tuple[float, float], float]] = []
    for i, key in enumerate(panels):
        row, col = divmod(i, cols)
        old = tuple(layout[key]["domain"])
        x0 = col * (width + gap)
        new_x = (x0, x0 + width)
        top = 1 - row * (row_h + y_gap)
        layout[key]["domain"] = [_unit(v) for v in new_x]
        anchor = layout[key].get("anchor", "y" + key[5:])
        yaxis = "yaxis" + anchor[1:]
        if isinstance(layout.get(yaxis), dict):
            layout[yaxis]["domain"] = [_unit(top - row_h), _unit(top)]
        moved.append((old, new_x, top))
    for note in layout.get("annotations") or []:
        if note.get("xref") != "paper" or note.get("yref") != "paper" or note.get("y") != 1:
            continue
        for old, new_x, top in moved:
            if old[0] - 1e-9 <= note.get("x", -1) <= old[1] + 1e-9:
                note["x"] = (new_x[0] + new_x[1]) / 2
                note["y"] = _unit(top)
                note["font"] = {**(note.get("font") or {}), "size": 12}  # half a phone each
                break
    height = layout.get("height")
    if isinstance(height, int | float):
        margins = sum((layout.get("margin") or {}).get(k, 0) for k in ("t", "b"))
        layout["height"] = round(margins + (height - margins) * rows / (1 if cols > 1 else 1.3))
    return {**figure, "layout": layout}


def _unit(v: float) -> float:
    """A paper coordinate in [0, 1] (rounding can push a sum of domains a hair outside)."""
    return min(max(round(v, 6), 0.0), 1.0)


def short_labels(figure: dict[str, Any]) -> dict[str, Any]:
    """A copy of a figure whose labels "<b>name</b> · detail" break after the name: for a phone,
    where the layer labels of a diagram would run into each other."""
    layout = copy.deepcopy(figure.get("layout", {}))
    for note in layout.get("annotations") or []:
        if isinstance(note, dict) and isinstance(note.get("text"), str):
            note["text"] = note["text"].replace("</b> · ", "</b><br>")
    return {**figure, "layout": layout}
