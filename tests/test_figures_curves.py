import json

import numpy as np
import plotly.graph_objects as go
import pytest

from tests.decode import decode
from ui.figures.curves import (
    LOG_FLOOR,
    cost_figure,
    cost_update,
    delta_figure,
    delta_update,
    series_update,
)
from ui.figures.encode import apply_updates
from ui.figures.style import CATEGORICAL

STEPS = np.arange(0, 200, 2)
COST = 0.5 * np.exp(-STEPS / 50) + 0.01
GRAD_B = {l: 10.0 ** (-l) * np.exp(-STEPS / 80) for l in (2, 3, 4)}


def valid(fig):
    go.Figure(fig)
    json.dumps(fig, allow_nan=False)  # NaN only ever travels inside typed arrays
    return fig


def kept(label="α = 3"):
    return {
        "label": label,
        "steps": STEPS[:50],
        "cost_train": COST[:50] * 2,
        "cost_test": None,
        "grad_b": {l: g[:50] * 3 for l, g in GRAD_B.items()},
    }


@pytest.mark.parametrize("log_y", [False, True])
def test_cost_figure_is_valid_and_labelled(log_y):
    fig = valid(cost_figure(steps=STEPS, cost_train=COST, cost_test=COST * 1.1, log_y=log_y))
    assert [t["name"] for t in fig["data"]] == ["C (training)", "C (test)"]
    assert fig["layout"]["hovermode"] == "x unified"
    assert fig["layout"]["xaxis"]["title"]["text"] == "step"
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert texts[0] == "cost C, eq. (2)"
    assert (fig["layout"]["yaxis"].get("type") == "log") is log_y
    assert any("0 is drawn at 10⁻¹²" in t for t in texts) is log_y
    # evenly spaced steps (the trainer's history) cost two numbers, not an array
    assert (fig["data"][0]["x"], fig["data"][0]["x0"], fig["data"][0]["dx"]) == (None, 0, 2)
    np.testing.assert_allclose(decode(fig["data"][0]["y"]), COST, rtol=1e-6)


def test_the_cross_entropy_is_not_called_eq_2():
    fig = valid(cost_figure(steps=STEPS, cost_train=COST, cost="cross_entropy"))
    assert fig["layout"]["annotations"][0]["text"] == "cost C, cross-entropy"


def test_unevenly_spaced_steps_go_out_as_an_int32_array():
    steps = np.array([0, 1, 2, 4, 8])
    trace = valid(cost_figure(steps=steps, cost_train=np.ones(5)))["data"][0]
    assert trace["x"]["dtype"] == "i4"
    np.testing.assert_array_equal(decode(trace["x"]), steps)


@pytest.mark.parametrize("cost_test", [None, np.full(len(STEPS), np.nan)])
def test_without_test_set_trace_1_stays_but_is_empty_and_out_of_the_legend(cost_test):
    fig = valid(cost_figure(steps=STEPS, cost_train=COST, cost_test=cost_test))
    assert len(fig["data"]) == 2
    assert decode(fig["data"][1]["y"]).size == 0
    assert fig["data"][1]["showlegend"] is False


def test_kept_runs_come_after_the_live_curves_and_are_drawn_underneath():
    runs = [kept("α = 3"), {**kept("α = 0.1"), "cost_test": COST[:50]}]
    fig = valid(cost_figure(steps=STEPS, cost_train=COST, cost_test=COST, kept_runs=runs))
    names = [t["name"] for t in fig["data"]]
    assert names[:2] == ["C (training)", "C (test)"]
    assert names[2:] == [
        "α = 3: C (training)",
        "α = 3: C (test)",
        "α = 0.1: C (training)",
        "α = 0.1: C (test)",
    ]
    for t in fig["data"][2:]:
        assert t["zorder"] == -1
        assert t["line"]["dash"] != "solid"
        assert t["line"]["width"] < fig["data"][0]["line"]["width"]


def test_non_finite_costs_become_gaps():
    cost = COST.copy()
    cost[[3, 7]] = [np.inf, np.nan]
    fig = valid(cost_figure(steps=STEPS, cost_train=cost))
    y = decode(fig["data"][0]["y"])
    assert np.isnan(y[[3, 7]]).all()
    assert not np.isinf(y).any()


