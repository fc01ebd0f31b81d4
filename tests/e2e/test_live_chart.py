"""ui.web.live_chart in a real browser, as the app uses it: the Playground's four charts.

Each chart is mounted by its own `live_chart` element on a full run; every Step and Play run
sends its updates through the one `live_feed` element of the live fragment, whose tick the
browser raises while playing (ui/web/live.py). Every wait is for a condition (N more redraws,
a step count), never a fixed time: tick rates depend on the CPU.
"""

from __future__ import annotations

import time

import pytest

from benchmarks import browser_frames as bf

pytestmark = pytest.mark.browser

CHARTS = bf.PLAYGROUND_CHARTS
UPDATES = 15  # redraws of every chart to watch while playing
PLAY = bf.PlayControl()


@pytest.fixture
def playground(page, open_app):
    open_app(page)
    bf.wait_drawn(page, CHARTS)
    return page


def redraws(page, name):
    return page.evaluate(f'() => Number(document.querySelector("{CHARTS[name]}").dataset.updates)')


STEP_TILE = "[data-testid='pg-metric'][data-label='Step'] .pg-value"
STEPS_JS = f"""() => {{
    const tile = document.querySelector("{STEP_TILE}");
    return tile ? Number(tile.textContent.replace(/,/g, "")) : -1;
}}"""


def steps(page) -> int:
    return page.evaluate(STEPS_JS)


