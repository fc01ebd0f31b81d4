"""Backprop against finite differences: every differentiable activation, several shapes."""

import numpy as np
import pytest

from playground import ACTIVATIONS, Network, gradient_check, max_rel_error
from tests.conftest import assert_gradients_match, batch

DIFFERENTIABLE = sorted(n for n, a in ACTIVATIONS.items() if a.differentiable)
SHAPES = [[2, 1], [2, 3, 1], [3, 4, 2], [2, 5, 4, 3], [1, 3, 3, 3, 1]]


def _no_kinks(net, x, margin=1e-4):
    """ReLU is not differentiable at z = 0: finite differences are only valid away from it."""
    z = net.feedforward(x).z
    return min(np.min(np.abs(z[l])) for l in z) > margin


@pytest.mark.parametrize("name", DIFFERENTIABLE)
@pytest.mark.parametrize("sizes", SHAPES, ids=lambda s: "-".join(map(str, s)))
def test_backprop_matches_finite_differences(name, sizes):
    net = Network(sizes, activations=name, init="normal", seed=3)
    x, y = batch(sizes[0], 6, seed=1), batch(sizes[-1], 6, seed=2, low=0.1, high=0.9)
    if name == "relu":
        assert _no_kinks(net, x), "choose data that keeps every z^l away from ReLU's kink"
    assert_gradients_match(gradient_check(net, x, y))


def test_mixed_activations_and_cross_entropy():
    net = Network(
        [2, 4, 3, 1],
        activations=["relu", "tanh", "sigmoid"],
        cost="cross_entropy",
        init="normal",
        seed=5,
    )
    x, y = batch(2, 8, seed=3), (batch(1, 8, seed=4) > 0).astype(float)
    assert _no_kinks(net, x)
    assert_gradients_match(gradient_check(net, x, y))


def test_sign_layers_pass_no_gradient_but_finite_differences_see_none_either():
    # Away from the jump, moving a weight before a sign layer does not change C at all, and
    # backprop says the same: ∂C/∂w^2 = 0. Only the output layer (linear here) learns.
    net = Network([2, 3, 1], activations=["sign", "linear"], init="normal", seed=1)
    x, y = batch(2, 5, seed=8), batch(1, 5, seed=9)
    rows = gradient_check(net, x, y)
    assert_gradients_match(rows)
    assert all(r.analytic == 0.0 for r in rows if r.layer == 2)
    assert any(r.analytic != 0.0 for r in rows if r.layer == 3)


def test_rows_name_every_parameter_in_lecture_notation():
    net = Network([2, 2, 1], seed=0)
    rows = gradient_check(net, batch(2, 3), batch(1, 3))
    assert [r.name for r in rows] == [
        "w^2_11",
        "w^2_12",
        "w^2_21",
        "w^2_22",
        "b^2_1",
        "b^2_2",
        "w^3_11",
        "w^3_12",
        "b^3_1",
    ]
    assert max_rel_error(rows) < 1e-5


def test_gradient_check_detects_a_wrong_gradient(monkeypatch):
    # The check must be able to fail: break (18) by dropping the 1/N average.
    net = Network([2, 3, 1], activations="tanh", init="normal", seed=0)
    x, y = batch(2, 4), batch(1, 4, seed=1)
    original = Network._backprop

    def broken(self, x, y):
        g = original(self, x, y)
        g.w[2] = g.w[2] * x.shape[1]
        return g

    monkeypatch.setattr(Network, "_backprop", broken)
    rows = gradient_check(net, x, y)
    assert max(r.rel_error for r in rows if r.name.startswith("w^2")) > 0.1


def test_gradient_check_leaves_the_network_unchanged():
    net = Network([2, 3, 1], seed=0)
    before = net.copy()
    gradient_check(net, batch(2, 3), batch(1, 3))
    for l in (2, 3):
        np.testing.assert_array_equal(net.w[l], before.w[l])


def test_eps_is_validated():
    net = Network([2, 1], seed=0)
    with pytest.raises(ValueError, match=r"eps must be in \(0, 1\), got 0"):
        gradient_check(net, batch(2, 1), batch(1, 1), eps=0)


# --- K_L > 1 outputs: one-hot targets, softmax, cross-entropy (issue 14) ----------------------

MULTI_OUTPUT_SHAPES = [[2, 3], [2, 4, 3], [3, 5, 4], [2, 3, 4, 6], [1, 4, 2]]


def one_hot(k, n, *, seed=0, low=0.0, high=1.0):
    """(k, n) targets: `high` at one random class per column, `low` elsewhere."""
    labels = np.random.default_rng(seed).integers(0, k, n)
    y = np.full((k, n), low)
    y[labels, np.arange(n)] = high
    return y


