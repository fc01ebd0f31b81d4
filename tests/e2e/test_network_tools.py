"""The network diagram's tools in a real browser: the gradients view, hovering a neuron,
clicking a link to set its weight, and the slow-motion Step (ui/web/network_tools.py,
static/live_chart.js)."""

from __future__ import annotations

import pytest

from benchmarks.browser_frames import wait_charts_idle, wait_paused, wait_ready
from tests.e2e.test_playground_page import metric, step_count, wait_charts
from ui.figures.gradients import gradient_trace_index
from ui.figures.network import network_trace_index

pytestmark = pytest.mark.browser

SIZES = [2, 4, 2, 1]  # the default network
NET = "[data-live-chart-key='network']"


def wait_step(page, n: int) -> None:
    page.wait_for_function(
        "([n]) => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
        ".some(m => new RegExp('^Step\\\\s+' + n + '$').test(m.innerText.trim()))",
        arg=[n],
        timeout=30_000,
    )


def screen_position(page, trace_name: str, point: int) -> tuple[float, float]:
    """Where point ``point`` of the diagram's trace ``trace_name`` is on the screen."""
    x, y = page.evaluate(
        """([name, i]) => {
            const d = document.querySelector("[data-live-chart-key='network']");
            const xa = d._fullLayout.xaxis, ya = d._fullLayout.yaxis;
            const box = d.getBoundingClientRect();
            const t = d._fullData.find(t => t.name === name);
            return [box.left + xa._offset + xa.d2p(t.x[i]), box.top + ya._offset + ya.d2p(t.y[i])];
        }""",
        [trace_name, point],
    )
    return x, y


