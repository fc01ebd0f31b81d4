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

from ui.lecture.ledger import Ledger
from ui.notation import index_pair, latex_factor, latex_number
from ui.notation import latex_symbol as sym  # w^{l}_{jk}: short, the lines are long

DIGITS = 4
DELTA = r"\delta"


def num(v: float) -> str:
    """A number of an entry: ``notation.latex_number`` to DIGITS significant digits."""
    return latex_number(v, DIGITS)


def factor(v: float) -> str:
    """A number as a factor of a product: ``notation.latex_factor`` to DIGITS digits."""
    return latex_factor(v, DIGITS)


def _column(v: np.ndarray) -> float:
    return float(v[0])


def forward(led: Ledger, l: int = 2, j: int = 1) -> list[str]:
    """z^l_j = Σ_k w^l_jk a^{l−1}_k + b^l_j, then a^l_j = σ(z^l_j), with the numbers."""
    fwd = led.g.forward
    a_prev = fwd.a[l - 1][:, 0]
    w, b = led.w[l][j - 1], float(led.b[l][j - 1, 0])
    terms = " + ".join(
        sym("w", l, index_pair(j, k + 1)) + sym("a", l - 1, k + 1) for k in range(len(a_prev))
    )
    numbers = " + ".join(rf"{factor(w[k])}\cdot{factor(a_prev[k])}" for k in range(len(a_prev)))
    z, a = float(fwd.z[l][j - 1, 0]), float(fwd.a[l][j - 1, 0])
    zs, az = sym("z", l, j), sym("a", l, j)
    return [
        rf"{zs} = {terms} + {sym('b', l, j)} = {numbers} + {factor(b)} = {num(z)}",
        rf"{az} = \sigma({zs}) = \sigma({num(z)}) = {num(a)}",
    ]


def output_delta(led: Ledger, j: int = 1) -> list[str]:
    """(10) for one output neuron: δ^L_j = ∂C/∂a^L_j · σ'(z^L_j), with the numbers."""
    L = led.L
    a, y = float(led.g.forward.a[L][j - 1, 0]), float(led.y[j - 1, 0])
    delta = float(led.g.delta[L][j - 1, 0])
    ds, az = sym(DELTA, L, j), sym("a", L, j)
    if led.net.cost.name != "quadratic":
        # cross-entropy with a sigmoid output: (10) simplifies to δ^L = a^L − y
        return [rf"{ds} = {az} - y_{{{j}}} = {num(a)} - {factor(y)} = {num(delta)}"]
    prime = _column(led.sigma_prime(L)[j - 1])
    return [
        rf"{ds} = ({az} - y_{{{j}}})\,\sigma'({sym('z', L, j)}) = "
        rf"({num(a)} - {factor(y)})\cdot {factor(prime)} = {num(delta)}"
    ]


