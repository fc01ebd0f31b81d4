"""What the lecture pages draw through Streamlit: a figure drawn once, and the Backpropagation
page's boxes (one per step of the algorithm) and tables of the engine's numbers.

The pages stay layout scripts: these helpers take everything they show as arguments. A lecture
page's figure is drawn whole on each run (``st.plotly_chart``); only the Playground's charts
are live (``ui.web.live``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from ui.figures.describe import describe
from ui.figures.present import presenter
from ui.figures.style import CONFIG
from ui.lecture import worked
from ui.web import classroom

PLOT_CONFIG = {**CONFIG, "displayModeBar": False}
ROW_NAMES = " "  # the heading of a table's row-name column
NUMBER = "{:.4g}"  # 4 significant digits on screen; the tables hold the engine's full values


def chart(fig: dict, key: str, *, phone: Callable[[dict], dict] | None = None) -> None:
    """A figure of ``ui.figures``, drawn with its own style (no Streamlit theme, no mode bar),
    named for a screen reader, scaled in presenter view. ``phone``: a copy of the figure for a
    narrow screen (e.g. ``in_rows``), drawn too and shown instead on a phone
    (``classroom.CSS``: the containers ``wide-…`` and ``narrow-…``)."""
    present = classroom.presenting()
    twins = [("", fig)] if phone is None else [("wide", fig), ("narrow", phone(fig))]
    for kind, figure in twins:
        with st.container(key=f"{kind}-{key}" if kind else None):
            classroom.chart_name(*describe(figure))
            if present:
                figure = presenter(figure)
                layout = figure["layout"]
                if isinstance(layout.get("height"), int | float):  # room for the larger text
                    layout["height"] = round(layout["height"] * 1.25)
            name = f"phone-{key}" if kind == "narrow" else key  # the wide one keeps its key
            st.plotly_chart(figure, theme=None, config=PLOT_CONFIG, key=name)


def table(df: pd.DataFrame, *, bold: str | None = None, **formats: str) -> None:
    """A table rounded for reading, its row names as a bold first column (large print);
    ``bold`` names a column to stand out, ``formats`` overrides the format of named columns."""
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    shown = df.reset_index(names=ROW_NAMES)
    style = shown.style.format(NUMBER, subset=numeric, na_rep="—")
    for column, fmt in formats.items():
        style = style.format(fmt, subset=[column])
    style = style.set_properties(**{"font-size": "1.05rem"})
    for column in (ROW_NAMES, bold) if bold in shown.columns else (ROW_NAMES,):
        style = style.set_properties(subset=[column], **{"font-weight": "600"})
    st.table(style, hide_index=True, width="content")


def by_layer(layers: Sequence[int], L: int, draw: Callable[[int], None], *, stacked=False) -> None:
    """draw(l) for each layer of a network with L layers: side by side (two at most), else
    one below the other."""
    titles = [f"Layer {l}" + (" (output)" if l == L else " (hidden)") for l in layers]
    side = not stacked and len(layers) <= 2
    places = st.columns(len(layers), gap="medium") if side else [st.container() for _ in layers]
    for place, l, title in zip(places, layers, titles, strict=True):
        with place:
            st.markdown(f"**{title}**")
            draw(l)


def step(title: str, equation: str, text: str, *, wide: bool = False) -> tuple[Any, Any]:
    """A bordered box: the title, the equation with a sentence, and a place for the tables:
    beside the equation, or (``wide``) below it across the whole box. Returns (box, place)."""
    box = st.container(border=True)
    with box:
        st.markdown(f"#### {title}")
        left, right = st.columns([1.5, 2.5], gap="large")
        left.latex(equation)
        (right if wide else left).markdown(text)
    return box, (box if wide else right)


def worked_out(box: Any, lines: list[str], *, single: bool) -> None:
    """One entry of the step with this example's numbers, shown when there is one example."""
    if single:
        with box:
            st.caption("One entry with this example's numbers, rounded to 4 digits:")
            for line in lines:
                st.latex(line)


def derivation(
    box: Any, result: str, steps: str, lines: list[str], text: str, *, single: bool
) -> None:
    """Where an equation comes from: the lecture's chain-rule steps, each with numbers."""
    who = "this example" if single else "the first example (its own cost $C_x$)"
    with box, st.expander(f"Where {result} comes from: the chain rule, steps {steps}"):
        st.markdown(text + f" The numbers are those of one entry, for {who}:")
        for line in lines:
            st.latex(line)


def eq_no(n: int | str) -> str:
    """An equation number beside an equation in a box's narrow left column."""
    return worked.tag(n, r"\quad")
