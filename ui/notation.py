"""Numbers for a person: short, whatever their size.

A diverging run's cost reaches 1e115 and an uploaded point may lie at 1e300; printed with a fixed
number of decimals they ran off the page as numbers of a hundred digits and more. ``human`` is
the rule for the numbers the server writes (the Playground's tiles, its notes); ``HOVER`` and
``COORD`` are the same rule in plotly's d3-format for hover labels, which the browser formats.
"""

from __future__ import annotations

import math

FIXED = (1e-4, 1e6)  # |v| in this range keeps its fixed decimals; outside, 3 significant digits
HOVER = ".4~g"  # d3: 4 significant digits, no trailing zeros, an exponent for huge or tiny
COORD = ".3~g"  # d3: a coordinate, 3 significant digits


def human(v: float | None, spec: str = ".4f") -> str:
    """``v`` formatted with ``spec`` when that stays short; "6.95e+112" or "3.2e-07" when
    not; "—" when there is no finite number to show."""
    if v is None or not math.isfinite(v):
        return "—"
    if v != 0 and not FIXED[0] <= abs(v) < FIXED[1]:
        return f"{v:.3g}"
    return format(v, spec)


_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUB = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")


def sup(n: int | str) -> str:
    """n in Unicode superscript digits: sup(3) == "³" (layer numbers, as in w³, δ²)."""
    return str(n).translate(_SUP)


def sub(n: int | str) -> str:
    """n in Unicode subscript digits: sub(12) == "₁₂"."""
    return str(n).translate(_SUB)


def weight_name(l: int, j: int, k: int) -> str:
    """The lecture's w^l_jk with 1-based j, k: "w³₁₂"; "w³₁₁,₂" once j or k has two digits."""
    jk = f"{sub(j)}{sub(k)}" if j < 10 and k < 10 else f"{sub(j)},{sub(k)}"
    return f"w{sup(l)}{jk}"