def play_until_redrawn(page, n):
    """Press Play, wait until every chart has redrawn n more times, press Pause."""
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
    """Wait until the step counter stays still for still_ms (the frames in flight are shown)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        before = steps(page)
        page.wait_for_timeout(still_ms)
        if steps(page) == before:
            bf.wait_ready(page)
            return
    raise AssertionError(f"still stepping {timeout_s} s after Pause")


def test_charts_render_inside_the_component(playground, screenshot, console_errors):
    for selector in CHARTS.values():
        chart = playground.locator(f"[data-testid='stBidiComponentRegular'] {selector}")
        assert chart.locator(".main-svg").count() >= 1
    # No mode bar (its buttons would sit in the tab order between Reset and the sidebar): the
    # page exports the whole view as one PNG instead (tests/e2e/test_classroom.py).
    assert playground.locator("[data-live-chart-key] .modebar-btn").count() == 0
    assert playground.get_by_role("button", name="Download the view as PNG (for slides)").count()
    screenshot(playground, "live_chart_playground")
    assert console_errors == []


def test_play_updates_every_chart_in_place_without_remount(playground, console_errors):
    bf.start_probe(playground, CHARTS)
    play_until_redrawn(playground, UPDATES)
    probe = bf.read_probe(playground)
    for name in CHARTS:
        chart = probe["charts"][name]
        assert chart["redraws"] >= UPDATES, name
        assert chart["divs"] == 1, f"{name}: the plotly div was replaced (remounted)"
        assert chart["blank"] == 0, f"{name}: blank in {chart['blank']} frames"
    assert probe["created"] == dict.fromkeys(CHARTS, 1)
    assert probe["errors"] == []
    assert console_errors == []


@pytest.mark.parametrize("name", ["boundary", "cost"])
def test_zoom_survives_play(playground, name):
    selector = CHARTS[name]
    ranges = {"boundary": ([-3, 1], [-2, 2]), "cost": ([0, 3], [0.01, 0.2])}[name]
    playground.evaluate(bf.ZOOM_SET_JS, [selector, *ranges])
    zoomed = playground.evaluate(bf.ZOOM_GET_JS, selector)
    play_until_redrawn(playground, 10)
    assert playground.evaluate(bf.ZOOM_GET_JS, selector) == pytest.approx(zoomed)


def test_step_redraws_every_chart(playground):
    before = {name: redraws(playground, name) for name in CHARTS}
    latencies = bf.measure_step_latency(playground, list(CHARTS.values()), clicks=3)
    assert len(latencies) == 3
    # the latency ends at a chart's first change; its redraw count follows when plotly is done
    playground.wait_for_function(
        "(before) => Object.entries(before).every(([key, n]) => Number(document.querySelector("
        "`[data-live-chart-key='${key}']`).dataset.updates) >= n + 3)",
        arg=before,
    )
    bf.wait_ready(playground)
    assert steps(playground) == 3


def test_lost_updates_are_repaired_by_a_resync_without_remount(playground):
    # Enough steps that the cost curve is longer than the tail each update re-sends.
    from ui.web.live import TAIL

    PLAY.start(playground)
    playground.wait_for_function(f"() => ({STEPS_JS})() > {TAIL + 10}", timeout=60_000)
    PLAY.stop(playground)
    wait_stopped(playground)
    rev = playground.evaluate("() => window.__liveChart.charts.boundary.rev")
    before = playground.evaluate("() => ({ ...window.__liveChart.resyncs })")
    # Simulate lost messages: the cost curve misses all but 2 points (a gap before the next
    # update's start), and the boundary holds a figure of an unknown revision.
    playground.evaluate(
        """() => {
            const cost = window.__liveChart.charts.cost;
            const t = cost.data[0];
            cost.data[0] = { ...t, y: t.y.slice(0, 2) };
            window.__liveChart.charts.boundary.rev = "lost";
        }"""
    )
    bf.button(playground, "Step").click()
    playground.wait_for_function(
        """([before, rev, tile]) => {
            const s = window.__liveChart;
            const steps = Number(document.querySelector(tile).textContent.replace(/,/g, ""));
            return (s.resyncs.cost ?? 0) > (before.cost ?? 0)
                && (s.resyncs.boundary ?? 0) > (before.boundary ?? 0)
                && s.charts.boundary.rev === rev
                && s.charts.cost.data[0].y.length === steps + 1;
        }""",
        arg=[before, rev, STEP_TILE],
        timeout=30_000,
    )
    assert playground.evaluate("() => ({ ...window.__liveChart.created })") == dict.fromkeys(
        CHARTS, 1
    )


def test_a_click_on_the_plane_arrives_in_data_coordinates(playground, wait_ready):
    """The browser turns the click's pixel into (x₁, x₂) with the axes as they are, zoomed."""
    playground.evaluate(bf.ZOOM_SET_JS, [CHARTS["boundary"], [-3, 1], [-2, 2]])
    playground.get_by_text("add class 1", exact=True).click()
    wait_ready(playground)
    playground.locator(f"{CHARTS['boundary']}[data-clicks='1']").wait_for(timeout=30_000)
    bf.wait_charts_idle(playground)  # the run's new figure is drawn: no redraw under the click
    before = playground.evaluate("() => window.__liveChart.charts.boundary.data[2].x.length")
    view = playground.evaluate(bf.ZOOM_GET_JS, CHARTS["boundary"])
    assert view["x"] == pytest.approx([-3, 1]) and view["y"] == pytest.approx([-2, 2])
    area = playground.locator(f"{CHARTS['boundary']} .nsewdrag").first.bounding_box()
    # a quarter of the way across and a quarter of the way down: x₁ = −2, x₂ = 1
    playground.mouse.click(area["x"] + 0.25 * area["width"], area["y"] + 0.25 * area["height"])
    playground.wait_for_function(
        "(n) => window.__liveChart.charts.boundary.data[2].x.length === n + 1",
        arg=before,
        timeout=30_000,
    )
    x, y = playground.evaluate(
        "() => { const t = window.__liveChart.charts.boundary.data[2];"
        " return [t.x[t.x.length - 1], t.y[t.y.length - 1]]; }"
    )
    assert (x, y) == pytest.approx((-2.0, 1.0), abs=0.05)


def test_chart_follows_the_container_width(playground):
    width = "() => document.querySelector(\"[data-live-chart-key='cost']\")._fullLayout.width"
    wide = playground.evaluate(width)
    playground.set_viewport_size({"width": 900, "height": 900})
    playground.wait_for_function(f"() => ({width})() < {wide} - 50")


def test_play_and_pause_start_and_stop_the_browsers_tick(playground):
    # Play runs on the feed's tick, raised by the browser; Pause must stop it however soon it
    # comes after Play (short bursts hit a tick in flight most often).
    for i in range(6):
        before = steps(playground)
        PLAY.start(playground)
        playground.wait_for_function(f"() => ({STEPS_JS})() > {before + 2}", timeout=30_000)
        playground.wait_for_timeout(100 * i)
        PLAY.stop(playground)
        wait_stopped(playground)


# ---------------------------------------------------------------------------------------------
# The growing curves' fast path (static/live_chart.js, "Growing series"): while playing, a frame
# that only appends points redraws just the lines' SVG paths. What it draws must be what
# Plotly draws from the same data, and Pause, Reset and a zoom must leave true pictures.

