"""One step of backpropagation as labelled tables: the numbers of the lecture's steps 1)–5).

The engine computes; this module arranges its numbers into pandas DataFrames (float64, the
engine's values unrounded: the page rounds them for display). Conventions:

- Rows carry the lecture's names, with 1-based indices: "z²₁", "δ³₁", "∂C/∂w²₁₂", "w²₁₂".
- Columns are examples, as in the engine, where a batch's examples are the columns of x.
- δ^l is per example, δ^l = ∂C_x/∂z^l, where C_x = ½‖a^L(x) − y(x)‖² is one example's share of
  the cost (2). The 1/N of C enters only at step 4, where (18) and (19) are averaged over the
  batch: that average is what ``Network.backprop`` returns as ∂C/∂w^l and ∂C/∂b^l.
- The per-example gradients ∂C_x/∂θ of step 4 are the engine's as well: backprop run on that
  one example alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from playground.gradcheck import ParamCheck, gradient_check
from playground.network import Gradients, Network
from ui.notation import sub, sup, symbol, weight_name

# Backprop and a central difference with ε = 1e-6 agree when |analytic − numeric| is at most
# GRAD_ATOL + GRAD_RTOL·|numeric|: truncation (ε² ≈ 1e-12) and rounding (1e-16/ε ≈ 1e-10)
# stay far below it, while a wrong term or a kink crossed by ±ε lands far above it.
GRAD_ATOL = 1e-7
GRAD_RTOL = 1e-5

MEAN_COLUMN = "mean = ∂C/∂θ"
NOW, GRADIENT, AFTER = "now", "∂C/∂θ", "after the step"


# ---------------------------------------------------------------------------- names
def y_name(j: int) -> str:
    return f"y{sub(j)}"


def param_names(net: Network, l: int) -> list[str]:
    """w^l_jk row by row, then b^l_j: the order of ``gradient_check`` and of the tables."""
    k_l, k_prev = net.sizes[l - 1], net.sizes[l - 2]
    weights = [weight_name(l, j, k) for j in range(1, k_l + 1) for k in range(1, k_prev + 1)]
    return weights + [symbol("b", l, j) for j in range(1, k_l + 1)]


def _partial(name: str) -> str:
    return f"∂C/∂{name}"


# ---------------------------------------------------------------------------- the numbers
@dataclass(eq=False)
class Ledger:
    """Everything one step shows: the batch, the weights used, backprop's result, the update."""

    net: Network  # for its activations and cost; its weights may move on after this step
    x: np.ndarray  # (K_1, N)
    y: np.ndarray  # (K_L, N)
    alpha: float
    w: dict[int, np.ndarray]  # w^l as they were for this step (copies)
    b: dict[int, np.ndarray]
    g: Gradients  # backprop on the whole batch (x, y)
    singles: list[Gradients]  # backprop on each example alone: C_x and ∂C_x/∂θ
    new_w: dict[int, np.ndarray] | None  # w^l after (24), or None if it would not be finite
    new_b: dict[int, np.ndarray] | None
    example_names: list[str]
    input_names: list[str]

    @property
    def L(self) -> int:
        return self.net.L

    @property
    def N(self) -> int:
        return self.x.shape[1]

    def sigma_prime(self, l: int) -> np.ndarray:
        """σ'(z^l) per example, as backprop used it."""
        fwd = self.g.forward
        return self.net.act[l].prime_from(fwd.z[l], fwd.a[l])

    def grad_a(self) -> np.ndarray:
        """∇_a C_x per example: the first factor of (10)."""
        return self.net.cost.grad_a(self.g.forward.a[self.L], self.y)

    def back(self, l: int) -> np.ndarray:
        """(w^{l+1})^T δ^{l+1} per example: the first factor of (17)."""
        return self.w[l + 1].T @ self.g.delta[l + 1]


