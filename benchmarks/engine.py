"""How fast is the engine? One full-batch training step and one 100 × 100 grid, vs. a reference.

Run from anywhere (the script puts the repository root on ``sys.path`` itself):

    python benchmarks/engine.py                  # about 45 s (70 s with --profile)
    python benchmarks/engine.py --quick          # a few seconds, rougher figures
    python benchmarks/engine.py --json benchmarks/results/engine.json  # also as JSON (git-ignored)
    python benchmarks/engine.py --profile        # also time the pieces of our step
    python benchmarks/engine.py --blas-threads 1 # numpy's BLAS on one thread, like the reference

Workloads (tanh hidden layers): 2-4-1 on the 4 XOR points, 2-8-8-1 on 500 points, six hidden
layers of 8 on 500 points, 2-64-64-1 on 2000 points (tanh output, quadratic cost, labels ±1);
and since issue 14, 2-8-8-3 with a softmax output and the cross-entropy on 500 points of three
classes (one-hot targets), and 2-8-8-1 with L2 regularisation (λ = 0.01).

For each it measures, per call, the median (and p10/p90) of:

- our step as the app makes it: ``Network.train_step(x, y, α)`` (validates x, y every call) and
  the Trainer's inner path ``net._backprop(x, y)`` + ``net.apply_gradients(g, α)`` (the Trainer
  validates its data once, then calls these two);
- our 100 × 100 grid: ``net.feedforward(grid, dtype=np.float32)`` on a (2, 10000) array, and the
  same in float64;
- the same for a reference in the same process: PyTorch eager on one CPU thread when ``import
  torch`` works (nn.Sequential of Linear/Tanh, MSE/2, a manual SGD update under no_grad; float64
  like ours, float32 as a note; for softmax the last Linear's logits and F.cross_entropy, for L2
  λw added to each weight's gradient), else a plain numpy implementation written below.

The reference starts from our initial weights and its first cost is checked against ours, so both
compute the same thing. Calls are timed one by one with ``time.perf_counter_ns`` after a warm-up,
with the garbage collector off, in interleaved rounds (ours, reference, ours, …) so that a slow
spell of the machine hits both alike. PyTorch is a benchmark reference only, never a dependency
of the project: ``pip install torch==2.13.0`` (a CPU build).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from playground import Network  # noqa: E402
from playground.network import check_learning_rate  # noqa: E402

try:  # a benchmark reference only: never a dependency of the project
    import torch
except ImportError:  # pragma: no cover - depends on the machine
    torch = None

try:  # Unix only: counts the page faults of the timed calls
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None

try:  # optional: reports the BLAS thread pools
    import threadpoolctl
except ImportError:  # pragma: no cover - depends on the machine
    threadpoolctl = None

Array = np.ndarray

ALPHA = 0.05  # learning rate of every timed step: small enough that nothing diverges
GRID_SIDE = 100
STEP_TARGET_RATIO = 5.0  # 2-8-8-1 on 500 points: ours ≥ 5× faster than PyTorch eager
GRID_TARGET_NS = 500_000  # a 100 × 100 grid in float32 in under 0.5 ms
TARGET_WORKLOAD = "2-8-8-1"


@dataclass(frozen=True)
class Workload:
    name: str
    sizes: tuple[int, ...]
    n: int
    output: str = "tanh"  # the output layer's activation; "softmax" with the cross-entropy
    regularization: str = "none"  # or "l1", "l2" with rate REG_RATE

    @property
    def cost(self) -> str:
        return "cross_entropy" if self.output == "softmax" else "quadratic"


REG_RATE = 0.01
WORKLOADS = (
    Workload("2-4-1", (2, 4, 1), 4),
    Workload("2-8-8-1", (2, 8, 8, 1), 500),
    Workload("2-8x6-1", (2, 8, 8, 8, 8, 8, 8, 1), 500),
    Workload("2-64-64-1", (2, 64, 64, 1), 2000),
    Workload("2-8-8-3 softmax", (2, 8, 8, 3), 500, output="softmax"),
    Workload("2-8-8-1 L2", (2, 8, 8, 1), 500, regularization="l2"),
)


@dataclass(frozen=True)
class Budget:
    seconds: float  # wall time for the timed calls of one measurement
    min_reps: int
    max_reps: int
    rounds: int  # ours and the reference alternate this many times
    warmup_s: float


FULL = Budget(seconds=0.9, min_reps=40, max_reps=4000, rounds=5, warmup_s=0.05)
QUICK = Budget(seconds=0.08, min_reps=8, max_reps=400, rounds=2, warmup_s=0.01)


# ---------------------------------------------------------------------------- data
def make_data(w: Workload) -> tuple[Array, Array]:
    """x (2, N) and y (1, N) in ±1: the 4 XOR points, or N uniform points in [−1, 1]²; y = +1
    where the signs of x1 and x2 differ (XOR), −1 elsewhere. With K ≥ 2 outputs, y (K, N) is
    one-hot 0/1: the class of a point is which of K equal sectors around 0 it lies in."""
    if w.n == 4:
        x = np.array([[-1.0, -1.0, 1.0, 1.0], [-1.0, 1.0, -1.0, 1.0]])
    else:
        x = np.random.default_rng(1).uniform(-1.0, 1.0, (2, w.n))
    k = w.sizes[-1]
    if k == 1:
        return x, np.where(x[:1] * x[1:] < 0, 1.0, -1.0)
    sector = np.minimum((np.arctan2(x[1], x[0]) + np.pi) * k // (2 * np.pi), k - 1).astype(int)
    return x, np.ascontiguousarray(np.eye(k)[:, sector])  # row by row, as encode_targets gives


def make_grid(side: int = GRID_SIDE) -> Array:
    """The (2, side²) float64 grid the app evaluates to draw the decision boundary."""
    u = np.linspace(-1.0, 1.0, side)
    g1, g2 = np.meshgrid(u, u)
    return np.stack([g1.ravel(), g2.ravel()])


def new_net(w: Workload) -> Network:
    acts = ["tanh"] * (len(w.sizes) - 2) + [w.output]
    reg = {} if w.regularization == "none" else {"regularization": w.regularization}
    return Network(  # the engine's default init
        list(w.sizes), activations=acts, cost=w.cost, seed=0, regularization_rate=REG_RATE, **reg
    )


# ---------------------------------------------------------------------------- references
class NaiveNumpyMLP:
    """The textbook numpy network: lists of weight matrices, fresh temporaries everywhere."""

    label = "naive numpy"

    def __init__(self, net: Network, dtype: type = np.float64) -> None:
        self.dtype = dtype
        self.ws = [net.w[l].astype(dtype) for l in range(2, net.L + 1)]
        self.bs = [net.b[l].astype(dtype) for l in range(2, net.L + 1)]
        self.softmax = net.activations[-1] == "softmax"  # then with the cross-entropy
        self.l2 = net.regularization.rate if net.regularization.name == "l2" else 0.0

    def data(self, x: Array, y: Array) -> tuple[Array, Array]:
        return x.astype(self.dtype), y.astype(self.dtype)

    def forward(self, x: Array) -> list[Array]:
        acts = [x]
        if not self.softmax:
            for w, b in zip(self.ws, self.bs, strict=True):
                acts.append(np.tanh(w @ acts[-1] + b))
            return acts
        for w, b in zip(self.ws[:-1], self.bs[:-1], strict=True):
            acts.append(np.tanh(w @ acts[-1] + b))
        z = self.ws[-1] @ acts[-1] + self.bs[-1]
        e = np.exp(z - z.max(axis=0, keepdims=True))  # the stable softmax, as ours
        acts.append(e / e.sum(axis=0, keepdims=True))
        return acts

    def step(self, x: Array, y: Array, alpha: float) -> float:
        acts = self.forward(x)
        n = x.shape[1]
        err = acts[-1] - y
        if self.softmax:
            cost = float(-np.sum(y * np.log(acts[-1]))) / n
            delta = err
        else:
            cost = float(np.sum(err**2)) / (2 * n)
            delta = err * (1 - acts[-1] ** 2)
        if self.l2:
            cost += 0.5 * self.l2 * sum(float(np.sum(w * w)) for w in self.ws)
        new_ws, new_bs = [], []
        for i in range(len(self.ws) - 1, -1, -1):
            if self.l2:
                new_ws.append(self.ws[i] - alpha * ((delta @ acts[i].T) / n + self.l2 * self.ws[i]))
            else:  # the reference as it was before issue 14, call for call
                new_ws.append(self.ws[i] - alpha * (delta @ acts[i].T) / n)
            new_bs.append(self.bs[i] - alpha * np.sum(delta, axis=1, keepdims=True) / n)
            if i > 0:
                delta = (self.ws[i].T @ delta) * (1 - acts[i] ** 2)
        self.ws, self.bs = new_ws[::-1], new_bs[::-1]
        return cost

    def grid_fn(self, grid: Array) -> Callable[[], object]:
        g = grid.astype(self.dtype)
        return lambda: self.forward(g)[-1]


class TorchMLP:
    """PyTorch eager on the CPU: nn.Sequential of Linear/Tanh, MSE/2, a manual SGD update."""

    label = "PyTorch eager"

    def __init__(self, net: Network, dtype: type = np.float64) -> None:
        self.dtype = torch.float64 if dtype == np.float64 else torch.float32
        self.softmax = net.activations[-1] == "softmax"  # logits + F.cross_entropy
        self.l2 = net.regularization.rate if net.regularization.name == "l2" else 0.0
        layers: list[torch.nn.Module] = []
        for l in range(2, net.L + 1):
            lin = torch.nn.Linear(net.sizes[l - 2], net.sizes[l - 1], dtype=self.dtype)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(net.w[l]))
                lin.bias.copy_(torch.from_numpy(net.b[l][:, 0]))
            layers += [lin] if self.softmax and l == net.L else [lin, torch.nn.Tanh()]
        self.model = torch.nn.Sequential(*layers)
        self.params = list(self.model.parameters())
        self.weights = [p for name, p in self.model.named_parameters() if name.endswith("weight")]

    def data(self, x: Array, y: Array) -> tuple[object, object]:
        # PyTorch's layout: examples are rows. Converted once, outside the timed calls.
        as_t = lambda v: torch.from_numpy(np.ascontiguousarray(v.T)).to(self.dtype)  # noqa: E731
        if self.softmax:  # class indices, as F.cross_entropy takes them
            return as_t(x), torch.from_numpy(np.argmax(y, axis=0))
        return as_t(x), as_t(y)

    def step(self, x: object, y: object, alpha: float) -> float:
        for p in self.params:
            p.grad = None
        if self.softmax:
            loss = torch.nn.functional.cross_entropy(self.model(x), y)
        else:
            loss = 0.5 * torch.nn.functional.mse_loss(self.model(x), y)
        if self.l2:
            loss = loss + 0.5 * self.l2 * sum((w * w).sum() for w in self.weights)
        loss.backward()
        with torch.no_grad():
            for p in self.params:
                p -= alpha * p.grad
        return loss.item()

    def grid_fn(self, grid: Array) -> Callable[[], object]:
        g = torch.from_numpy(np.ascontiguousarray(grid.T)).to(self.dtype)

        def run() -> object:
            with torch.no_grad():
                out = self.model(g)
                return torch.softmax(out, dim=1) if self.softmax else out

        return run


def reference_class() -> type:
    return TorchMLP if torch is not None else NaiveNumpyMLP


# ---------------------------------------------------------------------------- timing
@dataclass
class Stats:
    median_ns: float
    p10_ns: float
    p90_ns: float
    reps: int
    faults_per_call: float | None = None  # minor page faults (fresh memory touched), per call

    @classmethod
    def of(cls, samples: list[int], faults: int | None = None) -> Stats:
        a = np.asarray(samples, dtype=np.float64)
        p10, med, p90 = np.percentile(a, [10, 50, 90])
        per_call = None if faults is None else faults / len(samples)
        return cls(float(med), float(p10), float(p90), len(samples), per_call)


def _minor_faults() -> int | None:
    if resource is None:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _estimate_ns(fn: Callable[[], object], warmup_s: float) -> float:
    """Warm up for about ``warmup_s`` (at least 3 calls); the median call time seen meanwhile."""
    seen: list[int] = []
    stop = time.perf_counter() + warmup_s
    while len(seen) < 3 or time.perf_counter() < stop:
        t0 = time.perf_counter_ns()
        fn()
        seen.append(time.perf_counter_ns() - t0)
    return float(np.median(seen))


def measure(fns: dict[str, Callable[[], object]], budget: Budget) -> dict[str, Stats]:
    """Time every fn call by call, in ``budget.rounds`` interleaved rounds; stats per fn."""
    reps = {}
    for name, fn in fns.items():
        est = max(_estimate_ns(fn, budget.warmup_s), 1.0)
        reps[name] = int(min(budget.max_reps, max(budget.min_reps, budget.seconds * 1e9 / est)))
    samples: dict[str, list[int]] = {name: [] for name in fns}
    faults: dict[str, int | None] = dict.fromkeys(fns, 0 if resource is not None else None)
    clock = time.perf_counter_ns
    gc_was_on = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for r in range(budget.rounds):
            for name, fn in fns.items():
                k = reps[name] // budget.rounds + (r < reps[name] % budget.rounds)
                out = samples[name]
                f0 = _minor_faults()
                for _ in range(k):
                    t0 = clock()
                    fn()
                    out.append(clock() - t0)
                if f0 is not None:
                    faults[name] += _minor_faults() - f0
    finally:
        if gc_was_on:
            gc.enable()
    return {name: Stats.of(s, faults[name]) for name, s in samples.items()}


# ---------------------------------------------------------------------------- one workload
@dataclass
class Result:
    workload: Workload
    reference: str
    first_cost_ours: float
    first_cost_ref: float
    stats: dict[str, Stats] = field(default_factory=dict)


# Rows of the table: (label, our key, reference key).
ROWS = (
    ("step  train_step()", "ours_train_step", "ref_step_f64"),
    ("step  _backprop+apply_gradients", "ours_inner_step", "ref_step_f64"),
    ("step  (ref. in float32)", "ours_inner_step", "ref_step_f32"),
    ("grid 100x100 float32", "ours_grid_f32", "ref_grid_f32"),
    ("grid 100x100 float64", "ours_grid_f64", "ref_grid_f64"),
)


def run_workload(w: Workload, budget: Budget) -> Result:
    x, y = make_data(w)
    grid = make_grid()
    base = new_net(w)
    Ref = reference_class()

    net_ts, net_inner, net_grid = base.copy(), base.copy(), base.copy()
    ref64, ref32 = Ref(base, np.float64), Ref(base, np.float32)
    x64, y64 = ref64.data(x, y)
    x32, y32 = ref32.data(x, y)

    # Same weights, same data: the first costs must agree (the reference computes the same C).
    first_ours = base.copy().train_step(x, y, ALPHA)
    first_ref = Ref(base, np.float64).step(x64, y64, ALPHA)

    def inner_step() -> None:
        # What Trainer._one_step does once its data are validated.
        g = net_inner._backprop(x, y)
        net_inner.apply_gradients(g, ALPHA)

    with np.errstate(all="ignore"):  # the Trainer steps under errstate(all="ignore") too
        steps = measure(
            {
                "ours_train_step": lambda: net_ts.train_step(x, y, ALPHA),
                "ours_inner_step": inner_step,
                "ref_step_f64": lambda: ref64.step(x64, y64, ALPHA),
                "ref_step_f32": lambda: ref32.step(x32, y32, ALPHA),
            },
            budget,
        )
        grids = measure(
            {
                "ours_grid_f32": lambda: net_grid.feedforward(grid, dtype=np.float32),
                "ref_grid_f32": ref32.grid_fn(grid),
                "ours_grid_f64": lambda: net_grid.feedforward(grid, dtype=np.float64),
                "ref_grid_f64": ref64.grid_fn(grid),
            },
            budget,
        )
    return Result(w, Ref.label, first_ours, first_ref, {**steps, **grids})


# ---------------------------------------------------------------------------- profile
def profile_step(w: Workload, budget: Budget) -> dict[str, Stats]:
    """Our step cut into pieces: ``train_step`` = checks + ``_backprop`` + ``apply_gradients``.

    Each piece is timed on its own with the engine's own calls where it has one (forward, cost,
    δ^L, apply_gradients, the finiteness check); (17) is replayed as the lecture writes it, and
    the gradients (18), (19) are what is left of ``_backprop``. The engine may change under the
    benchmark, so only calls a step of any version makes are used.
    """
    net = new_net(w)
    x, y = make_data(w)
    L, act, cost = net.L, net.act, net.cost
    fwd = net._feedforward(x)
    z, a = fwd.z, fwd.a
    d_L = cost.delta_L(a[L], z[L], y, act[L])

    def deltas() -> None:
        d = d_L
        for l in range(L - 1, 1, -1):
            # (17), as the lecture writes it
            d = (net.w[l + 1].T @ d) * act[l].prime_from(z[l], a[l])

    frozen, stepping, applying = net.copy(), net.copy(), net.copy()
    g = frozen._backprop(x, y)
    pieces: dict[str, Callable[[], object]] = {
        "checks  check_learning_rate, check_xy": lambda: (
            check_learning_rate(ALPHA),
            net.check_xy(x, y),
        ),
        "forward  _feedforward": lambda: net._feedforward(x),
        "cost  cost.value": lambda: cost.value(a[L], y),
        "δ^L  cost.delta_L (10)": lambda: cost.delta_L(a[L], z[L], y, act[L]),
        "δ^l  (17), replayed": deltas,
    }
    finite = _finiteness_check(g)
    if finite is not None:
        pieces[f"finite check  {finite[0]}"] = finite[1]
    pieces |= {
        "= whole _backprop": lambda: frozen._backprop(x, y),
        "= whole apply_gradients": lambda: applying.apply_gradients(g, ALPHA),
        "= whole train_step": lambda: stepping.train_step(x, y, ALPHA),
    }
    lighter = dataclasses.replace(budget, seconds=budget.seconds / 3)  # ~10 pieces × 6 workloads
    with np.errstate(all="ignore"):
        stats = measure(pieces, lighter)
    # What _backprop does besides the pieces timed above: (18), (19) and its bookkeeping.
    rest = stats["= whole _backprop"].median_ns - sum(
        stats[k].median_ns for k in pieces if k.split()[0] in ("forward", "cost", "δ^L", "δ^l")
    )
    derived = {"gradients (18), (19)  = the rest": Stats(rest, rest, rest, 0)}
    parts = {k: v for k, v in stats.items() if not k.startswith("=")}
    wholes = {k: v for k, v in stats.items() if k.startswith("=")}
    return parts | derived | wholes


def _finiteness_check(g: object) -> tuple[str, Callable[[], object]] | None:
    """The engine's finiteness check of an update, whichever this version of it has."""
    import playground.network as engine

    if hasattr(engine, "is_finite") and hasattr(g, "flat"):
        return "is_finite(θ)", lambda: engine.is_finite(g.flat)
    if hasattr(engine, "all_finite"):
        return "all_finite(w, b)", lambda: engine.all_finite(g.w, g.b)
    return None


