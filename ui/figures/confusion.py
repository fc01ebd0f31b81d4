"""The confusion matrix as a small HTML table, redrawn with the live numbers on every frame.

Entry (i, j) counts the examples of true class i that the network gives class j
(``playground.metrics.confusion_matrix``: rows true, columns predicted), so the diagonal holds
the ones it gets right. Each cell is tinted with the colour of its *predicted* class
(``style.CLASS_PALETTE``), as strongly as the share of its row (the share itself shows on
hovering the cell); the class names lead each row and column with the class's marker shape in
words ("●", "■", …), so the table reads without colour. It is HTML rather than a plotly heatmap
because it travels inside the live feed's numbers element: one ``innerHTML`` per frame, no
extra chart for the browser to redraw. Class names may come from an uploaded file: they are
escaped (``ui.user_text.html_literal``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ui.figures.style import class_color, class_shape_html
from ui.user_text import html_literal

CSS = """<style>
.pg-confusion { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
.pg-confusion th, .pg-confusion td { padding: 0.1rem 0.45rem; text-align: center; }
.pg-confusion td { border: 1px solid #d0d0d0; min-width: 2.4rem; line-height: 1.25; }
.pg-confusion td.pg-right { outline: 2px solid #111111; outline-offset: -2px; }
.pg-confusion th { font-weight: 600; white-space: nowrap; max-width: 9rem; overflow: hidden;
  text-overflow: ellipsis; }
.pg-confusion small { color: rgba(49, 51, 63, 0.75); }
.pg-confusion caption { caption-side: top; text-align: left; font-size: 0.875rem;
  color: rgba(49, 51, 63, 0.75); padding-bottom: 0.15rem; }
</style>"""


def class_label(k: int, name: str) -> str:
    """The class's shape and its escaped name, in the class's colour: "● class 0"."""
    return f"{class_shape_html(k)}&nbsp;{html_literal(name, 24)}"


def confusion_html(matrix: np.ndarray, names: Sequence[str], *, title: str) -> str:
    """A K × K table of counts (rows: true class, columns: predicted class) with row shares.

    ``title`` is the app's own text (not escaped); ``names`` one per class, escaped here."""
    m = np.asarray(matrix)
    k = len(names)
    if m.shape != (k, k):
        raise ValueError(f"matrix must be ({k}, {k}) for {k} class names, got {m.shape}")
    rows = m.sum(axis=1)
    head = "".join(f'<th scope="col">{class_label(j, n)}</th>' for j, n in enumerate(names))
    body = []
    for i, name in enumerate(names):
        cells = []
        for j in range(k):
            share = m[i, j] / rows[i] if rows[i] else 0.0
            alpha = round(0.55 * share, 3)
            right = ' class="pg-right"' if i == j else ""
            cells.append(
                f'<td{right} title="{100 * share:.0f} % of this row" '
                f'style="background:{_rgba(class_color(j), alpha)}">{int(m[i, j]):,}</td>'
            )
        body.append(f'<tr><th scope="row">{class_label(i, name)}</th>{"".join(cells)}</tr>')
    return (
        f'{CSS}<table class="pg-confusion" data-testid="pg-confusion">'
        f"<caption>{title}</caption>"
        f"<tr><th><small>true ↓ · given →</small></th>{head}</tr>{''.join(body)}</table>"
    )


def beside(numbers: str, tables: str) -> str:
    """The live numbers with the tables to their right (below them on a narrow screen): the
    tiles wrap into the room the tables leave, so the charts move down less."""
    if not tables:
        return numbers
    return (
        '<div style="display:flex;flex-wrap:wrap;gap:0.4rem 2rem;align-items:flex-start">'
        f'<div style="flex:1 1 22rem;min-width:0">{numbers}</div>'
        f'<div style="display:flex;flex-wrap:wrap;gap:0.4rem 1.2rem">{tables}</div></div>'
    )


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
