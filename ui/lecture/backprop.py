"""The "Backpropagation, step by step" page's state: which network, which data, how many steps.

Pure Python and numpy (no streamlit): the page keeps one ``Lab`` per browser tab in
``st.session_state`` and draws what ``ui.lecture.ledger`` makes of it. The networks on offer:

- "xor": the lecture's Fig. 5 network, inputs (x₁, x₂, 1), ReLU, on the four XOR points;
- "2-2-1": a seeded 2-2-1 network on the four XOR points;
- "2-3-2": a seeded 2-3-2 network on four seeded points with two targets each;
- "playground": a copy of the Playground's network (at most ``MAX_PARAMS`` parameters, because
  this page shows every one of them) on its first few training points.

A step is one update (24), (25) on the chosen data: one example or the whole batch. Every number
comes from the engine (``Network.backprop`` and ``Network.apply_gradients``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.datasets import lecture_xor_points
from playground.network import Network, check_learning_rate
from playground.presets import lecture_xor, with_constant_input
from playground.training import encode_targets
from ui.config import learning_rates
from ui.lecture.ledger import Ledger, make_ledger
from ui.notation import number

NETWORKS = {
    "xor": "The XOR network of Fig. 5 (3-2-1, ReLU)",
    "2-2-1": "A 2-2-1 network on the XOR points",
    "2-3-2": "A 2-3-2 network with two outputs",
    "playground": "The current Playground network",
}
ACTIVATIONS = ("sigmoid", "tanh", "relu", "sign")  # the lecture's four, sigmoid first
LEARNING_RATES = learning_rates(0.01, 10.0)
MAX_PARAMS = 40  # every parameter gets a row on the page: more would not fit on a screen
BATCH_232 = 4  # examples in the 2-3-2 network's batch
PLAYGROUND_POINTS = 4  # training points taken from the Playground
HISTORY_CAP = 500  # cost-history points kept (the oldest are dropped)
SEED_MAX = 9999
_INIT = "normal"  # N(0, 1), as Nielsen's network.py: hidden δ^l are large enough to read


class UnavailableError(ValueError):
    """A choice that cannot be shown; the message is meant for the student."""


@dataclass(eq=False)
class Problem:
    """A network and a batch: x is (K_1, N), y is (K_L, N), examples are columns."""

    key: tuple
    net: Network
    x: np.ndarray
    y: np.ndarray
    input_names: list[str]  # what each input neuron a¹_k holds: "x₁", "x₂", "1"
    example_names: list[str]  # a column heading per example: "x = (0, 1)"
    about: str  # one sentence on where the network and the data come from


def _point_names(x: np.ndarray) -> list[str]:
    return [f"x = ({number(x[0, i])}, {number(x[1, i])})" for i in range(x.shape[1])]


def problem_key(
    network: str, *, activation: str = "sigmoid", seed: int = 0, playground: Any = None
) -> tuple:
    """What a Problem is built from: while it stays the same, the page keeps its Lab."""
    if network in ("2-2-1", "2-3-2"):
        return (network, activation, seed)
    if network == "playground" and playground is not None:
        return (network, id(playground), playground.config)
    return (network,)


def build_problem(
    network: str, *, activation: str = "sigmoid", seed: int = 0, playground: Any = None
) -> Problem:
    """The network and data of one choice; ``playground`` is the Playground's Experiment."""
    if network == "xor":
        ds = lecture_xor_points()
        return Problem(
            key=problem_key("xor"),
            net=lecture_xor(),
            x=with_constant_input(ds.x),
            y=ds.y.copy(),
            input_names=["x₁", "x₂", "1"],
            example_names=_point_names(ds.x),
            about="The lecture's weights (Fig. 5), ReLU everywhere, every bias 0; the third "
            "input is the constant 1.",
        )
    if network in ("2-2-1", "2-3-2"):
        if activation not in ACTIVATIONS:
            raise UnavailableError(
                f"unknown activation {activation!r}; expected one of {ACTIVATIONS}"
            )
        if not (isinstance(seed, int) and 0 <= seed <= SEED_MAX):
            raise UnavailableError(
                f"the seed must be a whole number from 0 to {SEED_MAX}, got {seed}"
            )
        sizes = [2, 2, 1] if network == "2-2-1" else [2, 3, 2]
        net = Network(sizes, activation, init=_INIT, seed=seed)
        targets = net.act[net.L].targets
        if network == "2-2-1":
            ds = lecture_xor_points()
            x, labels = ds.x, ds.y
            about = "The four XOR points; targets y = XOR(x₁, x₂)"
        else:
            x = np.random.default_rng([seed, 1]).uniform(-1.0, 1.0, (2, BATCH_232))
            labels = (x > 0).astype(np.float64)
            about = f"{BATCH_232} random points; target y₁ says whether x₁ > 0, y₂ whether x₂ > 0"
        lo, hi = targets
        return Problem(
            key=problem_key(network, activation=activation, seed=seed),
            net=net,
            x=x.copy(),
            y=encode_targets(labels, targets),
            input_names=["x₁", "x₂"],
            example_names=_point_names(x),
            about=f"{about}, written as {number(lo)} / {number(hi)} for {activation}. "
            f"Weights and biases drawn from N(0, 1) with seed {seed}.",
        )
    if network == "playground":
        return _playground_problem(playground)
    raise UnavailableError(f"unknown network {network!r}; expected one of {list(NETWORKS)}")


