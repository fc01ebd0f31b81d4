"""Checks at the engine's boundary: network sizes and activations, the learning rate α, arrays of
numbers, and one parameter w^l_jk or b^l_j a student sets by hand.

Each raises a ValueError that says what is wrong, what was expected and what was given, echoing
at most a few dozen characters of what came from outside (a file or a browser can send anything).
``network.py`` validates with these and computes; nothing here does maths.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

from playground.activations import (
    OUTPUT_ACTIVATIONS,
    get_activation,
    get_output_activation,
)

Array = np.ndarray

MAX_LAYERS = 12  # L, input and output included
MAX_NEURONS = 256  # K_l of any layer
MAX_EDIT = 100.0  # the largest |w^l_jk| or |b^l_j| set_weight and set_bias accept


def check_index(name: str, i: int, k: int, l: int) -> int:
    """``i`` as a 0-based index of one of the k neurons of layer l (``name`` is "j" or "k")."""
    if isinstance(i, bool) or not isinstance(i, int | np.integer) or not 0 <= i < k:
        raise ValueError(
            f"{name} must be a neuron of layer {l}: an integer from 0 to {k - 1} (K_{l} = {k}, "
            f"0-based), got {i!r:.20}"
        )
    return int(i)


def param_name(kind: str, l: int, j: int, k: int | None = None) -> str:
    """The lecture's name, 1-based (w^3_12, b^2_1); a comma where an index has two digits."""
    if k is None:
        return f"b^{l}_{j + 1}"
    sep = "," if max(j, k) >= 9 else ""
    return f"w^{l}_{j + 1}{sep}{k + 1}"


def check_value(value: float, name: str) -> float:
    """``value`` as the float a parameter called ``name`` may be set to: finite, |v| ≤ MAX_EDIT."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r:.40}")
    try:
        v = float(value)
    except OverflowError:  # an int beyond float's range
        v = math.inf
    if not math.isfinite(v) or abs(v) > MAX_EDIT:
        raise ValueError(
            f"{name} must be a finite number from {-MAX_EDIT:g} to {MAX_EDIT:g}, got {value!r:.40}"
        )
    return v


def check_learning_rate(learning_rate: float) -> float:
    try:
        alpha = float(learning_rate)
    except (TypeError, ValueError):
        raise ValueError(f"learning rate α must be a number, got {learning_rate!r}") from None
    if not (math.isfinite(alpha) and alpha > 0):
        raise ValueError(f"learning rate α must be finite and > 0, got {learning_rate!r}")
    return alpha


def as_float_array(v: Array, name: str) -> Array:
    try:
        arr = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers, got {type(v).__name__}") from None
    return arr


def check_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    try:
        out = tuple(sizes)
    except TypeError:
        raise ValueError(f"sizes must be a list [K_1, …, K_L], got {sizes!r:.60}") from None
    if len(out) < 2 or len(out) > MAX_LAYERS:
        raise ValueError(
            f"sizes must list between 2 and {MAX_LAYERS} layers (input and output included), "
            f"got {len(out)}: {list(out)!s:.60}"
        )
    for l, k in enumerate(out, start=1):
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= MAX_NEURONS:
            raise ValueError(
                f"K_{l} (neurons in layer {l}) must be an integer from 1 to {MAX_NEURONS}, "
                f"got {k!r:.60}"
            )
    return tuple(int(k) for k in out)


def check_activations(activations: str | Sequence[str], L: int) -> tuple[str, ...]:
    names = [activations] * (L - 1) if isinstance(activations, str) else list(activations)
    if len(names) != L - 1:
        raise ValueError(
            f"give one activation for all layers or one per layer l = 2..{L} "
            f"({L - 1} names), got {len(names)}: {names!s:.60}"
        )
    for l, name in enumerate(names, start=2):
        if l == L:
            get_output_activation(name)
            continue
        try:
            get_activation(name)
        except ValueError:
            if isinstance(name, str) and name in OUTPUT_ACTIVATIONS:  # softmax
                raise ValueError(
                    f"{name} is offered for the output layer (l = {L}) only, not as an "
                    f"element-wise σ of hidden layer {l}"
                ) from None
            raise
    return tuple(names)
