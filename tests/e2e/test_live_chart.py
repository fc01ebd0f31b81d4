"""ui.web.live_chart in a real browser, on the benchmark page benchmarks/live_chart_demo.py.

The page has three live charts (a uint8 heatmap with 500 points on top, 500 moving points, a
growing cost curve), a Play switch, and a Step button inside the fragment. Every wait is for a
condition (N more redraws), never a fixed time: tick rates depend on the CPU.
"""

import time

import pytest

from benchmarks import browser_frames as bf

pytestmark = pytest.mark.browser

DEMO = "benchmarks/live_chart_demo.py"
CHARTS = bf.DEMO_CHARTS
UPDATES = 15  # redraws of every chart to watch while playing
PLAY = bf.PlayControl("switch", "Play")


@pytest.fixture(scope="module")
def demo_url(streamlit_server):
    return streamlit_server(DEMO)


@pytest.fixture
def demo(page, demo_url, open_app):
    open_app(page, base_url=demo_url)
    bf.wait_drawn(page, CHARTS)
    return page


def redraws(page, name):
    return page.evaluate(f'() => Number(document.querySelector("{CHARTS[name]}").dataset.updates)')


def steps(page):
    return int(page.inner_text("[data-testid='stMarkdown'] strong"))


def play_until_redrawn(page, n):
    """Switch Play on, wait until every chart has redrawn n more times, switch it off."""
    before = {name: redraws(page, name) for name in CHARTS}
    PLAY.start(page)
    for name, selector in CHARTS.items():
        page.wait_for_function(
            "([sel, n]) => Number(document.querySelector(sel).dataset.updates) >= n",
            arg=[selector, before[name] + n],
            timeout=60_000,
        )
    PLAY.stop(page)
    wait_stopped(page)


def wait_stopped(page, *, still_ms=1000, timeout_s=15):
    """Wait until the step counter stays still for still_ms (queued timer ticks are over)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        before = steps(page)
        page.wait_for_timeout(still_ms)
        if steps(page) == before:
            bf.wait_ready(page)
            return
    raise AssertionError(f"still stepping {timeout_s} s after Play was switched off")


def test_charts_render_inside_the_component(demo, screenshot, console_errors):
    for selector in CHARTS.values():
        chart = demo.locator(f"[data-testid='stBidiComponentRegular'] {selector}")
        assert chart.locator(".main-svg").count() >= 1
        # The modebar keeps "download as PNG", and offers no upload to Plotly Cloud.
        titles = chart.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.dataset.title)")
        assert "Download plot as a PNG" in titles
        assert not any("Share" in t for t in titles)
    screenshot(demo, "live_chart_demo")
    assert console_errors == []


def test_play_updates_in_place_without_remount(demo, console_errors):
    bf.start_probe(demo, CHARTS)
    play_until_redrawn(demo, UPDATES)
    probe = bf.read_probe(demo)
    for name in CHARTS:
        chart = probe["charts"][name]
        assert chart["redraws"] >= UPDATES, name
        assert chart["divs"] == 1, f"{name}: the plotly div was replaced (remounted)"
        assert chart["blank"] == 0, f"{name}: blank in {chart['blank']} frames"
    assert probe["created"] == dict.fromkeys(CHARTS, 1)
    assert probe["errors"] == []
    assert console_errors == []


def test_zoom_survives_updates(demo):
    selector = CHARTS["heatmap"]
    demo.evaluate(bf.ZOOM_SET_JS, [selector, [-0.5, 0.25], [-0.25, 0.5]])
    zoomed = demo.evaluate(bf.ZOOM_GET_JS, selector)
    play_until_redrawn(demo, 10)
    assert demo.evaluate(bf.ZOOM_GET_JS, selector) == pytest.approx(zoomed)


def test_step_redraws_the_chart(demo):
    before = redraws(demo, "heatmap")
    latencies = bf.measure_step_latency(demo, CHARTS["heatmap"], clicks=3)
    assert len(latencies) == 3
    assert redraws(demo, "heatmap") >= before + 3


def test_lost_updates_are_repaired_with_a_full_figure(demo):
    # Enough steps that the cost curve is longer than the overlap each update re-sends.
    play_until_redrawn(demo, 60)
    # Simulate lost messages: the cost curve misses all but 2 points (a gap before the next
    # update's start), and the heatmap's figure is of an unknown revision.
    demo.evaluate(
        """() => {
            const cost = window.__liveChart.charts.cost;
            const t = cost.data[0];
            cost.data[0] = { ...t, x: t.x.slice(0, 2), y: t.y.slice(0, 2) };
            window.__liveChart.charts.heatmap.rev = "lost";
        }"""
    )
    bf.button(demo, "Step").click()
    demo.wait_for_function(
        """() => {
            const s = window.__liveChart;
            const steps = Number(
                document.querySelector("[data-testid='stMarkdown'] strong").textContent);
            return s.resyncs.cost >= 1 && s.resyncs.heatmap >= 1
                && s.charts.heatmap.rev === "heatmap"
                && s.charts.cost.data[0].x.length === steps;
        }""",
        timeout=30_000,
    )
    assert demo.evaluate("() => ({ ...window.__liveChart.created })") == dict.fromkeys(CHARTS, 1)


def test_chart_follows_the_container_width(demo):
    width = "() => document.querySelector(\"[data-live-chart-key='cost']\")._fullLayout.width"
    wide = demo.evaluate(width)
    demo.set_viewport_size({"width": 900, "height": 900})
    demo.wait_for_function(f"() => ({width})() < {wide} - 50")


def test_play_switch_starts_and_stops_the_timer(demo):
    # Streamlit 1.67 can lose or replay a button click outside a run_every fragment, and the
    # browser can miss the full run that stops the timer; the switch and the fragment's
    # resynchronising rerun make Play/Pause reliable. Short Play bursts hit the race most.
    for i in range(6):
        before = steps(demo)
        PLAY.start(demo)
        demo.wait_for_function(
            "(n) => Number(document.querySelector(\"[data-testid='stMarkdown'] strong\")"
            ".textContent) > n",
            arg=before + 2,
        )
        demo.wait_for_timeout(100 * i)
        PLAY.stop(demo)
        wait_stopped(demo)
