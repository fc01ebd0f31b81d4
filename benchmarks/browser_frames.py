"""Measure live charts in a real browser: updates/s, blank frames, remounts, zoom, Step latency.

    python benchmarks/browser_frames.py                       (the Playground's four charts)
    python benchmarks/browser_frames.py --query "?dataset=xor" \\
        --chart "boundary=[data-live-chart-key=boundary]" --zoom-chart boundary --step-chart all

Starts `streamlit run <script>` from the repository root (so .streamlit/config.toml applies),
opens it in Debian's headless Chromium (never `playwright install`) and prints the figures.
A chart is any CSS selector whose element holds one plotly graph (`.js-plotly-plot`), so the
same measurements work for `ui.web.live_chart` and for `st.plotly_chart`
(`[data-testid=stPlotlyChart]`):

- updates: frames in which something inside the chart changed (a MutationObserver, counted
  once per animation frame);
- remounts: distinct plotly graph divs seen minus one;
- blank frames: animation frames in which a chart that had been drawn had no `.main-svg`;
- zoom kept: `Plotly.relayout` sets axis ranges, the page plays, the ranges are read back;
- Step latency: `click()` on the button to the first frame after the chart's DOM changed.

The functions are also the browser-test toolkit (tests/e2e/conftest.py imports them).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY_SELECTORS = (
    "[data-testid='stApp'][data-test-connection-state='CONNECTED']",
    "[data-testid='stApp'][data-test-script-state='notRunning']",
)
#: How long a page may take to load or to finish a run: a generous bound (a wait for a condition
#: ends as soon as it holds). The /neuron page took 28 s to be ready with Chromium's CPU slowed
#: threefold (E2E_CPU_THROTTLE=3) on a 2-core machine at load 13; 30 s failed there.
PAGE_TIMEOUT_S = 60.0
PLAYGROUND_CHARTS = {
    name: f"[data-live-chart-key='{name}']" for name in ("boundary", "network", "cost", "delta")
}


# ---------------------------------------------------------------------------------------------
# Server and browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(script: str | Path, port: int, options: Sequence[str] = ()) -> list[str]:
    """`streamlit run script` on 127.0.0.1:port, headless, with the flags from the notes and
    any more ``options`` (e.g. ``["--server.disconnectedSessionTTL", "10"]``)."""
    return [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--global.developmentMode", "false",
        *options,
    ]  # fmt: skip


def start_streamlit(
    script: str | Path,
    *,
    timeout: float = 30.0,
    log_prefix: str = "streamlit-",
    options: Sequence[str] = (),
) -> tuple[subprocess.Popen, str, Any]:
    """Start `streamlit run script` from the repository root (so .streamlit/config.toml
    applies) in its own process group and wait until it is healthy: (process, base URL, the
    open log file). On failure the process is stopped and the log kept; `stop_streamlit`."""
    script = Path(script)
    if not script.is_absolute():
        script = ROOT / script
    if not script.exists():
        raise FileNotFoundError(f"no Streamlit script at {script}")
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix=log_prefix, suffix=".log", delete=False)
    proc = subprocess.Popen(
        streamlit_command(script, port, options),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with {proc.returncode} (log {log.name}):\n{_tail(log.name)}"
                )
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.read().strip() == b"ok":
                        return proc, url, log
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"streamlit not healthy after {timeout} s (log {log.name}):\n{_tail(log.name)}"
                )
            time.sleep(0.1)
    except BaseException:
        stop_streamlit(proc)
        log.close()
        raise


@contextlib.contextmanager
def streamlit_server(script: str | Path, *, timeout: float = 30.0) -> Iterator[str]:
    """Run `streamlit run script` from the repository root; yield its base URL."""
    proc, url, log = start_streamlit(script, timeout=timeout)
    _SERVER_PIDS[url] = proc.pid
    try:
        yield url
    finally:
        _SERVER_PIDS.pop(url, None)
        stop_streamlit(proc)
        log.close()
        os.unlink(log.name)


def server_pid(url: str) -> int | None:
    """The pid of the server `streamlit_server` started for url (for CPU accounting)."""
    return _SERVER_PIDS.get(url)


_SERVER_PIDS: dict[str, int] = {}


def stop_streamlit(proc: subprocess.Popen) -> None:
    """Stop the server's process group: SIGTERM, then SIGKILL after 10 s."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _tail(path: str, n: int = 40) -> str:
    with open(path, errors="replace") as f:
        return "".join(f.readlines()[-n:])