def test_the_gradients_view_draws_rings_links_and_a_scale(page, open_app, screenshot):
    open_app(page, "?nview=gradients")
    wait_charts(page)
    index = gradient_trace_index(SIZES)
    drawn = page.evaluate(
        """([rings, bar]) => {
            const d = document.querySelector("[data-live-chart-key='network']");
            const finite = (i) => d._fullData[i].x.filter(Number.isFinite).length;
            const n = rings.reduce((s, i) => s + finite(i), 0);
            const texts = d._fullLayout.annotations.map(a => a.text);
            return {ringPoints: n, bar: d._fullData[bar].marker.showscale,
                    cmax: d._fullData[bar].marker.cmax,
                    labels: texts.filter(t => t.includes('δ'))};
        }""",
        [list(index["rings"]), index["colorbar"]],
    )
    assert drawn["ringPoints"] == 5 * (4 + 2 + 1)  # a closed square per neuron of layers 2 … 4
    assert drawn["bar"] is True and drawn["cmax"] > 0
    assert len(drawn["labels"]) == 3
    before = drawn["labels"]
    page.get_by_role("button", name="Step", exact=True).click()
    wait_step(page, 1)
    page.wait_for_function(
        """(before) => {
            const d = document.querySelector("[data-live-chart-key='network']");
            const now = d._fullLayout.annotations.map(a => a.text).filter(t => t.includes('δ'));
            return JSON.stringify(now) !== JSON.stringify(before);
        }""",
        arg=before,
        timeout=30_000,
    )
    for width, height in ((1366, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.locator(NET).scroll_into_view_if_needed()
        page.wait_for_timeout(400)
        screenshot(page, f"playground_gradients_{width}")


def test_hovering_a_neuron_shows_its_picture_on_the_plane(page, open_app, screenshot):
    open_app(page)
    wait_charts(page)
    page.locator(NET).scroll_into_view_if_needed()
    page.mouse.move(*screen_position(page, "neurons", 0))
    page.wait_for_function(
        "() => document.querySelector(\"[data-live-chart-key='boundary']\").dataset.picture"
        " === 'a²₁: neuron 1 of layer 2'",
        timeout=10_000,
    )
    same = page.evaluate(
        """() => {
            const plane = document.querySelector("[data-live-chart-key='boundary']");
            const net = document.querySelector("[data-live-chart-key='network']");
            return plane.layout.images[0].source === net.layout.images[2].source;
        }"""
    )
    assert same  # images: x₁, x₂, then layer 2's first neuron
    screenshot(page, "playground_hover_neuron")
    page.mouse.move(5, 5)
    page.wait_for_function(
        "() => document.querySelector(\"[data-live-chart-key='boundary']\").dataset.picture === ''",
        timeout=10_000,
    )
    restored = page.evaluate(
        """() => {
            const plane = document.querySelector("[data-live-chart-key='boundary']");
            const net = document.querySelector("[data-live-chart-key='network']");
            return plane.layout.images[0].source !== net.layout.images[2].source;
        }"""
    )
    assert restored


def test_clicking_a_link_sets_its_weight_and_every_number_follows(page, open_app, screenshot):
    open_app(page)
    wait_charts(page)
    cost = metric(page, "C (training)")
    page.locator(NET).scroll_into_view_if_needed()
    x, y = screen_position(page, "weights", 0)  # w²₁₁
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    dialog = page.locator("[role='dialog']")
    dialog.wait_for(timeout=30_000)
    assert "w²₁₁" in dialog.inner_text()
    field = dialog.locator("input")
    field.fill("-3.5")
    field.press("Enter")
    page.wait_for_timeout(300)
    screenshot(page, "playground_edit_dialog")
    dialog.get_by_role("button", name="Set", exact=True).click()
    dialog.wait_for(state="detached", timeout=30_000)
    page.wait_for_function(
        "([c]) => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
        ".some(m => m.innerText.startsWith('C (training)') && !m.innerText.includes(c))",
        arg=[cost],
        timeout=30_000,
    )
    link_hover = network_trace_index(SIZES)["link_hover"]
    page.wait_for_function(
        """([trace]) => {
            const div = document.querySelector("[data-live-chart-key='network']");
            Plotly.Fx.hover(div, [{curveNumber: trace, pointNumber: 0}]);
            return div.querySelector('.hoverlayer').textContent.includes('−3.5')
                || div.querySelector('.hoverlayer').textContent.includes('-3.5');
        }""",
        arg=[link_hover],
        timeout=30_000,
    )
    assert page.get_by_text("Your edits: w²₁₁ = -3.5.", exact=False).count() == 1
    assert step_count(page) == 0


def test_a_slow_motion_step_plays_its_phases_and_can_be_skipped(page, open_app, screenshot):
    open_app(page)
    wait_charts(page)
    page.get_by_text("Slow motion", exact=True).click()
    page.locator("[data-testid='stCheckbox'] input:checked").first.wait_for(timeout=30_000)
    wait_ready(page)
    # Play the whole slow motion: the phases come in order, then the real state
    page.evaluate(
        """() => {
            window.__phases = [];
            new MutationObserver(() => {
                const p = document.querySelector("[data-testid='pg-phase'] .pg-phase-count");
                if (p && window.__phases.at(-1) !== p.textContent) {
                    window.__phases.push(p.textContent);
                }
            }).observe(document.body, {subtree: true, childList: true});
        }"""
    )
    page.get_by_role("button", name="Step", exact=True).click()
    page.locator("[data-testid='pg-phase']").wait_for(timeout=30_000)
    screenshot(page, "playground_slow_motion")
    wait_step(page, 1)
    page.locator("[data-testid='pg-phase']").wait_for(state="detached", timeout=10_000)
    wait_charts_idle(page)  # the last frame's relayout (the band hidden) is drawn by then
    seen = page.evaluate("() => window.__phases")
    assert seen == [f"slow motion {n}/8" for n in range(1, 9)]
    assert page.evaluate(
        "() => document.querySelector(\"[data-live-chart-key='network']\")"
        "._fullLayout.shapes.at(-1).visible === false"
    )
    # Skip, and any other button, show the real state at once. The phases last well under a
    # second, so the click is made by the page itself the moment the first phase is shown.
    for button, step in (("[data-pg-skip]", 2), ("reset", 0)):
        page.evaluate(
            """(button) => {
                window.__skippedAt = null;
                const observer = new MutationObserver(() => {
                    const phase = document.querySelector("[data-testid='pg-phase']");
                    if (!phase || window.__skippedAt !== null) return;
                    window.__skippedAt = phase.querySelector('.pg-phase-count').textContent;
                    const target = button.startsWith('[') ? phase.querySelector(button)
                        : [...document.querySelectorAll('button')]
                            .find(b => b.innerText.trim().toLowerCase() === button);
                    target.dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}));
                    target.click();
                    observer.disconnect();
                });
                observer.observe(document.body, {subtree: true, childList: true});
            }""",
            button,
        )
        page.get_by_role("button", name="Step", exact=True).click()
        wait_step(page, step)
        wait_ready(page)  # the Reset's own run has come back
        wait_charts_idle(page)
        assert step_count(page) == step
        assert page.evaluate("() => window.__skippedAt") == "slow motion 1/8"
        assert page.locator("[data-testid='pg-phase']").count() == 0
        assert page.evaluate(
            "() => document.querySelector(\"[data-live-chart-key='network']\")"
            "._fullLayout.shapes.at(-1).visible === false"
        )
    # Play never goes slowly
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
        ".some(m => /^Step\\s+([5-9]|\\d\\d+)/.test(m.innerText.trim()))",
        timeout=30_000,
    )
    assert page.locator("[data-testid='pg-phase']").count() == 0
    page.get_by_role("button", name="Pause", exact=True).click()


def test_clicking_a_neuron_while_playing_pauses_and_edits_its_bias(page, open_app):
    open_app(page)
    wait_charts(page)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
        ".some(m => /^Step\\s+([3-9]|\\d\\d+)/.test(m.innerText.trim()))",
        timeout=30_000,
    )
    page.locator(NET).scroll_into_view_if_needed()
    x, y = screen_position(page, "neurons", 6)  # the output neuron: b⁴₁
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    dialog = page.locator("[role='dialog']")
    dialog.wait_for(timeout=30_000)
    assert "b⁴₁" in dialog.inner_text()
    # the dialog is drawn before the paused message of the same run: Play's last queued
    # frames may still be shown until it comes
    wait_paused(page)
    steps = step_count(page)
    field = dialog.locator("input")
    field.fill("0.25")
    field.press("Enter")
    dialog.get_by_role("button", name="Set", exact=True).click()
    dialog.wait_for(state="detached", timeout=30_000)
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)  # paused
    wait_paused(page)
    page.wait_for_timeout(1000)  # a paused page must not move: a fixed wait is what is tested
    assert step_count(page) == steps  # nothing trained after the click
    hover = network_trace_index(SIZES)["neuron_hover"]
    text = page.evaluate(
        """([trace]) => {
            const div = document.querySelector("[data-live-chart-key='network']");
            Plotly.Fx.hover(div, [{curveNumber: trace, pointNumber: 6}]);
            return div.querySelector('.hoverlayer').textContent;
        }""",
        [hover],
    )
    assert "b⁴₁ = 0.25" in text