def make_ledger(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    *,
    alpha: float,
    example_names: list[str] | None = None,
    input_names: list[str] | None = None,
) -> Ledger:
    """Run backprop on (x, y), on each example alone, and the update on a copy of ``net``."""
    with np.errstate(all="ignore"):
        g = net.backprop(x, y)
        n = g.forward.a[1].shape[1]
        singles = [g] if n == 1 else [net.backprop(x[:, [i]], y[:, [i]]) for i in range(n)]
        after = net.copy()
        moved = after.apply_gradients(g, alpha)
    return Ledger(
        net=net,
        x=g.forward.a[1],
        y=np.asarray(y, dtype=np.float64),
        alpha=float(alpha),
        w={l: w.copy() for l, w in net.w.items()},
        b={l: b.copy() for l, b in net.b.items()},
        g=g,
        singles=singles,
        new_w={l: w.copy() for l, w in after.w.items()} if moved else None,
        new_b={l: b.copy() for l, b in after.b.items()} if moved else None,
        example_names=list(example_names or [f"example {i + 1}" for i in range(n)]),
        input_names=list(input_names or [f"x{sub(k + 1)}" for k in range(net.sizes[0])]),
    )


def _table(rows: dict[str, np.ndarray], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        np.array([np.asarray(v, dtype=np.float64) for v in rows.values()]),
        index=list(rows),
        columns=columns,
    )


# ---------------------------------------------------------------------------- step 1
def inputs_table(led: Ledger) -> pd.DataFrame:
    """a¹ = x (what each input holds) and the targets y, one column per example."""
    fwd = led.g.forward
    rows = {
        f"{symbol('a', 1, k + 1)} = {name}": fwd.a[1][k] for k, name in enumerate(led.input_names)
    }
    rows |= {y_name(j + 1): led.y[j] for j in range(led.y.shape[0])}
    return _table(rows, led.example_names)


def weights_table(led: Ledger, l: int) -> pd.DataFrame:
    """w^l as a matrix (row j, column k holds w^l_jk) with b^l as a last column."""
    k_prev = led.net.sizes[l - 2]
    columns = [f"k = {k}" for k in range(1, k_prev + 1)] + [f"b{sup(l)}ⱼ"]
    data = np.hstack([led.w[l], led.b[l]])
    return pd.DataFrame(data, index=[f"j = {j + 1}" for j in range(data.shape[0])], columns=columns)


def forward_table(led: Ledger, l: int) -> pd.DataFrame:
    """z^l = w^l a^{l−1} + b^l and a^l = σ(z^l), one column per example."""
    fwd = led.g.forward
    k_l = fwd.z[l].shape[0]
    rows = {symbol("z", l, j + 1): fwd.z[l][j] for j in range(k_l)}
    rows |= {symbol("a", l, j + 1): fwd.a[l][j] for j in range(k_l)}
    return _table(rows, led.example_names)


def cost_row_name(net: Network) -> str:
    if net.cost.name == "quadratic":
        return f"Cₓ = ½‖a{sup(net.L)} − y‖²"
    return "Cₓ (cross-entropy)"


def cost_table(led: Ledger) -> pd.DataFrame:
    """a^L beside y, and each example's own cost C_x; their mean is C of (2)."""
    L, a = led.L, led.g.forward.a[led.L]
    rows = {}
    for j in range(a.shape[0]):
        rows[symbol("a", L, j + 1)] = a[j]
        rows[y_name(j + 1)] = led.y[j]
    rows[cost_row_name(led.net)] = np.array([s.cost for s in led.singles])
    return _table(rows, led.example_names)


# ---------------------------------------------------------------------------- steps 2 and 3
def output_delta_table(led: Ledger) -> pd.DataFrame:
    """(10) δ^L = ∇_a C ⊙ σ'(z^L): both factors and δ^L, one column per example."""
    L = led.L
    grad, prime, delta = led.grad_a(), led.sigma_prime(L), led.g.delta[L]
    k_l = delta.shape[0]
    rows = {_partial(symbol("a", L, j + 1)): grad[j] for j in range(k_l)}
    rows |= {f"σ'({symbol('z', L, j + 1)})": prime[j] for j in range(k_l)}
    rows |= {symbol("δ", L, j + 1): delta[j] for j in range(k_l)}
    return _table(rows, led.example_names)


