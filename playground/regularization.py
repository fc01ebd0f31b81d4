"""L1 and L2 regularisation: a penalty on the weights, added to C and to the update (24).

TensorFlow Playground's ``regularization`` (none, L1, L2) and ``regularizationRate`` λ, written
into the cost honestly:

    C = C_0 + R(w),   L2: R = (λ/2) Σ_l Σ_jk (w^l_jk)²,   L1: R = λ Σ_l Σ_jk |w^l_jk|

C_0 is the cost of the data ((2), or the cross-entropy). The sums run over every weight of
every layer l = 2 … L and never over a bias, as is standard: a bias moves a neuron's threshold
and makes no layer more sensitive to its inputs. λ multiplies R as it stands, not λ/n as in
Nielsen's C = C_0 + (λ/2n) Σ w², so that a rate means the same whatever the number of training
examples or the batch size, as in TensorFlow Playground.

Only (24) changes; δ^l and (25) do not, since R depends on no z^l and no b^l:

    L2: w^l_jk ← w^l_jk − α (∂C_0/∂w^l_jk + λ w^l_jk)        every weight shrinks by αλ w
    L1: w^l_jk ← w^l_jk − α (∂C_0/∂w^l_jk + λ sign(w^l_jk))  every weight moves αλ toward 0

|w| has no derivative at w = 0; sign(0) = 0 is taken there (a subgradient), so a weight that is
exactly 0 feels no L1 pull, and one within αλ of 0 steps over it and back: gradient descent on
C as written. (TensorFlow Playground sets such a weight to 0 instead, which is not (24).)
Finite differences agree with the L1 gradient only away from w = 0.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class RegularizationInfo:
    """How the app names a regularisation and writes its term of C and its update (LaTeX)."""

    name: str
    label: str
    penalty: str  # R(w), the term added to C
    update: str  # (24) with the extra term


_DC0 = r"\frac{\partial C_0}{\partial w}"
REGULARIZATIONS: dict[str, RegularizationInfo] = {
    i.name: i
    for i in (
        RegularizationInfo("none", "none", "R = 0", rf"w \leftarrow w - \alpha {_DC0}"),
        RegularizationInfo(
            "l1",
            "L1  R = λ Σ|w|",
            r"R = \lambda \sum_{l}\sum_{jk} \lvert w^l_{jk}\rvert",
            rf"w \leftarrow w - \alpha\left({_DC0} + \lambda\,\mathrm{{sign}}(w)\right)",
        ),
        RegularizationInfo(
            "l2",
            "L2  R = (λ/2) Σw²",
            r"R = \frac{\lambda}{2} \sum_{l}\sum_{jk} \left(w^l_{jk}\right)^2",
            rf"w \leftarrow w - \alpha\left({_DC0} + \lambda\, w\right)",
        ),
    )
}


@dataclass(frozen=True)
class Regularization:
    """A regularisation ``name`` ("none", "l1", "l2") with rate λ = ``rate`` ≥ 0.

    The rate is kept with "none" (it then adds nothing), so that switching L2 off and on again
    keeps the λ a student chose, as TensorFlow Playground's two controls do.
    """

    name: str = "none"
    rate: float = 0.0
    active: bool = field(init=False, repr=False)  # True when it adds anything: L1/L2 and λ > 0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or self.name not in REGULARIZATIONS:
            raise ValueError(
                f"unknown regularisation {self.name!r:.60}; expected one of {list(REGULARIZATIONS)}"
            )
        rate = _finite(self.rate)
        if rate is None or rate < 0:
            raise ValueError(
                f"regularisation rate λ must be a finite number ≥ 0, got {self.rate!r:.60}"
            )
        object.__setattr__(self, "rate", rate)
        object.__setattr__(self, "active", self.name != "none" and self.rate > 0)

    @property
    def info(self) -> RegularizationInfo:
        return REGULARIZATIONS[self.name]

    def penalty(self, w: Array) -> float:
        """R(w) for the weights ``w`` (every w^l_jk, in any shape)."""
        if not self.active:
            return 0.0
        if self.name == "l2":
            # R = (λ/2) Σ w²
            return 0.5 * self.rate * float(np.vdot(w, w))
        # R = λ Σ |w|
        return self.rate * float(np.sum(np.abs(w)))

    def gradient(self, w: Array) -> Array:
        """∂R/∂w: λ w for L2, λ sign(w) for L1 (sign(0) = 0), zeros without regularisation."""
        if not self.active:
            return np.zeros_like(w)
        if self.name == "l2":
            return self.rate * w
        return self.rate * np.sign(w)


def _finite(value: object) -> float | None:
    """``value`` as a finite float, or None if it is not a finite real number (bool included:
    True is not a rate; an int beyond float's range is not finite)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    try:
        v = float(value)
    except OverflowError:
        return None
    return v if math.isfinite(v) else None