def engine_version() -> str:
    """The commit the engine was measured at, and whether playground/ had changes (read-only)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "playground"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return f"{head}{' + uncommitted changes in playground/' if dirty else ''}"


# ---------------------------------------------------------------------------- reporting
def fmt_time(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e3:.1f} µs"


def fmt_stats(s: Stats) -> str:
    return f"{fmt_time(s.median_ns):>9} ({fmt_time(s.p10_ns)}–{fmt_time(s.p90_ns)})"


def fmt_ratio(ratio: float) -> str:
    if ratio >= 1:
        return f"ours is {ratio:.1f}× faster"
    return f"ours is {1 / ratio:.1f}× slower"


def environment() -> dict[str, object]:
    env: dict[str, object] = {
        "engine": engine_version(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "loadavg_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "numpy": np.__version__,
        "blas": _numpy_blas(),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "torch": torch.__version__ if torch is not None else None,
        "torch_threads": torch.get_num_threads() if torch is not None else None,
        "threadpools": None,
    }
    if threadpoolctl is not None:
        env["threadpools"] = [
            {k: info.get(k) for k in ("internal_api", "version", "num_threads", "architecture")}
            | {"library": Path(info.get("filepath", "")).name}
            for info in threadpoolctl.threadpool_info()
        ]
    return env


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _numpy_blas() -> str | None:
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    except Exception:  # the config layout is not a stable API
        return None
    return f"{blas.get('name')} {blas.get('version')}"


def print_environment(env: dict[str, object]) -> None:
    print(f"engine: {env['engine']}")
    print(f"python {env['python']} on {env['platform']}")
    print(
        f"cpu: {env['cpu']} ({env['cpu_count']} logical), "
        f"load average before the run: {env['loadavg_1min']} (other work skews the figures)"
    )
    print(f"numpy {env['numpy']}, BLAS: {env['blas']}")
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        value = env[key]
        print(f"{key}={value if value is not None else '(unset)'}")
    if env["torch"] is not None:
        threads = env["torch_threads"]
        print(f"torch {env['torch']} found: reference = PyTorch eager, {threads} thread(s)")
    else:
        print("torch not found: reference = a naive numpy implementation (see NaiveNumpyMLP)")
    if env["threadpools"] is None:
        print("threadpoolctl not importable: thread pools not reported")
    else:
        for pool in env["threadpools"]:
            print(
                f"thread pool: {pool['library']} ({pool['internal_api']} {pool['version'] or ''}"
                f"{', ' + pool['architecture'] if pool.get('architecture') else ''}), "
                f"{pool['num_threads']} threads"
            )


def print_table(results: list[Result], env: dict[str, object]) -> None:
    ref = results[0].reference
    width = max(18, *(len(f"{r.workload.name} N={r.workload.n}") + 1 for r in results))
    head = (
        f"{'workload':<{width}}{'measurement':<32}{'ours: median (p10–p90)':>30}"
        f"{ref + ': median (p10–p90)':>32}  ratio"
    )
    print(head)
    print("-" * len(head))
    faulty, seen = [], set()
    for res in results:
        w = res.workload
        for i, (label, ours, theirs) in enumerate(ROWS):
            name = f"{w.name} N={w.n}" if i == 0 else ""
            o, r = res.stats[ours], res.stats[theirs]
            print(
                f"{name:<{width}}{label:<32}{fmt_stats(o):>30}{fmt_stats(r):>32}  "
                f"{fmt_ratio(r.median_ns / o.median_ns)}"
            )
            if (w.name, ours) in seen:
                continue
            seen.add((w.name, ours))
            if o.faults_per_call is not None and o.faults_per_call >= 50:
                faulty.append(f"{w.name} {' '.join(label.split())}: {o.faults_per_call:.0f}")
    print("ratio = reference median / our median. Step rows: ours is float64, the reference")
    print("float64 unless marked. Grid rows: a (2, 10000) input; ours keeps every z^l and a^l.")
    if faulty:
        print("minor page faults per call of ours (memory fresh from the OS every call):")
        for line in faulty:
            print(f"  {line}")
    blas_threads = [
        p["num_threads"] for p in env["threadpools"] or () if p["internal_api"] == "openblas"
    ]
    if torch is not None and any(n > 1 for n in blas_threads):
        print(
            f"note: numpy's OpenBLAS may use {max(blas_threads)} threads here, PyTorch 1; "
            "--blas-threads 1 compares one thread with one"
        )


def targets(results: list[Result]) -> dict[str, object]:
    res = next(r for r in results if r.workload.name == TARGET_WORKLOAD)
    s = res.stats
    step = {
        ours: {
            "ratio_vs_f64": s["ref_step_f64"].median_ns / s[ours].median_ns,
            "ratio_vs_f32": s["ref_step_f32"].median_ns / s[ours].median_ns,
        }
        for ours in ("ours_train_step", "ours_inner_step")
    }
    vs_torch = torch is not None
    for v in step.values():
        v["verdict"] = (
            ("PASS" if v["ratio_vs_f64"] >= STEP_TARGET_RATIO else "MISS") if vs_torch else "n/a"
        )
    grid = {
        r.workload.name: {
            "median_ns": r.stats["ours_grid_f32"].median_ns,
            "verdict": "PASS" if r.stats["ours_grid_f32"].median_ns < GRID_TARGET_NS else "MISS",
        }
        for r in results
    }
    return {"step": step, "grid_f32": grid}


def print_targets(t: dict[str, object]) -> None:
    print(f"\nTargets ({TARGET_WORKLOAD} on 500 points):")
    labels = {"ours_train_step": "train_step()", "ours_inner_step": "_backprop+apply_gradients"}
    for key, v in t["step"].items():
        ratios = f"{v['ratio_vs_f64']:.1f}× (vs float32: {v['ratio_vs_f32']:.1f}×)"
        if torch is not None:
            print(
                f"  {v['verdict']:<4}  step ≥ {STEP_TARGET_RATIO:g}× faster than PyTorch eager "
                f"float64, 1 thread: {labels[key]} is {ratios}"
            )
        else:
            print(
                f"  n/a   step vs PyTorch (not installed: pip install torch==2.13.0); "
                f"{labels[key]} vs naive numpy, for information: {ratios}"
            )
    g = t["grid_f32"][TARGET_WORKLOAD]
    print(
        f"  {g['verdict']:<4}  100×100 grid in float32 under {GRID_TARGET_NS / 1e6:g} ms: "
        f"{fmt_time(g['median_ns'])}"
    )
    others = ", ".join(
        f"{name} {fmt_time(v['median_ns'])} {v['verdict']}"
        for name, v in t["grid_f32"].items()
        if name != TARGET_WORKLOAD
    )
    print(f"        (the other workloads, for information: {others})")


def print_profile(name: str, stats: dict[str, Stats]) -> None:
    total = stats["= whole train_step"].median_ns
    print(f"\nOur step cut into pieces, {name} (medians; share of a whole train_step):")
    for piece, s in stats.items():
        shown = fmt_stats(s) if s.reps else f"{fmt_time(s.median_ns):>9} (derived)"
        faults = "" if s.faults_per_call is None else f"  {s.faults_per_call:6.1f} faults/call"
        print(f"  {piece:<38}{shown:>30}  {100 * s.median_ns / total:5.1f} %{faults}")


# ---------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a few seconds)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument(
        "--profile", action="store_true", help="also time the pieces of our step per workload"
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        metavar="N",
        help="limit numpy's BLAS to N threads (needs threadpoolctl; or set OPENBLAS_NUM_THREADS)",
    )
    args = parser.parse_args(argv)
    if args.blas_threads is not None:
        if threadpoolctl is None:
            parser.error("--blas-threads needs threadpoolctl; set OPENBLAS_NUM_THREADS=N instead")
        # Kept for the whole run: the limiter object restores the pools when collected.
        limiter = threadpoolctl.threadpool_limits(limits=args.blas_threads, user_api="blas")
    else:
        limiter = None
    budget = QUICK if args.quick else FULL
    t_start = time.perf_counter()

    if torch is not None:
        torch.set_num_threads(1)
    env = environment()
    print_environment(env)
    print()

    results = [run_workload(w, budget) for w in WORKLOADS]
    for res in results:
        if not math.isclose(res.first_cost_ours, res.first_cost_ref, rel_tol=1e-9, abs_tol=1e-12):
            print(
                f"WARNING {res.workload.name}: first cost differs, ours {res.first_cost_ours!r} "
                f"vs reference {res.first_cost_ref!r}: the comparison is not like for like"
            )
    print_table(results, env)
    t = targets(results)
    print_targets(t)

    profiles = {}
    if args.profile:
        for w in WORKLOADS:
            profiles[w.name] = profile_step(w, budget)
            print_profile(w.name, profiles[w.name])

    elapsed = time.perf_counter() - t_start
    print(f"\n{'quick' if args.quick else 'full'} run, {elapsed:.1f} s")

    if args.json:
        doc = {
            "environment": env,
            "quick": args.quick,
            "blas_threads": args.blas_threads,
            "alpha": ALPHA,
            "elapsed_s": elapsed,
            "reference": results[0].reference,
            "workloads": [
                {
                    "name": r.workload.name,
                    "sizes": list(r.workload.sizes),
                    "n": r.workload.n,
                    "first_cost": {"ours": r.first_cost_ours, "reference": r.first_cost_ref},
                    "stats": {k: vars(s) for k, s in r.stats.items()},
                    "ratios": {
                        f"{theirs}/{ours}": r.stats[theirs].median_ns / r.stats[ours].median_ns
                        for _, ours, theirs in ROWS
                    },
                }
                for r in results
            ],
            "targets": t,
            "profile": {
                name: {piece: vars(s) for piece, s in stats.items()}
                for name, stats in profiles.items()
            },
        }
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
        print(f"results written to {path}")
    if limiter is not None:
        limiter.restore_original_limits()
    return 0


if __name__ == "__main__":
    sys.exit(main())
