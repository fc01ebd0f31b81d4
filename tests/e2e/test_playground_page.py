"""The Playground in a real browser: loads, Step, Play/Pause, Reset, shared links."""

from __future__ import annotations

import re

import pytest

from benchmarks import browser_frames as bf
from tests.e2e.conftest import new_page

pytestmark = pytest.mark.browser

CHART = "[data-testid='stApp'] .js-plotly-plot"


def metric(page, label: str) -> str:
    box = page.locator("[data-testid='pg-metric']", has_text=label).first
    return box.locator(".pg-value").inner_text()


def step_count(page) -> int:
    return int(metric(page, "Step").replace(",", ""))


def wait_charts(page, n: int = 4) -> None:
    page.wait_for_function(
        f'document.querySelectorAll("{CHART} .main-svg").length >= {n}', timeout=30_000
    )


def test_page_loads_with_all_charts_and_no_exception(page, open_app, screenshot, console_errors):
    open_app(page)
    wait_charts(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert step_count(page) == 0
    screenshot(page, "playground_initial")
    assert console_errors == []


def chart_redraws(page) -> dict[str, int]:
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('[data-live-chart-key]')]"
        ".map(d => [d.dataset.liveChartKey, Number(d.dataset.updates)]))"
    )


def test_step_changes_the_counter_and_the_boundary(page, open_app, screenshot):
    open_app(page)
    wait_charts(page)
    before = metric(page, "C (training)")
    redraws = chart_redraws(page)
    assert set(redraws) == {"boundary", "network", "cost", "delta"}
    for expected in (1, 2, 3):
        page.get_by_role("button", name="Step", exact=True).click()
        page.wait_for_function(
            "([label, n]) => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
            ".some(m => m.innerText.startsWith(label) && m.innerText.includes(String(n)))",
            arg=["Step", expected],
            timeout=30_000,
        )
    assert step_count(page) == 3
    assert metric(page, "C (training)") != before
    # every chart was redrawn by the feed's updates, none remounted
    page.wait_for_function(
        "(before) => Object.entries(before).every(([key, n]) => Number(document.querySelector("
        "`[data-live-chart-key='${key}']`).dataset.updates) > n)",
        arg=redraws,
        timeout=30_000,
    )
    assert page.evaluate("() => window.__liveChart.created") == dict.fromkeys(redraws, 1)
    screenshot(page, "playground_after_3_steps")


def hover_text(page, trace: int, point: int) -> str:
    """The hover label plotly.js shows for one point of the network chart."""
    return page.evaluate(
        """([trace, point]) => {
            const div = document.querySelector("[data-live-chart-key='network']");
            Plotly.Fx.hover(div, [{curveNumber: trace, pointNumber: point}]);
            return div.querySelector('.hoverlayer').textContent;
        }""",
        [trace, point],
    )


def test_hovering_a_weight_shows_its_value_after_each_step(page, open_app):
    """The hover values travel as in-place updates that cost no redraw (live_chart.js): the
    label must still show the newest weight, not the one of the first frame."""
    from ui.figures.network import network_trace_index

    open_app(page, "?lr=3")  # large steps: every weight changes in its first digits
    wait_charts(page)
    link_hover = network_trace_index([2, 4, 2, 1])["link_hover"]
    first = hover_text(page, link_hover, 0)
    assert "w" in first
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
        ".some(m => /^Step\\s+1$/.test(m.innerText.trim()))",
        timeout=30_000,
    )
    page.wait_for_function(
        """([trace, first]) => {
            const div = document.querySelector("[data-live-chart-key='network']");
            Plotly.Fx.hover(div, [{curveNumber: trace, pointNumber: 0}]);
            return div.querySelector('.hoverlayer').textContent !== first;
        }""",
        arg=[link_hover, first],
        timeout=30_000,
    )


