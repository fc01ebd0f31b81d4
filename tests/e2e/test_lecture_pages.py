"""The lecture pages in a real browser: "One neuron" (§I.A) and "The XOR network" (Fig. 5).

Each test opens its page, uses the main control the way a student would (a slider, a cell of
the weight editor, a training button) and saves screenshots of the whole page under
tests/e2e/screenshots/ (the viewport is made as tall as the page first: Streamlit scrolls an
inner element, so a plain full-page screenshot would stop at the first screen).
"""

from __future__ import annotations

import time

import pytest

from benchmarks.browser_frames import wait_ready

pytestmark = pytest.mark.browser

CHART = "[data-testid='stPlotlyChart'] .main-svg"
WIDTH = 1400


def open_page(page, open_app, path: str, charts: int) -> None:
    open_app(page, f"/{path}")
    dismiss_page_not_found(page)
    wait_charts(page, charts)


def dismiss_page_not_found(page) -> None:
    """Streamlit shows a "Page not found" dialog over the right page when the very first session
    of a server opens a page other than the default (streamlit issue 9992); close it."""
    notice = page.get_by_text("Page not found")
    if notice.count():
        page.keyboard.press("Escape")
        notice.wait_for(state="detached", timeout=10_000)


def wait_charts(page, n: int) -> None:
    page.wait_for_function(f'document.querySelectorAll("{CHART}").length >= {n}', timeout=30_000)


def tex(page) -> str:
    """The TeX source of every formula on the page (KaTeX keeps it in an annotation)."""
    return "\n".join(page.locator(".katex annotation").all_text_contents())


def whole_page(page, screenshot, name: str) -> None:
    height = page.evaluate(
        "() => { const m = document.querySelector(\"[data-testid='stMain']\") "
        "|| document.querySelector('section.main'); "
        "return Math.ceil(m ? m.scrollHeight : document.body.scrollHeight) }"
    )
    page.set_viewport_size({"width": WIDTH, "height": max(900, min(int(height), 9000))})
    page.wait_for_timeout(600)  # plotly redraws for the new size
    screenshot(page, name)
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.wait_for_timeout(600)


def wait_text(page, text: str) -> None:
    """Wait until ``text`` is on the page and the script run that wrote it has finished."""
    page.get_by_text(text, exact=False).first.wait_for(timeout=30_000)
    wait_ready(page)


def test_one_neuron_slider_and_training(page, open_app, screenshot, errors):
    open_page(page, open_app, "neuron", charts=2)
    assert page.locator("[data-testid='stException']").count() == 0
    # eq. (1) at the start: w = (4, 4), b = −2, x = (1, 0) → z = 2, y = 0.881
    assert r"4\cdot1 + 4\cdot0 - 2 = \mathbf{2}" in tex(page)
    whole_page(page, screenshot, "neuron_initial")

    # w₁ from 4 to 3 with the keyboard, as a student would nudge it
    slider = page.get_by_role("slider").first
    slider.focus()
    for _ in range(10):
        slider.press("ArrowLeft")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.katex annotation')]"
        ".some(a => a.textContent.includes('3\\\\cdot1 + 4\\\\cdot0 - 2 = \\\\mathbf{1}'))",
        timeout=30_000,
    )
    assert r"\mathbf{0.731}" in tex(page)  # σ(1)

    page.get_by_role("button", name="Train 500 steps").click()
    wait_text(page, "After 500 steps")
    wait_charts(page, 4)
    right = page.locator("[data-testid='stMetric']", has_text="Points on the correct side")
    assert right.locator("[data-testid='stMetricValue']").inner_text() != "4 of 4"
    assert page.locator("[data-testid='stException']").count() == 0
    whole_page(page, screenshot, "neuron_trained")
    assert errors == []


def type_weight(page, label: str, value: str, expect: str) -> None:
    """Type ``value`` into the weight input labelled ``label`` and press Enter, as a student
    does; then wait for ``expect`` to appear on the page."""
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    page.get_by_text(expect).first.wait_for(timeout=30_000)


def lecture_table(page) -> list[list[str]]:
    rows = page.locator("[data-testid='stTable']").first.locator("tbody tr")
    return [r.locator("td").all_inner_texts() for r in rows.all()]


def expect_row(page, row: int, expected: list[str], timeout_s: float = 30) -> None:
    """Row ``row`` of the lecture's table reads ``expected`` within timeout_s: under load the
    message above the table can show before the rerun has redrawn the table."""
    deadline = time.monotonic() + timeout_s
    while (got := lecture_table(page)[row]) != expected and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert got == expected


def test_xor_table_edit_and_training(page, open_app, screenshot, errors):
    open_page(page, open_app, "xor", charts=3)
    assert page.locator("[data-testid='stException']").count() == 0
    # x₁, x₂, a²₁, a²₂, a³₁ and the target, as in the lecture
    assert lecture_table(page) == [
        ["0", "0", "0", "0", "0", "0"],
        ["0", "1", "1", "0", "1", "1"],
        ["1", "0", "1", "0", "1", "1"],
        ["1", "1", "2", "1", "0", "0"],
    ]
    whole_page(page, screenshot, "xor_initial")

    # w³₁₂ = −1 (the output neuron's input from a²₂), then the table must show the engine's
    # new a³₁ at (1, 1)
    type_weight(page, "w³ⱼ₂ from a²₂", "-1", expect="no longer XOR")
    expect_row(page, 3, ["1", "1", "2", "1", "1", "0"])  # max(0, 2 − 1) = 1
    whole_page(page, screenshot, "xor_edited")

    page.get_by_role("button", name="Restore the lecture's weights").click()
    wait_text(page, "The lecture's weights")
    expect_row(page, 3, ["1", "1", "2", "1", "0", "0"])

    page.get_by_role("button", name="Train from random initialisation").click()
    wait_text(page, "Latest run")
    wait_charts(page, 5)
    assert page.locator("[data-testid='stException']").count() == 0
    whole_page(page, screenshot, "xor_trained")
    assert errors == []


def test_xor_identical_starts_show_the_symmetry(page, open_app, screenshot):
    open_page(page, open_app, "xor", charts=3)
    page.get_by_role("button", name="Train from zero initialisation").click()
    wait_text(page, "still identical")
    first, second = hidden_rows(page)
    assert first == second and set(first) == {"0"}  # nothing moved
    whole_page(page, screenshot, "xor_zero_init")

    page.get_by_role("button", name="Train from equal weights (0.5)").click()
    wait_text(page, "they moved, but together")
    first, second = hidden_rows(page)
    assert first == second and set(first) != {"0.5"}  # moved, in step
    whole_page(page, screenshot, "xor_equal_init")


def hidden_rows(page) -> list[list[str]]:
    """The two rows of the "hidden neurons side by side" table (the last table)."""
    rows = page.locator("[data-testid='stTable']").last.locator("tbody tr")
    return [r.locator("td").all_inner_texts() for r in rows.all()]
