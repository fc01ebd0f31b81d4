"""Data sets: TensorFlow Playground's generators, the lecture's four XOR points and a 1-D curve.

Conventions, shared by the whole engine:

- Examples are columns, as a^1 = x in the lecture: ``x`` is (d, N) float64, ``y`` is (1, N)
  float64 and ``train`` is an (N,) bool mask (True = training example, False = test example).
- d = 2 for every data set except "sine_1d" (d = 1).
- Classification: ``y`` holds the classes 0.0 and 1.0. TensorFlow Playground's label +1 (blue) is
  class 1 and its −1 (orange) is class 0. Turning classes into the targets an output activation can
  reach (0/1 for σ, −1/+1 for tanh) is the cost's business, not this module's.
- Regression: ``y`` holds targets roughly in [−1, 1].
- Coordinates: the 2-D generated sets lie in [−6, 6]² (the square TensorFlow Playground draws;
  gauss can spill over at high noise), "xor_lecture" in {0, 1}², "sine_1d" in x ∈ [−6, 6].
- ``noise`` is a fraction in [0, 0.5], TensorFlow Playground's 0–50 % slider, with its meaning
  there: label noise for circle and xor, spread for gauss, jitter for spiral, input noise for
  plane and gauss_bumps; for sine_1d it is target noise, sin x + U(−noise, noise).
- Randomness: ``np.random.default_rng(seed)`` draws the points, in shuffled order; an independent
  stream of the same seed draws the train/test split, so a new train share keeps the points.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

KINDS = ("classification", "regression")
MAX_POINTS = 5000
MAX_NOISE = 0.5
TRAIN_FRACTION_RANGE = (0.1, 0.9)
_SPLIT_STREAM = 1  # the split's generator is default_rng([seed, _SPLIT_STREAM])


@dataclass(eq=False)
class Dataset:
    """N examples as columns; ``class_names[k]`` names class k when labels were strings."""

    name: str
    kind: str
    x: np.ndarray
    y: np.ndarray
    train: np.ndarray
    class_names: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; expected one of {list(KINDS)}")
        self.x = np.asarray(self.x, dtype=np.float64)
        self.y = np.asarray(self.y, dtype=np.float64)
        self.train = np.asarray(self.train)
        if self.x.ndim != 2 or self.x.shape[0] not in (1, 2) or self.x.shape[1] < 1:
            raise ValueError(f"x must have shape (1, N) or (2, N) with N ≥ 1, got {self.x.shape}")
        N = self.x.shape[1]
        if self.y.shape != (1, N):
            raise ValueError(f"y must have shape (1, {N}), got {self.y.shape}")
        if self.train.shape != (N,) or self.train.dtype != np.bool_:
            raise ValueError(
                f"train must be a bool array of shape ({N},), "
                f"got {self.train.dtype} {self.train.shape}"
            )
        if not self.train.any():
            raise ValueError("train must mark at least one training example, got none")
        if not (np.isfinite(self.x).all() and np.isfinite(self.y).all()):
            raise ValueError("x and y must be finite, got NaN or ±inf")
        if self.kind == "classification" and not np.isin(self.y, (0.0, 1.0)).all():
            raise ValueError(f"classification labels must be 0 or 1, got {np.unique(self.y)}")
        if self.class_names is not None and (
            self.kind != "classification" or len(set(self.class_names)) != 2
        ):
            raise ValueError(
                f"class_names must be two distinct names of a classification set, "
                f"got {self.class_names!r} for {self.kind}"
            )

    n = property(lambda self: self.x.shape[1], doc="N, the number of examples")
    d = property(lambda self: self.x.shape[0], doc="d, the number of coordinates")
    x_train = property(lambda self: self.x[:, self.train])
    y_train = property(lambda self: self.y[:, self.train])
    x_test = property(lambda self: self.x[:, ~self.train])
    y_test = property(lambda self: self.y[:, ~self.train])


# A generator maps (N, noise, rng) to x of shape (d, N) and y of shape (N,).
PointsFn = Callable[[int, float, np.random.Generator], tuple[np.ndarray, np.ndarray]]


def _halves(n: int) -> np.ndarray:
    """Class of each example: the first ⌈N/2⌉ are class 1, the rest class 0."""
    return (np.arange(n) < (n + 1) // 2).astype(np.float64)


def _circle(n, noise, rng):
    # class 1: r ∈ [0, 2.5]; class 0: r ∈ [3.5, 5]; the label is read at a jittered position
    cls = _halves(n)
    r = np.where(cls == 1, rng.uniform(0.0, 2.5, n), rng.uniform(3.5, 5.0, n))
    angle = rng.uniform(0.0, 2 * np.pi, n)
    x = np.stack([r * np.sin(angle), r * np.cos(angle)])
    jittered = x + rng.uniform(-5.0, 5.0, (2, n)) * noise
    return x, (np.hypot(*jittered) < 2.5).astype(np.float64)


def _xor(n, noise, rng):
    # uniform in [−5, 5]², pushed 0.3 off the axes; class 1 where x1·x2 ≥ 0 (jittered)
    x = rng.uniform(-5.0, 5.0, (2, n))
    x += np.where(x > 0, 0.3, -0.3)
    j = x + rng.uniform(-5.0, 5.0, (2, n)) * noise
    return x, (j[0] * j[1] >= 0).astype(np.float64)


def _gauss(n, noise, rng):
    # class 1 around (2, 2), class 0 around (−2, −2); variance 0.5 at noise 0 … 4 at noise 0.5
    variance = 0.5 + (4.0 - 0.5) * noise / MAX_NOISE
    cls = _halves(n)
    centre = np.where(cls == 1, 2.0, -2.0)
    return centre + rng.normal(0.0, math.sqrt(variance), (2, n)), cls


def _spiral(n, noise, rng):
    # arm k: r = 5t, θ = 1.75·2πt + kπ for t = i/n_arm; class 1 is the arm with k = 0
    cls = _halves(n)
    n1 = int(cls.sum())
    t = np.concatenate([np.arange(n1) / max(n1, 1), np.arange(n - n1) / max(n - n1, 1)])
    theta = 1.75 * 2 * np.pi * t + np.pi * (1 - cls)
    x = 5 * t * np.stack([np.sin(theta), np.cos(theta)])
    return x + rng.uniform(-1.0, 1.0, (2, n)) * noise, cls


def _plane(n, noise, rng):
    # target (x1 + x2)/10, read at a jittered position
    x = rng.uniform(-6.0, 6.0, (2, n))
    j = x + rng.uniform(-6.0, 6.0, (2, n)) * noise
    return x, (j[0] + j[1]) / 10


# (centre x1, centre x2, sign) of TensorFlow Playground's six "Gaussian" bumps
_BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def _gauss_bumps(n, noise, rng):
    # each bump is a cone, sign·max(0, 1 − dist/2); the target is the bump largest in |value|
    x = rng.uniform(-6.0, 6.0, (2, n))
    j = x + rng.uniform(-6.0, 6.0, (2, n)) * noise
    v = np.stack([s * np.clip(1 - np.hypot(j[0] - a, j[1] - b) / 2, 0, 1) for a, b, s in _BUMPS])
    return x, v[np.argmax(np.abs(v), axis=0), np.arange(n)]


def _sine_1d(n, noise, rng):
    # y = sin x on [−6, 6]: two waves; a tanh layer of 4–8 neurons fits it (loss < 0.01 in
    # about 1000 epochs at α = 0.03, a few hundred at α = 0.1–0.3)
    x = rng.uniform(-6.0, 6.0, (1, n))
    return x, np.sin(x[0]) + rng.uniform(-1.0, 1.0, n) * noise


@dataclass(frozen=True)
class DatasetInfo:
    kind: str
    description: str
    generator: PointsFn | None  # None: fixed points, see lecture_xor_points
    d: int = 2


DATASETS: dict[str, DatasetInfo] = {
    "xor_lecture": DatasetInfo(
        "classification", "The lecture's four XOR points (0,0), (0,1), (1,0), (1,1)", None
    ),
    "xor": DatasetInfo("classification", "Four quadrants: class 1 where x₁·x₂ > 0", _xor),
    "circle": DatasetInfo("classification", "A disc (r ≤ 2.5) inside a ring (3.5–5)", _circle),
    "gauss": DatasetInfo("classification", "Two Gaussian clouds at (2, 2) and (−2, −2)", _gauss),
    "spiral": DatasetInfo("classification", "Two interleaved spiral arms", _spiral),
    "plane": DatasetInfo("regression", "A tilted plane, target (x₁ + x₂)/10", _plane),
    "gauss_bumps": DatasetInfo("regression", "Six bumps of height ±1", _gauss_bumps),
    "sine_1d": DatasetInfo("regression", "A 1-D curve, y = sin x on [−6, 6]", _sine_1d, d=1),
}


def _is_int(v) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _is_real(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)


def check_split_args(*, train_fraction: float, seed: int) -> None:
    """Raise ValueError unless train_fraction ∈ [0.1, 0.9] and seed is an integer ≥ 0."""
    lo, hi = TRAIN_FRACTION_RANGE
    if not (_is_real(train_fraction) and lo <= train_fraction <= hi):
        raise ValueError(
            f"train_fraction must be a number from {lo} to {hi}, got {train_fraction!r}"
        )
    if not (_is_int(seed) and seed >= 0):
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")


def split_mask(n: int, *, train_fraction: float, seed: int) -> np.ndarray:
    """(N,) bool: round(train_fraction·N) training examples (at least 1), a seeded permutation."""
    check_split_args(train_fraction=train_fraction, seed=seed)
    train = np.zeros(n, dtype=bool)
    order = np.random.default_rng([int(seed), _SPLIT_STREAM]).permutation(n)
    train[order[: max(1, round(train_fraction * n))]] = True
    return train


def lecture_xor_points() -> Dataset:
    """The lecture's XOR: (0,0) → 0, (0,1) → 1, (1,0) → 1, (1,1) → 0, all four for training."""
    x = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    y = np.array([[0.0, 1.0, 1.0, 0.0]])
    return Dataset("xor_lecture", "classification", x, y, np.ones(4, dtype=bool))