def launch_chromium(playwright: Any, **kwargs: Any) -> Any:
    """Debian's Chromium, headless, with the flags that work in this container."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **kwargs
    )


def wait_ready(page: Any, timeout: float = PAGE_TIMEOUT_S) -> None:
    """Wait until the app is connected, no script runs, and no skeleton is left."""
    ms = timeout * 1000
    for selector in READY_SELECTORS:
        page.wait_for_selector(selector, state="attached", timeout=ms)
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0",
        timeout=ms,
    )


#: Whether the live feed's last message was a paused one (a page without a feed: true).
PAUSED_JS = """() => [...document.querySelectorAll("[data-live-feed-key]")]
    .every((f) => f.dataset.playing === "0")"""


#: Whether every live chart has drawn all it received (plotly.js draws asynchronously: the
#: numbers of a frame show at once, its charts a moment later). A page without one: true.
CHARTS_IDLE_JS = """() => Object.values(window.__liveChart?.charts ?? {})
    .every((c) => c.disposed || (!c.busy && !c.dirty))"""


def wait_charts_idle(page: Any, timeout: float = PAGE_TIMEOUT_S) -> None:
    """Wait until every live chart has drawn the messages it received."""
    page.wait_for_function(CHARTS_IDLE_JS, timeout=timeout * 1000)


def wait_paused(page: Any, timeout: float = PAGE_TIMEOUT_S) -> None:
    """After Pause: wait until the feed's paused message has arrived (it shows the network as
    it is, dropping Play's frames still queued), no script runs and the charts have drawn it.
    The Play button comes earlier, from the top of the same run, while Play's last frames may
    still be shown."""
    page.wait_for_function(PAUSED_JS, timeout=timeout * 1000)
    wait_ready(page, timeout)
    wait_charts_idle(page, timeout)


def open_app(page: Any, base_url: str, query: str = "", *, timeout: float = PAGE_TIMEOUT_S) -> None:
    """Open base_url + query ("?dataset=circle", "/page?x=1") and wait until it is ready."""
    if query and not query.startswith(("?", "/")):
        query = "?" + query
    page.goto(base_url + query, wait_until="domcontentloaded", timeout=timeout * 1000)
    wait_ready(page, timeout)


def wait_drawn(page: Any, selectors: dict[str, str], timeout: float = PAGE_TIMEOUT_S) -> None:
    """Wait until every chart has drawn (a `.main-svg` inside it)."""
    for selector in selectors.values():
        page.wait_for_selector(f"{selector} .main-svg", state="attached", timeout=timeout * 1000)


# ---------------------------------------------------------------------------------------------
# In-page probe

PROBE_JS = """
(selectors) => {
  if (window.__probe) window.__probe.stop();
  const names = Object.keys(selectors);
  const probe = { frames: 0, charts: {}, running: true };
  for (const name of names) {
    probe.charts[name] = { plots: new Set(), ids: 0, drawn: false, blank: 0, updates: 0,
                           changed: false, observer: null, plot: null };
  }
  const plotOf = (el) =>
    el && (el.matches(".js-plotly-plot") ? el : el.querySelector(".js-plotly-plot"));
  const tick = () => {
    if (!probe.running) return;
    probe.frames += 1;
    for (const name of names) {
      const c = probe.charts[name];
      const el = document.querySelector(selectors[name]);
      const plot = plotOf(el);
      const hasSvg = !!(plot && plot.isConnected && plot.querySelector(".main-svg"));
      if (plot && !c.plots.has(plot)) {
        c.plots.add(plot);
        c.ids += 1;
      }
      if (plot !== c.plot) {
        if (c.observer) c.observer.disconnect();
        c.plot = plot;
        if (plot) {
          c.observer = new MutationObserver(() => { c.changed = true; });
          c.observer.observe(plot, { subtree: true, childList: true, attributes: true,
                                     characterData: true });
        }
      }
      if (hasSvg) c.drawn = true;
      else if (c.drawn) c.blank += 1;
      if (c.changed) { c.updates += 1; c.changed = false; }
    }
    requestAnimationFrame(tick);
  };
  probe.stop = () => {
    probe.running = false;
    for (const n of names) probe.charts[n].observer?.disconnect();
  };
  probe.read = () => ({
    frames: probe.frames,
    charts: Object.fromEntries(names.map((n) => {
      const c = probe.charts[n];
      const plot = c.plot;
      const redraws = plot && plot.dataset.updates !== undefined
        ? Number(plot.dataset.updates) : null;
      return [n, { divs: c.ids, blank: c.blank, updates: c.updates, redraws }];
    })),
    created: window.__liveChart ? { ...window.__liveChart.created } : {},
    resyncs: window.__liveChart ? { ...window.__liveChart.resyncs } : {},
    errors: window.__liveChart ? [...window.__liveChart.errors] : [],
  });
  window.__probe = probe;
  requestAnimationFrame(tick);
}
"""

ZOOM_SET_JS = """
([selector, xr, yr]) => {
  const el = document.querySelector(selector);
  const plot = el.matches(".js-plotly-plot") ? el : el.querySelector(".js-plotly-plot");
  return window.Plotly.relayout(plot, { "xaxis.range": xr, "yaxis.range": yr }).then(() => true);
}
"""

ZOOM_GET_JS = """
(selector) => {
  const el = document.querySelector(selector);
  const plot = el.matches(".js-plotly-plot") ? el : el.querySelector(".js-plotly-plot");
  const L = plot._fullLayout;
  return { x: [...L.xaxis.range], y: [...L.yaxis.range] };
}
"""

CLICK_LATENCY_JS = """
async ([button, selectors, timeoutMs]) => {
  const targets = selectors.map((s) => document.querySelector(s));
  return await new Promise((resolve) => {
    let t0 = 0;
    const waiting = new Set(targets);
    const observers = [];
    const stop = () => observers.forEach((o) => o.disconnect());
    const timer = setTimeout(() => { stop(); resolve(null); }, timeoutMs);
    for (const target of targets) {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        waiting.delete(target);
        if (waiting.size === 0) {
          clearTimeout(timer);
          requestAnimationFrame(() => resolve(performance.now() - t0));
        }
      });
      observer.observe(target, { subtree: true, childList: true, attributes: true,
                                 characterData: true });
      observers.push(observer);
    }
    t0 = performance.now();
    button.click();
  });
}
"""


# ---------------------------------------------------------------------------------------------
# Measurements


@dataclass
class PlayResult:
    seconds: float
    frames: int
    updates: dict[str, int]
    redraws: dict[str, int | None]
    divs: dict[str, int]
    blank: dict[str, int]
    created: dict[str, int]
    resyncs: dict[str, int]
    errors: list[str]
    server_cpu_s: float | None = None
    ws_bytes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def per_second(self, name: str) -> float:
        return self.updates[name] / self.seconds


class WebSocketBytes:
    """Bytes the page receives over websockets opened after this is attached."""

    def __init__(self, page: Any) -> None:
        self.total = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._add))

    def _add(self, payload: str | bytes) -> None:
        self.total += len(payload)


@dataclass(frozen=True)
class PlayControl:
    """How a page starts and stops Play: a Play button that turns into a Pause button."""

    play: str = "Play"
    pause: str = "Pause"

    def start(self, page: Any) -> None:
        button(page, self.play).click()
        button(page, self.pause).wait_for(timeout=15000)

    def stop(self, page: Any) -> None:
        """Pause, and wait until the page shows the paused state (``wait_paused``)."""
        button(page, self.pause).click()
        button(page, self.play).wait_for(timeout=15000)
        wait_paused(page)


def start_probe(page: Any, selectors: dict[str, str]) -> None:
    page.evaluate(PROBE_JS, selectors)


def read_probe(page: Any) -> dict[str, Any]:
    return page.evaluate("() => window.__probe.read()")


def button(page: Any, label: str) -> Any:
    return page.get_by_role("button", name=label, exact=True)


def measure_play(
    page: Any,
    selectors: dict[str, str],
    *,
    seconds: float = 5.0,
    control: PlayControl = PlayControl(),
    server_pid: int | None = None,
    ws_bytes: WebSocketBytes | None = None,
) -> PlayResult:
    """Start Play, watch the charts for `seconds`, stop."""
    start_probe(page, selectors)
    control.start(page)
    # The first frames after Play include the full figures; start counting once updates flow.
    first = next(iter(selectors))
    page.wait_for_function(
        "([n]) => window.__probe.read().charts[n].updates >= 3", arg=[first], timeout=15000
    )
    before = read_probe(page)
    cpu0 = _cpu_seconds(server_pid)
    bytes0 = ws_bytes.total if ws_bytes else 0
    t0 = time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    after = read_probe(page)
    elapsed = time.monotonic() - t0
    cpu1 = _cpu_seconds(server_pid)
    bytes1 = ws_bytes.total if ws_bytes else 0
    control.stop(page)
    names = list(selectors)
    b, a = before["charts"], after["charts"]
    return PlayResult(
        seconds=elapsed,
        frames=after["frames"] - before["frames"],
        updates={n: a[n]["updates"] - b[n]["updates"] for n in names},
        redraws={
            n: None if a[n]["redraws"] is None else a[n]["redraws"] - (b[n]["redraws"] or 0)
            for n in names
        },
        divs={n: a[n]["divs"] for n in names},
        blank={n: a[n]["blank"] for n in names},
        created=after["created"],
        resyncs=after["resyncs"],
        errors=after["errors"],
        server_cpu_s=None if cpu0 is None or cpu1 is None else cpu1 - cpu0,
        ws_bytes=bytes1 - bytes0,
    )


def measure_zoom(
    page: Any,
    selector: str,
    *,
    seconds: float = 2.0,
    control: PlayControl = PlayControl(),
    x_range: tuple[float, float] = (-0.5, 0.25),
    y_range: tuple[float, float] = (-0.25, 0.5),
) -> dict[str, Any]:
    """Zoom a chart with Plotly.relayout, play for `seconds`, read the ranges back."""
    page.evaluate(ZOOM_SET_JS, [selector, list(x_range), list(y_range)])
    set_to = page.evaluate(ZOOM_GET_JS, selector)
    start_probe(page, {"zoomed": selector})
    control.start(page)
    page.wait_for_timeout(seconds * 1000)
    control.stop(page)
    updates = read_probe(page)["charts"]["zoomed"]["updates"]
    after = page.evaluate(ZOOM_GET_JS, selector)
    kept = all(
        abs(p - q) < 1e-6
        for p, q in zip(after["x"] + after["y"], set_to["x"] + set_to["y"], strict=True)
    )
    return {"set": set_to, "after": after, "kept": kept, "updates_meanwhile": updates}


def measure_step_latency(
    page: Any, selector: str | list[str], *, step_label: str = "Step", clicks: int = 15
) -> list[float]:
    """Milliseconds from a Step click to the first frame after every chart (one selector or
    a list of them) changed."""
    selectors = [selector] if isinstance(selector, str) else list(selector)
    handle = button(page, step_label).element_handle()
    latencies = []
    for _ in range(clicks):
        wait_ready(page)
        ms = page.evaluate(CLICK_LATENCY_JS, [handle, selectors, 10000])
        if ms is not None:
            latencies.append(ms)
        page.wait_for_timeout(150)  # let the run finish before the next click
    return latencies


def _cpu_seconds(pid: int | None) -> float | None:
    """utime + stime of a process and its children, from /proc (Linux only)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--script", default="app.py")
    p.add_argument("--query", default="", help='e.g. "?dataset=xor&speed=10"')
    p.add_argument(
        "--chart",
        action="append",
        metavar="NAME=SELECTOR",
        help="a chart to watch (repeat); default: the Playground's four charts",
    )
    p.add_argument("--zoom-chart", default="boundary", help="NAME of the chart to zoom")
    p.add_argument(
        "--step-chart",
        default="all",
        help='NAME of the chart Step redraws, or "all": the time until every chart is redrawn',
    )
    p.add_argument(
        "--play-buttons",
        metavar="PLAY,PAUSE",
        default="Play,Pause",
        help="labels of the Play button and of the Pause button it turns into",
    )
    p.add_argument("--step-label", default="Step")
    p.add_argument("--seconds", type=float, default=5.0, help="seconds of Play to measure")
    p.add_argument("--clicks", type=int, default=15, help="Step clicks for the latency")
    p.add_argument("--screenshot", help="write a PNG of the page at the end")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    args = parse_args(argv)
    control = PlayControl(*args.play_buttons.split(","))
    charts = PLAYGROUND_CHARTS
    if args.chart:
        charts = dict(item.split("=", 1) for item in args.chart)
    with streamlit_server(args.script) as url, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        ws_bytes = WebSocketBytes(page)
        t0 = time.monotonic()
        open_app(page, url, args.query)
        wait_drawn(page, charts)
        print(f"{args.script}{args.query}: charts drawn {time.monotonic() - t0:.1f} s after goto")

        play = measure_play(
            page,
            charts,
            seconds=args.seconds,
            control=control,
            server_pid=server_pid(url),
            ws_bytes=ws_bytes,
        )
        print(f"\nPlay, {play.seconds:.1f} s, {play.frames} animation frames")
        for name in charts:
            extra = "" if play.redraws[name] is None else f", {play.redraws[name]} redraws"
            print(
                f"  {name:10s} {play.per_second(name):5.1f} updates/s{extra}; "
                f"plot divs seen {play.divs[name]} (remounts {play.divs[name] - 1}), "
                f"blank frames {play.blank[name]}"
            )
        total_updates = max(play.updates.values())
        if play.server_cpu_s is not None and total_updates:
            print(f"  server CPU {1000 * play.server_cpu_s / total_updates:.1f} ms per frame")
        if total_updates:
            print(f"  websocket {play.ws_bytes / total_updates / 1000:.1f} kB per frame")
        if play.created:
            print(f"  live_chart divs created {play.created}, resyncs {play.resyncs}")
        if play.errors:
            print(f"  errors in the page: {play.errors}")

        zoom = measure_zoom(
            page,
            charts[args.zoom_chart],
            control=control,
        )
        print(
            f"\nZoom on {args.zoom_chart}: set x={_fmt(zoom['set']['x'])} "
            f"y={_fmt(zoom['set']['y'])}, after 2 s of Play ({zoom['updates_meanwhile']} updates) "
            f"x={_fmt(zoom['after']['x'])} y={_fmt(zoom['after']['y'])}: "
            f"{'kept' if zoom['kept'] else 'LOST'}"
        )

        lat = measure_step_latency(
            page,
            list(charts.values()) if args.step_chart == "all" else charts[args.step_chart],
            step_label=args.step_label,
            clicks=args.clicks,
        )
        if lat:
            print(
                f"\nStep click -> {args.step_chart} redrawn: median {statistics.median(lat):.0f} ms"
                f" (min {min(lat):.0f}, max {max(lat):.0f}, n={len(lat)})"
            )
        else:
            print("\nStep: the chart never changed after a click")
        if args.screenshot:
            page.screenshot(path=args.screenshot, full_page=True)
        browser.close()


def _fmt(r: list[float]) -> str:
    return "[" + ", ".join(f"{v:.3f}" for v in r) + "]"


if __name__ == "__main__":
    main()
