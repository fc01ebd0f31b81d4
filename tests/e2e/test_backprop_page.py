"""The backpropagation page in a real browser: it opens, "Apply this step" adds a cost point."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CHART = "[data-testid='stPlotlyChart'] .js-plotly-plot"
TALL = {"width": 1400, "height": 4200}  # the whole page in one screenshot (it scrolls inside)


def cost_points(page) -> int:
    """How many points the cost chart draws (trace 0 as plotly.js decoded it), or -1."""
    return page.evaluate(
        f'() => {{ const gd = document.querySelector("{CHART}"); '
        "return gd && gd._fullData ? gd._fullData[0]._length : -1 }"
    )


def wait_points(page, n: int) -> None:
    page.wait_for_function(
        f'() => {{ const gd = document.querySelector("{CHART}"); '
        f"return !!(gd && gd._fullData && gd._fullData[0]._length === {n}) }}",
        timeout=30_000,
    )


def deep_link_errors(page) -> list[str]:
    """Console and page errors, minus what any deep link to a Streamlit page logs: its frontend
    probes <base>/backprop/_stcore/health and /host-config first (404) while finding the
    server's base path, and a fresh server's first session logs "Page not found" (see below)."""
    errors: list[str] = []

    def on_console(msg) -> None:
        where = (msg.location or {}).get("url", "")
        if msg.type != "error" or "/backprop/_stcore/" in where:
            return
        if "ERR_NAME_NOT_RESOLVED" in msg.text or "does not seem to exist" in msg.text:
            return
        errors.append(f"{msg.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    return errors


def dismiss_first_load_notice(page) -> None:
    """On a freshly started server the first deep link gets Streamlit's "Page not found"
    dialog although the right page runs (the pages are known only after app.py's first run)."""
    dialog = page.locator("[role='dialog']", has_text="Page not found")
    if dialog.count():
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")


def test_page_opens_and_a_step_adds_a_cost_point(page, open_app, screenshot):
    errors = deep_link_errors(page)
    open_app(page, "/backprop")  # open_app appends to the base URL: a path needs its "/"
    dismiss_first_load_notice(page)
    page.get_by_role("heading", name="Backpropagation, step by step").wait_for()
    wait_points(page, 1)
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "backprop_initial")  # what a student sees first, at 1400 × 900
    page.get_by_role("button", name="Apply this step").click()
    wait_points(page, 2)
    assert cost_points(page) == 2
    steps = page.locator("[data-testid='stMetric']", has_text="Steps applied")
    assert steps.locator("[data-testid='stMetricValue']").inner_text() == "1"
    assert page.locator("[data-testid='stException']").count() == 0
    page.mouse.move(0, 0)  # no tooltip in the picture
    page.set_viewport_size(TALL)
    page.wait_for_timeout(500)  # let the layout settle at the new size before the picture
    screenshot(page, "backprop_after_1_step")
    assert errors == []