def make_dataset(
    name: str,
    *,
    n_points: int = 500,
    noise: float = 0.0,
    train_fraction: float = 0.5,
    seed: int = 0,
) -> Dataset:
    """Draw data set ``name``; the same arguments give identical arrays."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; expected one of {sorted(DATASETS)}")
    if not (_is_int(n_points) and 1 <= n_points <= MAX_POINTS):
        raise ValueError(f"n_points must be an integer from 1 to {MAX_POINTS}, got {n_points!r}")
    if not (_is_real(noise) and 0 <= noise <= MAX_NOISE):
        raise ValueError(f"noise must be a number from 0 to {MAX_NOISE} (0–50 %), got {noise!r}")
    if not (_is_int(seed) and seed >= 0):
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    info = DATASETS[name]
    if info.generator is None:
        return lecture_xor_points()
    train = split_mask(n_points, train_fraction=train_fraction, seed=seed)
    rng = np.random.default_rng(int(seed))
    x, y = info.generator(n_points, float(noise), rng)
    order = rng.permutation(n_points)  # generators emit class by class; mix them
    return Dataset(name, info.kind, x[:, order], y[order][np.newaxis, :], train)


def replace_split(ds: Dataset, *, train_fraction: float, seed: int) -> Dataset:
    """The same points with a new train/test split (as make_dataset would draw it)."""
    train = split_mask(ds.n, train_fraction=train_fraction, seed=seed)
    return Dataset(ds.name, ds.kind, ds.x, ds.y, train, ds.class_names)


def with_points(
    ds: Dataset, x: np.ndarray, y: np.ndarray, *, train: np.ndarray | None = None
) -> Dataset:
    """User-edited points, same name and kind; ``train=None`` makes every point a training point."""
    x = np.asarray(x, dtype=np.float64)
    if train is None:
        train = np.ones(x.shape[-1] if x.ndim else 0, dtype=bool)
    return Dataset(ds.name, ds.kind, x, y, train, ds.class_names)
