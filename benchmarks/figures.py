"""Build time and payload of every figure builder, per full figure and per frame update.

    python benchmarks/figures.py

Two cases: the default Playground (2-4-2-1 on 500 points) and the largest network it allows
(7 input features, 8 hidden layers of 12, 1 output). Both use a 100 × 100 boundary grid, 20 × 20
neuron thumbnails and a full history of 2000 rows. The inputs (forward passes, quantisation) are
computed once beforehand: only the builders are timed. "JSON" is ``len(json.dumps(fig))``
(ASCII-escaped, as ``json.dumps`` and ``ui.web.live_chart.dumps`` write it); "UTF-8" is the same
without ``ensure_ascii``: smaller when a figure carries Greek letters and sub/superscripts.
Not a test: nothing is asserted, the numbers depend on the machine.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground.activations import LECTURE_ACTIVATIONS
from playground.datasets import make_dataset
from playground.features import FEATURES, make_features
from playground.network import Network
from ui.figures.activations import activation_figure
from ui.figures.boundary import (
    boundary_figure,
    boundary_update,
    curve_figure,
    curve_update,
    plane_grid,
)
from ui.figures.curves import cost_figure, cost_update, delta_figure, delta_update
from ui.figures.encode import quantize
from ui.figures.network import network_figure, network_update

GRID, THUMB, HISTORY, EXTENT = 100, 20, 2000, (-6.0, 6.0, -6.0, 6.0)
ALL_FEATURES = ("x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2")


def median_ms(fn, *, budget: float = 1.0, max_runs: int = 200) -> float:
    fn()  # warm-up (and the geometry cache of the network diagram)
    times, start = [], time.perf_counter()
    while len(times) < max_runs and (len(times) < 5 or time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def sizes_kb(obj: Any) -> tuple[float, float]:
    return len(json.dumps(obj)) / 1000, len(json.dumps(obj, ensure_ascii=False).encode()) / 1000


def inputs(features: tuple[str, ...], hidden: list[int]) -> dict[str, Any]:
    ds = make_dataset("circle", n_points=500, noise=0.1, seed=0)
    sizes = [len(features), *hidden, 1]
    net = Network(sizes, "tanh", init="uniform", seed=0)
    L = net.L
    big = net.predict(make_features(plane_grid(EXTENT, GRID), features)).reshape(GRID, GRID)
    fwd = net.feedforward(make_features(plane_grid(EXTENT, THUMB), features))
    thumbs, ranges = {}, {}
    for l in range(1, L + 1):
        a = fwd.a[l].reshape(sizes[l - 1], THUMB, THUMB)
        if l == 1:
            m = np.abs(a).reshape(len(a), -1).max(axis=1)
            ranges[l] = np.column_stack([-m, m])
            thumbs[l] = np.stack([quantize(ai, -mi, mi) for ai, mi in zip(a, m, strict=True)])
        else:
            ranges[l] = (-1.0, 1.0)
            thumbs[l] = quantize(a, -1.0, 1.0)
    x_train = make_features(ds.x[:, ds.train], features)
    y_train = np.where(ds.y[:, ds.train] > 0.5, 1.0, -1.0)
    g = net.backprop(x_train, y_train)
    stats = {
        l: {"z": g.forward.z[l].mean(1), "a": g.forward.a[l].mean(1), "delta": g.delta[l].mean(1)}
        for l in range(2, L + 1)
    }
    steps = np.arange(HISTORY) * 5
    rng = np.random.default_rng(0)
    cost = 0.5 * np.exp(-steps / 2000) + rng.uniform(0, 0.01, HISTORY)
    return {
        "ds": ds,
        "net": net,
        "sizes": sizes,
        "labels": [FEATURES[f].label for f in features],
        "a_L": big,
        "z_u8": quantize(big, -1, 1),
        "thumbs": thumbs,
        "ranges": ranges,
        "stats": stats,
        "steps": steps,
        "cost": cost,
        "grad_b": {l: cost * 10.0 ** (-l / 2) for l in range(2, L + 1)},
    }


def cases(c: dict[str, Any]) -> list[tuple[str, Any]]:
    ds, net = c["ds"], c["net"]
    pts = dict(
        extent=EXTENT,
        value_range=(-1, 1),
        train_x=ds.x[:, ds.train],
        train_y=ds.y[0, ds.train],
        test_x=ds.x[:, ~ds.train],
        test_y=ds.y[0, ~ds.train],
        show_test=True,
    )
    net_kw = dict(sizes=c["sizes"], w=net.w, b=net.b, neuron_stats=c["stats"],
                  thumbnails=c["thumbs"], thumb_range=c["ranges"])  # fmt: skip
    hist = dict(steps=c["steps"], cost_train=c["cost"], cost_test=c["cost"] * 1.1)
    gx = np.linspace(-6, 6, 200)
    return [
        ("boundary_figure (z uint8)", lambda: boundary_figure(z=c["z_u8"], **pts)),
        ("boundary_figure (z float32)", lambda: boundary_figure(z=c["a_L"], **pts)),
        ("boundary_update (z uint8)", lambda: boundary_update(c["z_u8"], value_range=(-1, 1))),
        ("boundary_update (z float32)", lambda: boundary_update(c["a_L"], value_range=(-1, 1))),
        ("curve_figure (200 points)", lambda: curve_figure(
            grid_x=gx, output=np.sin(gx), train_x=ds.x[:1, :250], train_y=ds.y[0, :250])),
        ("curve_update", lambda: curve_update(np.sin(gx))),
        ("cost_figure (2000 rows)", lambda: cost_figure(**hist)),
        ("cost_update (2000 rows)", lambda: cost_update(**hist)),
        ("cost_update (tail of 20)", lambda: cost_update(**hist, start=HISTORY - 20)),
        ("delta_figure (2000 rows)", lambda: delta_figure(steps=c["steps"], grad_b=c["grad_b"])),
        ("delta_update (2000 rows)", lambda: delta_update(steps=c["steps"], grad_b=c["grad_b"])),
        ("network_figure", lambda: network_figure(
            input_labels=c["labels"], activations=net.activations, **net_kw)),
        ("network_update (with thumbnails)", lambda: network_update(**net_kw)),
        ("network_update (weights only)", lambda: network_update(
            **{**net_kw, "thumbnails": None})),
    ]  # fmt: skip


def main() -> None:
    print(__doc__.split("\n\n")[2].strip().replace("\n", " "), "\n")
    for title, features, hidden in (
        ("default: 2-4-2-1, 500 points", ("x1", "x2"), [4, 2]),
        ("largest: 7-12×8-1, 500 points", ALL_FEATURES, [12] * 8),
    ):
        c = inputs(features, hidden)
        print(f"== {title}")
        print(f"   {'builder':36s} {'median ms':>9s} {'JSON kB':>9s} {'UTF-8 kB':>9s}")
        for name, fn in cases(c):
            ms = median_ms(fn)
            kb, utf8 = sizes_kb(fn())
            print(f"   {name:36s} {ms:9.2f} {kb:9.1f} {utf8:9.1f}")
        print()
    ms = median_ms(lambda: activation_figure(LECTURE_ACTIVATIONS))
    kb, utf8 = sizes_kb(activation_figure())
    print(f"   {'activation_figure':36s} {ms:9.2f} {kb:9.1f} {utf8:9.1f}")

    # for comparison: what go.Figure validation would add to the cheapest per-frame figure
    import plotly.graph_objects as go

    c = inputs(("x1", "x2"), [4, 2])
    fig = boundary_figure(z=c["z_u8"], extent=EXTENT, value_range=(-1, 1),
                          train_x=c["ds"].x, train_y=c["ds"].y[0])  # fmt: skip
    print(f"\n   go.Figure(boundary dict) alone: {median_ms(lambda: go.Figure(fig)):.2f} ms")


if __name__ == "__main__":
    main()
