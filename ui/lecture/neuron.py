"""One neuron (lecture §I.A, eq. (1)) for the "One neuron" page: no streamlit, no maths of its own.

The neuron y = σ(w₁x₁ + w₂x₂ + b) is the engine's ``Network([2, 1])``: its w² is the row
(w₁, w₂) and its b² the bias b, so z, y, the cost C of eq. (2) and every gradient come from
``Network.feedforward`` / ``backprop`` and training from ``Trainer``. This module only builds
those objects, reads their numbers back and formats eq. (1) with them.

The data is the lecture's XOR (Fig. 4): four points, two classes. The class values a neuron is
trained towards are its activation's ``targets`` (0/1 for sigmoid and ReLU, −1/+1 for tanh and
sign). A point counts as correct when the output lies on the same side of the middle of the two
targets as the point's target, by at least ``FENCE`` of the distance between the targets: a
neuron that answers 0.501 everywhere has not decided anything, it sits on the fence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from playground import Network, Trainer, get_activation
from playground.datasets import lecture_xor_points
from ui.config import learning_rates
from ui.figures.boundary import GRID, XOR_EXTENT, plane_grid
from ui.lecture.xor import xor_targets
from ui.notation import latex_factor, latex_number, sigma_latex

#: Slider ranges (weights and bias, inputs).
WEIGHT_RANGE = (-6.0, 6.0)
INPUT_RANGE = (-0.5, 1.5)
#: Where the sliders start: an OR-like line that gets three of the four XOR points right.
DEFAULT = {"w1": 4.0, "w2": 4.0, "b": -2.0, "x1": 1.0, "x2": 0.0}
#: An output closer than this fraction of (hi − lo) to the middle is on the fence, not an answer.
FENCE = 0.01


def neuron(activation: str, w1: float, w2: float, b: float) -> Network:
    """The neuron of eq. (1) with k = 2 inputs: a 2-1 network whose w² = (w₁ w₂), b² = b."""
    net = Network([2, 1], activations=activation, init="zeros")
    net.set_params({2: np.array([[w1, w2]])}, {2: np.array([[b]])})
    return net


def params_of(net: Network) -> dict[str, float]:
    """w₁, w₂ and b of a one-neuron network (for the sliders)."""
    return {"w1": float(net.w[2][0, 0]), "w2": float(net.w[2][0, 1]), "b": float(net.b[2][0, 0])}


@dataclass(frozen=True)
class Point:
    """z and y = σ(z) of the neuron at one input (x₁, x₂), as the engine computes them."""

    x1: float
    x2: float
    z: float
    y: float


def at_point(net: Network, x1: float, x2: float) -> Point:
    fwd = net.feedforward(np.array([[x1], [x2]]))
    return Point(float(x1), float(x2), float(fwd.z[2][0, 0]), float(fwd.a[2][0, 0]))


@dataclass(eq=False)
class Plane:
    """y and z of the neuron at the centre of every cell of ``plane_grid(extent, grid)``."""

    y: np.ndarray  # (grid, grid)
    z: np.ndarray  # (grid, grid): the line z = 0 is w·x + b = 0
    extent: tuple[float, float, float, float]


def plane(net: Network, extent=XOR_EXTENT, grid: int = GRID) -> Plane:
    fwd = net.feedforward(plane_grid(extent, grid))
    shape = (grid, grid)
    return Plane(fwd.a[net.L][0].reshape(shape), fwd.z[net.L][0].reshape(shape), extent)


def value_range(activation: str) -> tuple[float, float]:
    """The two target values of the activation: the ends of the colour scale."""
    return get_activation(activation).targets


def threshold(activation: str) -> float:
    lo, hi = value_range(activation)
    return (lo + hi) / 2


#: z where σ(z) reaches the threshold: the line that splits the points the rule counts as one
#: class from the other. 0 for sigmoid, tanh and sign; for ReLU, whose targets are 0 and 1, the
#: threshold is 0.5 and max(0, z) = 0.5 at z = 0.5 (at z = 0 ReLU only starts to rise).
_DECISION_Z = {"sigmoid": 0.0, "tanh": 0.0, "sign": 0.0, "relu": 0.5}


def decision_z(activation: str) -> float:
    """The z of the line that separates y > threshold from y < threshold."""
    return _DECISION_Z[activation]


# ---------------------------------------------------------------------------------------------
# The XOR points


def xor_data(activation: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x (2, 4), the targets y (1, 4) for this activation, and the classes 0/1 (4,)."""
    ds = lecture_xor_points()
    return ds.x, xor_targets(activation), ds.y[0]


