"""σ(z) and σ'(z) for the lecture's activations, side by side (lecture §I.A, Fig. 2).

σ and σ' come from the engine (``playground.activations.ACTIVATIONS``); nothing is re-derived
here. Where σ or σ' jumps (sign at 0, ReLU' at 0) the line is broken instead of drawn as a
steep segment, and sign(0) = 0 gets its own dot. This figure is drawn once, not per frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from playground.activations import LECTURE_ACTIVATIONS, get_activation
from ui.figures.encode import typed
from ui.figures.style import (
    MUTED,
    SIGMA_COLOR,
    SIGMA_PRIME_COLOR,
    TICK_FONT_SIZE,
    axis,
    base_layout,
    legend_top,
    panel_domains,
    panel_title,
)

_N = 801  # points per curve; odd, so z = 0 is one of them when the range is symmetric
_GAP = 0.08  # horizontal space between panels, as a fraction of the width


def activation_figure(
    names: Sequence[str] = LECTURE_ACTIVATIONS,
    z_range: tuple[float, float] = (-4.0, 4.0),
    *,
    height: int = 320,
    title: str | None = None,
) -> dict[str, Any]:
    """One panel per activation: σ(z) solid, σ'(z) dashed, over z_range."""
    if not names:
        raise ValueError("names must name at least one activation")
    lo, hi = (float(v) for v in z_range)
    if not hi > lo:
        raise ValueError(f"z_range must be (lo, hi) with lo < hi, got {z_range}")
    acts = [get_activation(n) for n in names]
    z = np.linspace(lo, hi, _N)
    n = len(acts)

    data: list[dict[str, Any]] = []
    layout = base_layout(height=height, title=title, uirevision="activations")
    layout["margin"].update({"t": (64 if title else 30) + 44, "l": 40, "r": 8, "b": 48})
    annotations = []
    for i, act in enumerate(acts):
        suffix = "" if i == 0 else str(i + 1)
        xref, yref = f"x{suffix}", f"y{suffix}"
        a = act.sigma(z)
        da = act.sigma_prime(z)
        for values, label, line in (
            (a, "σ(z)", {"color": SIGMA_COLOR, "width": 3.5}),
            (da, "σ'(z)", {"color": SIGMA_PRIME_COLOR, "width": 3.5, "dash": "dash"}),
        ):
            x, y = _break_jumps(z, values)
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": label,
                    "legendgroup": label,
                    "showlegend": i == 0,
                    "x": typed(x),
                    "y": typed(y),
                    "xaxis": xref,
                    "yaxis": yref,
                    "line": line,
                    "hovertemplate": f"{act.name}: {label.replace('z', '%{x:.2f}')}"
                    " = %{y:.3f}<extra></extra>",
                }
            )
        if act.name == "sign":
            # sign(0) = 0: the one value the two flat pieces do not show
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": "sign(0) = 0",
                    "showlegend": False,
                    "x": [0.0],
                    "y": [0.0],
                    "xaxis": xref,
                    "yaxis": yref,
                    "marker": {"color": SIGMA_COLOR, "size": 10},
                    "hovertemplate": "sign(0) = 0<extra></extra>",
                }
            )
            annotations.append(
                {
                    "text": "σ'(z) = 0 for every z ≠ 0",
                    "xref": xref,
                    "yref": yref,
                    "x": 0,
                    "y": -0.5,
                    "showarrow": False,
                    "font": {"color": SIGMA_PRIME_COLOR, "size": TICK_FONT_SIZE},
                    "bgcolor": "rgba(255,255,255,0.85)",
                }
            )
        y_lo = min(float(np.nanmin(a)), float(np.nanmin(da)), 0.0)
        y_hi = max(float(np.nanmax(a)), float(np.nanmax(da)), 1.0)
        pad = 0.1 * (y_hi - y_lo)
        domain = panel_domains(n, _GAP)[i]
        layout[f"xaxis{suffix}"] = axis(
            "z",
            domain=domain,
            anchor=yref,
            range=[lo, hi],
            zeroline=True,
            zerolinecolor="#cccccc",
        )
        layout[f"yaxis{suffix}"] = axis(
            None,
            anchor=xref,
            range=[y_lo - pad, y_hi + pad],
            zeroline=True,
            zerolinecolor="#cccccc",
            showgrid=True,
            gridcolor="#eeeeee",
        )
        name, _, formula = act.label.partition("  ")
        annotations.append(
            panel_title(
                f"<b>{name}</b><br><span style='color:{MUTED}'>{formula.strip()}</span>", domain
            )
        )
    layout["annotations"] = annotations
    layout["showlegend"] = True
    layout["legend"] = legend_top(yref="container", y=1.0, yanchor="top")
    layout["hovermode"] = "closest"
    return {"data": data, "layout": layout}


def _break_jumps(z: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(z, values) with a NaN inserted wherever values jump (a step much larger than the rest).

    A smooth curve on this grid changes by at most a few hundredths between neighbours; a jump
    (sign: 2, ReLU': 1) would otherwise be drawn as a vertical line that is not part of σ.
    """
    v = np.asarray(values, dtype=np.float64)
    step = np.abs(np.diff(v))
    jumps = np.flatnonzero(step > 0.25)
    if not jumps.size:
        return z, v
    x = np.insert(z, jumps + 1, np.nan)
    y = np.insert(v, jumps + 1, np.nan)
    return x, y