@pytest.mark.parametrize("hidden", DIFFERENTIABLE)
@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy"])
@pytest.mark.parametrize("sizes", MULTI_OUTPUT_SHAPES, ids=lambda s: "-".join(map(str, s)))
def test_softmax_backprop_matches_finite_differences(hidden, cost, sizes):
    acts = [hidden] * (len(sizes) - 2) + ["softmax"]
    net = Network(sizes, activations=acts, cost=cost, init="normal", seed=4)
    x = batch(sizes[0], 7, seed=5)
    if hidden == "relu":
        assert _no_kinks(net, x), "choose data that keeps every z^l away from ReLU's kink"
    assert_gradients_match(gradient_check(net, x, one_hot(sizes[-1], 7, seed=6)))


@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy"])
def test_softmax_gradients_hold_for_targets_that_are_not_one_hot(cost):
    # δ^L = a Σ_k y_k − y is exact for any y; a − y only when the targets sum to 1
    net = Network([2, 4, 3], activations=["tanh", "softmax"], cost=cost, init="normal", seed=2)
    x, y = batch(2, 6, seed=1), batch(3, 6, seed=3, low=0.0, high=2.0)
    assert_gradients_match(gradient_check(net, x, y))


@pytest.mark.parametrize("output", DIFFERENTIABLE)
@pytest.mark.parametrize("sizes", MULTI_OUTPUT_SHAPES, ids=lambda s: "-".join(map(str, s)))
def test_one_hot_targets_in_the_output_range_match_finite_differences(output, sizes):
    # the lecture's quadratic cost (2) with K_L outputs and one-hot targets in σ's range
    from playground.activations import ACTIVATIONS

    lo, hi = ACTIVATIONS[output].targets
    acts = ["tanh"] * (len(sizes) - 2) + [output]
    net = Network(sizes, activations=acts, init="normal", seed=7)
    x = batch(sizes[0], 6, seed=8)
    if output == "relu":
        assert _no_kinks(net, x)
    assert_gradients_match(gradient_check(net, x, one_hot(sizes[-1], 6, seed=9, low=lo, high=hi)))


def test_sigmoid_outputs_with_cross_entropy_and_several_outputs():
    net = Network([2, 4, 3], activations=["tanh", "sigmoid"], cost="cross_entropy", init="normal")
    x = batch(2, 8, seed=2)
    assert_gradients_match(gradient_check(net, x, one_hot(3, 8, seed=4)))


# --- regularised gradients: C = C_0 + R(w) (issue 14) -----------------------------------------


def _no_weight_at_zero(net, margin=1e-4):
    """|w| has a kink at 0 as ReLU does: finite differences hold for L1 only away from it."""
    return min(np.min(np.abs(net.w[l])) for l in net.w) > margin


@pytest.mark.parametrize("reg", ["l1", "l2"])
@pytest.mark.parametrize("name", DIFFERENTIABLE)
@pytest.mark.parametrize("sizes", SHAPES + MULTI_OUTPUT_SHAPES, ids=lambda s: "-".join(map(str, s)))
def test_regularised_backprop_matches_finite_differences(reg, name, sizes):
    net = Network(sizes, activations=name, init="normal", seed=3,
                  regularization=reg, regularization_rate=0.3)  # fmt: skip
    x, y = batch(sizes[0], 6, seed=1), batch(sizes[-1], 6, seed=2, low=0.1, high=0.9)
    if name == "relu":
        assert _no_kinks(net, x), "choose data that keeps every z^l away from ReLU's kink"
    if reg == "l1":
        assert _no_weight_at_zero(net), "choose weights away from |w|'s kink at 0"
    rows = gradient_check(net, x, y)
    assert_gradients_match(rows)
    # the term is really there: without it the weights' gradients would not match
    g0 = Network(sizes, activations=name, init="normal", seed=3).backprop(x, y)
    assert any(not np.allclose(g0.w[l], net.backprop(x, y).w[l]) for l in net.w)


@pytest.mark.parametrize("reg", ["l1", "l2"])
@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy"])
def test_regularised_softmax_matches_finite_differences(reg, cost):
    net = Network([2, 5, 4], activations=["tanh", "softmax"], cost=cost, init="normal", seed=6,
                  regularization=reg, regularization_rate=0.1)  # fmt: skip
    assert _no_weight_at_zero(net)
    assert_gradients_match(gradient_check(net, batch(2, 8, seed=1), one_hot(4, 8, seed=2)))


def test_l1_finite_differences_disagree_within_eps_of_w_0_as_expected():
    # Why the tests above keep L1's weights away from 0: for w = 1e-7 < ε, backprop gives
    # ∂R/∂w = λ sign(w) = λ, but the central difference of λ|w| over [w − ε, w + ε] is
    # λ w/ε = 0.1 λ. The check sees the kink, as it would see ReLU's.
    net = Network([2, 1], activations="linear", init="normal", seed=0,
                  regularization="l1", regularization_rate=1.0)  # fmt: skip
    net.set_weight(2, 0, 0, 1e-7)
    rows = gradient_check(net, batch(2, 3), batch(1, 3, seed=1))
    w11 = next(r for r in rows if r.name == "w^2_11")
    assert w11.analytic - w11.numeric == pytest.approx(0.9, abs=1e-6)
