"""Gradient descent with a record of what happened: the trainer a page or a notebook drives.

One *step* is one update (24), (25) computed on one batch: the whole training set (batch
gradient descent, the lecture's choice), a mini-batch, or a single example. The examples are
shuffled with a seeded generator at the start of every epoch, so a run is reproducible.

After a step the trainer measures the network as it now is, on the whole training set:
C_train, C_test, the accuracy, and per layer ||∂C/∂b^l|| (the norm of the batch-averaged δ^l,
Nielsen's "speed of learning" of layer l), the root mean square over the examples of ||δ^l_x||
(the typical size of one example's error in layer l, which no averaging over the batch can
cancel), ||∂C/∂w^l|| and ||w^l||. Row t of the history
therefore describes the weights after t updates; row 0 the initial weights.

With regularisation (``regularization.py``) gradient descent minimises C = C_0 + R(w):
``cost_train`` and ``cost_test`` stay C_0, the cost of the data (comparable between the two sets
and with or without λ), ``penalty`` is R(w), so the C being minimised is cost_train + penalty;
||∂C/∂w^l|| includes the term λ w^l (or λ sign w^l), and ||w^l|| shows what it does to the weights.

Classification: ``threshold`` is the middle of the output's targets (None for regression). The
accuracy is the share of examples given their class (``metrics.py``: one output on the right
side of the threshold; K_L ≥ 2 outputs, the largest), and ``confusion()`` the K × K matrix of
true against predicted classes at the current weights.

Changes that are not a step (``set_weight``, ``set_bias``, a new ``regularization``) measure the
network again at once: the metrics, the gradients and the history's row for the current step
describe the changed network, and the next step starts from it.

For drawing: ``gradients`` holds backprop on the whole training set at the current weights (every
z^l, a^l, δ^l, ∂C/∂w^l, ∂C/∂b^l; ``metrics.gradient_summary`` reduces it for the network
diagram); ``preview_step()`` computes the next step (its batch, forward pass, δ^l and the
update (24), (25)) without making it, so a page can show it phase by phase before ``step()``.

Divergence is a result, not an exception: when a step makes the cost or a parameter non-finite,
the trainer keeps the last finite weights, stops, and says so in ``divergence``.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

from playground.history import History
from playground.metrics import accuracy, classes_of, confusion_matrix
from playground.network import Gradients, Network, check_learning_rate, is_finite
from playground.regularization import Regularization

Array = np.ndarray


@dataclass(eq=False)
class StepPreview:
    """What the next ``step()`` will do, computed and not applied (for a slow-motion Step).

    ``batch``: the indices of its training examples (None: all of them); ``gradients``: its
    forward pass (``forward.z[l]``, ``forward.a[l]`` for layers 1 → L), its δ^l ((10) or (7),
    then (17), L → 2) and ∂C/∂w^l, ∂C/∂b^l ((18), (19)); ``w``, ``b``: the parameters the
    update (24), (25) with ``learning_rate`` will give. A ``step()`` made right after, with
    nothing changed in between, makes exactly this update. ``finite`` False: the update would
    make a parameter non-finite, ``w``, ``b`` are the parameters as they are, and ``step()``
    will report the divergence instead.
    """

    batch: Array | None
    gradients: Gradients
    learning_rate: float
    w: dict[int, Array]
    b: dict[int, Array]
    finite: bool


@dataclass(frozen=True)
class Divergence:
    step: int
    learning_rate: float
    reason: str

    @property
    def message(self) -> str:
        return (
            f"training diverged at step {self.step} with learning rate α = {self.learning_rate:g}: "
            f"{self.reason}. The weights were kept as they were after step {self.step - 1}, "
            "the last finite state. Try a smaller α, or Reset."
        )


def encode_targets(labels: Array, targets: tuple[float, float], *, outputs: int = 1) -> Array:
    """Class labels → the output values y the network is trained towards.

    One output (``outputs=1``): classes 0/1 → targets[0]/targets[1], in the labels' shape.
    K_L = ``outputs`` ≥ 2: labels 0 … K_L − 1 → one-hot columns, (K_L, N): targets[1] in row k
    of an example of class k, targets[0] in every other row (0/1 for sigmoid, ReLU and softmax,
    −1/+1 for tanh: always values the output activation can reach).
    """
    labels = np.asarray(labels)
    if isinstance(outputs, bool) or not isinstance(outputs, int | np.integer) or outputs < 1:
        raise ValueError(f"outputs (K_L) must be an integer ≥ 1, got {outputs!r:.60}")
    lo, hi = targets
    if outputs == 1:
        if not np.isin(labels, (0, 1)).all():
            raise ValueError(
                "one output neuron tells two classes apart (0 and 1); got labels "
                f"{_some(labels)}: give the network one output per class"
            )
        return np.where(labels > 0.5, hi, lo).astype(np.float64)
    flat = labels.reshape(-1)
    if flat.size and not (np.isin(flat, np.arange(outputs)).all()):
        raise ValueError(
            f"labels must be whole numbers 0 to {outputs - 1} for K_L = {outputs} outputs, "
            f"got {_some(flat)}"
        )
    y = np.full((outputs, flat.size), lo, dtype=np.float64)
    y[flat.astype(np.intp), np.arange(flat.size)] = hi
    return y


def _some(labels: Array) -> str:
    """The distinct labels, at most ten of them, for a message."""
    distinct = np.unique(labels)
    shown = ", ".join(f"{v:g}" for v in distinct[:10].tolist())
    return f"[{shown}{', …' if distinct.size > 10 else ''}]"


class Trainer:
    """Trains ``net`` by gradient descent on (x_train, y_train) and records every step."""

    def __init__(
        self,
        net: Network,
        x_train: Array,
        y_train: Array,
        *,
        x_test: Array | None = None,
        y_test: Array | None = None,
        learning_rate: float = 0.03,
        batch_size: int | None = None,
        threshold: float | None = None,
        seed: int = 0,
        capacity: int = 2000,
    ) -> None:
        self.net = net
        self._assign_data(x_train, y_train, x_test, y_test)
        self.learning_rate = learning_rate  # validated by the property setter
        self.batch_size = batch_size
        self.threshold = threshold  # None: regression; a number: classification (see accuracy)
        self.seed = seed
        layers = range(2, net.L + 1)
        self.history = History(
            ["step", "epoch", "cost_train", "cost_test", "acc_train", "acc_test", "penalty"]
            + [f"grad_b_{l}" for l in layers]
            + [f"delta_rms_{l}" for l in layers]
            + [f"grad_w_{l}" for l in layers]
            + [f"norm_w_{l}" for l in layers],
            capacity=capacity,
        )
        self._begin()

    # ------------------------------------------------------------------ settings
    @property
    def learning_rate(self) -> float:
        return self._alpha

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        # α can change mid-run without a reset; a diverged run may go on with a smaller one.
        self._alpha = check_learning_rate(value)

    @property
    def batch_size(self) -> int | None:
        return self._batch

    @batch_size.setter
    def batch_size(self, value: int | None) -> None:
        n = self.x_train.shape[1]
        if value is None or value >= n:
            self._batch = None
        elif isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"batch size must be an integer ≥ 1 or None (full), got {value!r}")
        else:
            self._batch = int(value)

    @property
    def regularization(self) -> Regularization:
        """The network's regularisation; setting it (``Regularization("l2", 0.03)``) carries on
        from the same weights and measures them again under the new C."""
        return self.net.regularization

    @regularization.setter
    def regularization(self, value: Regularization) -> None:
        self.net.regularization = value
        self._remeasure()

    def set_weight(self, l: int, j: int, k: int, value: float) -> None:
        """w^l_jk = ``value`` exactly (0-based j, k; see ``Network.set_weight``), then measure."""
        self.net.set_weight(l, j, k, value)
        self._remeasure()

    def set_bias(self, l: int, j: int, value: float) -> None:
        """b^l_j = ``value`` exactly (see ``Network.set_bias``), then measure."""
        self.net.set_bias(l, j, value)
        self._remeasure()

    @property
    def threshold(self) -> float | None:
        """None for regression. For classification, the middle of the output's two targets:
        with one output it splits class 0 from class 1; with K_L ≥ 2 the class is the argmax and
        the threshold only says "classification" (see ``metrics.py``)."""
        return self._threshold

    @threshold.setter
    def threshold(self, value: float | None) -> None:
        self._threshold = None if value is None else float(value)
        self._true_classes()

    @property
    def n_classes(self) -> int | None:
        """K, the number of classes: 2 for one output, K_L for more; None for regression."""
        return None if self._threshold is None else max(2, self.net.sizes[-1])

    @property
    def gradients(self) -> Gradients:
        """Backprop on the whole training set at the current weights (C, δ^l, ∂C/∂w, ∂C/∂b).

        Safe to keep: while it is referenced, later steps compute into other buffers, so it
        keeps describing the weights it was computed at.
        """
        if self._full is None:
            self._full = self.net._backprop(self.x_train, self.y_train)
        return self._full

    @property
    def epoch(self) -> float:
        return self.examples_seen / self.x_train.shape[1]

    # ------------------------------------------------------------------ running
    def reset(self) -> None:
        """Rewind: the network's initial weights again, the same shuffling, an empty history."""
        self.net.reset()
        self._begin()

    def set_data(
        self,
        x_train: Array,
        y_train: Array,
        *,
        x_test: Array | None = None,
        y_test: Array | None = None,
    ) -> None:
        """New examples for the same network: the weights and the history carry on."""
        self._assign_data(x_train, y_train, x_test, y_test)
        self.batch_size = self._batch  # a batch larger than the new training set becomes full
        self._order = np.empty(0, dtype=np.intp)
        self._pos = 0
        with np.errstate(all="ignore"):
            self.metrics = self._measure()

    def _assign_data(self, x_train, y_train, x_test, y_test) -> None:
        self.x_train, self.y_train = self.net.check_xy(x_train, y_train)
        if x_test is not None and y_test is not None and np.size(x_test):
            self.x_test, self.y_test = self.net.check_xy(x_test, y_test)
        else:
            self.x_test = self.y_test = None
        if hasattr(self, "_threshold"):
            self._true_classes()

    def _true_classes(self) -> None:
        """The true class of every training and test example, read once from y (classification)."""
        t = self._threshold
        self._true_train = None if t is None else classes_of(self.y_train, t)
        self._true_test = None if t is None or self.y_test is None else classes_of(self.y_test, t)

    def _remeasure(self) -> None:
        """The network changed without a step: its metrics, cached gradients and the history's
        row for this step describe it now."""
        with np.errstate(all="ignore"):
            self.metrics = self._measure()
        self.history.put(self.metrics)

    def resume(self) -> None:
        """Clear a divergence so that training may go on (after α was made smaller)."""
        self.divergence = None

    def _begin(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        self.steps = 0
        self.examples_seen = 0
        self.divergence: Divergence | None = None
        self._order = np.empty(0, dtype=np.intp)
        self._pos = 0
        self.history.clear()
        self._full: Gradients | None = None
        with np.errstate(all="ignore"):  # far-out data may overflow already: the caller checks
            self.metrics = self._measure()
        self.history.record(self.metrics)

    def step(self, n: int = 1) -> int:
        """Up to n updates; returns how many were made (fewer if training diverged)."""
        done = 0
        with np.errstate(all="ignore"):
            for _ in range(n):
                if self.divergence is not None or not self._one_step():
                    break
                done += 1
        return done

    def preview_step(self) -> StepPreview:
        """The next step's batch, forward pass, δ^l, gradients and update, without making it
        (see ``StepPreview``); the shuffling of the batches is not advanced."""
        if self._batch is None:
            idx, g = None, self.gradients
        else:
            idx = self._peek_batch()
            with np.errstate(all="ignore"):
                g = self.net._backprop(self.x_train[:, idx], self.y_train[:, idx])
        after, finite = self.net.updated(g, self._alpha)
        return StepPreview(idx, g, self._alpha, after.w, after.b, finite)

    def _one_step(self) -> bool:
        net = self.net
        if self._batch is None:
            g = self._full if self._full is not None else net._backprop(self.x_train, self.y_train)
            size = self.x_train.shape[1]
        else:
            idx = self._next_batch()
            g = net._backprop(self.x_train[:, idx], self.y_train[:, idx])
            size = len(idx)
        if not (math.isfinite(g.cost) and is_finite(g.flat)):
            return self._diverge("the cost or its gradient is not finite")
        before = net.snapshot()
        if not net.apply_gradients(g, self._alpha):
            return self._diverge("the update made a weight or bias infinite")
        # g described the weights before the update: let go of it, so that _measure's backprop
        # can write into the same buffers (see workspace.py)
        del g
        self.steps += 1
        self.examples_seen += size
        metrics = self._measure()
        if not math.isfinite(metrics["cost_train"] + metrics["penalty"]):
            net.restore(before)
            self.steps -= 1
            self.examples_seen -= size
            self._full = None
            return self._diverge("the cost became infinite or undefined (overflow)")
        self.metrics = metrics
        self.history.record(metrics)
        return True

    def _diverge(self, reason: str) -> bool:
        self.divergence = Divergence(self.steps + 1, self._alpha, reason)
        return False

    def _peek_batch(self) -> Array:
        """The indices ``_next_batch`` will return, without advancing anything: a new epoch's
        order is drawn from a copy of the generator, which the real draw then repeats."""
        if self._pos < len(self._order):
            return self._order[self._pos : self._pos + self._batch]
        order = copy.deepcopy(self.rng).permutation(self.x_train.shape[1])
        return order[: self._batch]

    def _next_batch(self) -> Array:
        n = self.x_train.shape[1]
        if self._pos >= len(self._order):
            self._order = self.rng.permutation(n)
            self._pos = 0
        idx = self._order[self._pos : self._pos + self._batch]
        self._pos += self._batch
        return idx

    # ------------------------------------------------------------------ measuring
    def _measure(self) -> dict[str, float]:
        """Metrics of the current weights; caches the full-batch gradients for the next step."""
        net = self.net
        self._full = None  # the old gradients' buffers may be reused for the new ones
        g = net._backprop(self.x_train, self.y_train)
        self._full = g
        row = {"step": self.steps, "epoch": self.epoch, "cost_train": g.data_cost}
        row["penalty"] = g.penalty  # R(w): C = C_0 + R is what the steps minimise
        row["acc_train"] = self._accuracy(g.forward.output, self._true_train)
        if self.x_test is not None:
            out = net._feedforward(self.x_test).output
            row["cost_test"] = net.cost.value(out, self.y_test)
            row["acc_test"] = self._accuracy(out, self._true_test)
        n = self.x_train.shape[1]
        for l in range(2, net.L + 1):
            # ||∂C/∂b^l|| = ||mean over x of δ^l_x||: how fast layer l is learning
            row[f"grad_b_{l}"] = _norm(g.b[l])
            # sqrt((1/N) Σ_x ||δ^l_x||²): how large one example's δ^l is, signs and all
            row[f"delta_rms_{l}"] = _norm(g.delta[l]) / math.sqrt(n)
            row[f"grad_w_{l}"] = _norm(g.w[l])
            row[f"norm_w_{l}"] = _norm(net.w[l])
        return row

    def accuracy(self, output: Array, y: Array) -> float:
        """Share of examples given their own class: one output on the right side of the
        threshold, or K_L ≥ 2 outputs whose largest is the target's (nan for regression)."""
        if self._threshold is None:
            return math.nan
        return self._accuracy(output, classes_of(y, self._threshold))

    def _accuracy(self, output: Array, true: Array | None) -> float:
        if true is None:
            return math.nan
        return accuracy(true, classes_of(output, self._threshold))

    def confusion(self, *, test: bool = False) -> Array | None:
        """(K, K) counts at the current weights on the training set (or the test set): entry
        (i, j) is how many examples of true class i the network gives class j. None for
        regression, or for ``test=True`` without test examples. Computed when asked (once per
        picture, not per step), from the gradients the trainer already holds for training."""
        true = self._true_test if test else self._true_train
        if true is None:
            return None
        if test:
            with np.errstate(all="ignore"):
                out = self.net._feedforward(self.x_test).output
        else:
            out = self.gradients.forward.output
        return confusion_matrix(true, classes_of(out, self._threshold), self.n_classes)


def _norm(v: Array) -> float:
    return math.sqrt(float(np.vdot(v, v)))
