"""A light Streamlit client: one websocket per session, speaking Streamlit's own protobufs.

Used by `load_test.py` and `soak.py` to stand in for many students' browsers at once: a real
headless Chromium needs about 100-120 ms of CPU per chart update (notes), so two cores cannot
drive more than one or two of them, while this client needs a few ms.

What a `Session` does, as the browser does (read from streamlit 1.67's frontend bundle and
`web/server/starlette/starlette_websocket.py`):

- connects to `ws://host/_stcore/stream` with the subprotocol `streamlit`, offering
  permessage-deflate as Chromium does (streamlit 1.67's server declines it: frames travel
  uncompressed, for a browser too);
- sends `BackMsg.rerun_script` (a `ClientState`: the query string, the page hash taken from the
  `navigation` message, widget states, optionally a fragment id) and reads every `ForwardMsg`;
- finds buttons by label (`Button.id` is the widget id) and presses one by sending its id with
  `trigger_value = true`, the way a click does;
- keeps the `st.metric` values it receives (label -> text), so a caller can check the Step
  counter;
- on `auto_rerun {interval, fragment_id}` (a fragment with `run_every`, i.e. Play) it does what
  the frontend does: a *fixed-period* timer (`setInterval(interval)`) that sends
  `rerun_script {fragment_id, is_auto_rerun: true}` whether or not the previous run has
  finished; `stop_auto_rerun` ends it. (`timer="after-finish"` instead waits for each run to
  finish and then `interval` more: a gentler, closed-loop variant.)
- reports the hashes of cacheable messages it holds (`cached_message_hashes`), so the server may
  answer with `ref_hash` as it would to a browser;
- with `sticky=True` (behind a proxy with session affinity, deploy/serve.py) it first loads the
  page and then /_stcore/health over HTTP, as the browser does, keeps the cookies they set (the
  proxy's worker cookie, Streamlit's `_streamlit_xsrf`) and sends them with the websocket
  handshake and with `upload_file`, so all of one session reaches one worker. `worker` is the
  worker the proxy named (its `X-Playground-Worker` header).

What it does NOT do: render anything, run plotly.js or the live-chart JS (so it never raises the
chart's `resync` trigger), or send the values of the ~30 sidebar widgets with every rerun (it
sends only the trigger it presses; the server keeps the other values in session state). The
browser's own CPU, which decides how smooth each student's picture is, is not measured here: it
is spent on each student's own laptop, not on the server.

Timing of one session's fragment runs (interval timer): Streamlit folds requests that arrive
while a run is in progress into one pending rerun, which starts as soon as the run ends. When
the next run starts before the server's event loop has sent the previous run's deltas, they are
dropped from the send queue and the previous run's `script_finished` is relabelled
`FINISHED_EARLY_FOR_RERUN` (`forward_msg_queue.clear`): the run's CPU was spent, its picture
never left the server. So:

- a *frame* is a fragment run that finished (`FINISHED_FRAGMENT_RUN_SUCCESSFULLY`): everything
  the run drew reached the client;
- a *dropped* run is a fragment run reported as `FINISHED_EARLY_FOR_RERUN` (its training step
  happened; some or all of its deltas never reached the client);
- the *latency* of a frame is from the oldest tick still waiting when a run started (the
  run's `new_session` message arrives) to that frame's `script_finished`: how long a student's
  timer waited for a complete picture. Ticks of dropped runs carry over to the next run.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import http.cookies
import itertools
import json
import math
import os
import re
import time
import urllib.error
import urllib.request
import uuid
from collections import OrderedDict, deque
from collections.abc import Coroutine, Iterator, Sequence
from dataclasses import dataclass, field, replace
from email.message import Message
from pathlib import Path
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

from benchmarks.browser_frames import start_streamlit, stop_streamlit

ROOT = Path(__file__).resolve().parents[1]
FINISHED_OK = ForwardMsg.FINISHED_SUCCESSFULLY
FINISHED_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
FINISHED_FRAGMENT = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
FINISHED_COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
CACHE_RUNS = 2  # runs a cached message hash is kept without being seen again (frontend-like)
_TILE = re.compile(
    r'data-label="([^"]*)"><div class="pg-label">[^<]*</div><div class="pg-value">([^<]*)<'
)
BROWSER_TICK = 0.3  # s: the app's Play asks for a run at most this often (ui/web/live.py TICK)
AFTER_FINISH_WATCHDOG = 5.0  # s: the after-finish timer asks again if no frame came back


# ---------------------------------------------------------------------------------------------
# The server and its process


@dataclass
class Server:
    url: str
    pid: int
    log: str


@contextlib.contextmanager
def streamlit_server(
    script: str = "app.py", *, timeout: float = 60.0, options: Sequence[str] = ()
) -> Iterator[Server]:
    """`streamlit run script` from the repository root (so .streamlit/config.toml applies), on
    127.0.0.1 with the flags of the notes and ``options``; stopped (its process group) on exit.
    The server's log is kept only when something went wrong."""
    proc, url, log = start_streamlit(
        ROOT / script, timeout=timeout, log_prefix="streamlit-load-", options=options
    )
    failed = True
    try:
        yield Server(url=url, pid=proc.pid, log=log.name)
        failed = False
    finally:
        stop_streamlit(proc)
        log.close()
        if not failed:
            os.unlink(log.name)


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime (fields 14, 15)


