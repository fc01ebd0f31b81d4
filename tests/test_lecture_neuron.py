"""ui.lecture.neuron: one neuron of eq. (1) as the engine's 2-1 network; why it cannot do XOR."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground import LECTURE_ACTIVATIONS, get_activation
from ui.figures.boundary import XOR_EXTENT, plane_grid
from ui.lecture import neuron as nl

SIGMOID_2 = 1 / (1 + math.exp(-2))  # σ(2) = 0.880797…


def test_the_neuron_is_a_two_one_network_with_w1_w2_and_b():
    net = nl.neuron("tanh", 1.5, -2.0, 0.25)
    assert net.sizes == (2, 1) and net.activations == ("tanh",)
    np.testing.assert_array_equal(net.w[2], [[1.5, -2.0]])
    np.testing.assert_array_equal(net.b[2], [[0.25]])
    assert nl.params_of(net) == {"w1": 1.5, "w2": -2.0, "b": 0.25}


def test_eq_1_by_hand_at_the_default_point():
    # w = (4, 4), b = −2, x = (1, 0):  z = 4·1 + 4·0 − 2 = 2,  y = σ(2) = 0.880797
    p = nl.DEFAULT
    net = nl.neuron("sigmoid", p["w1"], p["w2"], p["b"])
    point = nl.at_point(net, p["x1"], p["x2"])
    assert point.z == pytest.approx(2.0)
    assert point.y == pytest.approx(SIGMOID_2)


def test_equation_latex_shows_the_numbers_the_engine_used():
    p = nl.DEFAULT
    net = nl.neuron("sigmoid", p["w1"], p["w2"], p["b"])
    tex = nl.equation_latex("sigmoid", nl.params_of(net), nl.at_point(net, 1.0, 0.0))
    assert r"= 4\cdot1 + 4\cdot0 - 2 = \mathbf{2}" in tex
    assert r"\frac{1}{1+e^{-2}} = \mathbf{0.881}" in tex


def test_plane_is_the_engines_output_on_the_grid():
    net = nl.neuron("sigmoid", 2.0, -1.0, 0.5)
    plane = nl.plane(net, grid=20)
    fwd = net.feedforward(plane_grid(XOR_EXTENT, 20))
    np.testing.assert_array_equal(plane.y, fwd.a[2].reshape(20, 20))
    np.testing.assert_array_equal(plane.z, fwd.z[2].reshape(20, 20))


def test_the_or_line_gets_three_xor_points_right_and_misses_one_one():
    p = nl.DEFAULT
    check = nl.xor_check(nl.neuron("sigmoid", p["w1"], p["w2"], p["b"]))
    assert check.n_correct == 3 and check.n_fence == 0
    # the lecture's order: (0,0), (0,1), (1,0), (1,1); XOR(1,1) = 0 but σ(6) ≈ 1
    assert check.correct.tolist() == [True, True, True, False]
    assert check.verdicts() == ["✓ right", "✓ right", "✓ right", "✗ wrong"]


def test_a_neuron_that_answers_halfway_is_on_the_fence_not_right():
    check = nl.xor_check(nl.neuron("sigmoid", 0.0, 0.0, 1e-4))  # y = 0.500025 everywhere
    assert check.n_fence == 4 and check.n_correct == 0
    # C = 1/(2·4) · Σ (½ ± …)² = 1/8 to within 1e-8
    assert check.cost == pytest.approx(0.125, abs=1e-8)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("seed", range(5))
def test_training_on_xor_never_gets_all_four_points(activation, seed):
    run = nl.train_on_xor(activation, seed=seed, learning_rate=1.0, steps=500)
    assert run.trainer.steps == 500
    assert run.check.n_correct < 4
    assert run.trainer.metrics["acc_train"] < 1.0
    floor = 0.125 if activation == "sigmoid" else 0.5  # halfway at all four points
    assert run.check.cost > floor - 1e-6


def test_training_from_the_sliders_starts_at_the_sliders():
    start = {"w1": 4.0, "w2": 4.0, "b": -2.0}
    run = nl.train_on_xor("sigmoid", start=start, learning_rate=1.0, steps=100)
    assert run.start == start
    assert run.trainer.history.column("cost_train")[0] == pytest.approx(
        nl.xor_check(nl.neuron("sigmoid", 4.0, 4.0, -2.0)).cost
    )


def test_a_sign_neuron_does_not_move():
    start = {"w1": 1.0, "w2": -1.0, "b": 0.3}
    run = nl.train_on_xor("sign", start=start, learning_rate=1.0, steps=50)
    assert nl.params_of(run.net) == start


def test_random_starts_table():
    table = nl.random_starts("sigmoid", seeds=range(3), learning_rate=1.0, steps=100)
    assert list(table.index) == [0, 1, 2]
    assert {"w1", "w2", "b", "C after training", "points right (of 4)", "on the fence"} <= set(
        table.columns
    )
    assert (table["points right (of 4)"] < 4).all()


@pytest.mark.parametrize("name", LECTURE_ACTIVATIONS)
def test_value_range_and_threshold_come_from_the_activation(name):
    lo, hi = get_activation(name).targets
    assert nl.value_range(name) == (lo, hi)
    assert nl.threshold(name) == (lo + hi) / 2
