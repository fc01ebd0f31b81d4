"""Soak test: memory per session, and server memory over thousands of frames of Play.

    python benchmarks/soak.py                  # 20 idle sessions; 3 playing for 240 s
    python benchmarks/soak.py --quick          # 10 idle sessions; 2 playing for 60 s
    python benchmarks/soak.py --players 1 --duration 300 --sample 10 --query "?speed=10"
    python benchmarks/soak.py --json benchmarks/results/soak.json
    python benchmarks/soak.py --quick --churn 200   # also 200 tabs opened and closed

Starts one `streamlit run app.py` on 127.0.0.1 and drives it with the light protocol client of
`streamlit_client.py` (no browser: see its docstring for what that leaves out).

1. Memory per session: server RSS after a warm-up session (imports, caches), then with
   `--idle-sessions` more tabs open (each has run the page once and holds its experiment,
   dataset and the figures it sent): (RSS_N - RSS_0) / N. They stay open through the soak, as
   students who opened the page and did not press Play.
2. Soak: `--players` sessions press Play and keep the browser's timer going for `--duration`
   seconds. Every `--sample` seconds: frames served so far, the Step counters, server RSS.
   Growth is the least-squares slope of RSS against frames, per 1000 frames, over the samples
   after the first `--settle` share of the run (the bounded histories fill first: 2000 rows
   per session, then they thin out and stay that size).
3. Tabs closed: every websocket is closed and the server's CPU is measured for 3 s; a Play
   loop lives in the browser's timer, so the server must do (almost) nothing.
4. Churn (`--churn N`): N more tabs, 20 at a time, each opens the page, presses Step and
   closes. RSS before, right after, and once every closed session has ended (disconnected
   for longer than the TTL) and the session reaper (`ui/web/sessions.py`) has released it:
   memory must come back near where it was before the tabs opened.

RSS is the server process's resident memory from /proc. Disconnected sessions stay in
Streamlit's session storage for `server.disconnectedSessionTTL` seconds (for a reconnect):
120 s in production; this benchmark starts the server with `--ttl` (default 10 s) so that
the sessions it closed end within the run.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.streamlit_client import (
    Session,
    cpu_seconds,
    rss_bytes,
    run_and_save,
    streamlit_server,
)

MB = 2**20


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--players", type=int, default=3, help="sessions playing during the soak")
    p.add_argument("--duration", type=float, default=240.0, help="seconds of Play")
    p.add_argument("--sample", type=float, default=5.0, help="seconds between RSS samples")
    p.add_argument("--idle-sessions", type=int, default=20, help="tabs for memory per session")
    p.add_argument("--settle", type=float, default=0.5, help="share of the run not fitted")
    p.add_argument("--query", default="", help='the page link, e.g. "?dataset=spiral"')
    p.add_argument("--quick", action="store_true", help="10 idle sessions, 2 players, 60 s")
    p.add_argument("--churn", type=int, default=0, help="tabs opened and closed at the end")
    p.add_argument("--ttl", type=int, default=10, help="server.disconnectedSessionTTL, s")
    p.add_argument("--json", type=Path, help="also write the results here")
    args = p.parse_args(argv)
    if args.quick:
        args.idle_sessions, args.players, args.duration = 10, 2, 60.0
    if not 1 <= args.players <= 20 or not 0 <= args.idle_sessions <= 60:
        p.error("players must be 1-20 and idle sessions 0-60")
    if not 10 <= args.duration <= 3600 or not 1 <= args.sample <= 60:
        p.error("duration must be 10-3600 s and sample 1-60 s")
    if not 0 <= args.churn <= 1000 or not 1 <= args.ttl <= 600:
        p.error("churn must be 0-1000 tabs and ttl 1-600 s")
    return args


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys against xs; nan with fewer than 3 points."""
    n = len(xs)
    if n < 3:
        return math.nan
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else math.nan


async def settle_rss(pid: int, seconds: float = 2.0) -> int:
    await asyncio.sleep(seconds)
    return rss_bytes(pid)