def _playground_problem(exp: Any) -> Problem:
    if exp is None:
        raise UnavailableError(
            "There is no Playground network yet: open the **Playground** page once (it builds "
            "one), then come back and choose it here."
        )
    net: Network = exp.net
    shape = "-".join(map(str, net.sizes))
    if net.n_params > MAX_PARAMS:
        raise UnavailableError(
            f"The Playground network {shape} has {net.n_params} weights and biases. This page "
            f"shows every one of them in its tables, so it takes networks with at most "
            f"{MAX_PARAMS}. Make it smaller in the Playground (for example one hidden layer of "
            f"4 neurons: 17 parameters), or choose another network here."
        )
    t = exp.trainer
    n = min(PLAYGROUND_POINTS, t.x_train.shape[1])
    raw = exp.dataset.x_train[:, :n]
    names = _point_names(raw) if raw.shape[0] == 2 else [f"x = {number(v)}" for v in raw[0]]
    return Problem(
        key=problem_key("playground", playground=exp),
        net=net.copy(),  # a copy: the Playground keeps its own weights
        x=t.x_train[:, :n].copy(),
        y=t.y_train[:, :n].copy(),
        input_names=list(exp.input_labels),
        example_names=names,
        about=f"A copy of the Playground's {shape} network with its current weights "
        f"(your Playground is not changed), on its first {n} training points.",
    )


class Lab:
    """One network, its starting weights, the chosen data, the steps taken and the costs seen."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.net = problem.net
        self._start = (_copy(self.net.w), _copy(self.net.b))
        self.example: int | None = None  # None: the whole batch
        self.steps = 0
        self.history: list[tuple[int, float]] = []
        self._record()

    @property
    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of the chosen data: one column, or the whole batch."""
        p = self.problem
        if self.example is None:
            return p.x, p.y
        return p.x[:, [self.example]], p.y[:, [self.example]]

    @property
    def example_names(self) -> list[str]:
        names = self.problem.example_names
        return names if self.example is None else [names[self.example]]

    def select(self, example: int | None) -> None:
        """Choose one example (0-based) or the whole batch (None); the weights stay."""
        if example is not None and not 0 <= example < self.problem.x.shape[1]:
            raise UnavailableError(f"there is no example {example + 1}")
        if example != self.example:
            self.example = example
            self.history = []  # C is a different function of w, b on other data
            self._record()

    def ledger(self, alpha: float) -> Ledger:
        """Every number of one step (1)–(5) at the current weights."""
        x, y = self.data
        return make_ledger(
            self.net,
            x,
            y,
            alpha=check_learning_rate(alpha),
            example_names=self.example_names,
            input_names=self.problem.input_names,
        )

    def apply(self, alpha: float) -> bool:
        """Make the update (24), (25) the ledger shows; False (nothing changed) if it would
        make a weight or bias non-finite."""
        g = self.ledger(alpha).g
        with np.errstate(all="ignore"):
            if not self.net.apply_gradients(g, alpha):
                return False
        self.steps += 1
        self._record()
        return True

    def start_over(self) -> None:
        """Back to the weights this network started with; the history starts again."""
        self.net.set_params(*self._start)
        self.steps = 0
        self.history = []
        self._record()

    def _record(self) -> None:
        x, y = self.data
        with np.errstate(all="ignore"):
            cost = self.net.backprop(x, y).cost
        self.history.append((self.steps, cost))
        del self.history[:-HISTORY_CAP]


def _copy(params: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    return {l: v.copy() for l, v in params.items()}
