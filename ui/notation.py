"""The lecture's notation and the number formats every page shares: one of each, here.

Symbols: layer numbers are superscripts and neuron indices subscripts, in Unicode for plain text
and labels (w³₁₂, b²₁, δ³₁) and in LaTeX for the equations (w^{3}_{12}); j and k are 1-based,
as on the lecture's slides.

Numbers: a diverging run's cost reaches 1e115 and an uploaded point may lie at 1e300; printed with
a fixed number of decimals they ran off the page as numbers of a hundred digits and more.

- ``human`` is the rule for the numbers the server writes (the Playground's tiles, its notes);
  ``HOVER`` and ``COORD`` are the same rule in plotly's d3-format for hover labels, which the
  browser formats;
- ``number`` writes a value into a label (a weight on its link, a point's coordinates);
- ``latex_number`` and ``latex_factor`` write it into an equation.

σ in LaTeX (``sigma_latex``) and the activations' display names (``activation_name``) follow
the engine's registry (``playground.activations``): what it calls "ReLU" the pages do too.
"""

from __future__ import annotations

import math
import re

from playground.activations import get_output_activation

# ---------------------------------------------------------------------------------------------
# Symbols

_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUB = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")


def sup(n: int | str) -> str:
    """n in Unicode superscript digits: sup(3) == "³" (layer numbers, as in w³, δ²)."""
    return str(n).translate(_SUP)


def sub(n: int | str) -> str:
    """n in Unicode subscript digits: sub(12) == "₁₂"."""
    return str(n).translate(_SUB)


def index_pair(j: int, k: int) -> str:
    """The indices jk of w^l_jk: "12", or "11,2" once j or k has two digits (so that w^l_{11,2}
    and w^l_{1,12} differ)."""
    return f"{j}{k}" if j < 10 and k < 10 else f"{j},{k}"


def symbol(letter: str, l: int, j: int) -> str:
    """A neuron's quantity in layer l: symbol("z", 2, 1) == "z²₁" (b, z, a, δ)."""
    return f"{letter}{sup(l)}{sub(j)}"


def weight_name(l: int, j: int, k: int) -> str:
    """The lecture's w^l_jk with 1-based j, k: "w³₁₂"; "w³₁₁,₂" once j or k has two digits."""
    return f"w{sup(l)}{sub(index_pair(j, k))}"


def latex_symbol(letter: str, l: int | str, index: int | str) -> str:
    """The same in LaTeX: latex_symbol("w", 3, "12") == "w^{3}_{12}" (letter may be a command)."""
    return f"{letter}^{{{l}}}_{{{index}}}"


# ---------------------------------------------------------------------------------------------
# Numbers

FIXED = (1e-4, 1e6)  # |v| in this range keeps its fixed decimals; outside, 3 significant digits
HOVER = ".4~g"  # d3: 4 significant digits, no trailing zeros, an exponent for huge or tiny
COORD = ".3~g"  # d3: a coordinate, 3 significant digits
NO_NUMBER = "—"  # what stands where there is no finite number to show


def human(v: float | None, spec: str = ".4f") -> str:
    """``v`` formatted with ``spec`` when that stays short; "6.95e+112" or "3.2e-07" when
    not; "—" when there is no finite number to show."""
    if v is None or not math.isfinite(v):
        return NO_NUMBER
    if v != 0 and not FIXED[0] <= abs(v) < FIXED[1]:
        return f"{v:.3g}"
    return format(v, spec)


def number(v: float, digits: int = 3) -> str:
    """A number for a label: ``digits`` significant digits, a true minus sign, no "-0", "—"
    when not finite."""
    if not math.isfinite(v):
        return NO_NUMBER
    return f"{float(v) + 0.0:.{digits}g}".replace("-", "−")


def latex_number(v: float, digits: int = 3) -> str:
    """A number for an equation: ``digits`` significant digits, 1.5e-07 as 1.5\\times 10^{-7},
    no "-0"; \\infty for infinities and "—" for NaN."""
    v = float(v)
    if math.isnan(v):
        return rf"\text{{{NO_NUMBER}}}"
    if math.isinf(v):
        return r"\infty" if v > 0 else r"-\infty"
    text = f"{v + 0.0:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


def latex_factor(v: float, digits: int = 3) -> str:
    """``latex_number`` as a factor of a product: a negative number in parentheses."""
    text = latex_number(v, digits)
    return f"({text})" if float(v) < 0 else text


# ---------------------------------------------------------------------------------------------
# Activations

#: σ(z) of each activation as the pages write it, with {z} where the argument goes.
SIGMA_LATEX = {
    "sigmoid": r"\frac{{1}}{{1+e^{{-{z}}}}}",
    "sign": r"\operatorname{{sign}}({z})",
    "tanh": r"\tanh({z})",
    "relu": r"\max(0,\ {z})",
    "linear": "{z}",
}
_BARE = re.compile(r"[\w.]+")  # a symbol or a non-negative number: e^{-z} needs no parentheses


def sigma_latex(activation: str, z: float | str = "z") -> str:
    """σ(z) as LaTeX with the argument put in: a number (written by ``latex_number``) or a
    LaTeX expression (a sum, say). In the sigmoid's e^{-z} a negative or compound z gets
    parentheses."""
    arg = z if isinstance(z, str) else latex_number(z)
    if activation == "sigmoid" and not _BARE.fullmatch(arg):
        arg = f"({arg})"
    return SIGMA_LATEX[activation].format(z=arg)


def activation_name(name: str) -> str:
    """The display name of an activation ("ReLU" for "relu"), as the engine's label starts."""
    return get_output_activation(name).label.partition("  ")[0]
