"""A fully connected network in the lecture's notation (§I.B, §I.D).

Conventions, stated once:
- Layers are numbered as in the lecture: l = 1 is the input, l = L the output. ``net.w[l]`` and
  ``net.b[l]`` exist for l = 2 … L; ``net.w[l][j, k]`` is w^l_jk, the weight from neuron k of
  layer l − 1 to neuron j of layer l (0-based j, k in code, 1-based in the lecture and the app).
- Shapes: w^l is (K_l, K_{l−1}), b^l is a (K_l, 1) column. A batch of N examples is a (K_1, N)
  array: examples are columns, like the lecture's vectors, and b^l broadcasts over them.
- ``backprop`` returns δ^l for every example, one column each (δ^l_x = ∂C_x/∂z^l), and the
  gradients of the average cost C = (1/N) Σ_x C_x, which are the averages over x of (18), (19).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.activations import Activation, get_activation
from playground.costs import Cost, get_cost
from playground.init import initial_params

Array = np.ndarray

MAX_LAYERS = 12  # L, input and output included
MAX_NEURONS = 256  # K_l of any layer


@dataclass(eq=False)
class Forward:
    """Every z^l and a^l of a forward pass; ``a[1]`` is the input x."""

    z: dict[int, Array]
    a: dict[int, Array]

    @property
    def output(self) -> Array:
        return self.a[max(self.a)]


@dataclass(eq=False)
class Gradients:
    """Result of backprop: C, δ^l per example, ∂C/∂w^l and ∂C/∂b^l, and the forward pass."""

    cost: float
    delta: dict[int, Array]
    w: dict[int, Array]
    b: dict[int, Array]
    forward: Forward


class Network:
    """Sizes [K_1, …, K_L], an activation per layer l = 2 … L, weights w^l and biases b^l."""

    def __init__(
        self,
        sizes: Sequence[int],
        activations: str | Sequence[str] = "sigmoid",
        *,
        init: str = "small",
        seed: int = 0,
        cost: str = "quadratic",
    ) -> None:
        self.sizes = _check_sizes(sizes)
        self.L = len(self.sizes)
        self.activations = _check_activations(activations, self.L)
        self.act: dict[int, Activation] = {
            l: get_activation(name)
            for l, name in zip(range(2, self.L + 1), self.activations, strict=True)
        }
        self.cost: Cost = get_cost(cost)
        if self.cost.name == "cross_entropy" and self.activations[-1] != "sigmoid":
            raise ValueError(
                "the cross-entropy cost needs a sigmoid output layer; "
                f"got output activation {self.activations[-1]!r}"
            )
        if not isinstance(seed, int | np.integer) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.init = init
        self.seed = int(seed)
        self.w, self.b = initial_params(self.sizes, init, self.seed)

    # ------------------------------------------------------------------ set-up
    def reset(self) -> None:
        """Draw the initial weights again: the same scheme and seed give the same w^l, b^l."""
        self.w, self.b = initial_params(self.sizes, self.init, self.seed)

    def copy(self) -> Network:
        other = object.__new__(Network)
        other.__dict__.update(self.__dict__)
        other.w = {l: w.copy() for l, w in self.w.items()}
        other.b = {l: b.copy() for l, b in self.b.items()}
        return other

    def set_params(self, w: dict[int, Array], b: dict[int, Array]) -> None:
        """Replace every w^l, b^l after checking shapes and finiteness."""
        new_w, new_b = {}, {}
        for l in range(2, self.L + 1):
            for name, given, shape, out in (
                ("w", w, (self.sizes[l - 1], self.sizes[l - 2]), new_w),
                ("b", b, (self.sizes[l - 1], 1), new_b),
            ):
                if l not in given:
                    raise ValueError(f"{name}^{l} is missing; expected layers 2..{self.L}")
                arr = np.array(given[l], dtype=np.float64)
                if arr.shape != shape:
                    raise ValueError(f"{name}^{l} must have shape {shape}, got {arr.shape}")
                if not np.isfinite(arr).all():
                    raise ValueError(f"{name}^{l} must be finite, got {arr.tolist()}")
                out[l] = arr
        self.w, self.b = new_w, new_b

    @property
    def n_params(self) -> int:
        return sum(w.size + self.b[l].size for l, w in self.w.items())

    def __repr__(self) -> str:
        sizes = "-".join(map(str, self.sizes))
        return f"Network({sizes}, activations={list(self.activations)}, cost={self.cost.name!r})"

    # ------------------------------------------------------------------ forward
    def feedforward(self, x: Array, *, dtype: type | None = None) -> Forward:
        """z^l = w^l a^{l−1} + b^l and a^l = σ(z^l) for l = 2 … L, every layer kept.

        ``dtype=np.float32`` evaluates in single precision (for drawing a picture quickly).
        """
        x = self.check_x(x)
        if dtype is not None:
            x = x.astype(dtype, copy=False)
        return self._feedforward(x, dtype)

    def _feedforward(self, x: Array, dtype: type | None = None) -> Forward:
        z, a = {}, {1: x}
        for l in range(2, self.L + 1):
            w, b = self.w[l], self.b[l]
            if dtype is not None:
                w, b = w.astype(dtype), b.astype(dtype)
            # z^l = w^l a^{l−1} + b^l
            zl = w @ a[l - 1]
            zl += b
            z[l] = zl
            # a^l = σ(z^l)
            a[l] = self.act[l].sigma(zl)
        return Forward(z, a)

    def predict(self, x: Array, *, dtype: type | None = None) -> Array:
        """The output a^L, shape (K_L, N)."""
        return self.feedforward(x, dtype=dtype).output

    # ------------------------------------------------------------------ backward
    def backprop(self, x: Array, y: Array) -> Gradients:
        """C, δ^l for l = 2 … L, ∂C/∂w^l and ∂C/∂b^l for the batch (x, y)."""
        x, y = self.check_xy(x, y)
        return self._backprop(x, y)

    def _backprop(self, x: Array, y: Array) -> Gradients:
        L, act = self.L, self.act
        fwd = self._feedforward(x)
        z, a = fwd.z, fwd.a
        cost = self.cost.value(a[L], y)
        # (10) δ^L = ∇_a C ⊙ σ'(z^L)   (per example; see costs.py)
        delta = {L: self.cost.delta_L(a[L], z[L], y, act[L])}
        for l in range(L - 1, 1, -1):
            # (17) δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l)
            delta[l] = (self.w[l + 1].T @ delta[l + 1]) * act[l].prime_from(z[l], a[l])
        inv_n = 1.0 / x.shape[1]
        gw, gb = {}, {}
        for l in range(2, L + 1):
            # (18) ∂C/∂w^l_jk = δ^l_j a^{l−1}_k, averaged over the N examples (the 1/N of C)
            gw[l] = (delta[l] @ a[l - 1].T) * inv_n
            # (19) ∂C/∂b^l_j = δ^l_j, averaged over the N examples
            gb[l] = delta[l].sum(axis=1, keepdims=True) * inv_n
        return Gradients(cost, delta, gw, gb, fwd)

    # ------------------------------------------------------------------ learning
    def train_step(self, x: Array, y: Array, learning_rate: float) -> float:
        """One gradient-descent update by (24), (25) on the batch (x, y); returns C before it.

        If the update would make a weight non-finite, the network keeps its weights and the
        returned cost is whatever backprop found (possibly inf or nan): check it.
        """
        alpha = check_learning_rate(learning_rate)
        g = self.backprop(x, y)
        self.apply_gradients(g, alpha)
        return g.cost

    def apply_gradients(self, g: Gradients, alpha: float) -> bool:
        """w^l ← w^l − α ∂C/∂w^l and b^l ← b^l − α ∂C/∂b^l; False (nothing changed) if the
        new parameters would not all be finite."""
        # (24) w^l_jk = w^l_jk − α ∂C/∂w^l_jk
        new_w = {l: w - alpha * g.w[l] for l, w in self.w.items()}
        # (25) b^l_j = b^l_j − α ∂C/∂b^l_j
        new_b = {l: b - alpha * g.b[l] for l, b in self.b.items()}
        if not all_finite(new_w, new_b):
            return False
        self.w, self.b = new_w, new_b
        return True

    # ------------------------------------------------------------------ checks
    def check_x(self, x: Array) -> Array:
        x = _as_float_array(x, "x")
        if x.ndim != 2 or x.shape[0] != self.sizes[0] or x.shape[1] < 1:
            raise ValueError(
                f"x must have shape ({self.sizes[0]}, N) with N ≥ 1 (examples are columns), "
                f"got {x.shape}"
            )
        if not np.isfinite(x).all():
            raise ValueError("x must be finite; it contains nan or inf")
        return x

    def check_xy(self, x: Array, y: Array) -> tuple[Array, Array]:
        x = self.check_x(x)
        y = _as_float_array(y, "y")
        expected = (self.sizes[-1], x.shape[1])
        if y.shape != expected:
            raise ValueError(f"y must have shape {expected} to match x, got {y.shape}")
        if not np.isfinite(y).all():
            raise ValueError("y must be finite; it contains nan or inf")
        return x, y


def all_finite(*param_dicts: dict[int, Array]) -> bool:
    """True if every array in the dicts is finite (one cheap reduction per array)."""
    # A sum is nan or inf as soon as one entry is; a finite sum can also overflow to inf,
    # which only happens for weights near 1e308: divergence by any standard.
    return all(math.isfinite(float(arr.sum())) for d in param_dicts for arr in d.values())


def check_learning_rate(learning_rate: float) -> float:
    try:
        alpha = float(learning_rate)
    except (TypeError, ValueError):
        raise ValueError(f"learning rate α must be a number, got {learning_rate!r}") from None
    if not (math.isfinite(alpha) and alpha > 0):
        raise ValueError(f"learning rate α must be finite and > 0, got {learning_rate!r}")
    return alpha


def _as_float_array(v: Array, name: str) -> Array:
    try:
        arr = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers, got {type(v).__name__}") from None
    return arr


def _check_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    try:
        out = tuple(sizes)
    except TypeError:
        raise ValueError(f"sizes must be a list [K_1, …, K_L], got {sizes!r}") from None
    if len(out) < 2 or len(out) > MAX_LAYERS:
        raise ValueError(
            f"sizes must list between 2 and {MAX_LAYERS} layers (input and output included), "
            f"got {len(out)}: {list(out)}"
        )
    for l, k in enumerate(out, start=1):
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= MAX_NEURONS:
            raise ValueError(
                f"K_{l} (neurons in layer {l}) must be an integer from 1 to {MAX_NEURONS}, "
                f"got {k!r}"
            )
    return tuple(int(k) for k in out)


def _check_activations(activations: str | Sequence[str], L: int) -> tuple[str, ...]:
    names = [activations] * (L - 1) if isinstance(activations, str) else list(activations)
    if len(names) != L - 1:
        raise ValueError(
            f"give one activation for all layers or one per layer l = 2..{L} "
            f"({L - 1} names), got {len(names)}: {names}"
        )
    for name in names:
        get_activation(name)
    return tuple(names)