@dataclass(eq=False)
class XorCheck:
    """How the neuron does on the four XOR points."""

    x: np.ndarray  # (2, 4)
    classes: np.ndarray  # (4,) 0/1
    output: np.ndarray  # (4,) y = σ(z) at each point
    correct: np.ndarray  # (4,) bool: on the target's side, and not on the fence
    fence: np.ndarray  # (4,) bool: too close to the middle to count as an answer
    cost: float  # C of eq. (2)

    @property
    def n_correct(self) -> int:
        return int(self.correct.sum())

    @property
    def n_fence(self) -> int:
        return int(self.fence.sum())

    def verdicts(self) -> list[str]:
        """Per point: "✓ right", "✗ wrong" or "– on the fence"."""
        return [
            "– on the fence" if f else "✓ right" if c else "✗ wrong"
            for c, f in zip(self.correct, self.fence, strict=True)
        ]


def xor_check(net: Network) -> XorCheck:
    activation = net.activations[-1]
    x, y, classes = xor_data(activation)
    g = net.backprop(x, y)
    out = g.forward.output[0]
    lo, hi = value_range(activation)
    t = (lo + hi) / 2
    fence = np.abs(out - t) < FENCE * (hi - lo)
    return XorCheck(x, classes, out, ((out > t) == (y[0] > t)) & ~fence, fence, g.cost)


# ---------------------------------------------------------------------------------------------
# Training the neuron on XOR

LEARNING_RATES = learning_rates(0.03, 3.0)
STEP_CHOICES = (100, 500, 2000)


@dataclass(eq=False)
class NeuronRun:
    """One gradient-descent run of the neuron on the XOR points; the trainer keeps its history."""

    activation: str
    start: dict[str, float]  # w₁, w₂, b before training
    trainer: Trainer

    @property
    def net(self) -> Network:
        return self.trainer.net

    @property
    def check(self) -> XorCheck:
        return xor_check(self.net)


def train_on_xor(
    activation: str,
    *,
    start: dict[str, float] | None = None,
    seed: int = 0,
    learning_rate: float = 1.0,
    steps: int = 500,
) -> NeuronRun:
    """Batch gradient descent, (24) and (25), on the four points; from ``start`` (w1, w2, b) or
    from N(0, 1) weights drawn with ``seed``."""
    if start is None:
        net = Network([2, 1], activations=activation, init="normal", seed=seed)
    else:
        net = neuron(activation, start["w1"], start["w2"], start["b"])
    x, y, _ = xor_data(activation)
    trainer = Trainer(
        net,
        x,
        y,
        learning_rate=learning_rate,
        threshold=threshold(activation),
        seed=seed,
    )
    first = params_of(net)
    trainer.step(steps)
    return NeuronRun(activation, first, trainer)


def random_starts(
    activation: str, *, seeds: range, learning_rate: float, steps: int
) -> pd.DataFrame:
    """Train from several random starts; one row per start with its final C and score."""
    rows = []
    for seed in seeds:
        run = train_on_xor(activation, seed=seed, learning_rate=learning_rate, steps=steps)
        check = run.check
        rows.append(
            {
                "seed": seed,
                **{k: round(v, 3) + 0.0 for k, v in params_of(run.net).items()},
                "C after training": check.cost,
                "points right (of 4)": check.n_correct,
                "on the fence": check.n_fence,
            }
        )
    return pd.DataFrame(rows).set_index("seed")


# ---------------------------------------------------------------------------------------------
# Eq. (1) with numbers


def equation_latex(activation: str, params: dict[str, float], point: Point) -> str:
    """Eq. (1) for this neuron, first with symbols, then with the live numbers."""
    w1, w2, b = params["w1"], params["w2"], params["b"]
    f, n = latex_factor, latex_number
    bias = f"- {n(-b)}" if b < 0 else f"+ {n(b)}"
    return (
        r"\begin{aligned}"
        rf"z &= w_1 x_1 + w_2 x_2 + b = {f(w1)}\cdot{f(point.x1)} + {f(w2)}\cdot{f(point.x2)}"
        rf" {bias} = \mathbf{{{n(point.z)}}}\\"
        rf"y &= \sigma(z) = {sigma_latex(activation, point.z)} = \mathbf{{{n(point.y)}}}"
        r"\end{aligned}"
    )
