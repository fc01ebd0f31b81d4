"""ui.figures.confusion: the live confusion table, counts and shares, escaped names."""

import re

import numpy as np
import pytest

from ui.figures.confusion import beside, confusion_html
from ui.figures.style import CLASS_PALETTE, CLASS_SYMBOLS, SYMBOL_TEXT

M = np.array([[8, 2, 0], [1, 9, 0], [0, 5, 5]])


def cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", html)


def test_counts_are_laid_out_rows_true_columns_predicted_with_row_shares():
    html = confusion_html(M, ["a", "b", "c"], title="Training points")
    got = [int(c) for c in cells(html)]
    assert got == M.ravel().tolist()
    shares = re.findall(r'<td[^>]*title="(\d+) % of this row"', html)
    assert shares == ["80", "20", "0", "10", "90", "0", "0", "50", "50"]
    # the diagonal (right answers) is outlined: exactly K cells
    assert html.count('class="pg-right"') == 3
    assert "<caption>Training points</caption>" in html


def test_each_class_is_named_by_its_colour_and_shape():
    html = confusion_html(M, ["a", "b", "c"], title="t")
    for k in range(3):
        assert f'color:{CLASS_PALETTE[k]}">{SYMBOL_TEXT[CLASS_SYMBOLS[k]]}</span>' in html
    assert set(SYMBOL_TEXT) == set(CLASS_SYMBOLS)


def test_names_from_a_file_are_escaped():
    html = confusion_html(M, ["<img src=x onerror=alert(1)>", "b&c", '"q"'], title="t")
    assert "<img" not in html and "&lt;img" in html and "b&amp;c" in html
    assert "&quot;q&quot;" in html


def test_an_empty_row_shows_zero_shares_and_a_bad_shape_is_refused():
    html = confusion_html(np.zeros((2, 2), dtype=int), ["a", "b"], title="t")
    assert cells(html) == ["0"] * 4 and html.count('title="0 % of this row"') == 4
    with pytest.raises(ValueError, match=r"\(3, 3\) for 3 class names"):
        confusion_html(np.zeros((2, 2)), ["a", "b", "c"], title="t")


def test_the_tables_sit_beside_the_numbers_and_nothing_changes_without_them():
    assert beside("<n>", "") == "<n>"
    html = beside("<n>", "<t>")
    assert html.index("<n>") < html.index("<t>") and "flex-wrap:wrap" in html