def hidden_delta(led: Ledger, l: int, j: int = 1) -> list[str]:
    """(16)/(17) for one hidden neuron: δ^l_j = (Σ_k w^{l+1}_kj δ^{l+1}_k) σ'(z^l_j)."""
    w_next, d_next = led.w[l + 1][:, j - 1], led.g.delta[l + 1][:, 0]
    terms = " + ".join(
        sym("w", l + 1, index_pair(k + 1, j)) + sym(DELTA, l + 1, k + 1) for k in range(len(d_next))
    )
    numbers = " + ".join(
        rf"{factor(w_next[k])}\cdot{factor(d_next[k])}" for k in range(len(d_next))
    )
    prime = _column(led.sigma_prime(l)[j - 1])
    delta = float(led.g.delta[l][j - 1, 0])
    return [
        rf"{sym(DELTA, l, j)} = \big({terms}\big)\,\sigma'({sym('z', l, j)}) = "
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
    ds = sym(DELTA, l, j)
    return [
        rf"\frac{{\partial C}}{{\partial {sym('w', l, index_pair(j, k))}}} = {ds}\,"
        rf"{sym('a', l - 1, k)} = {factor(delta)}\cdot{factor(a_prev)} = {num(dw)}",
        rf"\frac{{\partial C}}{{\partial {sym('b', l, j)}}} = {ds} = {num(db)}",
    ]


def update(led: Ledger, l: int, j: int = 1) -> list[str]:
    """(24) for the same weight: w^l_jk − α ∂C/∂w^l_jk, with the numbers."""
    k = strongest_input(led, l)
    ws = sym("w", l, index_pair(j, k))
    old, grad = float(led.w[l][j - 1, k - 1]), float(led.g.w[l][j - 1, k - 1])
    new = float(led.new_w[l][j - 1, k - 1]) if led.new_w is not None else math.nan
    return [
        rf"{ws} \leftarrow {ws} - \alpha\,\frac{{\partial C}}{{\partial {ws}}} = "
        rf"{num(old)} - {num(led.alpha)}\cdot{factor(grad)} = {num(new)}"
    ]


# ---------------------------------------------------------------------------------------------
# Where (10) and (17) come from: the lecture's chain-rule steps (6)–(9) and (11)–(16), each line
# with the numbers of one entry (the first example's, when the page shows a batch).


def tag(n: int | str, space: str = r"\qquad") -> str:
    """The lecture's equation number after a line: (n), as text (KaTeX's \\tag would be placed
    at the right edge of a box only as wide as the formula, over the formula itself)."""
    return rf"{space}\text{{({n})}}"


def _partial(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def output_delta_steps(led: Ledger, j: int = 1) -> list[str]:
    """(6)–(9) for δ^L_j: the definition, the chain rule over the outputs a^L_k, the one
    term that survives, and σ'(z^L_j) put in; each line ends with its number."""
    L, fwd = led.L, led.g.forward
    K = fwd.a[L].shape[0]
    grad = led.grad_a()[:, 0]
    prime = led.sigma_prime(L)[:, 0]
    delta = float(led.g.delta[L][j - 1, 0])
    ds, zs = sym(DELTA, L, j), sym("z", L, j)
    da = [_partial("C", sym("a", L, k + 1)) for k in range(K)]
    # ∂a^L_k/∂z^L_j is σ'(z^L_j) for k = j and 0 for every other output
    slope = [float(prime[j - 1]) if k == j - 1 else 0.0 for k in range(K)]
    terms = " + ".join(rf"{factor(grad[k])}\cdot{factor(slope[k])}" for k in range(K))
    a, y = float(fwd.a[L][j - 1, 0]), float(led.y[j - 1, 0])
    aj, yj = sym("a", L, j), f"y_{{{j}}}"
    if led.net.cost.name == "quadratic":
        grad_is = rf"({aj} - {yj})"
        numbers = rf"({num(a)} - {factor(y)})\cdot {factor(prime[j - 1])}"
    else:  # cross-entropy with a sigmoid output: the two factors cancel
        grad_is = rf"\frac{{{aj} - {yj}}}{{{aj}(1 - {aj})}}"
        numbers = (
            rf"{aj}(1-{aj})\cdot\frac{{{aj} - {yj}}}{{{aj}(1 - {aj})}} = {num(a)} - {factor(y)}"
        )
    return [
        rf"{ds} = {_partial('C', zs)} = {num(delta)}{tag(6)}",
        rf"{ds} = \sum_k {_partial('C', sym('a', L, 'k'))}\,"
        rf"{_partial(sym('a', L, 'k'), zs)} = {terms} = {num(delta)}{tag(7)}",
        rf"{ds} = {da[j - 1]}\,{_partial(aj, zs)} = {factor(grad[j - 1])}\cdot"
        rf"{factor(prime[j - 1])} = {num(delta)}{tag(8)}",
        rf"{ds} = {da[j - 1]}\,\sigma'({zs}) = {grad_is}\,\sigma'({zs}) = {numbers}"
        rf" = {num(delta)}{tag(9)}",
    ]


def hidden_delta_steps(led: Ledger, l: int, j: int = 1) -> list[str]:
    """(11)–(16) for δ^l_j: the definition, the chain rule over the next layer's z^{l+1}_k,
    the factors swapped, z^{l+1}_k written out, its slope, and the result; with numbers."""
    fwd = led.g.forward
    w_next = led.w[l + 1]  # (K_{l+1}, K_l)
    d_next = led.g.delta[l + 1][:, 0]
    K, J = w_next.shape
    prime = float(led.sigma_prime(l)[j - 1, 0])
    slope = [float(w_next[k, j - 1]) * prime for k in range(K)]  # (15), one per k
    delta = float(led.g.delta[l][j - 1, 0])
    ds, zs = sym(DELTA, l, j), sym("z", l, j)
    zk = sym("z", l + 1, "k")
    chain = " + ".join(rf"{factor(d_next[k])}\cdot{factor(slope[k])}" for k in range(K))
    swapped = " + ".join(rf"{factor(slope[k])}\cdot{factor(d_next[k])}" for k in range(K))
    # (14) for k = 1: z^{l+1}_1 = Σ_i w^{l+1}_1i σ(z^l_i) + b^{l+1}_1
    a, b = fwd.a[l][:, 0], float(led.b[l + 1][0, 0])
    z_terms = " + ".join(rf"{factor(w_next[0, i])}\cdot{factor(a[i])}" for i in range(J))
    z1 = float(fwd.z[l + 1][0, 0])
    slopes = r",\quad ".join(
        rf"{_partial(sym('z', l + 1, k + 1), zs)} = {sym('w', l + 1, index_pair(k + 1, j))}\,"
        rf"\sigma'({zs}) = {factor(w_next[k, j - 1])}\cdot{factor(prime)} = {num(slope[k])}"
        for k in range(K)
    )
    return [
        rf"{ds} = {_partial('C', zs)} = {num(delta)}{tag(11)}",
        rf"= \sum_k {_partial('C', zk)}\,{_partial(zk, zs)} = {chain} = {num(delta)}{tag(12)}",
        rf"= \sum_k {_partial(zk, zs)}\,{sym(DELTA, l + 1, 'k')} = {swapped} = {num(delta)}"
        + tag(13),
        rf"{zk} = \sum_i {sym('w', l + 1, 'ki')}\,\sigma({sym('z', l, 'i')}) + "
        rf"{sym('b', l + 1, 'k')}:\quad {sym('z', l + 1, 1)} = {z_terms} + {factor(b)}"
        rf" = {num(z1)}{tag(14)}",
        rf"{slopes}{tag(15)}",
        *[line + tag(16) for line in hidden_delta(led, l, j)],
    ]
