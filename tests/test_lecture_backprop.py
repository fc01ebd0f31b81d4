"""ui.lecture.backprop: the backprop page's networks, data and steps, all from the engine."""

from __future__ import annotations

import numpy as np
import pytest

from playground.presets import lecture_xor_inputs
from tests.conftest import ALPHA, lab_for
from ui.config import DEFAULT, PlaygroundConfig
from ui.experiment import Experiment
from ui.lecture.backprop import (
    ACTIVATIONS,
    MAX_PARAMS,
    Lab,
    UnavailableError,
    build_problem,
)


# ---------------------------------------------------------------------------- the lab
@pytest.mark.parametrize("network", ["xor", "2-2-1", "2-3-2"])
def test_each_network_builds_a_batch_that_backprop_accepts(network):
    p = build_problem(network)
    g = p.net.backprop(p.x, p.y)
    assert np.isfinite(g.cost)
    assert len(p.example_names) == p.x.shape[1] == p.y.shape[1]
    assert len(p.input_names) == p.net.sizes[0]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_targets_follow_the_output_activation(activation):
    p = build_problem("2-2-1", activation=activation)
    assert set(np.unique(p.y)) <= set(p.net.act[p.net.L].targets)


def test_the_xor_preset_is_the_lectures_network_on_the_four_points():
    p = build_problem("xor")
    np.testing.assert_array_equal(p.x, lecture_xor_inputs())
    np.testing.assert_array_equal(p.y, [[0.0, 1.0, 1.0, 0.0]])
    assert p.net.backprop(p.x, p.y).cost == 0.0  # Fig. 5 computes XOR exactly


def test_apply_makes_exactly_the_update_shown_and_start_over_rewinds():
    lab = lab_for("2-2-1", None)
    first = {l: w.copy() for l, w in lab.net.w.items()}
    shown = lab.ledger(ALPHA)
    assert lab.apply(ALPHA)
    for l in range(2, lab.net.L + 1):
        np.testing.assert_array_equal(lab.net.w[l], shown.w[l] - ALPHA * shown.g.w[l])  # (24)
        np.testing.assert_array_equal(lab.net.b[l], shown.b[l] - ALPHA * shown.g.b[l])  # (25)
        np.testing.assert_array_equal(lab.net.w[l], shown.new_w[l])
    assert [s for s, _ in lab.history] == [0, 1]
    assert lab.history[1][1] < lab.history[0][1]
    lab.apply(ALPHA)
    lab.start_over()
    assert lab.steps == 0 and len(lab.history) == 1
    for l, w in first.items():
        np.testing.assert_array_equal(lab.net.w[l], w)


def test_choosing_other_data_keeps_the_weights_and_restarts_the_history():
    lab = lab_for("2-2-1", None)
    lab.apply(ALPHA)
    w = lab.net.w[2].copy()
    lab.select(2)
    assert lab.steps == 1 and lab.history == [(1, lab.ledger(ALPHA).g.cost)]
    np.testing.assert_array_equal(lab.net.w[2], w)
    with pytest.raises(UnavailableError, match="there is no example 9"):
        lab.select(8)


def test_the_playground_network_is_copied_with_a_few_training_points():
    exp = Experiment(DEFAULT)  # 2-4-2-1: 25 parameters
    p = build_problem("playground", playground=exp)
    assert p.net is not exp.net and p.net.n_params == 25
    np.testing.assert_array_equal(p.x, exp.trainer.x_train[:, :4])
    Lab(p).apply(1.0)
    assert not np.array_equal(p.net.w[2], exp.net.w[2])  # the Playground keeps its weights


def test_a_playground_network_too_big_to_show_is_refused_with_a_reason():
    big = Experiment(PlaygroundConfig(hidden=(8, 8)))
    assert big.net.n_params > MAX_PARAMS
    with pytest.raises(UnavailableError, match=r"2-8-8-1 has 105 weights and biases.*at most 40"):
        build_problem("playground", playground=big)
    with pytest.raises(UnavailableError, match="open the \\*\\*Playground\\*\\* page once"):
        build_problem("playground", playground=None)