LINE_POINTS_JS = """
(div) => {
    // the points of trace 0's line (the training cost; layer 2's δ), in pixels
    for (const g of div.querySelectorAll(".scatterlayer .trace")) {
        if (g.__data__?.[0]?.trace?.index !== 0) continue;
        const d = g.querySelector(".js-line")?.getAttribute("d") ?? "";
        return (d.match(/[ML][^ML]+/g) ?? []).map((p) => p.slice(1).split(",").map(Number));
    }
    return [];
}
"""

FAST_AND_PLOTLY_JS = f"""
async (key) => {{
    const points = {LINE_POINTS_JS};
    const chart = window.__liveChart.charts[key];
    // only when the last drawing was the fast path and nothing waits to be drawn
    if (!chart.stale || chart.dirty || chart.busy) return null;
    const fast = points(chart.div);
    const data = structuredClone(chart.data);
    const layout = structuredClone(chart.div.layout);
    const own = document.createElement("div");
    own.style.width = `${{chart.div._fullLayout.width}}px`;
    own.style.height = `${{chart.div._fullLayout.height}}px`;
    document.body.appendChild(own);
    await Plotly.newPlot(own, data, layout, {{ responsive: false }});
    const plotly = points(own);
    Plotly.purge(own);
    own.remove();
    return {{ fast, plotly, n: data[0].y.length }};
}}
"""


def fast_and_plotly(page, key, timeout_s=30):
    """FAST_AND_PLOTLY_JS once the chart's last drawing was the fast path. Polled here, not by
    wait_for_function: an async predicate returns a promise, which counts as true at once."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = page.evaluate(FAST_AND_PLOTLY_JS, key)
        if result is not None:
            return result
        page.wait_for_timeout(20)
    raise AssertionError(f"the {key} chart never rested on the fast path for {timeout_s} s")


def fast_drawings(page, key):
    return page.evaluate(f"() => (window.__liveChart.fast ?? {{}})['{key}'] ?? 0")


def last_step_drawn(page, key):
    """The step (x) at which trace 0's drawn line ends."""
    return page.evaluate(
        f"""(sel) => {{
            const div = document.querySelector(sel);
            const points = ({LINE_POINTS_JS})(div);
            return div._fullLayout.xaxis.p2c(points[points.length - 1][0]);
        }}""",
        CHARTS[key],
    )


def assert_same_line(fast, plotly):
    """Plotly draws the same polyline (it may leave out points on a straight stretch)."""
    assert fast and plotly
    assert fast[0] == pytest.approx(plotly[0], abs=0.02)
    assert fast[-1] == pytest.approx(plotly[-1], abs=0.02)
    i = 0
    for p in plotly:
        while i < len(fast) and fast[i] != pytest.approx(p, abs=0.02):
            i += 1
        assert i < len(fast), f"plotly's point {p} is not on the fast path's line"


@pytest.mark.parametrize("key", ["cost", "delta"])
def test_growing_curves_fast_path_draws_what_plotly_draws(playground, key):
    PLAY.start(playground)
    playground.wait_for_function(
        "(k) => (window.__liveChart.fast?.[k] ?? 0) >= 10", arg=key, timeout=60_000
    )
    result = fast_and_plotly(playground, key)
    PLAY.stop(playground)
    assert len(result["fast"]) == result["n"]  # one point per recorded step, no gap
    assert_same_line(result["fast"], result["plotly"])


def test_pause_shows_the_networks_real_state_at_once(playground):
    PLAY.start(playground)
    playground.wait_for_function(f"() => ({STEPS_JS})() >= 20", timeout=60_000)
    assert fast_drawings(playground, "cost") > 0
    PLAY.stop(playground)  # the paused message has come and the charts have drawn it
    # the numbers, the charts' data and the lines drawn: all the same step, straight away
    shown = steps(playground)
    n = playground.evaluate("() => window.__liveChart.charts.cost.data[0].y.length")
    assert n == shown + 1
    assert last_step_drawn(playground, "cost") == pytest.approx(shown, abs=0.5)
    playground.wait_for_timeout(700)  # longer than a frame's spacing: nothing still queued
    assert steps(playground) == shown
    assert last_step_drawn(playground, "cost") == pytest.approx(shown, abs=0.5)