def test_play_advances_and_pause_stops(page, open_app, wait_paused):
    open_app(page)
    wait_charts(page)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(
        "() => { const m = [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
        ".find(e => e.innerText.startsWith('Step')); "
        "return m && parseInt(m.innerText.split('\\n').pop().replace(/,/g, '')) >= 5 }",
        timeout=30_000,
    )
    # each run brings several frames (ui/web/live.py frames_this_run) and the browser shows them.
    # Not every run: a run stops after the frame that used up its CPU budget (RUN_BUDGET_S),
    # so on a busy machine the first runs may bring one frame each (4 frames in 4 runs, seen
    # with E2E_CPU_THROTTLE=4 and a CPU hog): wait until a run has brought several.
    page.wait_for_function(
        """() => { const f = document.querySelector("[data-live-feed-key='live']");
            return Number(f.dataset.frames) > Number(f.dataset.seq)
                && Number(f.dataset.seq) >= 2 }"""
    )
    page.get_by_role("button", name="Pause", exact=True).click()
    # the Play button is drawn first; Play's last queued frames may still be shown until the
    # paused message, the network as it is, arrives
    wait_paused(page)
    assert page.get_by_role("button", name="Play", exact=True).is_visible()
    stopped = step_count(page)
    page.wait_for_timeout(1500)  # a paused page must not move: the one fixed wait here
    assert step_count(page) == stopped


def test_reset_rewinds_to_the_same_first_cost(page, open_app):
    open_app(page)
    wait_charts(page)
    first = metric(page, "C (training)")
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
        ".some(m => /^Step\\s+1$/.test(m.innerText.trim()))",
        timeout=30_000,
    )
    page.get_by_role("button", name="Reset", exact=True).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
        ".some(m => /^Step\\s+0$/.test(m.innerText.trim()))",
        timeout=30_000,
    )
    assert metric(page, "C (training)") == first


def test_a_shared_link_reproduces_the_configuration(page, open_app, screenshot):
    open_app(page, "?dataset=xor&hidden=3&act=relu&lr=0.1&seed=5")
    wait_charts(page)
    assert re.search(r"dataset=xor", page.url)
    cost_a = metric(page, "C (training)")
    page2 = new_page(page.context)
    open_app(page2, "?dataset=xor&hidden=3&act=relu&lr=0.1&seed=5")
    wait_charts(page2)
    assert metric(page2, "C (training)") == cost_a
    screenshot(page2, "playground_shared_link")


def test_a_bad_link_value_gives_a_notice_not_an_error(page, open_app):
    open_app(page, "?dataset=moons&lr=nan&hidden=4,99")
    wait_charts(page)
    assert page.locator("[data-testid='stException']").count() == 0
    text = page.locator("[data-testid='stAlert']").all_inner_texts()
    assert any("dataset='moons'" in t for t in text), text
    assert any("lr='nan'" in t for t in text), text


def points(page) -> int:
    return int(metric(page, "Points").split("/")[0])


def test_drawing_points_on_the_plane_adds_and_removes_them(page, open_app, wait_ready, screenshot):
    open_app(page)
    wait_charts(page)
    before = points(page)
    page.get_by_text("add class 1", exact=True).click()
    wait_ready(page)
    page.locator("[data-live-chart-key='boundary'][data-clicks='1']").wait_for(timeout=30_000)
    bf.wait_charts_idle(page)  # the run's new figure is drawn: no redraw under the click
    plot = page.locator("[data-live-chart-key='boundary'] .nsewdrag").first
    plot.wait_for(timeout=30_000)
    box = plot.bounding_box()
    for dx in (0.2, 0.3):
        page.mouse.click(box["x"] + dx * box["width"], box["y"] + 0.5 * box["height"])
        page.wait_for_function(
            "([n]) => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
            ".some(m => m.innerText.startsWith('Points') && m.innerText.includes(n + ' /'))",
            arg=[before + (1 if dx == 0.2 else 2)],
            timeout=30_000,
        )
    page.get_by_text("remove a point", exact=True).click()
    wait_ready(page)
    page.locator("[data-live-chart-key='boundary'][data-clicks='1']").wait_for(timeout=30_000)
    bf.wait_charts_idle(page)
    page.mouse.click(box["x"] + 0.2 * box["width"], box["y"] + 0.5 * box["height"])
    page.wait_for_function(
        "([n]) => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
        ".some(m => m.innerText.startsWith('Points') && m.innerText.includes(n + ' /'))",
        arg=[before + 1],
        timeout=30_000,
    )
    screenshot(page, "playground_drawn_points")


