"""What opening the Playground costs: a first load and reloads in one headless Chromium.

    python benchmarks/page_load.py              # a first load and 3 reloads
    python benchmarks/page_load.py --reloads 5

Starts `streamlit run app.py` from the repository root and opens it in Debian's Chromium. For
each load it prints the time until the four charts have drawn, the server's CPU time during
the load (all its threads: script runs, HTTP, gzip), every failed request, and each chart
script's bytes on the wire (Chrome's `encodedDataLength`: 0 when the browser's cache answered)
and HTTP status. A reload keeps the browser's cache, as a student's reload does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import browser_frames as bf
from benchmarks.streamlit_client import cpu_seconds

CHARTS = ("boundary", "network", "cost", "delta")
SCRIPTS = ("live_chart.js", "plotly.min.js")


def load(page: Any, cdp: Any, url: str, pid: int, *, first: bool) -> dict[str, Any]:
    """Open (or reload) the page; the figures of that one load."""
    wire: dict[str, dict[str, Any]] = {}
    failed: list[str] = []

    def on_response(event: dict[str, Any]) -> None:
        response = event["response"]
        name = next((s for s in SCRIPTS if f"/{s}" in response["url"]), None)
        if name is not None:
            wire[event["requestId"]] = {"name": name, "status": response["status"]}

    def on_finished(event: dict[str, Any]) -> None:
        if event["requestId"] in wire:
            wire[event["requestId"]]["bytes"] = int(event["encodedDataLength"])

    def on_page_response(response: Any) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url.removeprefix(url)}")

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    page.on("response", on_page_response)
    cpu0, t0 = cpu_seconds(pid), time.perf_counter()
    if first:
        page.goto(url, wait_until="domcontentloaded")
    else:
        page.reload(wait_until="domcontentloaded")
    bf.wait_ready(page)
    for key in CHARTS:
        page.wait_for_selector(f"[data-live-chart-key='{key}'] .main-svg", state="attached")
    drawn = time.perf_counter() - t0
    page.wait_for_timeout(300)  # the last loadingFinished events
    cpu = cpu_seconds(pid) - cpu0
    cdp.remove_listener("Network.responseReceived", on_response)
    cdp.remove_listener("Network.loadingFinished", on_finished)
    page.remove_listener("response", on_page_response)
    return {"drawn_s": drawn, "server_cpu_s": cpu, "scripts": list(wire.values()), "failed": failed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reloads", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with bf.streamlit_server("app.py") as url, sync_playwright() as pw:
        pid = bf.server_pid(url)
        browser = bf.launch_chromium(pw)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.set_default_timeout(60_000)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        for i in range(1 + args.reloads):
            r = load(page, cdp, url, pid, first=i == 0)
            scripts = ", ".join(
                f"{s['name']} {s['status']} {s.get('bytes', 0) / 1e3:,.1f} KB" for s in r["scripts"]
            )
            print(
                f"{'first load' if i == 0 else f'reload {i}':>10}: drawn in {r['drawn_s']:.2f} s, "
                f"server CPU {r['server_cpu_s']:.2f} s; {scripts or 'no chart script fetched'}; "
                f"failed requests: {', '.join(r['failed']) or 'none'}"
            )
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
