"""Input features: TensorFlow Playground's X₁, X₂, X₁², X₂², X₁X₂, sin X₁, sin X₂.

The network never sees the raw coordinates: its input a^1 is the stack of the chosen features,
one row per feature and one column per example, so a^1 has shape (len(names), N) and the input
layer has K_1 = len(names) neurons. For 1-D data (x of shape (1, N)) only features of x₁ apply.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Feature:
    label: str  # for the UI, in the lecture's notation
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (x1, x2) -> values, each of shape (N,)
    uses_x2: bool


FEATURES: dict[str, Feature] = {
    "x1": Feature("x₁", lambda x1, x2: x1, uses_x2=False),
    "x2": Feature("x₂", lambda x1, x2: x2, uses_x2=True),
    "x1_sq": Feature("x₁²", lambda x1, x2: x1**2, uses_x2=False),
    "x2_sq": Feature("x₂²", lambda x1, x2: x2**2, uses_x2=True),
    "x1x2": Feature("x₁x₂", lambda x1, x2: x1 * x2, uses_x2=True),
    "sin_x1": Feature("sin x₁", lambda x1, x2: np.sin(x1), uses_x2=False),
    "sin_x2": Feature("sin x₂", lambda x1, x2: np.sin(x2), uses_x2=True),
}
DEFAULT_FEATURES = ("x1", "x2")


def available_features(d: int) -> tuple[str, ...]:
    """The feature names that apply to d-dimensional data (d = 1 or 2), in registry order."""
    if d not in (1, 2):
        raise ValueError(f"d must be 1 or 2, got {d!r}")
    return tuple(name for name, f in FEATURES.items() if d == 2 or not f.uses_x2)


def default_features(d: int) -> tuple[str, ...]:
    """("x1", "x2") for 2-D data, ("x1",) for 1-D data."""
    return tuple(name for name in DEFAULT_FEATURES if name in available_features(d))


def make_features(x: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """a^1: row i is feature names[i] of every example; x is (d, N), the result (len(names), N)."""
    if isinstance(names, str) or not all(isinstance(n, str) for n in names):
        raise ValueError(f"names must be a sequence of feature names, got {names!r}")
    if not names:
        raise ValueError(f"choose at least one feature; expected some of {list(FEATURES)}")
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] not in (1, 2):
        raise ValueError(f"x must have shape (2, N) or (1, N), got {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("x must be finite, got NaN or ±inf")
    allowed = available_features(x.shape[0])
    seen: set[str] = set()
    for name in names:
        if name not in FEATURES:
            raise ValueError(f"unknown feature {name!r}; expected one of {list(FEATURES)}")
        if name not in allowed:
            raise ValueError(
                f"feature {name!r} needs x₂ but the data is 1-D (x has shape {x.shape}); "
                f"expected one of {list(allowed)}"
            )
        if name in seen:
            raise ValueError(f"feature {name!r} is chosen twice; expected each at most once")
        seen.add(name)
    x1, x2 = x[0], x[-1]  # for 1-D data x2 is never read: every allowed feature ignores it
    return np.stack([FEATURES[name].fn(x1, x2) for name in names]).astype(np.float64, copy=False)