def test_a_lost_update_asked_again_too_soon_is_still_repaired(page, open_app, wait_paused):
    """A chart that misses updates asks for its whole figure, at most once a second. A request
    that comes too soon must be sent once the second is over: after a single Step no later
    update would ask again, and the cost curve would stay broken."""
    from ui.web.live import TAIL

    open_app(page, "?speed=10")
    wait_charts(page)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(
        "(n) => window.__liveChart.charts.cost.data[0].y.length > n", arg=TAIL + 5, timeout=60_000
    )
    page.get_by_role("button", name="Pause", exact=True).click()
    wait_paused(page)  # Play's frames still queued are dropped: the paused message is the last
    before = page.evaluate("() => window.__liveChart.resyncs.cost ?? 0")
    page.evaluate(
        """() => {
            const cost = window.__liveChart.charts.cost;
            const t = cost.data[0];
            cost.data[0] = { ...t, y: t.y.slice(0, 1) };  // all but the first point lost
            cost.lastResync = performance.now();  // as if it had just asked
        }"""
    )
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(
        "(before) => window.__liveChart.resyncs.cost === before + 1"
        " && window.__liveChart.charts.cost.data[0].y.length > 2",
        arg=before,
        timeout=30_000,
    )


CHART_STATE_JS = """() => {
    const n = document.querySelector("[data-live-chart-key='network']");
    const b = document.querySelector("[data-live-chart-key='boundary']");
    return {
        labels: (n.layout.annotations || []).map(a => a.text).filter(t => t.includes("layer")),
        image: (b.layout.images || []).map(i => i.source).join(""),
        x: [...b._fullLayout.xaxis.range],
        y: [...b._fullLayout.yaxis.range],
    };
}"""


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the sidebar's selectbox ``label`` by typing it, as a keyboard user
    does (a click on the list sometimes lands while Streamlit redraws it)."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']", has_text=label)
    box.locator("input").click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def test_a_setting_changed_while_paused_shows_at_once_and_keeps_the_zoom(
    page, open_app, wait_ready, screenshot
):
    """Issue 10: with Play paused, a new hidden activation changed C but the output map, the
    neurons' pictures and the diagram's labels ("tanh") stayed until the next Step or reload:
    a whole figure with the chart's own revision was drawn with the old layout."""
    open_app(page)
    wait_charts(page)
    page.evaluate(bf.ZOOM_SET_JS, ["[data-live-chart-key='boundary']", [-3, 1], [-2, 2]])
    before = page.evaluate(CHART_STATE_JS)
    assert before["labels"][1:] == [
        "<b>layer 2</b><br>tanh",
        "<b>layer 3</b><br>tanh",
        "<b>layer 4</b><br>output · tanh",
    ]
    choose(page, "Hidden activation", "ReLU")
    page.wait_for_function(f"() => ({CHART_STATE_JS})().labels[1].endsWith('ReLU')", timeout=30_000)
    wait_ready(page)
    bf.wait_charts_idle(page)  # each chart draws on its own: the plane may come after the diagram
    after = page.evaluate(CHART_STATE_JS)
    assert after["labels"][1:3] == ["<b>layer 2</b><br>ReLU", "<b>layer 3</b><br>ReLU"]
    assert after["image"] != before["image"]  # the output over the plane was redrawn
    assert after["x"] == pytest.approx([-3, 1]) and after["y"] == pytest.approx([-2, 2])
    choose(page, "Output activation", "sigmoid")
    page.wait_for_function(
        f"() => ({CHART_STATE_JS})().labels.at(-1).endsWith('output · sigmoid')",
        timeout=30_000,
    )
    screenshot(page, "playground_relu_sigmoid_zoomed")


def test_a_hostile_link_is_shown_as_plain_text(page, open_app, screenshot):
    """Issue 10: a link's bad values were echoed as Markdown: a phishing link inside the app's
    own warning, an image every student's browser fetched, typeset maths."""
    from urllib.parse import urlencode

    query = {
        "dataset": "[Log in here](https://evil.example/x)",
        "points": "![t](http://127.0.0.1:9/t.png)",
        "act": r"$\Huge\text{HACKED}$",
        "hide": "<b>bold</b>,:red[red],www.evil.example,me@evil.example",
    }
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    open_app(page, "?" + urlencode(query))
    wait_charts(page)
    alerts = page.locator("[data-testid='stAlert']")
    text = "\n".join(alerts.all_inner_texts()).replace("\u2060", "")  # word joiners
    # (the notice quotes a value as Python's repr does: a backslash shows doubled)
    for shown in ("dataset='[Log in here](https://evil.example/x)'", "![t](http", r"$\\Huge"):
        assert shown in text, text
    assert "<b>bold</b>" in text and ":red[red]" in text
    for markup in ("a", "img", ".katex", "b", "[data-testid='stMarkdownColoredText']"):
        assert alerts.locator(markup).count() == 0, markup
    assert not any(url.startswith("http://127.0.0.1:9/") for url in fetched)
    screenshot(page, "playground_hostile_link")
