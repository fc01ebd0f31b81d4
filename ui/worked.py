"""One entry of each step 1)–5) worked out with its numbers, for a single example.

Each function returns a list of LaTeX lines; the page puts each into ``st.latex``. The numbers
are the ledger's (the engine's), rounded to 4 significant digits. The entries follow one path
back through the network: z²₁ and a²₁ forward, then δ^L_1 (10), δ^{L−1}_1 (17), ∂C/∂w^{L−1}_1k
and ∂C/∂b^{L−1}_1 (18), (19), and the update of w^{L−1}_1k (24), where k is the input of that
neuron with the largest |a^{L−2}_k| (an input of 0 would make the entry trivially 0).
"""

from __future__ import annotations

import math

import numpy as np

from ui.ledger import Ledger

DIGITS = 4
DELTA = r"\delta"


def num(v: float) -> str:
    """v to 4 significant digits in LaTeX: 0.1235, -3.2\\times10^{-5}."""
    v = float(v)
    if math.isnan(v):
        return r"\text{nan}"
    if math.isinf(v):
        return r"\infty" if v > 0 else r"-\infty"
    text = f"{v:.{DIGITS}g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        return rf"{mantissa}\times10^{{{int(exp)}}}"
    return text


def factor(v: float) -> str:
    """A number as a factor of a product: negative numbers in parentheses."""
    return f"({num(v)})" if float(v) < 0 else num(v)


def _sym(name: str, l: int, idx: int | str) -> str:
    return f"{name}^{{{l}}}_{{{idx}}}"


def _idx(j: int, k: int) -> str:
    return f"{j}{k}" if j < 10 and k < 10 else f"{j},{k}"


def _column(v: np.ndarray) -> float:
    return float(v[0])


def forward(led: Ledger, l: int = 2, j: int = 1) -> list[str]:
    """z^l_j = Σ_k w^l_jk a^{l−1}_k + b^l_j, then a^l_j = σ(z^l_j), with the numbers."""
    fwd = led.g.forward
    a_prev = fwd.a[l - 1][:, 0]
    w, b = led.w[l][j - 1], float(led.b[l][j - 1, 0])
    terms = " + ".join(
        _sym("w", l, _idx(j, k + 1)) + _sym("a", l - 1, k + 1) for k in range(len(a_prev))
    )
    numbers = " + ".join(rf"{factor(w[k])}\cdot{factor(a_prev[k])}" for k in range(len(a_prev)))
    z, a = float(fwd.z[l][j - 1, 0]), float(fwd.a[l][j - 1, 0])
    zs, az = _sym("z", l, j), _sym("a", l, j)
    return [
        rf"{zs} = {terms} + {_sym('b', l, j)} = {numbers} + {factor(b)} = {num(z)}",
        rf"{az} = \sigma({zs}) = \sigma({num(z)}) = {num(a)}",
    ]


def output_delta(led: Ledger, j: int = 1) -> list[str]:
    """(10) for one output neuron: δ^L_j = ∂C/∂a^L_j · σ'(z^L_j), with the numbers."""
    L = led.L
    a, y = float(led.g.forward.a[L][j - 1, 0]), float(led.y[j - 1, 0])
    delta = float(led.g.delta[L][j - 1, 0])
    ds, az = _sym(DELTA, L, j), _sym("a", L, j)
    if led.net.cost.name != "quadratic":
        # cross-entropy with a sigmoid output: (10) simplifies to δ^L = a^L − y
        return [rf"{ds} = {az} - y_{{{j}}} = {num(a)} - {factor(y)} = {num(delta)}"]
    prime = _column(led.sigma_prime(L)[j - 1])
    return [
        rf"{ds} = ({az} - y_{{{j}}})\,\sigma'({_sym('z', L, j)}) = "
        rf"({num(a)} - {factor(y)})\cdot {factor(prime)} = {num(delta)}"
    ]


def hidden_delta(led: Ledger, l: int, j: int = 1) -> list[str]:
    """(16)/(17) for one hidden neuron: δ^l_j = (Σ_k w^{l+1}_kj δ^{l+1}_k) σ'(z^l_j)."""
    w_next, d_next = led.w[l + 1][:, j - 1], led.g.delta[l + 1][:, 0]
    terms = " + ".join(
        _sym("w", l + 1, _idx(k + 1, j)) + _sym(DELTA, l + 1, k + 1) for k in range(len(d_next))
    )
    numbers = " + ".join(
        rf"{factor(w_next[k])}\cdot{factor(d_next[k])}" for k in range(len(d_next))
    )
    prime = _column(led.sigma_prime(l)[j - 1])
    delta = float(led.g.delta[l][j - 1, 0])
    return [
        rf"{_sym(DELTA, l, j)} = \big({terms}\big)\,\sigma'({_sym('z', l, j)}) = "
        rf"\big({numbers}\big)\cdot {factor(prime)} = {num(delta)}"
    ]


def strongest_input(led: Ledger, l: int) -> int:
    """k (1-based) with the largest |a^{l−1}_k| for the first example: the entry to work out."""
    return int(np.argmax(np.abs(led.g.forward.a[l - 1][:, 0]))) + 1


def gradient(led: Ledger, l: int, j: int = 1) -> list[str]:
    """(18) and (19) for one neuron: ∂C/∂w^l_jk = δ^l_j a^{l−1}_k and ∂C/∂b^l_j = δ^l_j."""
    k = strongest_input(led, l)
    delta = float(led.g.delta[l][j - 1, 0])
    a_prev = float(led.g.forward.a[l - 1][k - 1, 0])
    dw, db = float(led.g.w[l][j - 1, k - 1]), float(led.g.b[l][j - 1, 0])
    ds = _sym(DELTA, l, j)
    return [
        rf"\frac{{\partial C}}{{\partial {_sym('w', l, _idx(j, k))}}} = {ds}\,"
        rf"{_sym('a', l - 1, k)} = {factor(delta)}\cdot{factor(a_prev)} = {num(dw)}",
        rf"\frac{{\partial C}}{{\partial {_sym('b', l, j)}}} = {ds} = {num(db)}",
    ]


def update(led: Ledger, l: int, j: int = 1) -> list[str]:
    """(24) for the same weight: w^l_jk − α ∂C/∂w^l_jk, with the numbers."""
    k = strongest_input(led, l)
    ws = _sym("w", l, _idx(j, k))
    old, grad = float(led.w[l][j - 1, k - 1]), float(led.g.w[l][j - 1, k - 1])
    new = float(led.new_w[l][j - 1, k - 1]) if led.new_w is not None else math.nan
    return [
        rf"{ws} \leftarrow {ws} - \alpha\,\frac{{\partial C}}{{\partial {ws}}} = "
        rf"{num(old)} - {num(led.alpha)}\cdot{factor(grad)} = {num(new)}"
    ]