def test_log_scale_draws_zeros_at_the_floor_and_keeps_gaps():
    g = {2: np.zeros(len(STEPS)), 3: GRAD_B[3].copy()}
    g[3][4] = np.nan
    fig = valid(delta_figure(steps=STEPS, grad_b=g, log_y=True))
    np.testing.assert_allclose(decode(fig["data"][0]["y"]), LOG_FLOOR, rtol=1e-6)
    assert np.isnan(decode(fig["data"][1]["y"])[4])
    # on a linear axis the zeros stay zeros
    fig = delta_figure(steps=STEPS, grad_b=g, log_y=False)
    assert (decode(fig["data"][0]["y"]) == 0).all()


def test_delta_figure_has_one_line_per_layer_in_palette_order():
    fig = valid(delta_figure(steps=STEPS, grad_b=GRAD_B))
    # the legend names what is plotted: the gradient of the biases, not δ itself (issue 11)
    assert [t["name"] for t in fig["data"]] == [
        "‖∂C/∂b²‖ (layer 2)",
        "‖∂C/∂b³‖ (layer 3)",
        "‖∂C/∂b⁴‖ (layer 4, output)",
    ]
    assert [t["line"]["color"] for t in fig["data"]] == list(CATEGORICAL[:3])
    assert fig["layout"]["yaxis"]["type"] == "log"  # log by default
    title = fig["layout"]["annotations"][0]["text"]
    assert title == "‖∂C/∂b<sup><i>l</i></sup>‖ = ‖batch mean of δ<sup><i>l</i></sup>‖  (eq. 19)"


def test_the_relative_view_divides_each_layers_rms_delta_by_the_outputs():
    rms = {2: np.full(len(STEPS), 1e-4), 3: np.full(len(STEPS), 1e-2), 4: np.full(len(STEPS), 0.5)}
    rms[4][3] = 0.0  # 0 ÷ 0 and x ÷ 0 become gaps, not inf
    rms[2][3] = 0.0
    fig = valid(delta_figure(steps=STEPS, grad_b=GRAD_B, delta_rms=rms, view="relative"))
    assert [t["name"] for t in fig["data"]] == [
        "‖δ²‖/‖δ⁴‖ (layer 2)",
        "‖δ³‖/‖δ⁴‖ (layer 3)",
        "‖δ⁴‖/‖δ⁴‖ (layer 4, output)",
    ]
    y = [decode(t["y"]) for t in fig["data"]]
    np.testing.assert_allclose(np.delete(y[0], 3), 2e-4, rtol=1e-6)
    np.testing.assert_allclose(np.delete(y[1], 3), 2e-2, rtol=1e-6)
    np.testing.assert_allclose(np.delete(y[2], 3), 1.0, rtol=1e-6)
    assert all(np.isnan(v[3]) for v in y)
    assert "rms over the examples" in fig["layout"]["annotations"][0]["text"]
    with pytest.raises(ValueError, match="the relative view needs delta_rms"):
        delta_figure(steps=STEPS, grad_b=GRAD_B, view="relative")
    with pytest.raises(ValueError, match="unknown view 'mean'"):
        delta_figure(steps=STEPS, grad_b=GRAD_B, view="mean")
    # updates of the relative view rebuild the longer figure, as for the gradient view
    short = {l: v[:40] for l, v in rms.items()}
    fig_grad = {l: g[:40] for l, g in GRAD_B.items()}
    fig = delta_figure(steps=STEPS[:40], grad_b=fig_grad, delta_rms=short, view="relative")
    apply_updates(fig, delta_update(steps=STEPS, grad_b=GRAD_B, delta_rms=rms, view="relative"))
    assert fig == delta_figure(steps=STEPS, grad_b=GRAD_B, delta_rms=rms, view="relative")


def test_delta_figure_for_nine_layers_varies_the_dash_after_eight_colours():
    grad_b = {l: np.ones(len(STEPS)) for l in range(2, 12)}
    fig = valid(delta_figure(steps=STEPS, grad_b=grad_b))
    styles = [(t["line"]["color"], t["line"]["dash"]) for t in fig["data"]]
    assert len(set(styles)) == len(styles) == 10


def test_delta_kept_runs_follow_the_live_layers():
    fig = valid(delta_figure(steps=STEPS, grad_b=GRAD_B, kept_runs=[kept()]))
    assert len(fig["data"]) == 6
    assert [t["showlegend"] for t in fig["data"][3:]] == [True, False, False]
    assert all(t["zorder"] == -1 and t["line"]["dash"] == "dot" for t in fig["data"][3:])
    with pytest.raises(ValueError, match=r"kept run 'x' has layers \[2, 3\], expected \[2, 3, 4\]"):
        delta_figure(
            steps=STEPS, grad_b=GRAD_B, kept_runs=[{**kept("x"), "grad_b": {2: COST, 3: COST}}]
        )


