"""Curves over training steps: the cost C and, per layer, the size of the error δ^l.

The cost chart is C on the training and test sets after each step: the quadratic cost of eq. (2)
or the cross-entropy, named as it is (``playground.costs.Cost.title``).

The δ chart has three views (``DELTA_VIEWS``):

- "gradient": ‖∂C/∂b^l‖ = ‖batch mean of δ^l‖ (eq. 19), how fast the biases of layer l move.
  The batch mean can cancel: signs differ between examples, and the output bias quickly learns
  to make the mean of δ^L about 0, so these lines cross and wander.
- "relative": ‖δ^l‖ ÷ ‖δ^L‖, where ‖δ^l‖ is the root mean square over the examples of ‖δ^l_x‖
  (nothing cancels): how much of the output's error reaches layer l. By (17) each δ^l is
  δ^{l+1} pushed back through (w^{l+1})^T and multiplied by σ'(z^l), so with sigmoid layers the
  lines fan out downwards, one factor ≤ ¼ per layer; the output layer's line is 1.
- "weights": ‖w^l‖, the Frobenius norm of each layer's weights (the trainer's ``norm_w_<l>``):
  what L1 and L2 regularisation shrink. Not δ, but the same one-line-per-layer chart.

Arrays: values go out as float32 typed arrays; steps as x0 + i·dx when evenly spaced (the
trainer's history always is), else as an int32 array. NaN and ±inf (a diverged run, a
missing test set, 0 ÷ 0) become NaN, which plotly.js draws as a gap. On a log axis a value
≤ 10⁻¹² (0 included: every δ behind a sign layer is exactly 0) is drawn at 10⁻¹², and the axis
says so.

Trace order (stable for a given chart, kept runs always after the live traces):
  cost:  0 C (training) · 1 C (test) (empty when there is no test set) · then per kept run
         its training and test curves (2 each).
  delta: 0 … L−2 the layers l = 2 … L · then per kept run L−1 curves, layers 2 … L.
Kept runs are drawn underneath the live curves (``zorder`` −1), thinner, dashed and paler.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from playground.costs import get_cost
from ui.figures.encode import as_1d, finite_or_nan, typed
from ui.figures.style import (
    COST_TEST_COLOR,
    COST_TRAIN_COLOR,
    KEPT_COLORS,
    KEPT_DASHES,
    MUTED,
    TICK_FONT_SIZE,
    axis,
    base_layout,
    categorical,
)
from ui.notation import sup

LOG_FLOOR = 1e-12
COST_TRAIN, COST_TEST = 0, 1
_FLOOR_NOTE = "log scale: 0 is drawn at 10⁻¹²"
_L = "<sup><i>l</i></sup>"
#: view -> (the y-axis title, above the plot)
DELTA_VIEWS = {
    "gradient": f"‖∂C/∂b{_L}‖ = ‖batch mean of δ{_L}‖  (eq. 19)",
    "relative": f"‖δ{_L}‖ ÷ ‖δ<sup><i>L</i></sup>‖, rms over the examples",
    "weights": f"‖w{_L}‖ = √(Σ<sub>jk</sub> (w{_L}<sub>jk</sub>)²)",
}


# ---------------------------------------------------------------------------------------------
# The cost C


def cost_figure(
    *,
    steps: Any,
    cost_train: Any,
    cost_test: Any = None,
    log_y: bool = False,
    height: int = 300,
    kept_runs: Sequence[Mapping[str, Any]] = (),
    title: str | None = None,
    cost: str = "quadratic",
) -> dict[str, Any]:
    """C on the training and the test set after each recorded step: eq. (2), or the
    cross-entropy when ``cost`` names it (the y-axis title says which).

    kept_runs: earlier runs to compare with, each ``{"label", "steps", "cost_train",
    "cost_test"}`` (cost_test may be None).
    """
    has_test = cost_test is not None and bool(np.isfinite(finite_or_nan(cost_test)).any())
    data = [
        _line(
            "C (training)",
            steps,
            cost_train,
            log_y,
            {"color": COST_TRAIN_COLOR, "width": 3},
        ),
        _line(
            "C (test)",
            steps if has_test else [],
            cost_test if has_test else [],
            log_y,
            {"color": COST_TEST_COLOR, "width": 3, "dash": "dash"},
            showlegend=has_test,
        ),
    ]
    for i, run in enumerate(kept_runs):
        label = _run_label(run, i)
        color, dash = KEPT_COLORS[i % len(KEPT_COLORS)], KEPT_DASHES[i % len(KEPT_DASHES)]
        test = run.get("cost_test")
        run_has_test = test is not None and bool(np.isfinite(finite_or_nan(test)).any())
        for part, values, width, show in (
            ("training", run["cost_train"], 2, True),
            ("test", test if run_has_test else [], 1.2, run_has_test),
        ):
            data.append(
                _line(
                    f"{label}: C ({part})",
                    run["steps"] if show else [],
                    values,
                    log_y,
                    {"color": color, "width": width, "dash": dash},
                    showlegend=show,
                    kept=True,
                )
            )
    layout = _series_layout(height, title, "cost", f"cost {get_cost(cost).title}", log_y)
    return {"data": data, "layout": layout}


def cost_update(
    *, steps: Any, cost_train: Any, cost_test: Any = None, log_y: bool = False, start: int = 0
) -> dict[int, dict]:
    """The per-trace update of a frame for ``cost_figure`` (kept runs do not change)."""
    series = {COST_TRAIN: cost_train}
    if cost_test is not None:
        series[COST_TEST] = cost_test
    return series_update(steps, series, log_y=log_y, start=start)


# ---------------------------------------------------------------------------------------------
# ‖∂C/∂b^l‖ per layer


def delta_series(
    view: str,
    grad_b: Mapping[int, Any],
    delta_rms: Mapping[int, Any] | None = None,
    norm_w: Mapping[int, Any] | None = None,
) -> dict[int, np.ndarray]:
    """{l: the values drawn for layer l} in ``view``: ‖∂C/∂b^l‖ as given, ‖δ^l‖ ÷ ‖δ^L‖, or
    ‖w^l‖ as given."""
    if view not in DELTA_VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {sorted(DELTA_VIEWS)}")
    layers = _check_layers(grad_b)
    if view == "gradient":
        return {l: grad_b[l] for l in layers}
    if view == "weights":
        if norm_w is None or _check_layers(norm_w) != layers:
            got = None if norm_w is None else sorted(norm_w)
            raise ValueError(f"the weights view needs norm_w for layers {layers}, got {got}")
        return {l: norm_w[l] for l in layers}
    if delta_rms is None or _check_layers(delta_rms) != layers:
        got = None if delta_rms is None else sorted(delta_rms)
        raise ValueError(f"the relative view needs delta_rms for layers {layers}, got {got}")
    out = finite_or_nan(as_1d(delta_rms[layers[-1]], "delta_rms"))
    with np.errstate(divide="ignore", invalid="ignore"):  # 0 ÷ 0: a gap
        return {l: as_1d(delta_rms[l], "delta_rms") / out for l in layers}


def delta_figure(
    *,
    steps: Any,
    grad_b: Mapping[int, Any],
    delta_rms: Mapping[int, Any] | None = None,
    norm_w: Mapping[int, Any] | None = None,
    view: str = "gradient",
    log_y: bool = True,
    height: int = 300,
    kept_runs: Sequence[Mapping[str, Any]] = (),
    title: str | None = None,
) -> dict[str, Any]:
    """One line per layer l = 2 … L: ‖∂C/∂b^l‖ (view "gradient") or ‖δ^l‖ ÷ ‖δ^L‖
    ("relative"), see the module docstring.

    grad_b, delta_rms, norm_w: {l: the value after each recorded step}, for l = 2 … L (the
    trainer's ``grad_b_<l>``, ``delta_rms_<l>`` and ``norm_w_<l>`` history columns; delta_rms
    only for "relative", norm_w only for "weights").
    kept_runs: ``{"label", "steps", "grad_b", "delta_rms", "norm_w"}`` each.
    """
    series = delta_series(view, grad_b, delta_rms, norm_w)
    layers = sorted(series)
    L = layers[-1]
    data = [
        _line(
            _layer_name(l, L, view),
            steps,
            series[l],
            log_y,
            {"color": categorical(i)[0], "dash": categorical(i)[1], "width": 3},
        )
        for i, l in enumerate(layers)
    ]
    for r, run in enumerate(kept_runs):
        label = _run_label(run, r)
        if _check_layers(run["grad_b"]) != layers:
            raise ValueError(
                f"kept run {label!r} has layers {sorted(run['grad_b'])}, expected {layers}"
            )
        kept = delta_series(view, run["grad_b"], run.get("delta_rms"), run.get("norm_w"))
        for i, l in enumerate(layers):
            data.append(
                _line(
                    f"{label}: {_layer_name(l, L, view)}",
                    run["steps"],
                    kept[l],
                    log_y,
                    {"color": categorical(i)[0], "width": 1.5, "dash": "dot"},
                    showlegend=i == 0,
                    legend_name=f"{label} (dotted)",
                    kept=True,
                    legendgroup=f"kept{r}",
                )
            )
    layout = _series_layout(height, title, f"delta-{view}", DELTA_VIEWS[view], log_y)
    return {"data": data, "layout": layout}


def delta_update(
    *,
    steps: Any,
    grad_b: Mapping[int, Any],
    delta_rms: Mapping[int, Any] | None = None,
    norm_w: Mapping[int, Any] | None = None,
    view: str = "gradient",
    log_y: bool = True,
    start: int = 0,
) -> dict[int, dict]:
    """The per-trace update of a frame for ``delta_figure``: trace l − 2 is layer l."""
    series = delta_series(view, grad_b, delta_rms, norm_w)
    return series_update(steps, {l - 2: v for l, v in series.items()}, log_y=log_y, start=start)


# ---------------------------------------------------------------------------------------------
# Shared


def series_update(
    steps: Any, series: Mapping[int, Any], *, log_y: bool, start: int = 0
) -> dict[int, dict]:
    """{trace index: {"x": steps, "y": values}} for series that share their steps.

    Only the points from index ``start`` = n on are sent, tagged ``"start": n`` (the live
    protocol's append: the browser keeps its first n points; 0 sends them all). Send everything
    (start = 0) after the history thinned itself out (its stride changed) or after a reset.
    """
    x = _steps(steps)
    if not isinstance(start, int | np.integer) or isinstance(start, bool) or start < 0:
        raise ValueError(f"start must be an integer ≥ 0, got {start!r}")
    start = min(int(start), len(x))
    xs = _x_attributes(x, start)
    out: dict[int, dict] = {}
    for index, values in series.items():
        y = _values(values, log_y)
        if len(y) != len(x):
            raise ValueError(f"trace {index}: {len(y)} values for {len(x)} steps")
        # "start" also when 0: it marks a growing series (the browser keeps its axes)
        out[int(index)] = {**xs, "y": typed(y[start:]), "start": start}
    return out


def _line(
    name: str,
    steps: Any,
    values: Any,
    log_y: bool,
    line: dict[str, Any],
    *,
    showlegend: bool = True,
    legend_name: str | None = None,
    kept: bool = False,
    legendgroup: str | None = None,
) -> dict[str, Any]:
    x, y = _steps(steps), _values(values, log_y)
    if len(x) != len(y):
        raise ValueError(f"{name}: {len(y)} values for {len(x)} steps")
    trace = {
        "type": "scatter",
        "mode": "lines",
        "name": legend_name or name,
        **_x_attributes(x),
        "y": typed(y),
        "line": line,
        "showlegend": showlegend,
        "hovertemplate": f"{name}: %{{y:.3g}}<extra></extra>",
    }
    if kept:
        trace["zorder"] = -1
        trace["opacity"] = 0.8
    if legendgroup:
        trace["legendgroup"] = legendgroup
    return trace


def _series_layout(
    height: int, title: str | None, uirevision: str, ytitle: str, log_y: bool
) -> dict[str, Any]:
    layout = base_layout(height=height, title=title, uirevision=uirevision)
    top = 64 if title else 34
    layout["margin"].update({"t": top, "r": 8, "l": 8, "b": 48})
    layout["xaxis"] = axis(
        "step", rangemode="tozero", unifiedhovertitle={"text": "after step %{x}"}
    )
    yaxis = axis(None)
    if log_y:
        yaxis.update(type="log", exponentformat="power")
    else:
        yaxis["rangemode"] = "tozero"
    layout["yaxis"] = yaxis
    # The y-axis title is written horizontally above the plot: readable from the back row,
    # and it leaves the whole height to the curves.
    notes = [_note(ytitle, x=0, y=1, xanchor="left", yanchor="bottom", yshift=6)]
    if log_y:  # under the legend, where nothing else is drawn
        notes.append(_note(_FLOOR_NOTE, x=1.01, y=0, xanchor="left", yanchor="bottom", color=MUTED))
    layout["annotations"] = notes
    layout["hovermode"] = "x unified"
    layout["hoverlabel"]["namelength"] = -1
    layout["showlegend"] = True
    layout["legend"] = {
        "x": 1.01,
        "xanchor": "left",
        "y": 1,
        "yanchor": "top",
        "font": {"size": TICK_FONT_SIZE},
        "tracegroupgap": 2,
    }
    return layout


def _note(text: str, *, color: str | None = None, **where: Any) -> dict[str, Any]:
    note = {"text": text, "xref": "paper", "yref": "paper", "showarrow": False, **where}
    if color:
        note["font"] = {"color": color, "size": TICK_FONT_SIZE}
    return note


def _steps(steps: Any) -> np.ndarray:
    s = as_1d(steps, "steps")
    if s.size and not (np.isfinite(s).all() and (s == np.rint(s)).all()):
        raise ValueError("steps must be whole numbers (no NaN)")
    if s.size and (s.min() < 0 or s.max() >= 2**31):
        raise ValueError(f"steps must lie in [0, 2³¹), got [{s.min():g}, {s.max():g}]")
    return s.astype(np.int32)


def _x_attributes(x: np.ndarray, start: int = 0) -> dict[str, Any]:
    """The steps as x0 + i·dx when they are evenly spaced (the trainer's history always is:
    every stride-th step), which costs nothing; else as an int32 array.

    All three keys are always sent, so an update switches a trace between the two forms
    (plotly.js ignores x0/dx when x is set, and null x means "use x0, dx").
    """
    d = np.diff(x)
    if len(x) < 2 or ((d == d[0]).all() and d[0] > 0):
        dx = int(d[0]) if len(x) >= 2 else 1
        return {"x": None, "x0": int(x[0]) if len(x) else 0, "dx": dx}
    return {"x": typed(x[start:], "i4"), "x0": 0, "dx": 1}


def _values(values: Any, log_y: bool) -> np.ndarray:
    v = finite_or_nan(as_1d(values, "values") if np.size(values) else np.zeros(0))
    if log_y:
        v = np.where(v <= LOG_FLOOR, LOG_FLOOR, v)  # NaN stays NaN (a gap)
    return v


def _check_layers(grad_b: Mapping[int, Any]) -> list[int]:
    layers = sorted(int(l) for l in grad_b)
    if not layers or layers != list(range(2, layers[-1] + 1)):
        raise ValueError(f"grad_b must have the layers 2 … L, got {sorted(grad_b)}")
    return layers


def _layer_name(l: int, L: int, view: str = "gradient") -> str:
    what = {
        "gradient": f"‖∂C/∂b{sup(l)}‖",
        "relative": f"‖δ{sup(l)}‖/‖δ{sup(L)}‖",
        "weights": f"‖w{sup(l)}‖",
    }[view]
    return f"{what} (layer {l}{', output' if l == L else ''})"


def _run_label(run: Mapping[str, Any], i: int) -> str:
    return str(run.get("label") or f"run {i + 1}")
