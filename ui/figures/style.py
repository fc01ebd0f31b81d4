"""The look every figure shares: the palette, fonts, the base layout, axes, legends, ticks.

The palette lives here and nowhere else: orange is class 0 and negative values, blue is class 1
and positive values (TensorFlow Playground's convention), darker than TensorFlow Playground's so
that they survive a washed-out projector, with a near-white middle. Orange/blue stays
distinguishable for the common colour-vision deficiencies; shapes and dashes carry every
distinction that matters as well (training vs test points, σ vs σ', live vs kept runs). More
than two classes: ``CLASS_PALETTE`` and ``CLASS_SYMBOLS``, one colour and one shape per class.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

# ---------------------------------------------------------------------------------------------
# Palette: the one place colours are chosen

#: Class 0 / negative values (orange) and class 1 / positive values (blue), full strength: data
#: points and positive/negative weights.
NEGATIVE = "#c75000"
POSITIVE = "#0a5ea8"
#: One colour per class, K ≤ 10 (``MAX_CLASSES``), for every chart that draws classes: the
#: plane, its points, the confusion matrix. Classes 0 and 1 are the two-class orange and blue;
#: then Okabe & Ito's colour-blind-safe palette, darkened so that every colour keeps a 4 : 1
#: contrast on white (a projector): bluish green, reddish purple, black, sky blue, ochre, then
#: grey, brown and violet for an uploaded file's classes 7–10. No ten colours stay apart for
#: every colour-vision deficiency (orange, ochre and brown look alike to a deuteranope), so
#: each class also has its own marker shape (``CLASS_SYMBOLS``).
CLASS_PALETTE = (
    NEGATIVE,
    POSITIVE,
    "#007a5a",
    "#a8407f",
    "#222222",
    "#2a86bd",
    "#9a6c00",
    "#737373",
    "#7b3f00",
    "#5e3c99",
)
CLASS_COLORS = CLASS_PALETTE[:2]
#: One plotly marker symbol per class, in the order of ``CLASS_PALETTE``: training points are
#: filled, test points the same shape in white with a thick outline of the class's colour, so
#: shape tells the class and fill tells training from test without colour.
CLASS_SYMBOLS = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "triangle-down",
    "star",
    "pentagon",
    "hexagon",
    "cross",
    "x",
)


#: The shapes of ``CLASS_SYMBOLS`` as characters, for text: tables, pickers, the diagram.
SYMBOL_TEXT = {
    "circle": "●",
    "square": "■",
    "diamond": "◆",
    "triangle-up": "▲",
    "triangle-down": "▼",
    "star": "★",
    "pentagon": "⬟",
    "hexagon": "⬢",
    "cross": "✚",
    "x": "✖",
}


def class_shape(k: int) -> str:
    """The character of class k's marker shape ("●" for class 0)."""
    return SYMBOL_TEXT[CLASS_SYMBOLS[int(k) % len(CLASS_SYMBOLS)]]


def class_shape_html(k: int) -> str:
    """Class k's shape in its colour, as HTML that both a page and plotly's text draw."""
    return f'<span style="color:{class_color(k)}">{class_shape(k)}</span>'


def class_color(k: int) -> str:
    """The colour of class k (0-based; classes beyond the palette repeat it)."""
    return CLASS_PALETTE[int(k) % len(CLASS_PALETTE)]


def class_marker(k: int, which: str = "training", *, size: int = 9) -> dict[str, Any]:
    """The marker of a point of class k: filled (training) or white with the class's outline
    (test). A fresh dict each time (an update may edit a figure in place)."""
    color, symbol = class_color(k), CLASS_SYMBOLS[int(k) % len(CLASS_SYMBOLS)]
    if which == "training":
        return {
            "symbol": symbol,
            "size": size,
            "color": color,
            "line": {"color": "#ffffff", "width": 1.2},
        }
    return {
        "symbol": symbol,
        "size": size,
        "color": "#ffffff",
        "line": {"color": color, "width": 2},
    }