def test_updates_turn_a_figure_into_the_one_built_from_the_longer_history():
    n = 40
    fig = cost_figure(steps=STEPS[:n], cost_train=COST[:n], cost_test=COST[:n], kept_runs=[kept()])
    apply_updates(fig, cost_update(steps=STEPS, cost_train=COST, cost_test=COST))
    assert fig == cost_figure(steps=STEPS, cost_train=COST, cost_test=COST, kept_runs=[kept()])

    short = {l: g[:n] for l, g in GRAD_B.items()}
    fig = delta_figure(steps=STEPS[:n], grad_b=short)
    apply_updates(fig, delta_update(steps=STEPS, grad_b=GRAD_B))
    assert fig == delta_figure(steps=STEPS, grad_b=GRAD_B)


def test_series_update_can_send_only_a_tail():
    update = series_update(STEPS, {0: COST, 1: COST}, log_y=False, start=95)
    assert set(update) == {0, 1}
    assert update[0]["start"] == 95
    np.testing.assert_allclose(decode(update[0]["y"]), COST[95:], rtol=1e-6)
    assert (update[0]["x0"], update[0]["dx"]) == (0, 2)  # of the whole series
    assert series_update(STEPS, {0: COST}, log_y=False)[0]["start"] == 0  # the whole series
    uneven = np.r_[STEPS[:-1], STEPS[-1] + 7]
    tail = series_update(uneven, {0: COST}, log_y=False, start=95)[0]
    np.testing.assert_array_equal(decode(tail["x"]), uneven[95:])


def test_an_update_switches_a_trace_between_even_and_uneven_steps():
    uneven = np.r_[STEPS[:-1], STEPS[-1] + 7]
    for a, b in ((STEPS, uneven), (uneven, STEPS)):
        fig = cost_figure(steps=a, cost_train=COST)
        apply_updates(fig, cost_update(steps=b, cost_train=COST))
        assert fig == cost_figure(steps=b, cost_train=COST)


def test_series_inputs_are_checked():
    with pytest.raises(ValueError, match="trace 0: 3 values for 100 steps"):
        series_update(STEPS, {0: COST[:3]}, log_y=False)
    with pytest.raises(ValueError, match="steps must be whole numbers"):
        series_update(STEPS + 0.5, {0: COST}, log_y=False)
    with pytest.raises(ValueError, match="start must be an integer ≥ 0"):
        series_update(STEPS, {0: COST}, log_y=False, start=-1)
    with pytest.raises(ValueError, match=r"grad_b must have the layers 2 … L, got \[3, 4\]"):
        delta_figure(steps=STEPS, grad_b={3: COST, 4: COST})


def test_the_weights_view_draws_each_layers_norm_and_updates_like_the_others():
    norm = {l: np.linspace(1.0, 0.5, len(STEPS)) * l for l in (2, 3, 4)}
    fig = valid(delta_figure(steps=STEPS, grad_b=GRAD_B, norm_w=norm, view="weights"))
    assert [t["name"] for t in fig["data"]] == [
        "‖w²‖ (layer 2)",
        "‖w³‖ (layer 3)",
        "‖w⁴‖ (layer 4, output)",
    ]
    for t, l in zip(fig["data"], (2, 3, 4), strict=True):
        np.testing.assert_allclose(decode(t["y"]), norm[l].astype(np.float32))
    assert "‖w<sup><i>l</i></sup>‖" in fig["layout"]["annotations"][0]["text"]
    with pytest.raises(ValueError, match="the weights view needs norm_w"):
        delta_figure(steps=STEPS, grad_b=GRAD_B, view="weights")
    short = {l: v[:40] for l, v in norm.items()}
    fig = delta_figure(
        steps=STEPS[:40],
        grad_b={l: g[:40] for l, g in GRAD_B.items()},
        norm_w=short,
        view="weights",
    )
    apply_updates(fig, delta_update(steps=STEPS, grad_b=GRAD_B, norm_w=norm, view="weights"))
    assert fig == delta_figure(steps=STEPS, grad_b=GRAD_B, norm_w=norm, view="weights")
    # a kept run carries its own norms
    kept = {"label": "run 1", "steps": STEPS, "grad_b": GRAD_B, "norm_w": norm}
    fig = valid(
        delta_figure(steps=STEPS, grad_b=GRAD_B, norm_w=norm, view="weights", kept_runs=[kept])
    )
    assert len(fig["data"]) == 6
