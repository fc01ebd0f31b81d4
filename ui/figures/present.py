"""Presenter view of a figure: every text and mark scaled for a projector, in high contrast.

A lecture hall's back row reads a chart from ten metres away, on a projector that washes colours
out. ``presenter`` returns a copy of a figure dict (``{"data", "layout", ...}`` as the builders of
``ui.figures`` return it) with every font size (titles, ticks, legends, colour bars, annotations
such as the network's layer labels, hover labels), every marker size and line width, and the
margins multiplied by ``scale``, and its text and axis lines black. The figure's height is the
caller's (it chooses the chart's size on the page); sizes in data coordinates (the network's
neuron pictures) grow with the chart by themselves.
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
        if isinstance(marker.get("size"), int | float):
            marker["size"] = round(marker["size"] * s, 1)
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
