"""Cost functions C and the output error δ^L they start backpropagation with.

The lecture's cost is the quadratic cost (2), an average over the N examples:

    C = 1/(2N) Σ_x ||a^L(x) − y(x)||²  =  (1/N) Σ_x C_x,   C_x = ½ ||a^L(x) − y(x)||²

``delta_L`` returns δ^L for every example at once, one column per example, as ∂C_x/∂z^L — the
per-example error of (10), not divided by N. The 1/N of the average enters once, when the
gradients are averaged over the batch (see ``network.py``). With K_L outputs, a^L and y are
(K_L, N): ||·||² sums over the outputs, as in (2).

Cross-entropy (not in the lecture; Nielsen ch. 3) is the second choice, with one of two output
layers, and δ^L = a^L − y for both:

- sigmoid outputs: C_x = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)], each output a probability
  of its own. (10) simplifies exactly: ∂C_x/∂a_j = (a_j − y_j)/(a_j(1 − a_j)) and σ'(z_j) =
  a_j(1 − a_j), so δ^L_j = a_j − y_j; the σ'(z^L) factor that makes a saturated sigmoid learn
  slowly cancels. The simplified form is used because the quotient divides 0 by 0 once a sigmoid
  saturates in floating point.
- a softmax output (K_L ≥ 2 classes, one-hot y): C_x = −Σ_k y_k ln a_k, the outputs one
  probability distribution. Softmax is not element-wise, so (10) does not hold; (7) does, with
  the whole sum over k. Since ln a_k = z_k − ln Σ_m e^{z_m},

      δ^L_j = ∂C_x/∂z_j = −Σ_k y_k (1[k = j] − a_j) = a_j Σ_k y_k − y_j = a_j − y_j,

  the last step because one-hot targets sum to 1. The engine computes a_j Σ_k y_k − y_j, exact
  for any y (the gradient check uses targets that do not sum to 1).

The quadratic cost with a softmax output is allowed too: δ^L by (7), through the softmax's
Jacobian (``Activation.delta_from``). A ``Cost`` from the registry is bound to its network's output
layer by ``for_output``: ``net.cost`` is the bound one, a ``SoftmaxCost`` for a softmax output
(``net.cost.softmax`` says which).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.activations import SOFTMAX, Activation

Array = np.ndarray

# a is clipped this far from 0 and 1 inside the logarithms of the cross-entropy, so that a
# saturated sigmoid (a == 1.0 exactly in float64) gives a large but finite cost.
_LOG_EPS = 1e-12


@dataclass(frozen=True)
class Cost:
    """A cost C(a^L, y) averaged over examples, with ∇_a C_x and δ^L (element-wise outputs)."""

    name: str
    label: str
    equation: str
    title: str  # how the app names C in headings: the lecture's eq. (2) only for its own cost
    softmax: bool = False  # a SoftmaxCost: bound to a softmax output, δ^L by (7), not (10)

    def for_output(self, act: Activation) -> Cost:
        """This cost for an output layer with activation ``act``; ValueError if they do not go
        together (the cross-entropy needs sigmoid or softmax outputs)."""
        if self.name == "cross_entropy" and act.name not in ("sigmoid", SOFTMAX.name):
            raise ValueError(
                "the cross-entropy cost needs a sigmoid output layer (or softmax); "
                f"got output activation {act.name!r}"
            )
        if (act.name == SOFTMAX.name) == self.softmax:
            return self
        return _WITH_SOFTMAX[self.name] if act.name == SOFTMAX.name else COSTS[self.name]

    def value(self, a: Array, y: Array) -> float:
        """C for a batch: the average of C_x over the columns."""
        if self.name == "quadratic":
            return _quadratic(a - y)
        n = a.shape[1]
        a = np.clip(a, _LOG_EPS, 1.0 - _LOG_EPS)
        return float(-np.sum(y * np.log(a) + (1.0 - y) * np.log1p(-a))) / n

    def grad_a(self, a: Array, y: Array, *, out: Array | None = None) -> Array:
        """∇_a C_x for each example: ∂C_x/∂a^L_j, one column per example (into ``out`` if given)."""
        if self.name == "quadratic":
            return np.subtract(a, y, out=out)
        a = np.clip(a, _LOG_EPS, 1.0 - _LOG_EPS)
        return np.divide(a - y, a * (1.0 - a), out=out)

    def delta_L(
        self,
        a: Array,
        z: Array,
        y: Array,
        act: Activation,
        *,
        out: Array | None = None,
        tmp: Array | None = None,
    ) -> Array:
        """δ^L = ∂C_x/∂z^L for each example; into ``out`` (and σ'(z^L) into ``tmp``) if given."""
        cost = self.for_output(act)
        if out is None:
            out = np.empty(np.broadcast_shapes(a.shape, y.shape), np.result_type(a, y))
        prime = act.prime_from(z, a, out=tmp) if act.elementwise else None
        cost.value_and_delta_L(a, y, prime, out=out)
        return out

    def value_and_delta_L(
        self, a: Array, y: Array, sigma_prime: Array | None, *, out: Array
    ) -> float:
        """C for the batch, and δ^L written into ``out`` given σ'(z^L) (None for softmax): what
        backprop starts from. The quadratic cost computes a − y once for both."""
        if self.name == "cross_entropy":
            # (10) with σ = sigmoid: ((a − y)/(a(1 − a))) ⊙ a(1 − a) = a − y
            np.subtract(a, y, out=out)
            return self.value(a, y)
        delta = self.grad_a(a, y, out=out)
        cost = _quadratic(delta)
        # (10) δ^L = ∇_a C ⊙ σ'(z^L)
        delta *= sigma_prime
        return cost


@dataclass(frozen=True)
class SoftmaxCost(Cost):
    """A cost bound to a softmax output layer: δ^L by (7) through the softmax's Jacobian, and
    for the cross-entropy C_x = −Σ_k y_k ln a_k with δ^L = a Σ_k y_k − y (see above)."""

    softmax: bool = True

    def value(self, a: Array, y: Array) -> float:
        if self.name == "quadratic":
            return _quadratic(a - y)
        # C_x = −Σ_k y_k ln a_k (a softmax never exceeds 1; only 0 needs keeping away from)
        return -float(np.vdot(y, np.log(np.maximum(a, _LOG_EPS)))) / a.shape[1]

    def grad_a(self, a: Array, y: Array, *, out: Array | None = None) -> Array:
        if self.name == "quadratic":
            return np.subtract(a, y, out=out)
        return np.divide(-y, np.clip(a, _LOG_EPS, 1.0), out=out)

    def value_and_delta_L(
        self, a: Array, y: Array, sigma_prime: Array | None, *, out: Array
    ) -> float:
        if self.name == "cross_entropy":
            # δ^L = a Σ_k y_k − y, which is a − y for one-hot targets (derivation above)
            np.multiply(a, y.sum(axis=0, keepdims=True), out=out)
            out -= y
            return self.value(a, y)
        cost = _quadratic(np.subtract(a, y, out=out))
        # (7) δ^L_j = Σ_k ∂C/∂a_k ∂a_k/∂z_j, through the softmax's Jacobian
        SOFTMAX.delta_from(a, out, out=out)
        return cost


def _quadratic(d: Array) -> float:
    """(2) C = 1/(2N) Σ_x ||a^L(x) − y(x)||², given d = a^L − y."""
    return float(np.vdot(d, d)) / (2.0 * d.shape[1])


COSTS: dict[str, Cost] = {
    "quadratic": Cost(
        name="quadratic",
        label="quadratic (mean squared error)",
        equation=r"C = \frac{1}{2N}\sum_{i=1}^{N}\lVert a(x_i) - y_i\rVert^2",
        title="C, eq. (2)",
    ),
    "cross_entropy": Cost(
        name="cross_entropy",
        label="cross-entropy (sigmoid or softmax output)",
        equation=r"C = -\frac{1}{N}\sum_{i=1}^{N}\left[y_i\ln a(x_i) + (1-y_i)\ln(1-a(x_i))\right]",
        title="C, cross-entropy",
    ),
}

# The same costs bound to a softmax output layer (what ``for_output`` returns for one).
_WITH_SOFTMAX: dict[str, Cost] = {
    "quadratic": SoftmaxCost(**{**vars(COSTS["quadratic"]), "softmax": True}),
    "cross_entropy": SoftmaxCost(
        name="cross_entropy",
        label="cross-entropy with a softmax output (not in the lecture)",
        equation=r"C = -\frac{1}{N}\sum_{i=1}^{N}\sum_{k=1}^{K_L} y_{ik}\ln a_k(x_i)",
        title=COSTS["cross_entropy"].title,
    ),
}


def get_cost(name: str) -> Cost:
    """The cost registered under ``name``; a clear ValueError otherwise."""
    try:
        return COSTS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown cost {name!r:.60}; expected one of {sorted(COSTS)}") from None
