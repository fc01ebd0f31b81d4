"""Each lesson's promise, measured over many weight seeds and data seeds with the engine.

A lesson's text is a claim that every student checks with their own seed. This script runs each
lesson's configuration (``ui.lessons.LESSONS``) and the change its "then try" suggests, with
``ui.experiment.Experiment`` directly (no browser), and prints the figures the texts quote:

    python benchmarks/lesson_stats.py                      # every lesson, 100 × 5 seeds
    python benchmarks/lesson_stats.py vanishing minima     # some lessons
    python benchmarks/lesson_stats.py --seeds 20 --data-seeds 3 --first-seed 1000

``tests/test_ui_lessons.py`` calls the same ``measure`` on another sample of seeds and asserts the
claims with stated thresholds. Each measure returns one array per quantity, one entry per run
(weight seed × data seed), in the order of ``runs``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ui.config import PlaygroundConfig
from ui.experiment import Experiment
from ui.lessons import LESSONS

Stats = dict[str, np.ndarray]
#: the output of a stuck XOR run stays at C ≥ 0.25 (one point halfway, or one point wrong);
#: a run that learns XOR ends near 0
STUCK_COST = 0.1


def runs(
    config: PlaygroundConfig, seeds: Iterable[int], data_seeds: Iterable[int], **changes
) -> Iterator[Experiment]:
    """One fresh experiment per (data seed, weight seed), with ``changes`` applied."""
    seeds = list(seeds)
    for d in data_seeds:
        for w in seeds:
            yield Experiment(replace(config, seed=w, data_seed=d, **changes))


def _collect(rows: list[dict[str, float]]) -> Stats:
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


def _acc(e: Experiment) -> float:
    return e.trainer.metrics["acc_train"]


def _cost(e: Experiment) -> float:
    return e.trainer.metrics["cost_train"]


def _column(e: Experiment, name: str) -> np.ndarray:
    return np.asarray(e.trainer.history.column(name))


def _dead(e: Experiment, l: int = 2) -> np.ndarray:
    """Per neuron of layer l: ReLU output 0 at every training point."""
    return ~e.trainer.gradients.forward.a[l].any(axis=1)


# ---------------------------------------------------------------------------------------------
def symmetry(seeds, data_seeds, long: bool = True) -> Stats:
    """The equal start does not depend on the weight seed: it runs with the first two seeds of
    each data seed (a test checks that they agree); the random start with all of them."""
    lesson = LESSONS["symmetry"]
    rows = []
    for e in runs(lesson.config, seeds[:2], data_seeds):
        start = e.net._Wb[2].copy()  # [w² | b²]
        identical = True
        for _ in range(lesson.steps):
            e.step(1)
            net = e.net
            identical &= bool(
                (net.w[2] == net.w[2][0]).all()
                and (net.b[2] == net.b[2][0]).all()
                and (net.w[3] == net.w[3][0, 0]).all()
            )
        row = {
            "identical every step": identical,
            "moved max |Δw², Δb²|": float(np.abs(e.net._Wb[2] - start).max()),
            f"acc {lesson.steps}": _acc(e),
            # the classes are equally many: targets ±1 sum to 0
            "balanced training set": float(e.trainer.y_train.sum()) == 0.0,
        }
        if long:
            e.step(1000 - e.trainer.steps)
            row["acc 1000"] = _acc(e)
        rows.append(row)
    stats = _collect(rows)
    then = [
        _steps_then(e, 1000, _acc) for e in runs(lesson.config, seeds, data_seeds, init="small")
    ]
    stats["small random: acc 1000"] = np.array(then)
    moved = []
    for e in runs(lesson.config, seeds, data_seeds, init="zeros"):
        e.step(lesson.steps)
        net = e.net
        others = [net.w[l].any() for l in (2, 3)] + [net.b[2].any()]
        moved.append(not any(others))
    stats["zeros: only b³ moved"] = np.array(moved)
    return stats


def _steps_then(e: Experiment, steps: int, read: Callable[[Experiment], float]) -> float:
    e.step(steps)
    return read(e)


def vanishing(seeds, data_seeds, long: bool = True) -> Stats:
    lesson = LESSONS["vanishing"]
    n = lesson.steps
    rows = []
    for e in runs(lesson.config, seeds, data_seeds):
        e.step(n)
        L = e.net.L
        rms = np.array([_column(e, f"delta_rms_{l}") for l in range(2, L + 1)])
        grad = np.array([_column(e, f"grad_b_{l}") for l in range(2, L + 1)])
        ratio = rms[0] / rms[-1]
        rows.append(
            {
                "worst-step δ²/δᴸ": float(ratio.max()),
                "median-step δ²/δᴸ": float(np.median(ratio)),
                "steps in order (rms δ)": float(np.mean(np.all(np.diff(rms, axis=0) > 0, 0))),
                "steps in order (‖∂C/∂b‖)": float(np.mean(np.all(np.diff(grad, axis=0) > 0, 0))),
                "median-step ‖∂C/∂b²‖/‖∂C/∂bᴸ‖": float(np.median(grad[0] / grad[-1])),
                f"acc {n}": _acc(e),
            }
        )
    stats = _collect(rows)
    tanh_ratio, tanh_acc = [], []
    for e in runs(lesson.config, seeds, data_seeds, hidden_act=("tanh",)):
        e.step(n)
        L = e.net.L
        tanh_ratio.append(np.median(_column(e, "delta_rms_2") / _column(e, f"delta_rms_{L}")))
        tanh_acc.append(_acc(e))
    stats["tanh: median-step δ²/δᴸ"] = np.array(tanh_ratio)
    stats[f"tanh: acc {n}"] = np.array(tanh_acc)
    return stats


def sign(seeds, data_seeds, long: bool = True) -> Stats:
    lesson = LESSONS["sign"]
    rows = []
    for e in runs(lesson.config, seeds, data_seeds):
        w2, b2 = e.net.w[2].copy(), e.net.b[2].copy()
        e.step(lesson.steps)
        row = {f"acc {lesson.steps}": _acc(e)}
        if long:
            e.step(3000 - lesson.steps)
            row["acc 3000"] = _acc(e)
        row["hidden layer unchanged"] = bool((e.net.w[2] == w2).all() and (e.net.b[2] == b2).all())
        rows.append(row)
    stats = _collect(rows)
    tanh = [
        _steps_then(e, lesson.steps, _acc)
        for e in runs(lesson.config, seeds, data_seeds, hidden_act=("tanh",))
    ]
    stats[f"tanh: acc {lesson.steps}"] = np.array(tanh)
    stats["tanh − sign"] = stats[f"tanh: acc {lesson.steps}"] - stats[f"acc {lesson.steps}"]
    return stats


def large_alpha(seeds, data_seeds, long: bool = True) -> Stats:
    lesson = LESSONS["large_alpha"]
    step, ratio, diverged = [], [], []
    for e in runs(lesson.config, seeds, data_seeds):
        e.step(lesson.steps)
        d = e.trainer.divergence
        step.append(d.step if d is not None else np.inf)
    for e in runs(lesson.config, seeds, data_seeds, learning_rate=0.03):
        e.step(300)
        c = _column(e, "cost_train")
        ratio.append(c[-1] / c[0])
        diverged.append(e.trainer.divergence is not None)
    return {
        "diverges at step": np.array(step),
        "α = 0.03: C300/C0": np.array(ratio),
        "α = 0.03: diverged": np.array(diverged),
    }


def small_alpha(seeds, data_seeds, long: bool = True) -> Stats:
    lesson = LESSONS["small_alpha"]
    rows = []
    for e in runs(lesson.config, seeds, data_seeds):
        e.step(lesson.steps)
        c = _column(e, "cost_train")
        before = c[-1]
        e.update(replace(e.config, learning_rate=0.3))
        e.step(300)
        rows.append(
            {
                f"C{lesson.steps}/C0": c[-1] / c[0],
                "C300/C0": c[300] / c[0],
                "α → 0.3: C after 300 more / before": _cost(e) / before,
            }
        )
    return _collect(rows)


def minima(seeds, data_seeds, long: bool = True) -> Stats:
    """The four XOR points do not depend on the data seed: each weight seed runs once."""
    lesson = LESSONS["minima"]
    end = 3000 if long else lesson.steps
    rows = []
    for e in runs(lesson.config, seeds, data_seeds[:1]):
        e.step(lesson.steps)
        c1000, acc1000 = _cost(e), _acc(e)
        e.step(end - e.trainer.steps)
        steps, c = _column(e, "step"), _column(e, "cost_train")
        solved = c < 0.01
        rows.append(
            {
                "seed": e.config.seed,
                f"C {lesson.steps}": c1000,
                f"points right {lesson.steps}": 4 * acc1000,
                f"stuck at {end}": _cost(e) > STUCK_COST,
                f"C {end}": _cost(e),
                "steps to C < 0.01": float(steps[np.argmax(solved)]) if solved.any() else np.inf,
                f"late: C{lesson.steps} > 0.05, C{end} < 0.01": c1000 > 0.05 and _cost(e) < 0.01,
                f"‖∇C‖ {end}": float(np.linalg.norm(e.trainer.gradients.flat)),
                f"points right {end}": 4 * _acc(e),
            }
        )
    return _collect(rows)


def dead_relu(seeds, data_seeds, long: bool = True) -> Stats:
    lesson = LESSONS["dead_relu"]
    rows = []
    for e in runs(lesson.config, seeds, data_seeds):
        ever = _dead(e)
        revived = 0
        for _ in range(lesson.steps):
            e.step(1)
            now = _dead(e)
            revived += int(np.sum(ever & ~now))
            ever |= now
        dead = _dead(e)
        e.step(300 - lesson.steps)
        rows.append(
            {
                f"dead {lesson.steps}": int(dead.sum()),
                "some dead": bool(dead.any()),
                "layer-2 revivals": revived,
                "still dead 300": bool((_dead(e) | ~dead).all()),
                "acc 300": _acc(e),
            }
        )
    stats = _collect(rows)
    calm = []
    for e in runs(lesson.config, seeds, data_seeds, learning_rate=0.3):
        e.step(lesson.steps)
        calm.append(int(_dead(e).sum()))
    stats[f"α = 0.3: dead {lesson.steps}"] = np.array(calm)
    revivals = []
    for e in runs(lesson.config, seeds, data_seeds, hidden=(8, 8), learning_rate=3.0):
        ever, n = _dead(e, 3), 0
        for _ in range(lesson.steps):
            e.step(1)
            now = _dead(e, 3)
            n += int(np.sum(ever & ~now))
            ever = now
        revivals.append(n)
    stats["8,8 α = 3: layer-3 revivals"] = np.array(revivals)
    return stats


def spiral_depth(seeds, data_seeds, long: bool = True) -> Stats:
    lesson = LESSONS["spiral_depth"]
    shallow = [_steps_then(e, lesson.steps, _acc) for e in runs(lesson.config, seeds, data_seeds)]
    deep = [
        _steps_then(e, lesson.steps, _acc)
        for e in runs(lesson.config, seeds, data_seeds, hidden=(8, 8, 8, 8))
    ]
    shallow, deep = np.array(shallow), np.array(deep)
    return {
        f"one layer: acc {lesson.steps}": shallow,
        f"four layers: acc {lesson.steps}": deep,
        "four layers ahead": deep > shallow,
    }


def features(seeds, data_seeds, long: bool = True) -> Stats:
    lesson = LESSONS["features"]
    read = {
        f"acc {lesson.steps}": {},
        f"x₁, x₂: acc {lesson.steps * 6}": {"features": ("x1", "x2")},
        f"uniform init: acc {lesson.steps * 6}": {"init": "uniform"},
    }
    out = {}
    for name, changes in read.items():
        steps = lesson.steps if not changes else lesson.steps * 6
        out[name] = np.array(
            [_steps_then(e, steps, _acc) for e in runs(lesson.config, seeds, data_seeds, **changes)]
        )
    return out


def regularization(seeds, data_seeds, long: bool = True) -> Stats:
    """‖w³‖ with L2 at the lesson's steps and half of them, without any at the lesson's steps,
    and with L1 the share of first-layer weights within 0.01 of 0 (and without, to compare)."""
    lesson = LESSONS["regularization"]
    n = lesson.steps
    rows = []
    for l2, none, l1 in zip(
        runs(lesson.config, seeds, data_seeds),
        runs(lesson.config, seeds, data_seeds, regularization="none"),
        runs(lesson.config, seeds, data_seeds, regularization="l1"),
        strict=True,
    ):
        start = l2.trainer.metrics["norm_w_3"]
        l2.step(n // 2)
        half = l2.trainer.metrics["norm_w_3"]
        l2.step(n - n // 2)
        for e in (none, l1):
            e.step(n)
        rows.append(
            {
                "L2: ‖w³‖ 0": start,
                f"L2: ‖w³‖ {n // 2}": half,
                f"L2: ‖w³‖ {n}": l2.trainer.metrics["norm_w_3"],
                f"none: ‖w³‖ {n}": none.trainer.metrics["norm_w_3"],
                f"L2: acc {n}": _acc(l2),
                f"none: acc {n}": _acc(none),
                f"L1: share |w²| < 0.01 at {n}": float(np.mean(np.abs(l1.net.w[2]) < 0.01)),
                f"none: share |w²| < 0.01 at {n}": float(np.mean(np.abs(none.net.w[2]) < 0.01)),
            }
        )
    stats = _collect(rows)
    a, b = stats[f"L2: ‖w³‖ {n // 2}"], stats[f"L2: ‖w³‖ {n}"]
    stats[f"L2: |change| of ‖w³‖ from {n // 2} to {n}"] = np.abs(b - a) / a
    stats[f"none ÷ L2: ‖w³‖ {n}"] = stats[f"none: ‖w³‖ {n}"] / b
    return stats


MEASURES: dict[str, Callable[..., Stats]] = {
    "symmetry": symmetry,
    "vanishing": vanishing,
    "sign": sign,
    "large_alpha": large_alpha,
    "small_alpha": small_alpha,
    "minima": minima,
    "dead_relu": dead_relu,
    "spiral_depth": spiral_depth,
    "features": features,
    "regularization": regularization,
}


def measure(
    key: str, *, seeds: Iterable[int], data_seeds: Iterable[int], long: bool = True
) -> Stats:
    """Lesson ``key``'s quantities, one entry per run (data seed × weight seed). ``long=False``
    leaves out what only this script reports (how a run goes on far past the lesson's steps),
    which the tests do not need."""
    return MEASURES[key](list(seeds), list(data_seeds), long)


def describe(values: np.ndarray) -> str:
    v = np.asarray(values)
    if v.dtype == bool:
        return f"{int(v.sum())} of {v.size} runs"
    finite = v[np.isfinite(v)]
    if not finite.size:
        return f"never (all {v.size} runs)"
    tail = f"; never in {v.size - finite.size}" if finite.size < v.size else ""
    return (
        f"min {finite.min():.3g}  p10 {np.percentile(finite, 10):.3g}  median "
        f"{np.median(finite):.3g}  p90 {np.percentile(finite, 90):.3g}  max {finite.max():.3g}"
        + tail
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help=f"some of {', '.join(MEASURES)} (all)")
    parser.add_argument("--seeds", type=int, default=100, help="weight seeds per data seed")
    parser.add_argument("--data-seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    args = parser.parse_args()
    unknown = set(args.lessons) - set(MEASURES)
    if unknown:
        parser.error(f"unknown lessons {sorted(unknown)}; expected some of {list(MEASURES)}")
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    data_seeds = range(args.first_seed, args.first_seed + args.data_seeds)
    print(
        f"weight seeds {seeds.start}–{seeds.stop - 1}, data seeds {data_seeds.start}–"
        f"{data_seeds.stop - 1}: {len(seeds) * len(data_seeds)} runs per line"
    )
    for key in args.lessons or MEASURES:
        start = time.perf_counter()
        stats = measure(key, seeds=seeds, data_seeds=data_seeds)
        print(f"\n{key}  ({time.perf_counter() - start:.0f} s)")
        width = max(map(len, stats))
        for name, values in stats.items():
            if name == "seed":
                continue
            print(f"  {name:<{width}}  {describe(values)}")
        if key == "minima":
            stuck = [
                int(s) for s, b in zip(stats["seed"], stats["stuck at 3000"], strict=True) if b
            ]
            print(f"  {'stuck weight seeds < 20':<{width}}  {[s for s in stuck if s < 20]}")


if __name__ == "__main__":
    main()
