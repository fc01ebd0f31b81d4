"""Issue 15 in a real browser: every page at a phone's, a laptop's and a projector's size (in
presenter view), the Playground's keyboard shortcuts and tab order, the charts' names, the
teacher's link builder and the whole-view PNG.

One server for the module (the session's), one browser context per size, reused across pages.
Screenshots: tests/e2e/screenshots/classroom-<size>-<page>.png.
"""

from __future__ import annotations

import base64
import re

import pytest

from benchmarks.browser_frames import wait_ready
from tests.e2e.conftest import new_context, new_page

pytestmark = pytest.mark.browser

SIZES = {
    "phone": ({"width": 390, "height": 844}, ""),
    "laptop": ({"width": 1366, "height": 768}, ""),
    "projector": ({"width": 1920, "height": 1080}, "present=true"),
}
PAGES = {
    "playground": "",
    "lessons": "lessons",
    "neuron": "neuron",
    "xor": "xor",
    "backprop": "backprop",
}
LIVE = ("boundary", "network", "cost", "delta")

# Visible elements whose right edge passes the window, unless an ancestor clips or scrolls them
# (an equation that scrolls within itself is allowed; the page scrolling sideways is not).
OVERFLOW_JS = """() => {
  const W = window.innerWidth;
  const out = [];
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) {
        const r = p.getBoundingClientRect();
        if (r.right <= W + 1) return true;
      }
    }
    return false;
  };
  const main = document.querySelector("[data-testid='stMain']");
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= W + 1) continue;
    if (getComputedStyle(el).visibility === 'hidden' || clipped(el)) continue;
    out.push(`${el.tagName}.${el.className?.baseVal ?? el.className} right=${Math.round(r.right)}`);
    if (out.length > 5) break;
  }
  return {scroll: document.scrollingElement.scrollWidth, inner: W,
          main: main.scrollWidth - main.clientWidth, wide: out};
}"""


@pytest.fixture(scope="module")
def sized(browser):
    """size name -> a page in its own context, reused by the tests of the module."""
    contexts, pages = [], {}
    for name, (viewport, _) in SIZES.items():
        context = new_context(browser, viewport=viewport, accept_downloads=True)
        page = new_page(context)
        contexts.append(context)
        pages[name] = page
    yield pages
    for context in contexts:
        context.close()


def open_page(page, base: str, path: str, query: str) -> None:
    url = base.rstrip("/") + "/" + path + (f"?{query}" if query else "")
    page.goto(url)
    wait_ready(page)
    if path == "":
        wait_live(page)
    else:
        page.wait_for_timeout(300)
        page.wait_for_function(
            "[...document.querySelectorAll(\"[data-testid='stPlotlyChart']\")]"
            ".every(c => c.querySelector('.main-svg'))"
        )


def wait_live(page) -> None:
    page.wait_for_function(
        'document.querySelectorAll("[data-live-chart-key] .main-svg").length >= 4'
    )


def boxes(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect(); "
        "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right} })",
    )


def step_count(page) -> int:
    box = page.locator("[data-testid='pg-metric'][data-label='Step'] .pg-value")
    return int(box.inner_text().replace(",", ""))


