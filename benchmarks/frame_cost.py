"""The app's own server work per Play frame, without Streamlit: before and after, in one run.

    python benchmarks/frame_cost.py                            # this checkout
    python benchmarks/frame_cost.py --against ../other-checkout --rounds 5

One frame is what ``ui/web/live.py`` does for each frame of a Play run: one training step (the
default Playground, 2-4-2-1 on 500 points, Speed 1), the forward pass over the plane, the four
charts' updates and the numbers, written as the feed's JSON. Streamlit's own cost of a run (a
thread, widget states, protocol messages) is not in it: ``browser_frames.py`` and
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
import json, sys, time
from unittest import mock
frames, warm = int(sys.argv[1]), int(sys.argv[2])
from ui.config import PlaygroundConfig
from ui.experiment import Experiment
import ui.web.live as live
import ui.web.live_chart as lc

class State(dict):
    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError:
            raise AttributeError(k) from None
    def __setattr__(self, k, v):
        self[k] = v

state = State()
live.S = state
lc.st = mock.MagicMock()
lc.st.session_state = state
exp = Experiment(PlaygroundConfig())
state.exp = exp
for _ in range(300):  # a run under way: curves of some length
    exp.step(1)
parts = {}

def timed(name, f):
    t = time.process_time()
    out = f()
    parts[name] = parts.get(name, 0.0) + time.process_time() - t
    return out

def one():
    timed("train", lambda: exp.step(exp.config.speed, budget_s=live.STEP_BUDGET_S))
    frame = timed("forward pass", exp.frame)
    specs = [live._boundary(exp, frame), live._network(exp, frame), live._cost(exp, []),
             live._delta(exp, [])]
    messages = []
    for s in specs:
        updates = timed(s.key, s.updates)
        messages.append(lc.chart_message(s.figure, key=s.key, height=s.height,
                                         revision=s.revision, updates=updates))
    html = timed("numbers", lambda: live.numbers_html(live._numbers(exp)))
    return timed("JSON", lambda: lc.dumps({"frames": [{"charts": messages, "html": html}]}))

for _ in range(warm):
    one()
parts.clear()
t0, c0 = time.perf_counter(), time.process_time()
for _ in range(frames):
    size = len(one())
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"ms": 1e3 * cpu / frames, "wall_ms": 1e3 * wall / frames, "bytes": size,
                  "parts": {k: 1e3 * v / frames for k, v in parts.items()}}))
"""


def measure(root: Path, frames: int, warm: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(root)!r})\n" + CHILD,
         str(frames), str(warm)],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--against", type=Path, help="another checkout to compare with")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--frames", type=int, default=600)
    p.add_argument("--warmup", type=int, default=100)
    args = p.parse_args(argv)
    with open("/proc/loadavg") as f:
        print(f"load average {f.read().split()[0]} (2 cores shared: compare ratios)")
    sides = {"this": ROOT} | ({"other": args.against.resolve()} if args.against else {})
    runs: dict[str, list[dict]] = {name: [] for name in sides}
    for r in range(args.rounds):
        for name, root in sides.items():
            m = measure(root, args.frames, args.warmup)
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