def main_thread_cpu(pid: int) -> float:
    """CPU seconds of a process's main thread (in `streamlit run`: the asyncio event loop that
    serves HTTP and websockets; scripts run in other, short-lived threads)."""
    with open(f"/proc/{pid}/task/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, all cores, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # without guest time, already counted in user
    return (total - idle) / _TICK, total / _TICK


def own_cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; nan for no values."""
    if not values:
        return math.nan
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo = math.floor(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


# ---------------------------------------------------------------------------------------------
# One session


@dataclass
class Stats:
    """What one session saw since the last `reset`."""

    ticks: int = 0  # auto-rerun requests sent
    frames: int = 0  # fragment runs that finished
    shown: int = 0  # frames in the live feeds received (a Play run carries several)
    dropped: int = 0  # fragment runs whose output the next run's start dropped
    full_runs: int = 0  # full-app runs that finished
    latencies: list[float] = field(default_factory=list)  # oldest waiting tick -> frame
    frame_times: list[float] = field(default_factory=list)  # monotonic time of each frame
    clicks: list[float] = field(default_factory=list)  # click -> run finished
    bytes_in: int = 0
    msgs_in: int = 0
    ref_hits: int = 0  # messages the server replaced by a ref_hash

    def frame_gaps(self) -> list[float]:
        t = self.frame_times
        return [b - a for a, b in itertools.pairwise(t)]


class ProtocolError(RuntimeError):
    pass


class Session:
    """One browser tab's worth of Streamlit session, without the browser."""

    def __init__(self, url: str, query: str = "", *, name: str = "", sticky: bool = False) -> None:
        self.url = url.rstrip("/")
        self.query = query.lstrip("?")
        self.name = name
        self.sticky = sticky
        self.cookies: dict[str, str] = {}  # name -> value, kept as a browser keeps them
        self.worker: str | None = None  # the worker a proxy named (X-Playground-Worker)
        self.session_id: str | None = None  # Streamlit's id of this session
        self.ws: ClientConnection | None = None
        self.page_hash = ""
        self.buttons: dict[str, str] = {}  # label -> widget id (the latest seen)
        self.live_fragment: str | None = None  # the fragment whose deltas were seen last
        self.feed_tick: float | None = None  # the last feed's tick (s), None when paused
        self.disabled: dict[str, bool] = {}
        self.metrics: dict[str, str] = {}  # label -> text, as last sent
        self.auto_rerun: dict[str, float] = {}  # fragment id -> interval (s)
        self.exceptions: list[str] = []
        self.stats = Stats()
        self.closed = False
        self._reader: asyncio.Task | None = None
        self._waiter: asyncio.Future | None = None
        self._cache: OrderedDict[str, int] = OrderedDict()  # hash -> run index last seen
        self._runs = 0
        self._ticks: deque[float] = deque()  # tick send times not yet taken by a run
        self._wait_since: float | None = None  # oldest tick waiting for a finished frame
        self._in_fragment_run = False
        self._sending: set[asyncio.Future] = set()  # ticks being written

    # ------------------------------------------------------------------ connection
    async def open(self, timeout: float = 60.0) -> float:
        """Connect and run the page once, as a new tab does. Returns seconds to script end."""
        ws_url = self.url.replace("http://", "ws://", 1) + "/_stcore/stream"
        t0 = time.monotonic()
        if self.sticky:  # the page, then the health check: as a browser starts
            page = f"{self.url}/?{self.query}" if self.query else f"{self.url}/"
            for url in (page, f"{self.url}/_stcore/health"):
                headers = await asyncio.to_thread(http_get, url, self.cookies, timeout)
                self.worker = headers.get("X-Playground-Worker", self.worker)
        self.ws = await connect(
            ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,  # the server sends no pings either; keep the client cheap
            user_agent_header="streamlit-light-client",
            additional_headers={"Cookie": cookie_header(self.cookies)} if self.cookies else None,
        )
        self._reader = asyncio.create_task(self._read(), name=f"read-{self.name}")
        await self._run_and_wait(self._rerun_msg(), timeout)
        return time.monotonic() - t0

    async def close(self) -> None:
        self.closed = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # ------------------------------------------------------------------ actions
    async def click(self, label: str, timeout: float = 60.0) -> float:
        """Press the button labelled `label`; seconds until the run it caused finished."""
        if label not in self.buttons:
            raise ProtocolError(f"{self.name}: no button {label!r}; have {sorted(self.buttons)}")
        msg = self._rerun_msg(trigger=self.buttons[label])
        dt = await self._run_and_wait(msg, timeout)
        self.stats.clicks.append(dt)
        return dt

    async def play(
        self, until: float, *, timer: str = "interval", interval: float | None = None
    ) -> None:
        """Press Play (unless already playing), then emulate the browser's Play timer until
        `time.monotonic() >= until` or the server stops it (Pause, divergence). `interval`
        overrides the period the server asked for (`run_every`)."""
        if not self.auto_rerun and "Pause" not in self.buttons:
            await self.click("Play")
        if not self.auto_rerun:
            # No server timer: the app's browser asks for each frame once it has drawn the
            # last one (a trigger of the boundary chart that reruns the `live` fragment).
            # Emulated by a rerun of that fragment after each frame: a closed loop.
            if self.live_fragment is None:
                raise ProtocolError(f"{self.name}: Play started neither a timer nor a fragment")
            await self._browser_driven(self.live_fragment, until, interval or BROWSER_TICK)
            return
        fragment, asked = next(iter(self.auto_rerun.items()))
        interval = asked if interval is None else interval
        loop = asyncio.get_running_loop()
        due = loop.time()
        seen = time.monotonic()  # the timer was last known to be on
        while not self.closed and time.monotonic() < until:
            if fragment in self.auto_rerun:
                seen = time.monotonic()
            elif time.monotonic() - seen > 1.0:  # stopped (Pause, divergence), not a rerun
                break
            if timer == "after-finish":
                if fragment in self.auto_rerun:
                    await self._tick_and_wait(fragment, until)
                await asyncio.sleep(interval)
            elif timer == "interval":
                due = max(due + interval, loop.time())  # no burst after a late wake-up
                await asyncio.sleep(due - loop.time())
                if time.monotonic() < until and fragment in self.auto_rerun:
                    self._send_tick(fragment)
            else:
                raise ValueError(f"timer must be 'interval' or 'after-finish', got {timer!r}")

    async def _browser_driven(self, fragment: str, until: float, interval: float) -> None:
        """As static/live_chart.js does: ask for the next run once a run has arrived, no sooner
        than the feed's tick (else `interval`) after the last request."""
        while not self.closed and time.monotonic() < until and "Pause" in self.buttons:
            asked = time.monotonic()
            await self._tick_and_wait(fragment, until)
            tick = self.feed_tick if isinstance(self.feed_tick, int | float) else interval
            await asyncio.sleep(max(0.0, asked + tick - time.monotonic()))

    async def _tick_and_wait(self, fragment: str, until: float) -> None:
        """Ask for a rerun of the fragment and wait until it finished (or the watchdog)."""
        self._waiter = asyncio.get_running_loop().create_future()
        self._send_tick(fragment)
        wait = min(AFTER_FINISH_WATCHDOG, max(0.0, until - time.monotonic()))
        with contextlib.suppress(TimeoutError):  # a lost frame: ask again
            await asyncio.wait_for(self._waiter, wait)

    def snapshot(self) -> Stats:
        """A copy of the stats so far. A tick still waiting for a finished run counts as a
        latency sample of its wait so far (a lower bound), so a starved session shows."""
        st = self.stats
        out = replace(
            st,
            latencies=list(st.latencies),
            frame_times=list(st.frame_times),
            clicks=list(st.clicks),
        )
        waiting = self._wait_since
        if waiting is None and self._ticks:
            waiting = self._ticks[0]
        if waiting is not None:
            out.latencies.append(time.monotonic() - waiting)
        return out

    def reset_stats(self) -> None:
        self.stats = Stats()
        self._ticks.clear()
        self._wait_since = None

    # ------------------------------------------------------------------ protocol
    def _rerun_msg(self, *, trigger: str | None = None, fragment: str | None = None) -> bytes:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.page_hash
        if trigger is not None:
            w = cs.widget_states.widgets.add()
            w.id = trigger
            w.trigger_value = True
        if fragment is not None:
            cs.fragment_id = fragment
            cs.is_auto_rerun = True
        cs.cached_message_hashes.extend(self._cache.keys())
        ci = cs.context_info
        ci.timezone, ci.timezone_offset, ci.locale = "UTC", 0, "en-US"
        ci.url, ci.is_embedded, ci.color_scheme = f"{self.url}/?{self.query}", False, "light"
        return msg.SerializeToString()

    def _send_tick(self, fragment: str) -> None:
        self.stats.ticks += 1
        self._ticks.append(time.monotonic())
        task = asyncio.ensure_future(self._send(self._rerun_msg(fragment=fragment)))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, data: bytes) -> None:
        if self.ws is None or self.closed:
            return
        with contextlib.suppress(Exception):
            await self.ws.send(data)

    async def _run_and_wait(self, data: bytes, timeout: float) -> float:
        loop = asyncio.get_running_loop()
        self._waiter = loop.create_future()
        t0 = time.monotonic()
        await self._send(data)
        try:
            await asyncio.wait_for(self._waiter, timeout)
        except TimeoutError:
            raise ProtocolError(f"{self.name}: no script_finished within {timeout} s") from None
        return time.monotonic() - t0

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                self._handle(raw, time.monotonic())
        except Exception as error:  # connection lost: wake a waiting caller
            if not self.closed and self._waiter is not None and not self._waiter.done():
                self._waiter.set_exception(ProtocolError(f"{self.name}: {error!r}"))
        finally:
            if self._waiter is not None and not self._waiter.done() and not self.closed:
                self._waiter.set_exception(ProtocolError(f"{self.name}: connection closed"))

    def _read_tiles(self, body: str) -> None:
        for label, value in _TILE.findall(body):
            self.metrics[html.unescape(label)] = html.unescape(value)

    def _handle(self, raw: bytes, now: float) -> None:
        st = self.stats
        st.bytes_in += len(raw)
        st.msgs_in += 1
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if msg.metadata.cacheable and msg.hash:
            self._cache[msg.hash] = self._runs
            self._cache.move_to_end(msg.hash)
        if kind == "delta":
            delta = msg.delta
            if delta.fragment_id:
                self.live_fragment = delta.fragment_id
            if delta.WhichOneof("type") == "new_element":
                el = delta.new_element
                et = el.WhichOneof("type")
                if et == "metric":
                    self.metrics[el.metric.label] = el.metric.body
                elif et == "html":  # numbers as one element of tiles by label
                    self._read_tiles(el.html.body)
                elif et == "bidi_component" and el.bidi_component.component_name.endswith(
                    "live_feed"
                ):  # the Playground's feed: its frames, the numbers in each
                    feed = json.loads(el.bidi_component.bytes)
                    frames = feed.get("frames", [])
                    self.feed_tick = feed.get("tick")  # Play's tick, as the browser reads it
                    st.shown += len(frames)
                    if frames:
                        self._read_tiles(frames[-1].get("html") or "")
                elif et == "button":
                    self.buttons[el.button.label] = el.button.id
                    self.disabled[el.button.label] = el.button.disabled
                elif et == "exception":
                    self.exceptions.append(el.exception.message)
        elif kind == "new_session":  # a run starts
            if msg.new_session.HasField("initialize"):
                self.session_id = msg.new_session.initialize.session_id
            self._runs += 1
            self._in_fragment_run = bool(msg.metadata.run.fragment_ids)
            if not self._in_fragment_run:
                self.auto_rerun.clear()  # the frontend drops its timers; the run re-sends them
            if self._in_fragment_run and self._ticks:
                oldest = self._ticks[0]
                if self._wait_since is None or oldest < self._wait_since:
                    self._wait_since = oldest
                self._ticks.clear()
            for h, seen in list(self._cache.items()):
                if self._runs - seen > CACHE_RUNS:
                    del self._cache[h]
        elif kind == "script_finished":
            status = msg.script_finished
            if status == FINISHED_FRAGMENT:
                st.frames += 1
                st.frame_times.append(now)
                if self._wait_since is not None:
                    st.latencies.append(now - self._wait_since)
                    self._wait_since = None
            elif status == FINISHED_EARLY:
                if self._in_fragment_run:
                    st.dropped += 1
            elif status == FINISHED_OK:
                st.full_runs += 1
            if status != FINISHED_EARLY and self._waiter is not None and not self._waiter.done():
                self._waiter.set_result(now)
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "auto_rerun":
            self.auto_rerun[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                self.auto_rerun.pop(fragment, None)
        elif kind == "ref_hash":
            st.ref_hits += 1
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self.exceptions.append(msg.session_event.script_compilation_exception.message)

    def step_count(self) -> int:
        return int(self.metrics.get("Step", "-1").replace(",", ""))


# ---------------------------------------------------------------------------------------------
# Plain HTTP beside the websocket, with a browser's cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def http_get(url: str, cookies: dict[str, str], timeout: float = 30.0) -> Message:
    """GET url sending `cookies`; store the cookies the answer sets into `cookies` (as a
    browser would) and return the answer's headers."""
    req = urllib.request.Request(url, headers={"Cookie": cookie_header(cookies)} if cookies else {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        r.read()
        _keep_cookies(r.headers.get_all("Set-Cookie") or [], cookies)
        return r.headers  # names are case-insensitive here


def _keep_cookies(set_cookie: list[str], cookies: dict[str, str]) -> None:
    for header in set_cookie:
        jar = http.cookies.SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            cookies[name] = morsel.value


def upload_file(
    url: str,
    session_id: str,
    filename: str,
    data: bytes,
    cookies: dict[str, str],
    *,
    timeout: float = 30.0,
) -> tuple[int, str]:
    """PUT one file to Streamlit's upload endpoint for `session_id`, the way the browser's
    file uploader does (multipart form, the XSRF cookie echoed in X-Xsrftoken). Returns the
    HTTP status and body: 204 when the process holding the session took it, 400 "Invalid
    session_id" when the request reached a process that does not know the session."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if cookies:
        headers["Cookie"] = cookie_header(cookies)
    if "_streamlit_xsrf" in cookies:
        headers["X-Xsrftoken"] = cookies["_streamlit_xsrf"]
    file_id = uuid.uuid4().hex
    req = urllib.request.Request(
        f"{url.rstrip('/')}/_stcore/upload_file/{session_id}/{file_id}",
        data=body,
        method="PUT",
        headers=headers,
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def run_and_save(coro: Coroutine[Any, Any, Any], json_path: Path | None) -> int:
    """Run a benchmark's main coroutine; write its result as JSON when a path is given."""
    result = asyncio.run(coro)
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result, indent=2, default=str))
        print(f"wrote {json_path}")
    return 0
