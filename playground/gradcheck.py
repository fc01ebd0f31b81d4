"""Checking backpropagation against finite differences, parameter by parameter.

For each w^l_jk (and b^l_j) the cost is evaluated with that one parameter moved by ±ε:

    ∂C/∂θ ≈ (C(θ + ε) − C(θ − ε)) / (2ε)

and compared with what backprop's (18), (19) gave. The relative error
|analytic − numeric| / max(|analytic| + |numeric|, tiny) is about 1e-8 or less when both agree;
a sign activation gives analytic 0 and numeric 0 away from its jump (and a huge numeric value
across it), a ReLU kink gives a disagreement only when some z sits within ε of 0. C includes the
regularisation term R(w) when the network has one; L1's |w| has a kink at w = 0 like ReLU's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.network import Network

DEFAULT_EPS = 1e-6
_TINY = 1e-12


@dataclass(frozen=True)
class ParamCheck:
    """One parameter: its lecture name, backprop's value, the finite difference, their gap."""

    name: str  # "w^2_11" or "b^3_1": 1-based j, k as in the lecture
    layer: int
    kind: str  # "w" or "b"
    j: int
    k: int | None
    analytic: float
    numeric: float

    @property
    def rel_error(self) -> float:
        gap = abs(self.analytic - self.numeric)
        return gap / max(abs(self.analytic) + abs(self.numeric), _TINY)


def gradient_check(
    net: Network, x: np.ndarray, y: np.ndarray, *, eps: float = DEFAULT_EPS
) -> list[ParamCheck]:
    """Every parameter's analytic and central-difference gradient; ``net`` is left unchanged."""
    if not (np.isfinite(eps) and 0 < eps < 1):
        raise ValueError(f"eps must be in (0, 1), got {eps!r}")
    x, y = net.check_xy(x, y)
    g = net._backprop(x, y)
    probe = net.copy()
    rows = []
    for l in range(2, net.L + 1):
        for kind, params, grads in (("w", probe.w, g.w), ("b", probe.b, g.b)):
            arr = params[l]
            for (j, k), analytic in np.ndenumerate(grads[l]):
                keep = arr[j, k]
                arr[j, k] = keep + eps
                c_plus = _cost(probe, x, y)
                arr[j, k] = keep - eps
                c_minus = _cost(probe, x, y)
                arr[j, k] = keep
                name = f"w^{l}_{j + 1}{k + 1}" if kind == "w" else f"b^{l}_{j + 1}"
                rows.append(
                    ParamCheck(
                        name=name,
                        layer=l,
                        kind=kind,
                        j=j + 1,
                        k=k + 1 if kind == "w" else None,
                        analytic=float(analytic),
                        numeric=(c_plus - c_minus) / (2 * eps),
                    )
                )
    return rows


def _cost(net: Network, x: np.ndarray, y: np.ndarray) -> float:
    # C = C_0 + R(w): the data's cost and the regularisation term (0 without one)
    return net.cost.value(net._feedforward(x).output, y) + net.penalty()


def max_rel_error(rows: list[ParamCheck]) -> float:
    return max((r.rel_error for r in rows), default=0.0)
