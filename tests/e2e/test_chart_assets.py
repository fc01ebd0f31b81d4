"""The charts' scripts on a server's very first page load, from a folder it cannot write.

`ui/web/live_chart.py` serves `static/live_chart.js` and the installed plotly package's
`plotly.min.js` where they lie. A fresh server, started as the image starts it (the files the
Dockerfile copies, read-only, tests/test_deploy_files.py), is opened in Chromium: on the first
load the charts draw, no request fails (the old copy into `static/` 404ed in a read-only
folder) and the folder is left as it was; on a reload plotly.min.js comes from the browser's
cache (static/live_chart.js asks for it with `cache: "force-cache"`).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import HARMLESS_404
from tests.test_deploy_files import image_server, listing
from ui.web import live_chart

pytestmark = pytest.mark.browser

CHARTS = ("boundary", "network", "cost", "delta")


def load(page: Any, cdp: Any, url: str, *, reload: bool) -> tuple[dict[str, int], dict[str, int]]:
    """Open or reload the app until its charts draw: (status per path, bytes on the wire per
    path of the chart scripts; 0 when the browser's cache answered)."""
    answers: dict[str, int] = {}
    wire: dict[str, str] = {}
    sizes: dict[str, int] = {}

    def on_response(response: Any) -> None:
        answers[response.url.removeprefix(url)] = response.status

    def on_received(event: dict[str, Any]) -> None:
        wire[event["requestId"]] = event["response"]["url"].removeprefix(url)

    def on_finished(event: dict[str, Any]) -> None:
        if event["requestId"] in wire:
            sizes[wire[event["requestId"]]] = int(event["encodedDataLength"])

    page.on("response", on_response)
    cdp.on("Network.responseReceived", on_received)
    cdp.on("Network.loadingFinished", on_finished)
    if reload:
        page.reload(wait_until="domcontentloaded")
    else:
        page.goto(url, wait_until="domcontentloaded")
    for key in CHARTS:
        page.wait_for_selector(f"[data-live-chart-key='{key}'] .main-svg", state="attached")
    page.wait_for_timeout(300)  # the last loadingFinished events
    page.remove_listener("response", on_response)
    cdp.remove_listener("Network.responseReceived", on_received)
    cdp.remove_listener("Network.loadingFinished", on_finished)
    return answers, sizes


def test_a_read_only_app_serves_the_chart_scripts_at_once_and_a_reload_reuses_plotly(
    tmp_path, page, console_errors
):
    with image_server(tmp_path) as (url, app_dir, log):
        files = listing(app_dir)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        answers, _ = load(page, cdp, url, reload=False)

        failed = {p: s for p, s in answers.items() if s >= 400 and not p.endswith(HARMLESS_404)}
        assert not failed, failed
        for path in live_chart.ASSET_PATHS:
            assert answers.get(f"/{path}") == 200, (path, answers)
        assert listing(app_dir) == files

        answers, sizes = load(page, cdp, url, reload=True)
        plotly_path = next(f"/{p}" for p in live_chart.ASSET_PATHS if "plotly.min.js" in p)
        assert sizes.get(plotly_path) == 0, sizes  # read from the cache, not the server
        assert not console_errors, console_errors
        assert "Traceback" not in log.read_text(), log.read_text()


def test_the_charts_come_back_when_their_scripts_answered_404_at_first(page, open_app):
    """A worker that has run no session yet answers 404 for the charts' scripts (the folders
    are registered by a session's first run): a browser that fails over to it, or reconnects
    to a restarted one, asks while they are missing. A failed import stays failed in a browser,
    so the stubs ask again under another URL (live_chart.import_js) until the scripts come."""
    refused: list[str] = []

    def refuse_twice(route: Any) -> None:
        url = route.request.url
        if ("live_chart.js" in url or "classroom.js" in url) and "retry=" not in url:
            refused.append(url)
            route.fulfill(status=404, body="not yet")
        elif ("live_chart.js" in url or "classroom.js" in url) and "retry=1" in url:
            refused.append(url)
            route.fulfill(status=404, body="still not")
        else:
            route.continue_()

    page.route("**/component/**", refuse_twice)
    open_app(page)
    for key in CHARTS:
        page.wait_for_selector(f"[data-live-chart-key='{key}'] .main-svg", timeout=60_000)
    assert any("live_chart.js" in u for u in refused) and any("retry=1" in u for u in refused)
    # one module for the whole page, whatever the number of its elements and tries
    assert page.evaluate("() => window.__liveChart.created") == dict.fromkeys(CHARTS, 1)
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector(\"[data-label='Step'] .pg-value\")?.innerText === '1'",
        timeout=30_000,
    )
