"""A short text for a screen reader from a figure dict: its name and what it draws.

Built from what the figure already says (its title, its panel titles, its axes' titles, its
traces' names), with the HTML tags plotly reads (<b>, <sup>, <br>) turned into plain text.
"""

from __future__ import annotations

import re
from typing import Any

_TAG = re.compile(r"<[^>]+>")


def plain(text: Any) -> str:
    """Plotly's label markup as plain text: <sup>L</sup> → ^L, <sub>1</sub> → _1, tags dropped."""
    s = str(text or "")
    s = re.sub(r"<sup>(.*?)</sup>", r"^\1", s)
    s = re.sub(r"<sub>(.*?)</sub>", r"_\1", s)
    s = s.replace("<br>", " ")
    return " ".join(_TAG.sub("", s).split())


def _title(obj: Any) -> str:
    if isinstance(obj, dict):
        return plain(obj.get("text", ""))
    return plain(obj) if isinstance(obj, str) else ""


def describe(figure: dict[str, Any], fallback: str = "Chart") -> tuple[str, str]:
    """(name, description) of a figure for ``role="img"``: the name from its title (or its
    panels' titles), the description from its axes and its named traces."""
    layout = figure.get("layout") or {}
    panels = [
        plain(a.get("text"))
        for a in layout.get("annotations") or []
        if isinstance(a, dict) and a.get("xref") == "paper" and a.get("yref") == "paper"
    ]
    name = _title(layout.get("title")) or "; ".join(p for p in panels if p) or fallback
    axes = []
    for key in sorted(k for k in layout if re.fullmatch(r"[xy]axis\d*", k)):
        axis = layout[key]
        title = _title(axis.get("title")) if isinstance(axis, dict) else ""
        if title and title not in axes:
            axes.append(title)
    traces = []
    for trace in figure.get("data") or []:
        label = plain(trace.get("name", "")) if isinstance(trace, dict) else ""
        if label and label not in traces:
            traces.append(label)
    parts = [f"{name}."]
    if axes:
        parts.append("Axes: " + ", ".join(axes) + ".")
    if traces:
        parts.append("Shows: " + ", ".join(traces[:8]) + ("…" if len(traces) > 8 else "") + ".")
    return name, " ".join(parts)
