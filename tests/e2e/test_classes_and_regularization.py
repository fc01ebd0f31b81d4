"""Issue 14 in a real browser: three spiral arms (Play, the class picture and the confusion
matrix update live) and regularisation (its penalty, C and (24) on screen, ‖w^l‖ chart)."""

from __future__ import annotations

import pytest

from benchmarks.browser_frames import wait_charts_idle, wait_paused

pytestmark = pytest.mark.browser

CHART = "[data-testid='stApp'] .js-plotly-plot"


def wait_charts(page, n: int = 4) -> None:
    page.wait_for_function(
        f'document.querySelectorAll("{CHART} .main-svg").length >= {n}', timeout=30_000
    )


def confusion(page) -> list[list[int]]:
    """The counts of the training points' confusion matrix as the page shows them."""
    return page.evaluate(
        """() => [...document.querySelector("[data-testid='pg-confusion']")
            .querySelectorAll("tr")].slice(1).map(r => [...r.querySelectorAll("td")]
            .map(td => Number(td.textContent.replace(/,/g, ""))))"""
    )


def image_source(page) -> str:
    return page.evaluate(
        "() => document.querySelector(\"[data-live-chart-key='boundary']\").layout.images[0].source"
    )


def test_three_spiral_arms_play_and_the_confusion_matrix_follows(
    page, open_app, screenshot, console_errors
):
    open_app(page, "?dataset=spiral&classes=3&hidden=8,8&speed=10")
    wait_charts(page)
    assert page.locator("[data-testid='stException']").count() == 0
    before, picture = confusion(page), image_source(page)
    assert len(before) == 3 and all(len(r) == 3 for r in before)
    total = sum(map(sum, before))
    legend = page.locator("[data-live-chart-key='boundary'] .legendtext").all_text_contents()
    assert legend[:3] == ["class 0", "class 1", "class 2"]
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(
        "(before) => { const t = document.querySelector(\"[data-testid='pg-confusion']\");"
        " return t && t.innerText !== before; }",
        arg=page.locator("[data-testid='pg-confusion']").inner_text(),
        timeout=30_000,
    )
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Pause", exact=True).click()
    wait_paused(page)  # the Play button comes first, Play's last frames may still be shown
    after = confusion(page)
    assert after != before and sum(map(sum, after)) == total
    assert image_source(page) != picture  # the class picture moved with the weights
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "classes_spiral_3")
    assert console_errors == []


def test_regularisation_on_screen_and_the_weights_chart(page, open_app, screenshot, console_errors):
    open_app(page, "?dataset=xor&noise=20&hidden=8&reg=l2&regrate=0.01&dview=weights")
    wait_charts(page)
    assert page.locator(".katex", has_text="C=C0+R").count() >= 1
    assert page.locator("[data-testid='pg-metric']", has_text="Penalty R").count() == 1
    legend = page.locator("[data-live-chart-key='delta'] .legendtext").all_text_contents()
    assert legend[:2] == ["‖w²‖ (layer 2)", "‖w³‖ (layer 3, output)"]
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
        ".some(m => m.innerText.startsWith('Step') && m.innerText.includes('1'))",
        timeout=30_000,
    )
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "regularization_l2")
    assert console_errors == []


def test_a_point_of_the_third_class_is_drawn_with_the_class_picker(page, open_app, wait_ready):
    open_app(page, "?dataset=gauss&classes=3")
    wait_charts(page)
    counts = (
        "() => [1, 2, 3].map(i => document.querySelector("
        "\"[data-live-chart-key='boundary']\")._fullData[i].x.length)"
    )
    before = page.evaluate(counts)
    page.get_by_text("add points", exact=True).click()
    wait_ready(page)
    picker = page.get_by_label("of class")  # the class picker, beside the modes below the map
    picker.scroll_into_view_if_needed()
    picker.click()
    page.get_by_role("option", name="◆ class 2").click()
    wait_ready(page)
    page.locator("[data-live-chart-key='boundary'][data-clicks='1']").wait_for(timeout=30_000)
    wait_charts_idle(page)  # the run's new figure is drawn: no redraw under the click
    plot = page.locator("[data-live-chart-key='boundary'] .nsewdrag").first
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    page.mouse.click(box["x"] + 0.5 * box["width"], box["y"] + 0.5 * box["height"])
    page.wait_for_function(
        f"(before) => ({counts})()[2] === before[2] + 1", arg=before, timeout=30_000
    )
    assert page.evaluate(counts)[:2] == before[:2]
    assert page.locator("[data-testid='stException']").count() == 0
