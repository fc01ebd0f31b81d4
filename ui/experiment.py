"""One student's experiment: data, network and trainer built from a PlaygroundConfig.

Pure Python and numpy (no streamlit, no plotly): the page keeps one Experiment per browser tab in
``st.session_state`` and asks it for a ``Frame`` (the numbers one picture needs) after each
batch of steps. What a change of configuration does mirrors TensorFlow Playground:

- learning rate α, regularisation, batch size, speed, view toggles: applied to the running
  experiment (a new regularisation measures the same weights again under the new C);
- a new data seed ("new data"): new points, the same network and history;
- anything else about the data, the features or the network: a fresh start from the seed.

Every change is all or nothing: it is built on a copy, which replaces this experiment's state
only once everything was built. A change that fails (a ValueError: say, x₁² of points at ±1e300
overflows) leaves the experiment exactly as it was, so the page can keep it and say why.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np

from playground.datasets import DATASETS, Dataset, make_dataset, with_points
from playground.features import FEATURES, make_features
from playground.metrics import winning_class
from playground.network import Network
from playground.regularization import Regularization
from playground.training import Trainer, encode_targets
from ui.config import CUSTOM, PlaygroundConfig
from ui.figures.boundary import GRID, XOR_EXTENT, plane_grid
from ui.notation import sup

THUMB_STRIDE = 5  # a neuron's thumbnail takes every 5th cell: 20 × 20
CURVE_POINTS = 200  # for 1-D data the output is drawn as a curve over this many x₁ values
MAX_DRAWN_POINTS = 2000
_EXTENTS = {"xor_lecture": XOR_EXTENT}
T = TypeVar("T")
_DEFAULT_EXTENT = (-6.0, 6.0, -6.0, 6.0)


@dataclass(eq=False)
class Frame:
    """Everything the pictures of one displayed frame need, already reduced for drawing."""

    output: np.ndarray  # (GRID, GRID) float32 a^L over the plane, or (CURVE_POINTS,) for 1-D
    value_range: tuple[float, float]  # the output activation's two targets
    thumbnails: dict[int, np.ndarray]  # l -> (K_l, ny, nx) float32 a^l_j over the plane
    thumb_range: dict[int, tuple[float, float]]
    neuron_stats: dict[int, dict[str, np.ndarray]]  # l -> mean z, a, δ over the training set
    dead: dict[int, np.ndarray]  # l -> (K_l,) bool: a ReLU neuron that is 0 at every point
    # K_L ≥ 2 outputs (one per class), 2-D data: the winning class and its confidence in [0, 1]
    # at each cell, (GRID, GRID) each (``metrics.winning_class``); None otherwise
    winner: np.ndarray | None = None
    confidence: np.ndarray | None = None


def data_extent(x: np.ndarray) -> tuple[float, float, float, float]:
    """A square around uploaded points with a margin, so the boundary is drawn around them."""
    lo, hi = x.min(axis=1), x.max(axis=1)
    centre, half = (lo + hi) / 2, max(float((hi - lo).max()) / 2, 1e-6) * 1.15
    return (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)


class Experiment:
    def __init__(self, config: PlaygroundConfig, *, custom: Dataset | None = None) -> None:
        self.config = config
        self.custom = custom  # uploaded or drawn points, used when config.dataset == CUSTOM
        self.custom_extent: tuple[float, float, float, float] | None = None
        self.start: tuple[dict, dict] | None = None  # uploaded weights that Reset rewinds to
        self._build_data()
        self._build_network()

    def _all_or_nothing(self, change: Callable[[Experiment], T]) -> T:
        """``change`` applied to a copy, which this experiment becomes only if it succeeded.
        The copy shares the data, network and trainer until ``change`` replaces them; the
        trainer is copied too, since some changes set new data or settings on it."""
        trial = copy.copy(self)
        trial.trainer = copy.copy(self.trainer)
        result = change(trial)
        self.__dict__.update(trial.__dict__)
        return result

    # ------------------------------------------------------------------ building
    def _build_data(self) -> None:
        self.data_version = getattr(self, "data_version", 0) + 1  # the points drawn changed
        c = self.config
        if c.dataset == CUSTOM:
            if self.custom is None:
                raise ValueError("no uploaded data to use")
            self.dataset = self.custom
            self.extent = self.custom_extent or data_extent(self.custom.x)
        else:
            self.dataset: Dataset = make_dataset(
                c.dataset,
                n_points=c.n_points,
                noise=c.noise / 100,
                train_fraction=c.train_pct / 100,
                seed=c.data_seed,
                classes=c.classes if DATASETS[c.dataset].classes else None,
            )
            self.extent = _EXTENTS.get(c.dataset, _DEFAULT_EXTENT)
        self._build_grid()

    def use_data(self, ds: Dataset, config: PlaygroundConfig) -> None:
        """Train on uploaded points from now on (``config.dataset`` must be CUSTOM; its
        ``classes`` is set to the file's K here, so the output layer follows it)."""
        if ds.d != 2:
            raise ValueError(f"uploaded data must have two inputs x1, x2; this file has {ds.d}")
        if ds.kind == "classification":
            config = replace(config, classes=ds.n_classes)
        elif config.output_act == "softmax":
            config = replace(config, output_act="tanh")

        def change(e: Experiment) -> None:
            e.custom, e.config, e.start, e.custom_extent = ds, config, None, None
            e._build_data()
            e._build_network()

        self._all_or_nothing(change)

    # ------------------------------------------------------------------ drawing points
    def add_point(self, x1: float, x2: float, label: int) -> None:
        """A new training point of class ``label`` at (x1, x2); the network trains on."""
        ds = self._drawable()
        if ds.n >= MAX_DRAWN_POINTS:
            raise ValueError(f"at most {MAX_DRAWN_POINTS} points; remove some first")
        k = ds.n_classes
        if (
            isinstance(label, bool)
            or not isinstance(label, int | np.integer)
            or not 0 <= label < k
            or not (math.isfinite(x1) and math.isfinite(x2))
        ):
            raise ValueError(
                f"a point needs finite x1, x2 and a class from 0 to {k - 1}, got "
                f"{x1!r:.30}, {x2!r:.30}, {label!r:.30}"
            )
        x = np.hstack([ds.x, [[x1], [x2]]])
        y = np.hstack([ds.y, [[float(label)]]])
        self._edited(with_points(ds, x, y, train=np.append(ds.train, True)))

    def remove_point(self, x1: float, x2: float) -> None:
        """Remove the point nearest to (x1, x2)."""
        ds = self._drawable()
        keep = np.ones(ds.n, dtype=bool)
        with np.errstate(over="ignore"):  # points at ±1e300: inf distances, the nearest wins
            keep[int(np.argmin((ds.x[0] - x1) ** 2 + (ds.x[1] - x2) ** 2))] = False
        if not ds.train[keep].any():
            raise ValueError("the last training point cannot be removed")
        self._edited(with_points(ds, ds.x[:, keep], ds.y[:, keep], train=ds.train[keep]))

    def _drawable(self) -> Dataset:
        if self.dataset.kind != "classification" or self.dataset.d != 2:
            raise ValueError("points can be drawn on classification data in the plane only")
        return self.dataset

    def _edited(self, ds: Dataset) -> None:
        """Train on edited points from here on, with the same network, history and picture."""

        def change(e: Experiment) -> None:
            e.custom, e.dataset, e.custom_extent = ds, ds, e.extent
            e.config = replace(e.config, dataset=CUSTOM)
            e.data_version += 1
            e._set_trainer_data()

        self._all_or_nothing(change)

    def _set_trainer_data(self) -> None:
        """The trainer goes on with this experiment's dataset (new points, same network)."""
        ds = self.dataset
        self.trainer.set_data(
            self._inputs(ds.x_train),
            self._targets(ds.y_train),
            x_test=self._inputs(ds.x_test),
            y_test=self._targets(ds.y_test),
        )

    def use_network(self, net: Network, config: PlaygroundConfig) -> None:
        """Continue from a loaded network's weights; Reset then rewinds to them."""

        def change(e: Experiment) -> None:
            e.config = config
            e._build_data()
            e._build_network()
            if e.net.sizes != net.sizes or e.net.activations != net.activations:
                raise ValueError(
                    f"the file's network {net!r} does not fit this experiment, which needs "
                    f"{e.net!r}"
                )
            e.start = (
                {l: w.copy() for l, w in net.w.items()},
                {l: b.copy() for l, b in net.b.items()},
            )
            e.reset()

        self._all_or_nothing(change)

    def _build_grid(self) -> None:
        x_min, x_max = self.extent[:2]
        if self.dataset.d == 1:
            pts = np.linspace(x_min, x_max, CURVE_POINTS)[np.newaxis, :]
        else:
            pts = plane_grid(self.extent, GRID)  # cell centres; row i of the picture is y_i
        self.grid_points = pts
        with np.errstate(over="ignore", invalid="ignore"):  # far-out points: inf, drawn blank
            self.grid_inputs = make_features(pts, self.config.features).astype(np.float32)

    def _inputs(self, x: np.ndarray) -> np.ndarray:
        """a^1 of the points ``x``; a ValueError when a feature overflows (x₁² of 1e300)."""
        with np.errstate(over="ignore", invalid="ignore"):
            a1 = make_features(x, self.config.features)
        if not np.isfinite(a1).all():
            bad = [
                FEATURES[f].label
                for f, row in zip(self.config.features, a1, strict=True)
                if not np.isfinite(row).all()
            ]
            raise ValueError(
                f"the input feature {', '.join(bad)} is too large to compute for these points"
            )
        return a1

    def _targets(self, labels: np.ndarray) -> np.ndarray:
        """y: for classification the classes as targets, one-hot when K_L ≥ 2 (see
        ``encode_targets``); a label the network has no output for is refused there."""
        if self.dataset.kind == "classification":
            net = self.net
            return encode_targets(labels, net.act[net.L].targets, outputs=net.sizes[-1])
        return labels

    def _build_network(self) -> None:
        c = self.config
        self.net = Network(
            c.sizes,
            c.activations,
            init=c.init,
            seed=c.seed,
            cost=c.cost,
            regularization=c.regularization,
            regularization_rate=c.reg_rate,
        )
        self._build_trainer()

    def _build_trainer(self) -> None:
        c, ds = self.config, self.dataset
        lo, hi = self.net.act[self.net.L].targets
        self.trainer = Trainer(
            self.net,
            self._inputs(ds.x_train),
            self._targets(ds.y_train),
            x_test=self._inputs(ds.x_test),
            y_test=self._targets(ds.y_test),
            learning_rate=c.learning_rate,
            batch_size=c.batch_size or None,
            threshold=(lo + hi) / 2 if ds.kind == "classification" else None,
            seed=c.seed,
        )
        if not math.isfinite(self.trainer.metrics["cost_train"]):
            raise ValueError(
                "with these points the cost C overflows before the first step (their "
                "coordinates are too large for this network)"
            )

    # ------------------------------------------------------------------ changing
    def update(self, new: PlaygroundConfig) -> str:
        """Apply a new configuration; returns "rebuilt", "new data", "settings" or "none".
        All or nothing: a ValueError leaves the experiment as it was."""
        if new == self.config:
            return "none"
        return self._all_or_nothing(lambda e: e._update(new))

    def _update(self, new: PlaygroundConfig) -> str:
        old, self.config = self.config, new
        data_changed = old.data_key() != new.data_key()
        only_seed = data_changed and replace(old, data_seed=new.data_seed).data_key() == (
            new.data_key()
        )
        if (data_changed and not only_seed) or old.network_key() != new.network_key():
            if data_changed:
                self._build_data()
            elif old.features != new.features:
                self._build_grid()
            self.start = None  # an uploaded network does not fit a changed experiment
            self._build_network()
            return "rebuilt"
        what = "none"
        if only_seed:
            self._build_data()
            self._set_trainer_data()
            what = "new data"
        if (old.learning_rate, old.batch_size) != (new.learning_rate, new.batch_size):
            self.trainer.learning_rate = new.learning_rate
            self.trainer.batch_size = new.batch_size or None
            what = "settings" if what == "none" else what
        if (old.regularization, old.reg_rate) != (new.regularization, new.reg_rate):
            # last: it changes the shared network in place, and nothing after it can fail
            self.trainer.regularization = Regularization(new.regularization, new.reg_rate)
            what = "settings" if what == "none" else what
        return what

    def reset(self) -> None:
        """Rewind to the first weights: the seed's, or those of an uploaded network."""
        self.trainer.reset()
        if self.start is not None:
            self.net.set_params(*self.start)
            self._build_trainer()

    def step(self, n: int = 1, *, budget_s: float | None = None) -> int:
        """Up to n updates; with ``budget_s``, stop early once that much time has passed, so
        one frame's work stays bounded whatever the network and the speed (at least 1 step)."""
        if budget_s is None:
            return self.trainer.step(n)
        deadline = time.perf_counter() + budget_s
        done = 0
        while done < n:
            if not self.trainer.step(1):
                break
            done += 1
            if time.perf_counter() >= deadline:
                break
        return done

    # ------------------------------------------------------------------ drawing
    def frame(self) -> Frame:
        """The output over the plane and every neuron's thumbnail, from one float32 pass."""
        net = self.net
        with np.errstate(all="ignore"):  # the last finite weights of a diverged run may be huge
            return self._frame(net._feedforward(self.grid_inputs, np.float32))

    def _frame(self, fwd) -> Frame:
        net = self.net
        one_d = self.dataset.d == 1
        thumbs, ranges = {}, {}
        for l, a in fwd.a.items():
            if one_d:
                t = a[:, ::THUMB_STRIDE].reshape(a.shape[0], 1, -1)
            else:
                t = a.reshape(a.shape[0], GRID, GRID)[:, ::THUMB_STRIDE, ::THUMB_STRIDE]
            thumbs[l] = t
            ranges[l] = self._thumb_range(l, t)
        out = fwd.a[net.L][0]
        output = out if one_d else out.reshape(GRID, GRID)
        winner = confidence = None
        if net.sizes[-1] > 1 and not one_d:
            cls, conf = winning_class(fwd.a[net.L], net.act[net.L].targets)
            winner, confidence = cls.reshape(GRID, GRID), conf.reshape(GRID, GRID)
        return Frame(
            winner=winner,
            confidence=confidence,
            output=output,
            value_range=net.act[net.L].targets,
            thumbnails=thumbs,
            thumb_range=ranges,
            neuron_stats=self.neuron_stats(),
            dead=self.dead_masks(),
        )

    def _thumb_range(self, l: int, t: np.ndarray) -> tuple[float, float]:
        """The values at the two ends of a neuron picture's colour scale. A hidden ReLU's 0
        means "off", not "class 0": it gets the scale's neutral middle, (−top, top). The output
        layer's ends are its targets' colours, as in the boundary chart."""
        name = "feature" if l == 1 else self.net.act[l].name
        if name in ("sigmoid", "tanh", "sign", "softmax"):
            return self.net.act[l].targets
        top = float(np.max(np.abs(t))) if t.size else 1.0
        top = top if 0 < top < np.inf else 1.0
        return (0.0, top) if name == "relu" and l == self.net.L else (-top, top)

    def neuron_stats(self) -> dict[int, dict[str, np.ndarray]]:
        """Per neuron, the mean over the training set of z^l_j, a^l_j and δ^l_j."""
        g = self.trainer.gradients
        return {
            l: {
                "z": g.forward.z[l].mean(axis=1),
                "a": g.forward.a[l].mean(axis=1),
                "delta": g.b[l][:, 0],  # (19): ∂C/∂b^l_j is the batch mean of δ^l_j
            }
            for l in range(2, self.net.L + 1)
        }

    def dead_masks(self) -> dict[int, np.ndarray]:
        """Per hidden ReLU layer, which neurons output 0 for every training example: there
        ReLU'(z) = 0, so (17) gives δ = 0 and (18), (19) no update (a dead unit)."""
        a = self.trainer.gradients.forward.a
        return {
            l: ~a[l].any(axis=1) for l in range(2, self.net.L) if self.net.act[l].name == "relu"
        }

    def dead_units(self) -> dict[int, int]:
        """Per hidden ReLU layer, how many neurons are dead (see ``dead_masks``)."""
        return {l: int(m.sum()) for l, m in self.dead_masks().items()}

    # ------------------------------------------------------------------ advice
    def advice(self) -> str | None:
        """One sentence about something the student should notice now, or None. Plain text
        with Unicode maths (δ², σ'), so it reads the same wherever it is shown."""
        net, c = self.net, self.config
        signs = [l for l in range(2, net.L + 1) if not net.act[l].differentiable]
        if signs:
            return _sign_advice(max(signs), net.L)
        if c.init in ("zeros", "equal") and len(c.hidden):
            start = "0" if c.init == "zeros" else "the same value"
            return (
                f"Every weight and bias started at {start}: the neurons of a hidden layer "
                "compute the same thing and receive the same update, so they stay identical "
                "(no symmetry breaking). Compare with a random initialisation."
            )
        if (dead := _dead_advice(self.dead_units(), net)) is not None:
            return dead
        cost = self.trainer.history.column("cost_train")[-21:]
        if len(cost) >= 11:
            ups = int(np.sum(np.diff(cost) > 0))
            if ups > len(cost) // 2:
                return (
                    f"The cost went up in {ups} of the last {len(cost) - 1} recorded steps: "
                    f"α = {c.learning_rate:g} may be too large, so each update overshoots."
                )
        return None

    # ------------------------------------------------------------------ labels
    @property
    def input_labels(self) -> list[str]:
        return [FEATURES[f].label for f in self.config.features]

    @property
    def description(self) -> str:
        return DATASETS[self.config.dataset].describe(self.config.classes)

    @property
    def class_names(self) -> tuple[str, ...]:
        """One name per class (an uploaded file's own labels, else "class 0", …)."""
        return self.dataset.names or ("class 0", "class 1")


def _sign_advice(last: int, L: int) -> str:
    """Why nothing up to layer ``last`` (the last sign layer) can learn."""
    if last == L:
        where, deltas, what = "every layer", "δˡ = 0", "no weight or bias ever changes"
    elif last == 2:
        where, deltas = "layer 2", "δ² = 0"
        what = "the weights and biases of layer 2 never change"
    else:
        where = f"layers 2 to {last}"
        deltas = f"δ² = … = δ{sup(last)} = 0"
        what = f"the weights and biases of layers 2 to {last} never change"
    return (
        f"The sign activation has σ'(z) = 0, so (10) and (17) give {deltas} in {where}, and by "
        f"(18) and (19) {what}. Gradient descent cannot train through a sign neuron; that is "
        "why smooth activations are used."
    )


def _dead_advice(dead: dict[int, int], net: Network) -> str | None:
    """How many ReLU neurons are dead, where, and whether they can come back."""
    total = sum(dead.values())
    if not total:
        return None
    layers = [l for l, n in dead.items() if n]
    where = " and ".join(f"{dead[l]} of {net.sizes[l - 1]} in layer {l}" for l in layers)
    text = (
        f"Dead ReLU neurons ({where}): each outputs 0 for every training point, so "
        "ReLU'(z) = 0, (17) gives it δ = 0 and (18), (19) give it no update."
    )
    if layers[0] == 2:
        text += " In layer 2 its inputs are the fixed points x, so it stays dead for good."
    if any(l > 2 for l in layers):
        text += (
            " In a later layer it can come back to life when the layer before it changes "
            "what it receives."
        )
    whole = [l for l in layers if dead[l] == net.sizes[l - 1]]
    if whole:
        text += (
            f" All of layer {whole[0]} is dead: no error gets back past it, and the output is "
            "the same at every training point."
        )
    return text + " A smaller α or another initialisation helps."
