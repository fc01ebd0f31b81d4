"""Cost functions C and the output error δ^L they start backpropagation with.

The lecture's cost is the quadratic cost (2), an average over the N examples:

    C = 1/(2N) Σ_x ||a^L(x) − y(x)||²  =  (1/N) Σ_x C_x,   C_x = ½ ||a^L(x) − y(x)||²

``delta_L`` returns δ^L for every example at once, one column per example, as ∂C_x/∂z^L — the
per-example error of (10), not divided by N. The 1/N of the average enters once, when the
gradients are averaged over the batch (see ``network.py``).

Cross-entropy, C_x = −[y ln a + (1 − y) ln(1 − a)], is the second choice (Nielsen ch. 3). It is
offered only with a sigmoid output, where (10) simplifies exactly to δ^L = a^L − y: the σ'(z^L)
factor that makes a saturated sigmoid learn slowly cancels. The simplified form is used because
∇_a C = (a − y)/(a(1 − a)) divides 0 by 0 once a sigmoid saturates in floating point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.activations import Activation

Array = np.ndarray

# a is clipped this far from 0 and 1 inside the logarithms of the cross-entropy, so that a
# saturated sigmoid (a == 1.0 exactly in float64) gives a large but finite cost.
_LOG_EPS = 1e-12


@dataclass(frozen=True)
class Cost:
    """A cost C(a^L, y) averaged over examples, with ∇_a C_x and δ^L."""

    name: str
    label: str
    equation: str
    title: str  # how the app names C in headings: the lecture's eq. (2) only for its own cost

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
        if out is None:
            out = np.empty(np.broadcast_shapes(a.shape, y.shape), np.result_type(a, y))
        self.value_and_delta_L(a, y, act.prime_from(z, a, out=tmp), out=out)
        return out

    def value_and_delta_L(self, a: Array, y: Array, sigma_prime: Array, *, out: Array) -> float:
        """C for the batch, and δ^L written into ``out`` given σ'(z^L): what backprop starts
        from. The quadratic cost computes a − y once for both."""
        if self.name == "cross_entropy":
            # (10) with σ = sigmoid: ((a − y)/(a(1 − a))) ⊙ a(1 − a) = a − y
            np.subtract(a, y, out=out)
            return self.value(a, y)
        delta = self.grad_a(a, y, out=out)
        cost = _quadratic(delta)
        # (10) δ^L = ∇_a C ⊙ σ'(z^L)
        delta *= sigma_prime
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
        label="cross-entropy (sigmoid output only)",
        equation=r"C = -\frac{1}{N}\sum_{i=1}^{N}\left[y_i\ln a(x_i) + (1-y_i)\ln(1-a(x_i))\right]",
        title="C, cross-entropy",
    ),
}


def get_cost(name: str) -> Cost:
    """The cost registered under ``name``; a clear ValueError otherwise."""
    try:
        return COSTS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown cost {name!r:.60}; expected one of {sorted(COSTS)}") from None