def class_area_color(k: int, confidence: float) -> tuple[int, int, int]:
    """The plane's colour where class k wins with ``confidence`` in [0, 1]: near white when the
    network is unsure, up to AREA_STRENGTH of the class's colour when it is sure (light enough
    that the points stay visible on top)."""
    rgb = np.array([int(class_color(k)[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)
    f = AREA_STRENGTH * min(max(float(confidence), 0.0), 1.0)
    r, g, b = np.rint((1 - f) * np.array(AREA_BASE) + f * rgb).astype(int).tolist()
    return r, g, b


#: The plane's colour at confidence 0 and how much of a class's colour full confidence adds.
AREA_BASE = (244, 244, 242)
AREA_STRENGTH = 0.6

#: The diverging scale for every map of a value over the input plane (a^L, a^l_j): light enough
#: at both ends that the full-strength points stay visible on top of it.
_DIVERGING_STOPS = (
    (0.0, "#e8740c"),
    (0.25, "#f5b06e"),
    (0.5, "#f4f4f2"),
    (0.75, "#7fb3dc"),
    (1.0, "#1f78c1"),
)
DIVERGING: tuple[tuple[float, str], ...] = _DIVERGING_STOPS  # immutable: figures share it
#: The two area colours of a discretised map (the class each side of the threshold).
AREA_COLORS = ("#f2a25a", "#6aa6d6")


def stepped_scale(threshold_fraction: float = 0.5) -> list[list[Any]]:
    """Two flat colours: class 0 below the threshold (a fraction of the range), class 1 above."""
    t = min(max(float(threshold_fraction), 0.0), 1.0)
    return [[0.0, AREA_COLORS[0]], [t, AREA_COLORS[0]], [t, AREA_COLORS[1]], [1.0, AREA_COLORS[1]]]


#: Okabe & Ito's colour-blind-safe categorical palette, reordered for a white background on a
#: projector (blue, vermillion, bluish green, reddish purple, orange, sky blue, black), with
#: the unreadable yellow replaced by grey. Layer lines use it in layer order.
CATEGORICAL = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#7f7f7f",
)
#: After the 8 colours repeat, the dash changes, so 9+ lines stay distinguishable.
CATEGORICAL_DASHES = ("solid", "dash", "dot")


def categorical(i: int) -> tuple[str, str]:
    """(colour, dash) of line i (0-based)."""
    n = len(CATEGORICAL)
    return CATEGORICAL[i % n], CATEGORICAL_DASHES[(i // n) % len(CATEGORICAL_DASHES)]


COST_TRAIN_COLOR = "#1a1a1a"
COST_TEST_COLOR = "#D55E00"
#: Kept (frozen) runs: greys, each with its own dash, drawn thinner and underneath.
KEPT_COLORS = ("#8c8c8c", "#a6a6a6", "#737373", "#bfbfbf")
KEPT_DASHES = ("dash", "dot", "dashdot", "longdash")
#: σ(z) and σ'(z) in the activation figure.
SIGMA_COLOR = "#0072B2"
SIGMA_PRIME_COLOR = "#D55E00"

INK = "#111111"  # text and axis lines
MUTED = "#555555"  # secondary text

# ---------------------------------------------------------------------------------------------
# Shared layout style

FONT_SIZE = 16  # base; nothing is smaller than TICK_FONT_SIZE (projector, back row)
TICK_FONT_SIZE = 14
FONT = {"family": "Arial, Helvetica, sans-serif", "size": FONT_SIZE, "color": INK}

#: plotly.js options for every chart (pass as the figure's ``config`` where the renderer takes one).
CONFIG = {"displaylogo": False, "responsive": True}


def base_layout(*, height: int, title: str | None, uirevision: str) -> dict[str, Any]:
    """The layout every figure starts from: no template, big fonts, tight margins, white paper.

    ``template: {}`` is what plotly.py's ``template="none"`` sends, minus its one empty scatter
    entry; it also stops ``go.Figure``/``st.plotly_chart`` from applying the heavy default.
    """
    if not isinstance(height, int | np.integer) or isinstance(height, bool) or height <= 0:
        raise ValueError(f"height must be a positive int (pixels), got {height!r}")
    layout: dict[str, Any] = {
        "template": {},
        "height": int(height),
        "font": dict(FONT),
        "margin": {"l": 64, "r": 16, "t": 44 if title else 12, "b": 56},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"size": TICK_FONT_SIZE + 1, "family": FONT["family"]}},
        "uirevision": uirevision,
        "showlegend": False,
    }
    if title:
        layout["title"] = {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 18}}
    return layout


def axis(title: str | None = None, **extra: Any) -> dict[str, Any]:
    """A plain axis: dark line and ticks, no grid unless asked, big tick labels."""
    ax: dict[str, Any] = {
        "showgrid": False,
        "zeroline": False,
        "showline": True,
        "linecolor": INK,
        "linewidth": 1,
        "ticks": "outside",
        "tickcolor": INK,
        "tickfont": {"size": TICK_FONT_SIZE},
        "automargin": True,
    }
    if title:
        ax["title"] = {"text": title, "font": {"size": FONT_SIZE}, "standoff": 6}
    ax.update(extra)
    return ax


def panel_domains(n: int, gap: float) -> list[list[float]]:
    """The x domains (paper coordinates) of n panels side by side, ``gap`` apart."""
    width = (1 - gap * (n - 1)) / n
    return [[i * (width + gap), i * (width + gap) + width] for i in range(n)]


def panel_title(text: str, domain: Sequence[float], *, yshift: int = 4) -> dict[str, Any]:
    """An annotation centred above a panel whose x domain (paper coordinates) is ``domain``."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": (domain[0] + domain[1]) / 2,
        "y": 1,
        "yanchor": "bottom",
        "yshift": yshift,
        "showarrow": False,
        "font": {"size": FONT_SIZE, "color": INK},
    }


def legend_top(**extra: Any) -> dict[str, Any]:
    """A horizontal legend above the plotting area, left-aligned."""
    legend = {
        "orientation": "h",
        "x": 0.0,
        "xanchor": "left",
        "y": 1.0,
        "yanchor": "bottom",
        "font": {"size": TICK_FONT_SIZE},
        "bgcolor": "rgba(255,255,255,0)",
    }
    legend.update(extra)
    return legend


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About n round numbers from lo to hi, both ends included if they are round themselves."""
    span = hi - lo
    raw = span / max(n - 1, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    t = first
    while t <= hi + 1e-9 * span:
        ticks.append(round(t, 12) + 0.0)  # + 0.0 turns -0.0 into 0.0
        t += step
    return ticks
