"""A fully connected network in the lecture's notation (§I.B, §I.D).

Conventions, stated once:
- Layers are numbered as in the lecture: l = 1 is the input, l = L the output. ``net.w[l]`` and
  ``net.b[l]`` exist for l = 2 … L; ``net.w[l][j, k]`` is w^l_jk, the weight from neuron k of
  layer l − 1 to neuron j of layer l (0-based j, k in code, 1-based in the lecture and the app).
- Shapes: w^l is (K_l, K_{l−1}), b^l is a (K_l, 1) column. A batch of N examples is a (K_1, N)
  array: examples are columns, like the lecture's vectors, and b^l broadcasts over them.
- ``backprop`` returns δ^l for every example, one column each (δ^l_x = ∂C_x/∂z^l), and the
  gradients of the average cost C = (1/N) Σ_x C_x, which are the averages over x of (18), (19).
- With regularisation (``regularization.py``) C = C_0 + R(w): ``g.cost`` is C, ``g.data_cost``
  is C_0 and ``g.penalty`` is R; ``g.w[l]`` is ∂C/∂w^l = (18) + ∂R/∂w^l, the gradient (24)
  steps along, and ``g.penalty_w[l]`` is its second term. δ^l and ∂C/∂b^l are those of C_0.
- Editing: ``set_weight(l, j, k, v)`` and ``set_bias(l, j, v)`` set one w^l_jk or b^l_j exactly
  (0-based j, k), validated; ``keep_as_start()`` makes the current parameters what ``reset()``
  rewinds to, instead of the seeded draw.

How it is computed, and why (numpy costs about a microsecond per call, whatever the arithmetic,
so a step of a small network is fast when it makes few calls):
- The bias is the weight of a constant input 1, as in Fig. 5. Each layer's parameters are one
  block [w^l | b^l] of shape (K_l, K_{l−1} + 1), and a^{l−1} is kept with an extra row of ones,
  so z^l = w^l a^{l−1} + b^l = [w^l | b^l] [a^{l−1}; 1] is one matrix product. Backwards the
  same product gives (18) and (19) at once: ∂C/∂[w^l | b^l] = δ^l [a^{l−1}; 1]^T summed over the
  examples, whose last column, δ^l times the constant 1, is Σ_x δ^l_x.
- ``net.w[l]`` and ``net.b[l]`` are views of that block (the first K_{l−1} columns, the last
  one), and every block lies in one flat vector θ = ``net.theta``: writing ``net.w[l][j, k]``
  changes θ. The gradients form one flat vector laid out like θ, divided by N once, and an
  update (24), (25) is one θ − α∇C over every parameter, its finiteness check one sum.
- z^l, [a^l; 1], σ'(z^l), δ^l and the gradient are written with ``out=`` into preallocated
  buffers (``workspace.py``), and σ'(z^l) of consecutive layers that share σ in one call. What
  ``feedforward`` and ``backprop`` return is still the caller's to keep: a buffer is used again
  only once no array of an earlier result is referenced anywhere.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.activations import Activation, get_activation, get_output_activation
from playground.checks import MAX_EDIT as MAX_EDIT
from playground.checks import MAX_LAYERS as MAX_LAYERS
from playground.checks import MAX_NEURONS as MAX_NEURONS
from playground.checks import (
    as_float_array,
    check_activations,
    check_index,
    check_learning_rate,
    check_sizes,
    check_value,
    param_name,
)
from playground.costs import Cost, get_cost
from playground.init import initial_params
from playground.regularization import Regularization
from playground.workspace import Workspace, Workspaces, aligned_zeros, n_params, param_blocks

Array = np.ndarray


@dataclass(eq=False)
class Forward:
    """Every z^l and a^l of a forward pass; ``a[1]`` is (a copy of) the input x."""

    z: dict[int, Array]
    a: dict[int, Array]

    @property
    def output(self) -> Array:
        return self.a[max(self.a)]


@dataclass(eq=False)
class Gradients:
    """Result of backprop: C, δ^l per example, ∂C/∂w^l and ∂C/∂b^l, and the forward pass."""

    cost: float  # C = C_0 + R(w)
    delta: dict[int, Array]
    w: dict[int, Array]
    b: dict[int, Array]
    forward: Forward
    flat: Array  # every ∂C/∂w^l and ∂C/∂b^l in one vector laid out like θ; w[l], b[l] view it
    given_data_cost: float | None = None  # C_0 when a regularisation term R was added
    penalty: float = 0.0  # R(w), the regularisation term of C
    penalty_flat: Array | None = None  # ∂R/∂θ laid out like θ (0 at biases); None: no term

    @property
    def data_cost(self) -> float:
        """C_0, the cost of the data alone: C without the regularisation term."""
        return self.cost if self.given_data_cost is None else self.given_data_cost

    @property
    def penalty_w(self) -> dict[int, Array]:
        """∂R/∂w^l per layer (λ w^l or λ sign(w^l)): the term regularisation adds to (24);
        zeros without it. ``g.w[l] − g.penalty_w[l]`` is (18) alone, ∂C_0/∂w^l."""
        sizes = [self.w[min(self.w)].shape[1], *(self.w[l].shape[0] for l in sorted(self.w))]
        flat = np.zeros_like(self.flat) if self.penalty_flat is None else self.penalty_flat
        return {l: block[:, :-1] for l, block in param_blocks(flat, sizes).items()}


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
        regularization: str = "none",
        regularization_rate: float = 0.0,
    ) -> None:
        self.sizes = check_sizes(sizes)
        self.L = len(self.sizes)
        self.activations = check_activations(activations, self.L)
        self.act: dict[int, Activation] = {
            l: get_activation(name) if l < self.L else get_output_activation(name)
            for l, name in zip(range(2, self.L + 1), self.activations, strict=True)
        }
        if not self.act[self.L].elementwise and self.sizes[-1] < 2:
            raise ValueError(
                f"a {self.activations[-1]} output shares one probability among its neurons: it "
                f"needs K_{self.L} ≥ 2 output neurons (one per class), got {self.sizes[-1]}"
            )
        # the cost as it applies to this output layer (the cross-entropy needs sigmoid or softmax)
        self.cost: Cost = get_cost(cost).for_output(self.act[self.L])
        if not isinstance(seed, int | np.integer) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.init = init
        self.seed = int(seed)
        self.regularization = Regularization(regularization, regularization_rate)  # C_0 + R
        self._start: Array | None = None  # what reset() rewinds to, if not the seeded draw
        self._bind(aligned_zeros(n_params(self.sizes)))
        self.reset()

    # ------------------------------------------------------------------ set-up
    def _bind(self, theta: Array) -> None:
        """Use ``theta`` as θ: [w^l | b^l], w^l and b^l become views of it; new workspaces."""
        self.theta = theta
        self._Wb = param_blocks(theta, self.sizes)  # [w^l | b^l], (K_l, K_{l−1} + 1)
        self.w = {l: wb[:, :-1] for l, wb in self._Wb.items()}
        self.b = {l: wb[:, -1:] for l, wb in self._Wb.items()}
        self._wT = {l: w.T for l, w in self.w.items()}  # (w^l)^T for (17)
        self._theta_next = aligned_zeros(theta.size)  # room for θ − α∇C before it is accepted
        # 1 where θ holds a weight w^l_jk, 0 at the biases: θ ⊙ mask is what regularisation sees
        self._w_mask = np.concatenate(
            [np.hstack([np.ones_like(w), np.zeros_like(b)]).ravel()
             for w, b in zip(self.w.values(), self.b.values(), strict=True)]
        )  # fmt: skip
        # σ'(z^l) of a run of layers is computed in one call; a softmax output has no σ' (see (7))
        self._runs = [r for r in _runs(self.activations) if self.act[r[0]].elementwise]
        self._workspaces = Workspaces(self.sizes, self._runs)

    def reset(self) -> None:
        """Back to the first w^l, b^l: those kept by ``keep_as_start``, or else the seeded draw
        (the same scheme and seed give the same w^l, b^l)."""
        if self._start is not None:
            self.theta[...] = self._start
            return
        w, b = initial_params(self.sizes, self.init, self.seed)
        for l in range(2, self.L + 1):
            self.w[l][...] = w[l]
            self.b[l][...] = b[l]

    def keep_as_start(self) -> None:
        """Make the current w^l, b^l the start ``reset`` rewinds to (say, after edits)."""
        self._start = self.theta.copy()

    def forget_start(self) -> None:
        """``reset`` draws the seeded initial weights again."""
        self._start = None

    @property
    def has_kept_start(self) -> bool:
        return self._start is not None

    def copy(self) -> Network:
        other = object.__new__(Network)
        other.__dict__.update(self.__dict__)
        other._bind(_aligned_copy(self.theta))
        return other

    def __getstate__(self) -> dict[str, object]:
        # θ only: the views and buffers are rebuilt on load (pickled views would not share θ).
        state = self.__dict__.copy()
        for key in ("w", "b", "_Wb", "_wT", "_theta_next", "_w_mask", "_runs", "_workspaces"):
            del state[key]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._bind(_aligned_copy(self.theta))

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
                    # the position, not the array: a 256 × 256 layer made a 0.5 MB message
                    where = tuple(int(i) + 1 for i in np.argwhere(~np.isfinite(arr))[0])
                    raise ValueError(
                        f"{name}^{l} must be finite; {int((~np.isfinite(arr)).sum())} of its "
                        f"{arr.size} entries are not, the first at (j, k) = {where}"
                    )
                out[l] = arr
        for l in range(2, self.L + 1):
            self.w[l][...] = new_w[l]
            self.b[l][...] = new_b[l]

    @property
    def regularization(self) -> Regularization:
        """The regularisation term R of C (``Regularization("l2", 0.01)``; "none" by default).
        A Trainer's ``regularization`` changes it and measures the network again."""
        return self._reg

    @regularization.setter
    def regularization(self, value: Regularization) -> None:
        if not isinstance(value, Regularization):
            raise ValueError(f"regularization must be a Regularization, got {value!r:.60}")
        self._reg = value
        self._reg_active = value.active  # read by every step: one attribute, not two

    def set_weight(self, l: int, j: int, k: int, value: float) -> None:
        """w^l_jk = ``value`` exactly: j a neuron of layer l, k one of layer l − 1 (0-based, as
        in ``net.w[l][j, k]``), |value| ≤ MAX_EDIT; a ValueError saying what is wrong otherwise."""
        l, j = self._check_neuron(l, j)
        k = check_index("k", k, self.sizes[l - 2], l - 1)
        self.w[l][j, k] = check_value(value, param_name("w", l, j, k))

    def set_bias(self, l: int, j: int, value: float) -> None:
        """b^l_j = ``value`` exactly (the output layer's too); validated as in ``set_weight``."""
        l, j = self._check_neuron(l, j)
        self.b[l][j, 0] = check_value(value, param_name("b", l, j))

    def _check_neuron(self, l: int, j: int) -> tuple[int, int]:
        if isinstance(l, bool) or not isinstance(l, int | np.integer) or not 2 <= l <= self.L:
            raise ValueError(
                f"layer l must be an integer from 2 to {self.L} (layer 1, the input, has no "
                f"weights or biases), got {l!r:.20}"
            )
        return int(l), check_index("j", j, self.sizes[l - 1], l)

    def penalty(self) -> float:
        """R(w), the regularisation term of C at the current weights (0 without one)."""
        return self.regularization.penalty(self.theta * self._w_mask)

    @property
    def n_params(self) -> int:
        return self.theta.size

    def __repr__(self) -> str:
        sizes = "-".join(map(str, self.sizes))
        return f"Network({sizes}, activations={list(self.activations)}, cost={self.cost.name!r})"

    # ------------------------------------------------------------------ forward
    def feedforward(self, x: Array, *, dtype: type | None = None) -> Forward:
        """z^l = w^l a^{l−1} + b^l and a^l = σ(z^l) for l = 2 … L, every layer kept.

        ``dtype=np.float32`` evaluates in single precision (for drawing a picture quickly). The
        arrays returned are the caller's: no later call writes into them while any is referenced.
        """
        return self._feedforward(self.check_x(x), dtype)

    def _feedforward(self, x: Array, dtype: type | None = None) -> Forward:
        """``feedforward`` of an x already checked (the Trainer's data, the app's grid).

        Calls on batches of the same size and dtype write into the same buffers whenever the
        previous result has been let go; a caller that keeps at most one earlier result (a
        picture on screen while the next is drawn) allocates nothing (see ``workspace.py``).
        """
        dtype = np.float64 if dtype is None else dtype
        ws = self._workspaces.take(x.shape[1], dtype, backward=False)
        try:
            self._forward(ws, x)
            z, a = ws.caller_views()
            return Forward(z, a)
        finally:
            ws.busy = False

    def _forward(self, ws: Workspace, x: Array) -> None:
        """z^l and a^l of the batch x into the workspace's buffers."""
        if ws.Wb is None:
            Wb = self._Wb
        else:  # single precision: the weights cast once for the whole pass
            np.copyto(ws.theta, self.theta, casting="same_kind")
            Wb = ws.Wb
        z, a, A = ws.z, ws.a, ws.A
        np.copyto(a[1], x, casting="same_kind")
        for l in range(2, self.L + 1):
            # z^l = w^l a^{l−1} + b^l = [w^l | b^l] [a^{l−1}; 1]
            Wb[l].dot(A[l - 1], out=z[l])
            # a^l = σ(z^l)
            self.act[l].sigma(z[l], out=a[l])

    def predict(self, x: Array, *, dtype: type | None = None) -> Array:
        """The output a^L, shape (K_L, N)."""
        return self.feedforward(x, dtype=dtype).output

    # ------------------------------------------------------------------ backward
    def backprop(self, x: Array, y: Array) -> Gradients:
        """C, δ^l for l = 2 … L, ∂C/∂w^l and ∂C/∂b^l for the batch (x, y); the caller's to keep,
        as in ``feedforward``."""
        x, y = self.check_xy(x, y)
        return self._backprop(x, y)

    def _backprop(self, x: Array, y: Array) -> Gradients:
        """``backprop`` of an (x, y) already checked; buffers are reused as in ``_feedforward``."""
        ws = self._workspaces.take(x.shape[1], np.float64, backward=True)
        try:
            cost = self._backward(ws, x, y)
            z, a, delta, gw, gb, flat = ws.caller_views()
            if not self._reg_active:
                return Gradients(cost, delta, gw, gb, Forward(z, a), flat)
            penalty, penalty_flat = self._regularize(ws.grad)
            return Gradients(
                cost + penalty, delta, gw, gb, Forward(z, a), flat, cost, penalty, penalty_flat
            )
        finally:
            ws.busy = False

    def _backward(self, ws: Workspace, x: Array, y: Array) -> float:
        """Forward and backward pass into the workspace's buffers; returns C."""
        L, a, delta, prime = self.L, ws.a, ws.delta, ws.prime
        self._forward(ws, x)
        # σ'(z^l) for l = 2 … L, from a^l = σ(z^l): one call for each run of layers sharing σ
        for first, z_run, a_run, prime_run in ws.runs:
            self.act[first].prime_from(z_run, a_run, out=prime_run)
        # (2) C, and (10) δ^L = ∇_a C ⊙ σ'(z^L) per example ((7) for softmax; see costs.py)
        cost = self.cost.value_and_delta_L(a[L], y, prime[L], out=delta[L])
        for l in range(L - 1, 1, -1):
            # (17) δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l)
            self._wT[l + 1].dot(delta[l + 1], out=delta[l])
            delta[l] *= prime[l]
        for l in range(2, L + 1):
            # (18) ∂C/∂w^l_jk = δ^l_j a^{l−1}_k and (19) ∂C/∂b^l_j = δ^l_j, summed over the
            # examples by one product: [∂C/∂w^l | ∂C/∂b^l] = δ^l [a^{l−1}; 1]^T
            delta[l].dot(ws.AT[l - 1], out=ws.G[l])
        # … and averaged: the 1/N of C = (1/N) Σ_x C_x, once for every parameter
        ws.grad *= 1.0 / x.shape[1]
        return cost

    def _regularize(self, grad: Array) -> tuple[float, Array]:
        """Add ∂R/∂w^l to the gradient of every weight (not the biases); R and ∂R/∂θ."""
        # the weights laid out like θ, 0 at the biases: there R adds nothing and ∂R/∂b = 0
        w = self.theta * self._w_mask
        # ∂C/∂w^l_jk = ∂C_0/∂w^l_jk + ∂R/∂w^l_jk: λ w^l_jk (L2) or λ sign(w^l_jk) (L1)
        penalty_flat = self.regularization.gradient(w)
        grad += penalty_flat
        return self.regularization.penalty(w), penalty_flat

    # ------------------------------------------------------------------ learning
    def train_step(self, x: Array, y: Array, learning_rate: float) -> float:
        """One gradient-descent update by (24), (25) on the batch (x, y); returns C before it.

        If the update would make a weight non-finite, the network keeps its weights and the
        returned cost is whatever backprop found (possibly inf or nan): check it.
        """
        alpha = check_learning_rate(learning_rate)
        x, y = self.check_xy(x, y)
        # backprop and the update, without building a Gradients nobody receives
        ws = self._workspaces.take(x.shape[1], np.float64, backward=True)
        try:
            cost = self._backward(ws, x, y)
            if self._reg_active:
                cost += self._regularize(ws.grad)[0]
            self._update(ws.grad, alpha)
        finally:
            ws.busy = False
        return cost

    def apply_gradients(self, g: Gradients, alpha: float) -> bool:
        """w^l ← w^l − α ∂C/∂w^l and b^l ← b^l − α ∂C/∂b^l (∂C/∂w^l with the regularisation
        term, if any); False (nothing changed) if the new parameters would not all be finite."""
        return self._update(g.flat, alpha)

    def _update(self, grad: Array, alpha: float) -> bool:
        """θ ← θ − α ∇C, unless that would make a parameter non-finite (then False)."""
        # (24) w^l_jk = w^l_jk − α ∂C/∂w^l_jk  and  (25) b^l_j = b^l_j − α ∂C/∂b^l_j,
        # for every layer at once on the flat vector θ that all w^l and b^l are views of
        new = np.multiply(grad, alpha, out=self._theta_next)
        np.subtract(self.theta, new, out=new)
        if not is_finite(new):
            return False
        np.copyto(self.theta, new)
        return True

    def updated(self, g: Gradients, alpha: float) -> tuple[Network, bool]:
        """A copy of this network after ``apply_gradients(g, alpha)``, and whether the update
        was made (False: it would have made a parameter non-finite; the copy is unchanged).
        This network is not changed: for showing an update before it is made."""
        other = self.copy()
        with np.errstate(all="ignore"):
            return other, other.apply_gradients(g, alpha)

    def snapshot(self) -> Array:
        """A copy of every parameter, for ``restore``."""
        return self.theta.copy()

    def restore(self, snapshot: Array) -> None:
        self.theta[...] = snapshot

    # ------------------------------------------------------------------ checks
    def check_x(self, x: Array) -> Array:
        x = as_float_array(x, "x")
        if x.ndim != 2 or x.shape[0] != self.sizes[0] or x.shape[1] < 1:
            raise ValueError(
                f"x must have shape ({self.sizes[0]}, N) with N ≥ 1 (examples are columns), "
                f"got {x.shape}"
            )
        if not _all_finite(x):
            raise ValueError("x must be finite; it contains nan or inf")
        return x

    def check_xy(self, x: Array, y: Array) -> tuple[Array, Array]:
        x = self.check_x(x)
        y = as_float_array(y, "y")
        expected = (self.sizes[-1], x.shape[1])
        if y.shape != expected:
            raise ValueError(f"y must have shape {expected} to match x, got {y.shape}")
        if not _all_finite(y):
            raise ValueError("y must be finite; it contains nan or inf")
        return x, y


def is_finite(flat: Array) -> bool:
    """True if every entry is finite, by one reduction: a sum is nan or inf as soon as one entry
    is. (A finite sum can also overflow, for values near 1e308: divergence by any standard.)"""
    return math.isfinite(np.add.reduce(flat, axis=None))


def _aligned_copy(theta: Array) -> Array:
    copy = aligned_zeros(theta.size)
    copy[...] = theta
    return copy


def _runs(activations: Sequence[str]) -> list[tuple[int, int]]:
    """(first l, last l) of each run of consecutive layers with the same σ, for l = 2 … L."""
    runs: list[tuple[int, int]] = []
    for l, name in enumerate(activations, start=2):
        if runs and activations[runs[-1][0] - 2] == name:
            runs[-1] = (runs[-1][0], l)
        else:
            runs.append((l, l))
    return runs


def _all_finite(v: Array) -> bool:
    """Every entry finite? One BLAS call says yes for ordinary data: Σ v² is finite only if every
    entry is. Only a sum that is not (a nan or inf, or entries beyond 1e154) needs the
    entry-by-entry test."""
    return math.isfinite(np.vdot(v, v)) or bool(np.isfinite(v).all())
