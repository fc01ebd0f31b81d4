"""The app's own server work per Play frame, without a server: before and after, in one run.

    python benchmarks/frame_cost.py                            # this checkout
    python benchmarks/frame_cost.py --against ../other-checkout --rounds 5
    python benchmarks/frame_cost.py --profile                  # and where the time goes

One frame is what ``ui/web/live.py`` does for each frame of a Play run: one training step (the
default Playground, 2-4-2-1 on 500 points, Speed 1), the forward pass over the plane, the four
charts' updates and the numbers, written as the feed's JSON, through the same function the
fragment calls (``_chart_messages``) and Streamlit's own session state (bare mode): every
access to it costs microseconds, which count per frame. Streamlit's cost of a run (a thread,
widget states, protocol messages) is not in it: ``browser_frames.py`` and
``load_test.py`` measure the server as a whole. Each measurement runs in a fresh process on
one checkout's code; with ``--against`` the two checkouts alternate, round after round, and
the ratios (this ÷ other) are printed: compare ratios, the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs in a child process with the checkout's root first on sys.path.
CHILD = r"""
import cProfile, io, json, pstats, sys, time
frames, warm, profile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
import logging
import streamlit as st
logging.disable(logging.WARNING)  # bare mode warns of its missing run context at every access
from ui.config import PlaygroundConfig
from ui.experiment import Experiment
import ui.web.live as live
import ui.web.live_chart as lc

# Bare mode: st.session_state is Streamlit's own SessionState (as in a run, less the widgets),
# so its cost per access counts, as it does on the server.
S = st.session_state
exp = Experiment(PlaygroundConfig())
S.exp = exp
for _ in range(300):  # a run under way: curves of some length
    exp.step(1)
parts = {}

def timed(name, f):
    t = time.process_time()
    out = f()
    parts[name] = parts.get(name, 0.0) + time.process_time() - t
    return out

specs = live.chart_specs
def timed_specs(exp):  # each chart's updates, and the forward pass over the plane, apart
    out = []
    for s in timed("forward pass and specs", lambda: specs(exp)):
        out.append(live.replace(s, updates=lambda u=s.updates, k=s.key: timed(k, u)))
    return out
live.chart_specs = timed_specs

def one():
    timed("train", lambda: exp.step(exp.config.speed, budget_s=live.STEP_BUDGET_S))
    messages = live._chart_messages(exp)
    html = timed("numbers", lambda: live.numbers_html(live._numbers(exp)))
    return timed("JSON", lambda: lc.dumps({"frames": [{"charts": messages, "html": html}]}))

for _ in range(warm):
    one()
parts.clear()
prof = cProfile.Profile() if profile else None
t0, c0 = time.perf_counter(), time.process_time()
if prof: prof.enable()
for _ in range(frames):
    size = len(one())
if prof: prof.disable()
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
if prof:
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(30)
    print(out.getvalue(), file=sys.stderr)
named = sum(parts.values())
parts["other (session state, messages)"] = cpu - named
print(json.dumps({"ms": 1e3 * cpu / frames, "wall_ms": 1e3 * wall / frames, "bytes": size,
                  "parts": {k: 1e3 * v / frames for k, v in parts.items()}}))
"""


def measure(root: Path, frames: int, warm: int, profile: bool = False) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(root)!r})\n" + CHILD,
         str(frames), str(warm), "1" if profile else "0"],
        cwd=root, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode:
        sys.exit(f"frame_cost: the measurement failed in {root}:\n{out.stderr}")
    if profile:
        print(out.stderr[out.stderr.find("   ncalls") :])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--against", type=Path, help="another checkout to compare with")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--frames", type=int, default=600)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--profile", action="store_true", help="print cProfile's top functions once")
    args = p.parse_args(argv)
    with open("/proc/loadavg") as f:
        print(f"load average {f.read().split()[0]} (2 cores shared: compare ratios)")
    sides = {"this": ROOT} | ({"other": args.against.resolve()} if args.against else {})
    runs: dict[str, list[dict]] = {name: [] for name in sides}
    for r in range(args.rounds):
        for name, root in sides.items():
            m = measure(root, args.frames, args.warmup, args.profile and r == 0 and name == "this")
            runs[name].append(m)
            print(f"round {r + 1} {name:5s} {m['ms']:.3f} ms CPU per frame, {m['bytes']} bytes")
    for name, ms in runs.items():
        parts = {k: statistics.median(m["parts"][k] for m in ms) for k in ms[0]["parts"]}
        print(f"\n{name} ({sides[name]}): median {statistics.median(m['ms'] for m in ms):.3f} ms")
        print("  " + ", ".join(f"{k} {v:.3f}" for k, v in parts.items()))
    if args.against:
        ratios = [a["ms"] / b["ms"] for a, b in zip(runs["this"], runs["other"], strict=True)]
        print(
            f"\nthis ÷ other, per round: {', '.join(f'{x:.2f}' for x in ratios)}; "
            f"median {statistics.median(ratios):.2f}"
        )


if __name__ == "__main__":
    main()