def hidden_delta_table(led: Ledger, l: int) -> pd.DataFrame:
    """(17) δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l): both factors and δ^l, per example."""
    back, prime, delta = led.back(l), led.sigma_prime(l), led.g.delta[l]
    k_l = delta.shape[0]
    rows = {f"((w{sup(l + 1)})ᵀδ{sup(l + 1)}){sub(j + 1)}": back[j] for j in range(k_l)}
    rows |= {f"σ'({symbol('z', l, j + 1)})": prime[j] for j in range(k_l)}
    rows |= {symbol("δ", l, j + 1): delta[j] for j in range(k_l)}
    return _table(rows, led.example_names)


# ---------------------------------------------------------------------------- steps 4 and 5
def _flat(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.concatenate([w.ravel(), b.ravel()])


def gradient_table(led: Ledger, l: int) -> pd.DataFrame:
    """(18), (19): ∂C_x/∂θ for each example and their mean ∂C/∂θ, for every θ of layer l.

    With one example there is one column, ∂C/∂θ itself."""
    names = [_partial(p) for p in param_names(led.net, l)]
    mean = _flat(led.g.w[l], led.g.b[l])
    if led.N == 1:
        return pd.DataFrame({GRADIENT: mean}, index=names)
    columns = {
        name: _flat(s.w[l], s.b[l]) for name, s in zip(led.example_names, led.singles, strict=True)
    }
    columns[MEAN_COLUMN] = mean
    return pd.DataFrame(columns, index=names)


def update_table(led: Ledger, l: int) -> pd.DataFrame:
    """(24), (25): each w^l_jk and b^l_j now, its ∂C/∂θ, and its value after the step."""
    after = (
        _flat(led.new_w[l], led.new_b[l])
        if led.new_w is not None and led.new_b is not None
        else np.full(led.net.sizes[l - 1] * (led.net.sizes[l - 2] + 1), np.nan)
    )
    return pd.DataFrame(
        {
            NOW: _flat(led.w[l], led.b[l]),
            GRADIENT: _flat(led.g.w[l], led.g.b[l]),
            AFTER: after,
        },
        index=param_names(led.net, l),
    )


# ---------------------------------------------------------------------------- gradient check
def check_gradients(led: Ledger) -> list[ParamCheck]:
    """The engine's gradient check at this step's weights, on this step's data."""
    probe = led.net.copy()
    probe.set_params(led.w, led.b)
    with np.errstate(all="ignore"):
        return gradient_check(probe, led.x, led.y)


def agrees(row: ParamCheck) -> bool:
    return abs(row.analytic - row.numeric) <= GRAD_ATOL + GRAD_RTOL * abs(row.numeric)


def check_table(rows: list[ParamCheck]) -> pd.DataFrame:
    """Backprop's ∂C/∂θ beside the central difference and their relative error, per θ."""
    names = [
        weight_name(r.layer, r.j, r.k) if r.kind == "w" else symbol("b", r.layer, r.j) for r in rows
    ]
    return pd.DataFrame(
        {
            "backprop ∂C/∂θ": [r.analytic for r in rows],
            "finite difference": [r.numeric for r in rows],
            "relative error": [r.rel_error for r in rows],
            "agree": ["✓" if agrees(r) else "✗" for r in rows],
        },
        index=names,
    )


def check_verdict(rows: list[ParamCheck]) -> tuple[bool, str]:
    """(all agree?, one sentence a student can read)."""
    bad = [r for r in rows if not agrees(r)]
    worst = max((r.rel_error for r in rows), default=0.0)
    if not bad:
        return True, (
            f"Backprop and the finite differences agree for all {len(rows)} parameters "
            f"(largest relative error {worst:.1e})."
        )
    names = ", ".join(check_table(bad).index[:4]) + (" …" if len(bad) > 4 else "")
    return False, (
        f"{len(bad)} of {len(rows)} parameters disagree ({names}): some z^l sits on a kink "
        "or a jump of σ, where the derivative backprop uses is not the slope that C has "
        "over ±ε."
    )