PAUSE_NOW_JS = f"""
async () => {{
    const feed = document.querySelector("[data-live-feed-key='live']");
    const steps = {STEPS_JS};
    // wait until frames are queued in the browser, so that there is something to stop
    for (let i = 0; i < 600 && Number(feed.dataset.queued) < 3; i++) {{
        await new Promise((r) => setTimeout(r, 5));
    }}
    const queued = Number(feed.dataset.queued);
    const shown = [steps()];
    const observer = new MutationObserver(() => {{
        if (steps() !== shown[shown.length - 1]) shown.push(steps());
    }});
    observer.observe(feed, {{ subtree: true, childList: true, characterData: true }});
    document.querySelector(".st-key-pause button").click();
    const queuedAfter = Number(feed.dataset.queued);
    while (feed.dataset.playing !== "0") await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 400)); // longer than a frame's spacing
    observer.disconnect();
    return {{ queued, queuedAfter, shown }};
}}
"""


def test_pause_stops_the_frames_in_the_browser_at_once(playground):
    """A click on Pause drops the frames queued in the browser before the server answers; the
    counter then jumps once, to the network's real state, instead of running on."""
    for _ in range(3):  # a few Pauses, some of them while a Play run is under way
        PLAY.start(playground)
        before = steps(playground)
        playground.wait_for_function(f"() => ({STEPS_JS})() > {before + 10}", timeout=60_000)
        result = playground.evaluate(PAUSE_NOW_JS)
        assert result["queued"] >= 3 and result["queuedAfter"] == 0, result
        shown = result["shown"]
        assert len(shown) <= 2 and shown == sorted(shown), shown
        bf.wait_ready(playground)
        assert steps(playground) == shown[-1]
        n = playground.evaluate("() => window.__liveChart.charts.cost.data[0].y.length")
        assert n == shown[-1] + 1  # the charts hold the same real state as the numbers


def test_reset_redraws_the_curves_on_fresh_axes(playground):
    PLAY.start(playground)
    playground.wait_for_function(f"() => ({STEPS_JS})() >= 40", timeout=60_000)
    PLAY.stop(playground)
    wait_stopped(playground)
    x_end = f'() => document.querySelector("{CHARTS["cost"]}")._fullLayout.xaxis.range[1]'
    assert playground.evaluate(x_end) >= 40
    bf.button(playground, "Reset").click()
    playground.wait_for_function(f"() => ({STEPS_JS})() === 0", timeout=30_000)
    playground.wait_for_function(f"() => ({x_end})() <= 15", timeout=30_000)  # not 40+ wide
    for _ in range(3):
        before = redraws(playground, "cost")
        bf.button(playground, "Step").click()
        playground.wait_for_function(
            "(n) => Number(document.querySelector(\"[data-live-chart-key='cost']\")"
            ".dataset.updates) > n",
            arg=before,
        )
    bf.wait_ready(playground)
    playground.wait_for_function(f"() => ({STEPS_JS})() === 3", timeout=30_000)
    bf.wait_charts_idle(playground)  # the numbers show at once, the lines once plotly has drawn
    assert last_step_drawn(playground, "cost") == pytest.approx(3, abs=0.05)


def test_zoomed_curves_keep_the_zoom_and_still_grow_fast(playground):
    selector = CHARTS["cost"]
    playground.evaluate(bf.ZOOM_SET_JS, [selector, [0, 30], [0, 1]])
    zoomed = playground.evaluate(bf.ZOOM_GET_JS, selector)
    before = fast_drawings(playground, "cost")
    PLAY.start(playground)
    playground.wait_for_function(
        "(n) => (window.__liveChart.fast?.cost ?? 0) >= n + 10", arg=before, timeout=60_000
    )
    assert playground.evaluate(bf.ZOOM_GET_JS, selector) == pytest.approx(zoomed)
    PLAY.stop(playground)
    wait_stopped(playground)
    assert playground.evaluate(bf.ZOOM_GET_JS, selector) == pytest.approx(zoomed)


def test_image_export_while_playing_has_the_newest_points(playground):
    """Plotly's PNG export plots a copy of the chart's traces: the fast path keeps them current."""
    PLAY.start(playground)
    playground.wait_for_function("() => (window.__liveChart.fast?.cost ?? 0) >= 5", timeout=60_000)
    # read when the last drawing was the fast path and nothing waits to be drawn
    lengths = playground.wait_for_function(
        """() => {
            const chart = window.__liveChart.charts.cost;
            if (!chart.stale || chart.dirty || chart.busy) return null;
            return [chart.data[0].y.length, chart.div.data[0].y.length];
        }""",
        timeout=30_000,
    ).json_value()
    PLAY.stop(playground)
    assert lengths[0] == lengths[1]