async def main_async(args: argparse.Namespace) -> dict:
    out: dict = {"args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
    options = ["--server.disconnectedSessionTTL", str(args.ttl)]
    with streamlit_server("app.py", options=options) as server:
        pid = server.pid
        c0, w0 = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(2.0)
        baseline_ms = 1000 * (cpu_seconds(pid) - c0) / (time.monotonic() - w0)
        print(
            f"server {server.url} pid {pid}; RSS at start {rss_bytes(pid) / MB:.1f} MB; "
            f"CPU with no session {baseline_ms:.1f} ms/s"
        )
        out["server_idle_cpu_ms_per_s_before_any_session"] = baseline_ms
        warm = Session(server.url, args.query, name="warm-up")
        await warm.open()
        await warm.click("Step")
        idle = [Session(server.url, args.query, name=f"idle{i}") for i in range(args.idle_sessions)]
        players = [Session(server.url, args.query, name=f"player{i}") for i in range(args.players)]
        try:
            # ---------------------------------------------------------- memory per session
            rss0 = await settle_rss(pid)
            for s in idle:
                await s.open()
            rss_n = await settle_rss(pid)
            per_session = (rss_n - rss0) / len(idle) if idle else math.nan
            print(
                f"memory per session: RSS {rss0 / MB:.1f} MB with 1 session, "
                f"{rss_n / MB:.1f} MB with {1 + len(idle)}: "
                f"{per_session / MB:.2f} MB per idle session"
            )
            out["memory"] = {
                "rss_one_session_mb": rss0 / MB,
                "idle_sessions": len(idle),
                "rss_with_idle_mb": rss_n / MB,
                "mb_per_idle_session": per_session / MB,
            }

            # ---------------------------------------------------------- soak
            for s in players:
                await s.open()
            t0 = time.monotonic()
            until = t0 + args.duration
            tasks = [asyncio.create_task(s.play(until)) for s in players]
            samples = []
            print(f"{'t s':>6} {'frames':>7} {'steps':>13} {'RSS MB':>7} {'srv CPU %':>9}")
            cpu_prev, t_prev = cpu_seconds(pid), time.monotonic()
            while True:
                now = time.monotonic()
                frames = sum(s.stats.frames for s in players)
                steps = [s.step_count() for s in players]
                cpu, rss = cpu_seconds(pid), rss_bytes(pid)
                load = 100 * (cpu - cpu_prev) / max(1e-9, now - t_prev)
                cpu_prev, t_prev = cpu, now
                samples.append(
                    {"t": now - t0, "frames": frames, "steps": steps, "rss_mb": rss / MB}
                )
                print(
                    f"{now - t0:6.0f} {frames:7d} {','.join(map(str, steps)):>13} "
                    f"{rss / MB:7.1f} {load:9.0f}",
                    flush=True,
                )
                if now >= until:
                    break
                await asyncio.sleep(min(args.sample, max(0.0, until - now)))
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
            cut = samples[0]["t"] + args.settle * (samples[-1]["t"] - samples[0]["t"])
            fit = [s for s in samples if s["t"] >= cut]
            growth = 1000 * slope([s["frames"] for s in fit], [s["rss_mb"] for s in fit])
            total_frames = samples[-1]["frames"]
            print(
                f"soak: {total_frames} frames ({total_frames / args.duration:.1f}/s), "
                f"steps per player {samples[-1]['steps']}; RSS {samples[0]['rss_mb']:.1f} -> "
                f"{samples[-1]['rss_mb']:.1f} MB (max {max(s['rss_mb'] for s in samples):.1f}); "
                f"growth after the first {args.settle:.0%}: {growth:+.3f} MB per 1000 frames "
                f"(RSS {fit[0]['rss_mb']:.1f} -> {fit[-1]['rss_mb']:.1f} MB over "
                f"{fit[-1]['frames'] - fit[0]['frames']} frames)"
            )
            out["soak"] = {
                "players": len(players),
                "duration_s": args.duration,
                "frames": total_frames,
                "dropped": sum(s.stats.dropped for s in players),
                "steps": samples[-1]["steps"],
                "rss_first_mb": samples[0]["rss_mb"],
                "rss_last_mb": samples[-1]["rss_mb"],
                "rss_max_mb": max(s["rss_mb"] for s in samples),
                "growth_mb_per_1000_frames": growth,
                "samples": samples,
                "exceptions": sorted({e for s in players for e in s.exceptions}),
            }
            # ---------------------------------------------------------- tabs closed
            c_play = cpu_seconds(pid)
            await asyncio.sleep(1.0)
            playing_cpu = cpu_seconds(pid) - c_play  # nothing sends ticks now: in-flight only
        finally:
            everyone = [warm, *idle, *players]
            await asyncio.gather(*(s.close() for s in everyone))
        c0, w0 = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(3.0)
        idle_ms = 1000 * (cpu_seconds(pid) - c0) / (time.monotonic() - w0)
        rss_closed = rss_bytes(pid)
        print(
            f"tabs closed: server CPU {idle_ms:.1f} ms/s over 3 s (before any session: "
            f"{baseline_ms:.1f}; timers stopped, tabs open, 1 s: {1000 * playing_cpu:.0f} ms); "
            f"RSS {rss_closed / MB:.1f} MB (sessions kept 2 min for a reconnect)"
        )
        rss_ended = await settle_rss(pid, _ended_after(args.ttl))
        print(f"every closed session ended and released: RSS {rss_ended / MB:.1f} MB")
        out["after_close"] = {
            "server_cpu_ms_per_s": idle_ms,
            "cpu_ms_first_second_after_timers_stopped": 1000 * playing_cpu,
            "rss_mb": rss_closed / MB,
            "rss_after_sessions_ended_mb": rss_ended / MB,
        }
        if args.churn:
            out["churn"] = await churn(server.url, pid, args)
    return out


def _ended_after(ttl: int) -> float:
    """Seconds until a session closed now has ended and the reaper has released it."""
    from ui.web.sessions import MARGIN_S, POLL_S

    return ttl + MARGIN_S + 2 * POLL_S + 2


async def churn(url: str, pid: int, args: argparse.Namespace) -> dict:
    """Tabs that open the page, press Step and close, 20 at a time: RSS before, right after,
    and once their sessions ended."""
    before = rss_bytes(pid)
    for start in range(0, args.churn, 20):
        tabs = [Session(url, args.query, name=f"churn{i}") for i in range(start, start + 20)]
        tabs = tabs[: args.churn - start]
        for tab in tabs:
            await tab.open()
            await tab.click("Step")
        await asyncio.gather(*(tab.close() for tab in tabs))
    after = await settle_rss(pid)
    ended = await settle_rss(pid, _ended_after(args.ttl))
    print(
        f"churn: {args.churn} tabs opened and closed: RSS {before / MB:.1f} -> "
        f"{after / MB:.1f} MB, {ended / MB:.1f} MB once their sessions ended "
        f"(ttl {args.ttl} s)"
    )
    return {
        "tabs": args.churn,
        "rss_before_mb": before / MB,
        "rss_after_mb": after / MB,
        "rss_after_sessions_ended_mb": ended / MB,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return run_and_save(main_async(args), args.json)


if __name__ == "__main__":
    raise SystemExit(main())
