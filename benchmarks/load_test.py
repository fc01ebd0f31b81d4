"""Load test on loopback: N students pressing Play at once on one `streamlit run app.py`.

    python benchmarks/load_test.py                     # N = 1, 5, 10, 20, 30; 20 s each
    python benchmarks/load_test.py --quick             # N = 1, 10, 30; 8 s each (~1 min)
    python benchmarks/load_test.py --levels 5,15 --duration 30 --query "?dataset=spiral"
    python benchmarks/load_test.py --timer after-finish  # closed loop instead of setInterval
    python benchmarks/load_test.py --json benchmarks/results/load.json
    python benchmarks/load_test.py --workers 2         # 2 workers behind HAProxy (deploy/serve.py)
    python benchmarks/load_test.py --compare-workers 1,2 --levels 30   # 1 vs 2 workers, one run
    python benchmarks/load_test.py --url http://host:8501 --pids 123,456  # a running server/proxy
    python benchmarks/load_test.py --community-cloud   # one process on one core (see below)

Method. The script starts one Streamlit server on 127.0.0.1 (flags of the notes, the repo's
.streamlit/config.toml) and, for each N, opens N sessions with the light protocol client of
`streamlit_client.py` (one websocket each, Streamlit's own protobufs, one asyncio loop in this
process) plus one more "probe" session. Each of the N sessions presses Play and then does what
the browser's Play timer does: it asks for a rerun of the `live` fragment every `run_every`
seconds (0.05 s, sent by the server in `auto_rerun`), whether or not the previous run finished.
With `--timer after-finish` a session instead asks for the next frame only once the previous
one has arrived, `run_every` later: what a Play loop driven from the browser's chart (instead of
a fixed timer) would cost the server. The probe does not play: it presses Step about once a
second, like a student stepping while the rest of the room plays, and times click ->
`script_finished`. After a warm-up, for a fixed `--duration`, it records:

- server CPU (utime + stime of the server process from /proc, all threads), as cores used, per
  delivered frame (CPU seconds / frames in the runs whose output arrived, so it grows when runs
  are dropped), and the share spent in the main thread (the event loop that sends); RSS at the
  end;
- per playing session: frames/s (frames in the feeds of fragment runs whose output all
  arrived: a Play run carries several, see ui/web/live.py), dropped runs (the
  next run started before the server had sent this one's deltas, so they were thrown away:
  `FINISHED_EARLY_FOR_RERUN`), and the frame latency (oldest waiting tick -> finished run);
- the probe's Step latency, median and p95 (the target: p95 <= 500 ms for 30 students);
- KB received per frame (what each student's Wi-Fi carries), this process's own CPU, and the
  CPU that other processes used meanwhile (the machine is shared: a busy neighbour slows the
  server and shows here);
- then it closes every websocket (tabs closed) and measures the server's CPU for 2 s more: a
  Play loop must stop with its tab, since its timer lives in the browser.

Several processes. `--workers N` starts `python -m deploy.serve`'s stack instead (N Streamlit
workers behind HAProxy on loopback) and the clients go through the proxy like browsers: each
loads the page and the health check first and keeps the cookies (the proxy's worker cookie,
Streamlit's XSRF cookie), so its websocket reaches one worker; "server" CPU is then the sum of
the workers', HAProxy's own is a column of its own, and the table says how many sessions each
worker got. `--compare-workers 1,2` runs the same levels with 1 and then 2 workers, in one
run, and prints what changed as ratios (frames/s, frames/s per session, frame and Step p95,
server cores). `--url` measures a server or proxy that is already running (sticky clients;
its CPU only with `--pids`).

Limited resources. `--cpus 0` pins the server's threads to core 0 (and this load generator to
the other cores); `--cpu-quota 0.5` puts the server in a cgroup with half a core of CPU time
(cgroup v1 or v2, needs root and a writable cgroup file system); `--community-cloud` is one
process on one core with the levels 1, 5, 10, 20, 30, and prints its memory against Community
Cloud's 690 MB-2.7 GB. One Streamlit process cannot use much more than one core (one GIL), so
Community Cloud's upper 2 cores carry what one core carries; add `--cpu-quota` for its lower
figures.

It stops early when a level's p95 exceeds `--stop-p95` seconds. Every session and every level is
bounded in time; all sessions close by themselves.

What is NOT measured: the light client replaces the browser, so nothing is rendered, no
plotly.js runs, and the chart's `resync` trigger is never raised; the browser's CPU (about
100-120 ms per update in headless Chromium on this machine, see the notes) is spent on each
student's own laptop, not on the server, and the Step latency a student sees adds that drawing
time to the figure here. It sends only the button it presses, not the ~30 sidebar widget values
a browser sends with every rerun (the server parses those; a small cost not modelled). The
clients run on the same 2 cores as the server, so the server had less than 2 cores: the
table shows how much the client and other processes took.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import cpu_limit
from benchmarks.streamlit_client import (
    ProtocolError,
    Session,
    cpu_seconds,
    machine_cpu,
    main_thread_cpu,
    own_cpu_seconds,
    percentile,
    rss_bytes,
    run_and_save,
    streamlit_server,
)

TARGET_STUDENTS = 30
TARGET_P95 = 0.5  # seconds
OPEN_CONCURRENCY = 4  # tabs opening at the same moment
COMMUNITY_CLOUD_MB = (690, 2765)  # memory an app gets there (documented Feb 2024)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--levels", default="1,5,10,20,30", help="numbers of playing sessions")
    p.add_argument("--duration", type=float, default=20.0, help="measured seconds per level")
    p.add_argument("--warmup", type=float, default=3.0, help="seconds of Play before measuring")
    p.add_argument("--query", default="", help='the page link, e.g. "?dataset=spiral"')
    p.add_argument(
        "--timer",
        choices=("interval", "after-finish"),
        default="interval",
        help="interval: the browser's setInterval (default); after-finish: wait for each run",
    )
    p.add_argument("--interval", type=float, help="override the Play period run_every (s)")
    p.add_argument("--no-probe", action="store_true", help="no Step probe session")
    p.add_argument("--stop-p95", type=float, default=2.0, help="stop when a p95 exceeds this (s)")
    p.add_argument("--max-sessions", type=int, default=60, help="refuse larger levels")
    p.add_argument("--seed", type=int, default=0, help="seed of the probe's click pauses")
    p.add_argument("--quick", action="store_true", help="N = 1, 10, 30; 8 s each")
    p.add_argument("--json", type=Path, help="also write the results here")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, help="N workers behind HAProxy (deploy/serve.py)")
    where.add_argument("--compare-workers", help='worker counts to compare in one run, e.g. "1,2"')
    where.add_argument("--url", help="a running server or proxy (nothing is started)")
    p.add_argument("--pids", help="with --url: the server processes whose CPU to count")
    p.add_argument("--cpus", help='pin the server to these cores, e.g. "0" (taskset -c style)')
    p.add_argument(
        "--pin", action="store_true", help="with --workers: a core each (deploy.serve --pin)"
    )
    p.add_argument("--cpu-quota", type=float, help="limit the server to this many cores (cgroup)")
    p.add_argument(
        "--community-cloud", action="store_true", help="one process on one core, levels 1-30"
    )
    args = p.parse_args(argv)
    if args.quick:
        args.levels, args.duration, args.warmup = "1,10,30", 8.0, 2.0
    if args.community_cloud:
        if args.workers or args.compare_workers or args.url:
            p.error("--community-cloud measures one process started here")
        args.cpus = args.cpus or "0"
    args.worker_counts = [args.workers] if args.workers else []
    if args.compare_workers:
        args.worker_counts = [int(n) for n in args.compare_workers.split(",") if n.strip()]
    if any(not 1 <= n <= 16 for n in args.worker_counts):
        p.error("worker counts must be between 1 and 16")
    if args.pids and not args.url:
        p.error("--pids goes with --url")
    args.pid_list = [int(x) for x in args.pids.split(",")] if args.pids else []
    if args.cpus:
        try:
            args.cpu_set = cpu_limit.parse_cpus(args.cpus)
        except ValueError as error:
            p.error(f"--cpus: {error}")
    else:
        args.cpu_set = None
    if args.cpu_quota is not None:
        try:
            cpu_limit.quota_values(args.cpu_quota)
        except ValueError as error:
            p.error(f"--cpu-quota: {error}")
    if args.url and (args.cpu_set or args.cpu_quota):
        p.error("--cpus and --cpu-quota limit a server started here, not one at --url")
    args.levels = [int(n) for n in str(args.levels).split(",") if n.strip()]
    if not args.levels or min(args.levels) < 1 or max(args.levels) > args.max_sessions:
        p.error(f"levels must be between 1 and --max-sessions={args.max_sessions}")
    if not 1 <= args.duration <= 600 or not 0 <= args.warmup <= 60:
        p.error("duration must be 1-600 s and warmup 0-60 s")
    return args


async def _open_all(sessions: list[Session]) -> list[float]:
    gate = asyncio.Semaphore(OPEN_CONCURRENCY)

    async def one(s: Session) -> float:
        async with gate:
            return await s.open()

    return list(await asyncio.gather(*(one(s) for s in sessions)))


async def _probe_steps(probe: Session, until: float, rng: random.Random) -> None:
    while time.monotonic() < until:
        await probe.click("Step", timeout=max(1.0, until - time.monotonic() + 10))
        await asyncio.sleep(rng.uniform(0.5, 1.0))


# ---------------------------------------------------------------------------------------------
# What is measured: one server, a proxy and its workers, or something already running


@dataclass
class Target:
    """Where the clients connect, and which processes' CPU and memory are the server's."""

    url: str
    pids: list[int]  # the Streamlit processes (empty: not measured)
    proxy_pid: int | None = None
    sticky: bool = False  # clients keep cookies (behind a proxy)
    label: str = "1 process"
    workers: int = 1
    limit: dict = field(default_factory=dict)  # how the server's CPU was limited

    def cpu(self) -> float:
        return sum(cpu_seconds(p) for p in self.pids) if self.pids else math.nan

    def loop_cpu(self) -> float:
        return sum(main_thread_cpu(p) for p in self.pids) if self.pids else math.nan

    def proxy_cpu(self) -> float:
        return cpu_seconds(self.proxy_pid) if self.proxy_pid else math.nan

    def rss(self) -> float:
        return sum(rss_bytes(p) for p in self.pids) if self.pids else math.nan


@contextlib.contextmanager
def target(args: argparse.Namespace, workers: int | None) -> Iterator[Target]:
    """Start what --workers / the default ask for (or name what --url is), with its limits."""
    with contextlib.ExitStack() as stack:
        if args.url:
            yield Target(args.url, args.pid_list, sticky=True, label=f"at {args.url}")
            return
        if workers:
            from deploy.serve import free_port, serving

            served = stack.enter_context(
                serving(workers, port=free_port(), address="127.0.0.1", pin=args.pin)
            )
            pids = [w.pid for w in served.workers]
            t = Target(
                served.url,
                pids,
                proxy_pid=served.haproxy.pid,
                sticky=True,
                label=f"{workers} worker{'s' * (workers > 1)} behind HAProxy",
                workers=workers,
            )
            pinned = {w.core for w in served.workers if w.core is not None}
            others = set(os.sched_getaffinity(0)) - pinned
            if pinned and others and not args.cpu_set:  # deploy.serve pins each worker
                stack.callback(os.sched_setaffinity, 0, os.sched_getaffinity(0))
                os.sched_setaffinity(0, others)  # the load generator keeps off their cores
                t.label += f" (pinned to cores {sorted(pinned)})"
        else:
            server = stack.enter_context(streamlit_server("app.py"))
            t = Target(server.url, [server.pid])
        if args.cpu_set:
            cpu_limit.pin(t.pids, args.cpu_set)
            others = set(os.sched_getaffinity(0)) - args.cpu_set
            if others:  # the load generator keeps off the server's cores
                stack.callback(os.sched_setaffinity, 0, os.sched_getaffinity(0))
                os.sched_setaffinity(0, others)
            t.limit["cpus"] = sorted(args.cpu_set)
        if args.cpu_quota:
            group = stack.enter_context(cpu_limit.cpu_quota(t.pids, args.cpu_quota))
            t.limit["cpu_quota_cores"] = args.cpu_quota
            t.limit["cgroup"] = str(group)
        if t.limit:
            t.label += " (" + ", ".join(f"{k}={v}" for k, v in t.limit.items() if k != "cgroup")
            t.label += ")"
        yield t


async def run_level(tg: Target, n: int, args: argparse.Namespace) -> dict:
    rng = random.Random(args.seed + n)
    url = tg.url
    players = [Session(url, args.query, name=f"student{i}", sticky=tg.sticky) for i in range(n)]
    probe = None if args.no_probe else Session(url, args.query, name="probe", sticky=tg.sticky)
    everyone = players + ([probe] if probe else [])
    try:
        open_times = await _open_all(everyone)

        async def press_play(s: Session, delay: float) -> None:
            await asyncio.sleep(delay)
            await s.click("Play")

        # everyone presses Play within about a second
        await asyncio.gather(*(press_play(s, rng.uniform(0, 1)) for s in players))
        t_measure = time.monotonic() + args.warmup
        t_end = t_measure + args.duration
        tasks = [
            asyncio.create_task(s.play(t_end, timer=args.timer, interval=args.interval))
            for s in players
        ]
        if probe is not None:
            tasks.append(asyncio.create_task(_probe_steps(probe, t_end, rng)))
        await asyncio.sleep(max(0.0, t_measure - time.monotonic()))
        for s in everyone:
            s.reset_stats()
        loop0, proxy0 = tg.loop_cpu(), tg.proxy_cpu()
        cpu0, own0, (busy0, total0), w0 = (
            tg.cpu(),
            own_cpu_seconds(),
            machine_cpu(),
            time.monotonic(),
        )
        await asyncio.sleep(max(0.0, t_end - time.monotonic()))
        cpu1, own1, (busy1, total1), w1 = (
            tg.cpu(),
            own_cpu_seconds(),
            machine_cpu(),
            time.monotonic(),
        )
        loop1, proxy1 = tg.loop_cpu(), tg.proxy_cpu()
        snapshots = [s.snapshot() for s in everyone]
        rss = tg.rss()
        results = await asyncio.wait_for(
            asyncio.gather(*tasks, return_exceptions=True), timeout=args.stop_p95 + 30
        )
        errors = [repr(r) for r in results if isinstance(r, BaseException)]
    finally:
        await asyncio.gather(*(s.close() for s in everyone))
    # tabs closed: the server must go quiet
    c0, t0 = tg.cpu(), time.monotonic()
    await asyncio.sleep(2.0)
    idle_cpu = (tg.cpu() - c0) / (time.monotonic() - t0)

    wall = w1 - w0
    server_cpu = cpu1 - cpu0
    player_stats = snapshots[:n]
    probe_stats = snapshots[n] if probe is not None else None
    frames = sum(s.frames for s in snapshots)  # the probe's Step runs are frames too
    shown = sum(s.shown for s in snapshots) or frames  # frames the browsers would draw
    dropped = sum(s.dropped for s in player_stats)
    player_frames = sum(s.frames for s in player_stats)
    latencies = [x for s in player_stats for x in s.latencies]
    gaps = [x for s in player_stats for x in s.frame_gaps()]
    steps = probe_stats.clicks if probe_stats else []
    per_client_fps = [(s.shown or s.frames) / wall for s in player_stats]
    machine_busy = (busy1 - busy0) / wall
    proxy_cpu = proxy1 - proxy0 if tg.proxy_pid else 0.0
    measured_cpu = 0.0 if math.isnan(server_cpu) else server_cpu
    cores = os.cpu_count() or 1
    exceptions = sorted({e for s in everyone for e in s.exceptions})
    return {
        "n": n,
        "workers": tg.workers,
        "target": tg.label,
        "sessions_per_worker": dict(sorted(Counter(s.worker or "?" for s in players).items())),
        "proxy_cores": proxy_cpu / wall if tg.proxy_pid else math.nan,
        "tick_s": args.interval or next((t for s in players for t in s.auto_rerun.values()), None),
        "probe": probe is not None,
        "wall_s": wall,
        "server_cores": server_cpu / wall,
        "server_ms_per_frame": 1000 * server_cpu / shown if shown else math.nan,
        "server_ms_per_run": 1000 * server_cpu / frames if frames else math.nan,
        "event_loop_share": (loop1 - loop0) / server_cpu if server_cpu else math.nan,
        "frames": frames,
        "frames_per_s": shown / wall,
        "runs": frames,
        "frames_per_run": shown / frames if frames else math.nan,
        "fps_per_client_median": percentile(per_client_fps, 50),
        "fps_per_client_min": min(per_client_fps, default=math.nan),
        "dropped_share": dropped / max(1, dropped + player_frames),
        "frame_latency_p50_ms": 1000 * percentile(latencies, 50),
        "frame_latency_p95_ms": 1000 * percentile(latencies, 95),
        "frame_gap_p95_ms": 1000 * percentile(gaps, 95),
        "step_latency_p50_ms": 1000 * percentile(steps, 50),
        "step_latency_p95_ms": 1000 * percentile(steps, 95),
        "step_clicks": len(steps),
        "step_latencies_ms": sorted(round(1000 * x, 1) for x in steps),
        "rss_mb": rss / 2**20,
        "limit": tg.limit,
        "kb_per_frame": sum(s.bytes_in for s in player_stats)
        / max(1, sum((s.shown or s.frames) + s.dropped for s in player_stats))
        / 1024,
        "client_cores": (own1 - own0) / wall,
        "other_cores": max(
            0.0, machine_busy - (measured_cpu + proxy_cpu) / wall - (own1 - own0) / wall
        ),
        "machine_cores": cores,
        "machine_total_s": (total1 - total0) / cores,
        "open_p95_s": percentile(open_times, 95),
        "idle_cpu_after_close_ms_per_s": 1000 * idle_cpu,
        "errors": errors,
        "exceptions": exceptions,
    }


COLUMNS = (
    ("n", "N", "{:>3d}"),
    ("workers", "W", "{:>2d}"),
    ("server_cores", "srv cores", "{:9.2f}"),
    ("proxy_cores", "proxy", "{:5.2f}"),
    ("server_ms_per_frame", "ms CPU/frame", "{:12.1f}"),
    ("event_loop_share", "in loop", "{:7.0%}"),
    ("frames_per_s", "frames/s", "{:8.1f}"),
    ("fps_per_client_median", "fps/student", "{:11.1f}"),
    ("fps_per_client_min", "fps min", "{:7.1f}"),
    ("dropped_share", "dropped", "{:7.0%}"),
    ("frame_latency_p50_ms", "frame p50", "{:9.0f}"),
    ("frame_latency_p95_ms", "frame p95", "{:9.0f}"),
    ("step_latency_p50_ms", "Step p50", "{:8.0f}"),
    ("step_latency_p95_ms", "Step p95", "{:8.0f}"),
    ("rss_mb", "RSS MB", "{:6.0f}"),
    ("kb_per_frame", "KB/frame", "{:8.1f}"),
    ("client_cores", "client", "{:6.2f}"),
    ("other_cores", "others", "{:6.2f}"),
    ("open_p95_s", "open p95 s", "{:10.2f}"),
    ("idle_cpu_after_close_ms_per_s", "CPU after close ms/s", "{:20.1f}"),
)


def _cell(row: dict, key: str, fmt: str) -> str:
    value = row.get(key)
    width = int("".join(c for c in fmt.split(":")[1].split(".")[0] if c.isdigit()) or 0)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—".rjust(width)
    return fmt.format(value)


def table(rows: list[dict]) -> str:
    head = "  ".join(
        title.rjust(int("".join(c for c in f.split(":")[1].split(".")[0] if c.isdigit())))
        for _, title, f in COLUMNS
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        lines.append("  ".join(_cell(row, key, f) for key, _, f in COLUMNS))
    return "\n".join(lines)


def _worst_p95(row: dict) -> float:
    """The larger p95 (s) of Step and frame latency; inf when nothing finished."""
    values = [row["step_latency_p95_ms"], row["frame_latency_p95_ms"]]
    if row["frames"] == 0 or all(math.isnan(v) for v in values):
        return math.inf
    return max(v for v in values if not math.isnan(v)) / 1000


def _ok(row: dict) -> bool:
    step = row["step_latency_p95_ms"]
    frame = row["frame_latency_p95_ms"]
    step_ok = math.isnan(step) or step <= 1000 * TARGET_P95
    return step_ok and not math.isnan(frame) and frame <= 1000 * TARGET_P95 and not row["errors"]


def conclusion(rows: list[dict]) -> tuple[int, str]:
    """The largest level within the target, measured; then what the CPU per frame implies."""
    carried = max((r["n"] for r in rows if _ok(r)), default=0)
    failed = [r["n"] for r in rows if not _ok(r) and r["n"] > carried]
    beyond = f"; {min(failed)} did not" if failed else " (the largest level tried)"
    limit = rows[0].get("limit") or {} if rows else {}
    cap = limit.get("cpu_quota_cores") or (len(limit["cpus"]) if limit.get("cpus") else None)
    where = f"one server limited to {cap:g} core(s)" if cap else "one 2-core server"
    text = (
        f"Measured: {where} carried {carried} students playing at once with Step "
        f"and frame latency p95 <= {1000 * TARGET_P95:.0f} ms{beyond}: target "
        f"{TARGET_STUDENTS} {'MET' if carried >= TARGET_STUDENTS else 'MISSED'}."
    )
    calm = [
        r
        for r in rows
        if r.get("dropped_share", 0) < 0.05 and not math.isnan(r["server_ms_per_frame"])
    ]
    if not calm:  # every level dropped frames: the least saturated one bounds the cost
        usable = [r for r in rows if not math.isnan(r["server_ms_per_frame"])]
        calm = sorted(usable, key=lambda r: r.get("dropped_share", 0))[:1]
    if calm:
        ms = percentile([r["server_ms_per_frame"] for r in calm], 50)
        cores = max(1.0, *(r.get("server_cores", 0) for r in rows))
        if cap:  # a quota or fewer cores than one GIL could use
            cores = min(cap, cores)
        fps = 1000 * cores / ms
        tick = calm[0].get("tick_s") or 0.05
        per_run = calm[0].get("frames_per_run") or 1.0
        most = per_run / tick  # Play's most frames/s: a run per tick, its frames shown
        workers = rows[0].get("workers", 1)
        used = (
            "one server process used at most"
            if workers == 1
            else f"its {workers} processes used at most"
        )
        gil = "one GIL" if workers == 1 else "one GIL each"
        text += (
            f" From CPU: ~{ms:.0f} ms of server CPU per frame; {used} "
            f"{cores:.2f} cores ({gil}), so it serves about {fps:.0f} frames/s in all: "
            f"{fps / most:.0f} students at Play's {most:.0f} frames/s, or "
            f"{fps / TARGET_STUDENTS:.1f} frames/s each for {TARGET_STUDENTS} students."
        )
    return carried, text


async def _warm_up(tg: Target, query: str) -> None:
    """One Step on every worker: imports, caches, static files (a proxy's leastconn sends
    sessions opened together to different workers)."""
    sessions = [
        Session(tg.url, query, name=f"warm-up{i}", sticky=tg.sticky) for i in range(tg.workers)
    ]
    try:
        for s in sessions:
            await s.open()
        for s in sessions:
            await s.click("Step")
    finally:
        await asyncio.gather(*(s.close() for s in sessions))


async def measure(args: argparse.Namespace, workers: int | None) -> dict:
    """Every level against one target (started here unless --url); its rows and conclusion."""
    rows: list[dict] = []
    with target(args, workers) as tg:
        c0, w0 = tg.cpu(), time.monotonic()
        await asyncio.sleep(2.0)
        baseline = 1000 * (tg.cpu() - c0) / (time.monotonic() - w0)
        proxy = f", HAProxy pid {tg.proxy_pid}" if tg.proxy_pid else ""
        print(
            f"{tg.label}: {tg.url}, pids {tg.pids}{proxy}; CPU with no session {baseline:.1f} ms/s",
            flush=True,
        )
        print(
            f"levels {args.levels}, {args.duration:g} s each after {args.warmup:g} s warm-up, "
            f"timer={args.timer}, query={args.query!r}, probe={'no' if args.no_probe else 'yes'}",
            flush=True,
        )
        await _warm_up(tg, args.query)
        for n in args.levels:
            try:
                row = await run_level(tg, n, args)
            except (ProtocolError, OSError, TimeoutError) as error:
                print(f"N={n}: failed: {error!r}", flush=True)
                rows.append({"n": n, "failed": repr(error)})
                break
            rows.append(row)
            print(table([row]).splitlines()[-1] if len(rows) > 1 else table([row]), flush=True)
            if tg.sticky:
                print(f"   sessions per worker: {row['sessions_per_worker']}", flush=True)
            if row["errors"] or row["exceptions"]:
                print(f"   errors: {row['errors']} exceptions: {row['exceptions']}", flush=True)
            worst = _worst_p95(row)
            if worst > args.stop_p95:
                print(f"stopping: p95 {worst:.2f} s > {args.stop_p95:g} s", flush=True)
                break
        label = tg.label
    good = [r for r in rows if "failed" not in r]
    carried, text = conclusion(good)
    return {
        "target": label,
        "workers": workers or 1,
        "server_idle_cpu_ms_per_s_before_any_session": baseline,
        "rows": rows,
        "students_carried": carried,
        "conclusion": text,
    }


COMPARED = (
    ("frames_per_s", "frames/s", "{:8.1f}"),
    ("fps_per_client_median", "fps/session", "{:11.1f}"),
    ("frame_latency_p95_ms", "frame p95", "{:9.0f}"),
    ("step_latency_p95_ms", "Step p95", "{:8.0f}"),
    ("server_cores", "srv cores", "{:9.2f}"),
    ("proxy_cores", "proxy", "{:5.2f}"),
    ("client_cores", "client", "{:6.2f}"),
    ("other_cores", "others", "{:6.2f}"),
)


def comparison(runs: list[dict]) -> str:
    """Each level side by side for each worker count, then each count's ratio to the first."""
    head = "  ".join(["  N", "workers", *(t.rjust(len(f.format(0.0))) for _, t, f in COMPARED)])
    lines = [head, "-" * len(head)]
    levels = sorted({r["n"] for run in runs for r in run["rows"] if "failed" not in r})
    for n in levels:
        by_count = {
            run["workers"]: next(
                (r for r in run["rows"] if r["n"] == n and "failed" not in r), None
            )
            for run in runs
        }
        for w, row in by_count.items():
            if row is not None:
                cells = [_cell(row, key, f) for key, _, f in COMPARED]
                lines.append("  ".join([f"{n:3d}", f"{w:7d}", *cells]))
        base_w = runs[0]["workers"]
        base = by_count.get(base_w)
        for w, row in by_count.items():
            if w == base_w or row is None or base is None:
                continue
            cells = []
            for key, _, f in COMPARED:
                width = len(f.format(0.0))
                a, b = row.get(key), base.get(key)
                ok = isinstance(a, float | int) and isinstance(b, float | int) and b
                ok = ok and not (math.isnan(a) or math.isnan(b))
                cells.append((f"x{a / b:.2f}" if ok else "—").rjust(width))
            lines.append("  ".join([f"{n:3d}", f"{w}/{base_w}".rjust(7), *cells]))
    return "\n".join(lines)