def wait_step(page, n: int) -> None:
    page.wait_for_function(
        "(n) => { const v = document.querySelector(\"[data-testid='pg-metric'][data-label='Step']"
        " .pg-value\"); return v && Number(v.innerText.replace(/,/g, '')) === n }",
        arg=n,
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_fits_its_screen(sized, app_server, screenshot, size):
    """No sideways scrolling on any page; on a laptop and a projector (presenter view) the
    Playground's four charts fit on one screen together; on a phone every chart fits its
    width; every chart has a name and a description for a screen reader."""
    page = sized[size]
    viewport, query = SIZES[size]
    for name, path in PAGES.items():
        open_page(page, app_server, path, query)
        found = page.evaluate(OVERFLOW_JS)
        assert found["scroll"] <= found["inner"], (size, name, found)
        assert found["main"] <= 1 and not found["wide"], (size, name, found)
        charts = "[data-live-chart-key], [data-testid='stPlotlyChart']"
        for chart in boxes(page, charts):
            assert chart["left"] >= -1 and chart["right"] <= viewport["width"] + 1, (name, chart)
        named = page.eval_on_selector_all(
            charts,
            "els => els.map(e => [e.getAttribute('role'), e.getAttribute('aria-label'), "
            "document.getElementById(e.getAttribute('aria-describedby') || '')?.textContent])",
        )
        for role, label, description in named:
            assert role == "img" and label and len(description or "") > 20, (name, named)
        if name == "playground" and size != "phone":
            page.locator("[data-live-chart-key='boundary']").evaluate(
                "e => e.closest(\"[data-testid='stHorizontalBlock']\").scrollIntoView()"
            )
            page.wait_for_timeout(200)
            for key in LIVE:
                (box,) = boxes(page, f"[data-live-chart-key='{key}']")
                assert box["top"] >= 0 and box["bottom"] <= viewport["height"], (size, key, box)
        page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollTo(0, 0)")
        screenshot(page, f"classroom-{size}-{name}")


def test_presenter_view_scales_the_charts_and_the_sidebar(sized, app_server):
    page = sized["projector"]
    open_page(page, app_server, "", "present=true")
    sizes = page.eval_on_selector_all(
        "[data-live-chart-key='boundary'] .xtick text, [data-live-chart-key='network'] text",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes and min(sizes) >= 19, sizes  # 14 px and 16 px at a laptop's size
    cut = page.eval_on_selector_all(
        "[data-testid='stSidebar'] [data-testid='stSidebarNavLink'] span, "
        "[data-testid='stSidebar'] [data-testid='stWidgetLabel'] p",
        "els => els.filter(e => e.offsetWidth && e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.textContent)",
    )
    assert cut == []
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "21px"


def test_keyboard_shortcuts_and_tab_order(sized, app_server):
    page = sized["laptop"]
    open_page(page, app_server, "", "")
    assert "Keys:" in page.locator("[data-testid='pg-shortcuts']").inner_text()
    page.locator("h1").click()  # focus on the page, in no field
    page.keyboard.press("s")
    wait_step(page, 1)
    page.keyboard.press("s")
    wait_step(page, 2)
    # 's' typed into a number field is the field's, not Step
    seed = page.get_by_role("spinbutton", name="Weight seed")
    seed.click()
    page.keyboard.press("s")
    page.wait_for_timeout(800)
    assert step_count(page) == 2
    page.locator("h1").click()
    page.keyboard.press("p")
    page.get_by_role("button", name="Pause", exact=True).wait_for()
    page.wait_for_function(
        "() => Number(document.querySelector(\"[data-label='Step'] .pg-value\")"
        ".innerText.replace(/,/g, '')) > 2"
    )
    page.locator("h1").click()
    page.keyboard.press("p")
    page.get_by_role("button", name="Play", exact=True).wait_for()
    wait_ready(page)
    page.keyboard.press("r")
    wait_step(page, 0)
    wait_ready(page)  # Reset's run is over: no redraw while the focus moves

    # Tab from Step: Play, Reset, then on to the sidebar without a chart's toolbar button
    page.locator(".st-key-step button").focus()
    order = []
    for _ in range(40):
        page.keyboard.press("Tab")
        where = page.evaluate(
            "() => { const e = document.activeElement; return [e.innerText?.trim() ?? '', "
            "!!e.closest(\"[data-testid='stSidebar']\"), "
            "!!e.closest('.modebar, [data-live-chart-key], .js-plotly-plot')] }"
        )
        order.append(where)
        if where[1]:
            break
    assert [o[0] for o in order[:2]] == ["Play", "Reset"], order
    assert order[-1][1], f"the sidebar was not reached: {order}"
    assert not any(o[2] for o in order), order


def test_link_builder_hides_what_is_ticked(sized, app_server):
    page = sized["laptop"]
    open_page(page, app_server, "", "dataset=xor&seed=3")
    page.get_by_text("Link for your class").click()
    for label in ("Data", "Step, Play and Reset", "The navigation between the pages"):
        exact = re.compile(f"^{re.escape(label)}$")
        page.locator("[data-testid='stCheckbox']").filter(has_text=exact).click()
        wait_ready(page)
    code = "[data-testid='stSidebar'] [data-testid='stCode'] code"
    page.wait_for_function(  # the last tick's rerun has drawn the link
        "(s) => ['buttons', 'nav', 'data'].every(k => document.querySelector(s)"
        "?.innerText.replace(/%2C/g, ',').match(new RegExp('hide=[^&]*' + k)))",
        arg=code,
    )
    link = "".join(page.locator(code).inner_text().split())
    assert re.match(r"^http://127\.0\.0\.1:\d+/\?", link), link
    assert "dataset=xor" in link and "seed=3" in link
    assert re.search(r"hide=[^&]*buttons", link.replace("%2C", ",")) and "nav" in link
    other = new_page(page.context)
    try:
        other.goto(link)
        wait_ready(other)
        wait_live(other)
        for hidden in (".st-key-step", ".st-key-play", ".st-key-reset"):
            assert other.locator(hidden).count() == 0, hidden
        assert other.get_by_text("Data set", exact=True).count() == 0
        assert other.locator("[data-testid='stSidebarNav']").count() == 0
        assert other.get_by_text("Learning rate α").count() == 1  # not ticked: still there
        other.keyboard.press("s")  # no Step button, so no shortcut either
        other.wait_for_timeout(600)
        assert step_count(other) == 0
    finally:
        other.close()
    lessons = new_page(page.context)
    try:
        open_page(lessons, app_server, "lessons", "")
        codes = lessons.locator("[data-testid='stCode'] code").all_inner_texts()
        assert codes and all(re.match(r"^http://127\.0\.0\.1:\d+/\?", c) for c in codes), codes
    finally:
        lessons.close()


def test_the_whole_view_exports_as_one_png(sized, app_server, tmp_path):
    page = sized["laptop"]
    open_page(page, app_server, "", "")
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name=re.compile("Download the view as PNG")).click()
    path = tmp_path / "view.png"
    download.value.save_as(path)
    assert download.value.suggested_filename == "playground.png"
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    url = "data:image/png;base64," + base64.b64encode(data).decode()
    size = page.evaluate(
        "(u) => new Promise((ok, no) => { const i = new Image(); "
        "i.onload = () => ok([i.naturalWidth, i.naturalHeight]); i.onerror = no; i.src = u })",
        url,
    )
    assert size == [1920, 1080]
    # not blank: the charts and the text were drawn (many distinct colours)
    colours = page.evaluate(
        """(u) => new Promise((ok) => { const i = new Image(); i.onload = () => {
          const c = document.createElement('canvas'); c.width = 1920; c.height = 1080;
          const g = c.getContext('2d'); g.drawImage(i, 0, 0);
          const d = g.getImageData(0, 0, 1920, 1080).data; const seen = new Set();
          for (let k = 0; k < d.length; k += 4 * 97)
            seen.add((d[k] << 16) | (d[k + 1] << 8) | d[k + 2]);
          ok(seen.size) }; i.src = u })""",
        url,
    )
    assert colours > 50
