"""Data sets: TensorFlow Playground's generators, the lecture's four XOR points and a 1-D curve.

Conventions, shared by the whole engine:

- Examples are columns, as a^1 = x in the lecture: ``x`` is (d, N) float64, ``y`` is (1, N)
  float64 and ``train`` is an (N,) bool mask (True = training example, False = test example).
- d = 2 for every data set except "sine_1d" (d = 1).
- Classification: ``y`` holds the class of each example as a whole number 0.0 … K − 1, with
  K = ``n_classes`` (2 to ``MAX_CLASSES``; 2 unless a set is drawn with ``classes=K``). For two
  classes, TensorFlow Playground's label +1 (blue) is class 1 and its −1 (orange) is class 0.
  ``names`` names the classes ("class 0", … unless ``class_names`` came with the data). Turning
  classes into the targets an output activation can reach (0/1 for σ, −1/+1 for tanh, one-hot
  for K_L ≥ 2 outputs) is ``training.encode_targets``'s business, not this module's.
- More than two classes: "gauss" (K clouds around a circle) and "spiral" (K arms) take
  ``classes=K`` for K = 2 … 6 (``DATASETS[name].classes`` is the range each set offers). With
  K = 2 they draw exactly what they always drew, so an existing link keeps its points.
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
MAX_CLASSES = 10  # K of any classification set (an uploaded file's label column included)
MAX_NOISE = 0.5
TRAIN_FRACTION_RANGE = (0.1, 0.9)
_SPLIT_STREAM = 1  # the split's generator is default_rng([seed, _SPLIT_STREAM])


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@dataclass(eq=False)
class Dataset:
    """N examples as columns; ``class_names[k]`` names class k when labels were strings;
    ``n_classes`` is K for classification (2 unless given or implied by ``class_names``)."""

    name: str
    kind: str
    x: np.ndarray
    y: np.ndarray
    train: np.ndarray
    class_names: tuple[str, ...] | None = None
    n_classes: int | None = None

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
        self._check_classes()

    def _check_classes(self) -> None:
        names = self.class_names
        if self.kind == "regression":
            if self.n_classes is not None:
                raise ValueError(f"n_classes is for classification, got {self.n_classes!r:.20}")
            k = 2  # a regression set never has class names: say so as for two classes
        else:
            k = self.n_classes if self.n_classes is not None else len(names) if names else 2
            if not (_is_int(k) and 2 <= k <= MAX_CLASSES):
                raise ValueError(
                    f"n_classes must be an integer from 2 to {MAX_CLASSES}, got {k!r:.20}"
                )
            self.n_classes = k = int(k)
            if not np.isin(self.y, np.arange(k)).all():
                allowed = "0 or 1" if k == 2 else f"whole numbers 0 to {k - 1} ({k} classes)"
                raise ValueError(
                    f"classification labels must be {allowed}, got {np.unique(self.y)}"
                )
        if names is not None:
            names = tuple(names)
            if (
                self.kind != "classification"
                or len(names) != k
                or len(set(names)) != k
                or not all(isinstance(n, str) for n in names)
            ):
                raise ValueError(
                    f"class_names must be {_WORDS[k]} distinct names of a classification set, "
                    f"got {names!r:.200} for {self.kind}"
                )
            self.class_names = names

    @property
    def names(self) -> tuple[str, ...] | None:
        """The name of each class k = 0 … K − 1 (None for regression)."""
        if self.kind != "classification":
            return None
        return self.class_names or tuple(f"class {k}" for k in range(self.n_classes))

    n = property(lambda self: self.x.shape[1], doc="N, the number of examples")
    d = property(lambda self: self.x.shape[0], doc="d, the number of coordinates")
    x_train = property(lambda self: self.x[:, self.train])
    y_train = property(lambda self: self.y[:, self.train])
    x_test = property(lambda self: self.x[:, ~self.train])
    y_test = property(lambda self: self.y[:, ~self.train])


# A generator maps (N, noise, rng) to x of shape (d, N) and y of shape (N,).
PointsFn = Callable[[int, float, np.random.Generator], tuple[np.ndarray, np.ndarray]]


def _blocks(n: int, k: int) -> np.ndarray:
    """Class of each example, in K blocks as equal as they can be, the highest class first:
    example i has class K − 1 − ⌊iK/N⌋ (for K = 2, the first ⌈N/2⌉ are class 1)."""
    return (k - 1 - (np.arange(n) * k) // n).astype(np.float64)


def _halves(n: int) -> np.ndarray:
    """Class of each example: the first ⌈N/2⌉ are class 1, the rest class 0."""
    return _blocks(n, 2)


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


GAUSS_RADIUS = 3.5  # K ≥ 3 clouds: centres on this circle (neighbours 3.5 apart for K = 6),
# so that at noise 0 (σ ≈ 0.71) they stay inside the drawn square [−6, 6]²


def gauss_centres(k: int) -> np.ndarray:
    """(2, K) centre of each class's cloud. K = 2: TensorFlow Playground's, class 0 at
    (−2, −2) and class 1 at (2, 2). K ≥ 3: evenly on a circle of radius 3.5, class 0 at the top,
    the others counter-clockwise."""
    if k == 2:
        return np.array([[-2.0, 2.0], [-2.0, 2.0]])
    angle = np.pi / 2 + 2 * np.pi * np.arange(k) / k
    return GAUSS_RADIUS * np.stack([np.cos(angle), np.sin(angle)])


def _gauss(n, noise, rng, classes=2):
    # class k around its centre; variance 0.5 at noise 0 … 4 at noise 0.5
    variance = 0.5 + (4.0 - 0.5) * noise / MAX_NOISE
    cls = _blocks(n, classes)
    centre = gauss_centres(classes)[:, cls.astype(np.intp)]
    return centre + rng.normal(0.0, math.sqrt(variance), (2, n)), cls


def _spiral(n, noise, rng, classes=2):
    # class c is an arm, r = 5t, θ = 1.75·2πt + 2π(K − 1 − c)/K for t = i/n_c (i = 0 … n_c − 1):
    # for K = 2 class 1 is the arm θ = 1.75·2πt and class 0 the same arm turned by π
    cls = _blocks(n, classes)
    t = np.empty(n)
    for c in range(classes):
        arm = cls == c
        t[arm] = np.arange(arm.sum()) / max(int(arm.sum()), 1)
    theta = 1.75 * 2 * np.pi * t + 2 * np.pi * (classes - 1 - cls) / classes
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
    description: str  # of the default set (two classes)
    generator: PointsFn | None  # None: fixed points, see lecture_xor_points
    d: int = 2
    classes: tuple[int, int] | None = (2, 2)  # the K it offers, (least, most); None: regression
    many: str | None = None  # the description for K ≥ 3 classes, with {k} for K

    def describe(self, classes: int | None = None) -> str:
        """The description of the set drawn with ``classes`` (None: the default)."""
        if classes is None or classes == 2 or self.many is None:
            return self.description
        return self.many.format(k=classes)


DATASETS: dict[str, DatasetInfo] = {
    "xor_lecture": DatasetInfo(
        "classification", "The lecture's four XOR points (0,0), (0,1), (1,0), (1,1)", None
    ),
    "xor": DatasetInfo("classification", "Four quadrants: class 1 where x₁·x₂ > 0", _xor),
    "circle": DatasetInfo("classification", "A disc (r ≤ 2.5) inside a ring (3.5–5)", _circle),
    "gauss": DatasetInfo(
        "classification",
        "Two Gaussian clouds at (2, 2) and (−2, −2)",
        _gauss,
        classes=(2, 6),
        many="{k} Gaussian clouds around a circle of radius 3.5",
    ),
    "spiral": DatasetInfo(
        "classification",
        "Two interleaved spiral arms",
        _spiral,
        classes=(2, 6),
        many="{k} interleaved spiral arms",
    ),
    "plane": DatasetInfo("regression", "A tilted plane, target (x₁ + x₂)/10", _plane, classes=None),
    "gauss_bumps": DatasetInfo("regression", "Six bumps of height ±1", _gauss_bumps, classes=None),
    "sine_1d": DatasetInfo(
        "regression", "A 1-D curve, y = sin x on [−6, 6]", _sine_1d, d=1, classes=None
    ),
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


def check_classes(name: str, classes: int | None) -> int | None:
    """K for data set ``name`` drawn with ``classes`` (None: its default, 2, or None for a
    regression set); a ValueError that says what the set offers otherwise."""
    offered = DATASETS[name].classes
    if classes is None:
        return None if offered is None else offered[0]
    if offered is None:
        raise ValueError(
            f"dataset {name!r} is a regression set; classes={classes!r:.20} is for "
            "classification sets"
        )
    lo, hi = offered
    if _is_int(classes) and lo <= classes <= hi:
        return int(classes)
    if lo == hi:
        more = " and ".join(n for n, i in DATASETS.items() if i.classes and i.classes[1] > lo)
        raise ValueError(
            f"dataset {name!r} has {lo} classes, got classes={classes!r:.20}; {more} offer more"
        )
    raise ValueError(
        f"classes must be an integer from {lo} to {hi} for dataset {name!r}, got {classes!r:.20}"
    )


def make_dataset(
    name: str,
    *,
    n_points: int = 500,
    noise: float = 0.0,
    train_fraction: float = 0.5,
    seed: int = 0,
    classes: int | None = None,
) -> Dataset:
    """Draw data set ``name`` (with K = ``classes`` where it offers more than two, see
    ``DATASETS[name].classes``); the same arguments give identical arrays."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; expected one of {sorted(DATASETS)}")
    k = check_classes(name, classes)
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
    if info.classes is not None and info.classes[1] > 2:
        x, y = info.generator(n_points, float(noise), rng, k)
    else:
        x, y = info.generator(n_points, float(noise), rng)
    order = rng.permutation(n_points)  # generators emit class by class; mix them
    return Dataset(name, info.kind, x[:, order], y[order][np.newaxis, :], train, n_classes=k)


def replace_split(ds: Dataset, *, train_fraction: float, seed: int) -> Dataset:
    """The same points with a new train/test split (as make_dataset would draw it)."""
    train = split_mask(ds.n, train_fraction=train_fraction, seed=seed)
    return Dataset(ds.name, ds.kind, ds.x, ds.y, train, ds.class_names, ds.n_classes)


def with_points(
    ds: Dataset, x: np.ndarray, y: np.ndarray, *, train: np.ndarray | None = None
) -> Dataset:
    """User-edited points, same name, kind and classes (a drawn point may have any class
    0 … K − 1 of ``ds``); ``train=None`` makes every point a training point."""
    x = np.asarray(x, dtype=np.float64)
    if train is None:
        train = np.ones(x.shape[-1] if x.ndim else 0, dtype=bool)
    return Dataset(ds.name, ds.kind, x, y, train, ds.class_names, ds.n_classes)