def _memory_note(rows: list[dict]) -> str:
    lo, hi = COMMUNITY_CLOUD_MB
    fits = [r["n"] for r in rows if "failed" not in r and r["rss_mb"] <= lo]
    worst = max((r["rss_mb"] for r in rows if "failed" not in r), default=math.nan)
    return (
        f"Memory: at most {worst:.0f} MB RSS; Community Cloud gives an app {lo}-{hi} MB. "
        f"Levels within {lo} MB: {fits or 'none'}."
    )


async def main_async(args: argparse.Namespace) -> dict:
    load_before = os.getloadavg()
    runs = [await measure(args, w) for w in (args.worker_counts or [None])]
    for run in runs:
        good = [r for r in run["rows"] if "failed" not in r]
        print()
        print(run["target"])
        print(table(good))
    print()
    print(
        "N: sessions playing (+1 probe pressing Step about once a second). W: Streamlit "
        "processes. srv cores: their CPU / wall time (proxy: HAProxy's). "
        "ms CPU/frame: server CPU / frames shown (a Play run carries several "
        "frames in its feed). in loop: share of "
        "it in the main thread (event loop: websockets, sending); the rest ran the scripts. "
        "fps/student: "
        "median (min) frames/s one playing session received. dropped: share of fragment runs "
        "whose output the next run threw away before it was sent. frame p50/p95: ms from the "
        "oldest waiting tick to a finished run. Step p50/p95: the probe's click -> "
        "script_finished. client/others: cores used by this load generator / by other "
        "processes meanwhile."
    )
    print(
        f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} "
        f"({os.cpu_count()} cores)"
    )
    for run in runs:
        print(
            f"{run['target']}: server CPU before any session "
            f"{run['server_idle_cpu_ms_per_s_before_any_session']:.1f} ms/s. {run['conclusion']}"
        )
    if len(runs) > 1:
        print()
        print(
            "The same clients against each worker count, one after the other in this run; "
            f"ratios to {runs[0]['workers']} worker(s) (x2.00 = twice):"
        )
        print(comparison(runs))
    if args.community_cloud or args.cpu_quota:
        print(_memory_note([r for run in runs for r in run["rows"]]))
    out = {
        "args": {
            k: (sorted(v) if isinstance(v, set) else str(v) if isinstance(v, Path) else v)
            for k, v in vars(args).items()
        },
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "runs": runs,
    }
    # one target: the keys of a single run at the top, as before
    if len(runs) == 1:
        out.update({k: v for k, v in runs[0].items() if k != "target"})
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return run_and_save(main_async(args), args.json)


if __name__ == "__main__":
    raise SystemExit(main())
