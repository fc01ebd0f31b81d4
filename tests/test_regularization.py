"""Tests for playground.regularization: R(w) and ∂R/∂w by hand, validation, and what it does
to C, to the update (24) and to the weights of a network (issue 14)."""

import numpy as np
import pytest

from playground import Network, Trainer
from playground.regularization import REGULARIZATIONS, Regularization
from tests.conftest import batch


def test_penalty_and_gradient_by_hand():
    w = np.array([[0.5, -2.0], [0.0, 1.0]])
    # L2, λ = 0.1: R = 0.05 (0.25 + 4 + 0 + 1) = 0.2625;  ∂R/∂w = 0.1 w
    l2 = Regularization("l2", 0.1)
    assert l2.penalty(w) == pytest.approx(0.2625, abs=1e-15)
    np.testing.assert_allclose(l2.gradient(w), [[0.05, -0.2], [0.0, 0.1]], atol=1e-15)
    # L1, λ = 0.1: R = 0.1 (0.5 + 2 + 0 + 1) = 0.35;  ∂R/∂w = 0.1 sign(w), sign(0) = 0
    l1 = Regularization("l1", 0.1)
    assert l1.penalty(w) == pytest.approx(0.35, abs=1e-15)
    np.testing.assert_allclose(l1.gradient(w), [[0.1, -0.1], [0.0, 0.1]], atol=1e-15)


@pytest.mark.parametrize(
    "reg", [Regularization(), Regularization("none", 3.0), Regularization("l2", 0)]
)
def test_no_term_without_a_kind_or_a_rate(reg):
    w = np.array([1.0, -2.0])
    assert not reg.active and reg.penalty(w) == 0.0
    np.testing.assert_array_equal(reg.gradient(w), [0.0, 0.0])


def test_the_rate_is_kept_with_none_and_every_kind_has_its_equations():
    assert Regularization("none", 0.03).rate == 0.03
    assert list(REGULARIZATIONS) == ["none", "l1", "l2"]
    assert r"\mathrm{sign}(w)" in REGULARIZATIONS["l1"].update
    assert r"\lambda\, w" in REGULARIZATIONS["l2"].update
    assert Regularization("l2", 1).info is REGULARIZATIONS["l2"]


@pytest.mark.parametrize(
    ("name", "rate", "message"),
    [
        ("l3", 0.1, r"unknown regularisation 'l3'; expected one of \['none', 'l1', 'l2'\]"),
        (None, 0.1, r"unknown regularisation None"),
        ("l2", -0.1, r"regularisation rate λ must be a finite number ≥ 0, got -0\.1"),
        ("l2", float("nan"), r"regularisation rate λ must be a finite number ≥ 0, got nan"),
        ("l2", float("inf"), r"rate λ must be a finite number ≥ 0, got inf"),
        ("l2", "0.1", r"rate λ must be a finite number ≥ 0, got '0\.1'"),
        ("l2", True, r"rate λ must be a finite number ≥ 0, got True"),
        ("l2", 10**400, r"rate λ must be a finite number ≥ 0, got 1000"),  # beyond float
    ],
)
def test_bad_regularisations_are_clear_errors(name, rate, message):
    with pytest.raises(ValueError, match=message):
        Regularization(name, rate)
    with pytest.raises(ValueError, match=message):
        Network([2, 1], regularization=name, regularization_rate=rate)


def test_network_regularization_must_be_a_regularization():
    with pytest.raises(ValueError, match=r"regularization must be a Regularization, got 'l2'"):
        Network([2, 1]).regularization = "l2"


# --- in the network: C, the gradient and the update (24), (25) ------------------------------


@pytest.mark.parametrize("name", ["l1", "l2"])
def test_c_gets_r_and_only_the_weights_get_its_gradient(name):
    plain = Network([2, 3, 2], activations="tanh", init="normal", seed=1)
    reg = Network([2, 3, 2], activations="tanh", init="normal", seed=1,
                  regularization=name, regularization_rate=0.2)  # fmt: skip
    x, y = batch(2, 5), batch(2, 5, seed=1)
    g0, g = plain.backprop(x, y), reg.backprop(x, y)
    weights = np.concatenate([reg.w[l].ravel() for l in (2, 3)])
    r = Regularization(name, 0.2)
    assert g.penalty == pytest.approx(r.penalty(weights), rel=1e-15) and g.penalty > 0
    assert g.data_cost == g0.cost and g.cost == g0.cost + g.penalty
    assert reg.penalty() == g.penalty
    for l in (2, 3):
        np.testing.assert_allclose(g.penalty_w[l], r.gradient(reg.w[l]), rtol=1e-15)
        np.testing.assert_allclose(g.w[l], g0.w[l] + r.gradient(reg.w[l]), rtol=1e-14)
        np.testing.assert_array_equal(g.b[l], g0.b[l])  # (25) unchanged: biases are free
        np.testing.assert_array_equal(g.delta[l], g0.delta[l])  # δ^l is that of C_0
        np.testing.assert_allclose(g.w[l] - g.penalty_w[l], g0.w[l], atol=1e-15)


@pytest.mark.parametrize("name", ["l1", "l2"])
def test_the_update_gets_the_extra_term(name):
    # (24) w ← w − α(∂C_0/∂w + λ w) for L2, w − α(∂C_0/∂w + λ sign w) for L1; (25) as before
    lam, alpha = 0.1, 0.5
    net = Network([2, 3, 1], activations="sigmoid", init="normal", seed=2,
                  regularization=name, regularization_rate=lam)  # fmt: skip
    data = Network([2, 3, 1], activations="sigmoid", init="normal", seed=2)
    x, y = batch(2, 4), batch(1, 4, seed=3, low=0, high=1)
    g0 = data.backprop(x, y)
    w, b = {l: net.w[l].copy() for l in (2, 3)}, {l: net.b[l].copy() for l in (2, 3)}
    c = net.train_step(x, y, alpha)
    assert c == pytest.approx(g0.cost + Regularization(name, lam).penalty(
        np.concatenate([w[2].ravel(), w[3].ravel()])), rel=1e-14)  # fmt: skip
    for l in (2, 3):
        extra = lam * w[l] if name == "l2" else lam * np.sign(w[l])
        np.testing.assert_allclose(net.w[l], w[l] - alpha * (g0.w[l] + extra), rtol=1e-14)
        np.testing.assert_allclose(net.b[l], b[l] - alpha * g0.b[l], rtol=1e-14)


def test_l2_alone_is_weight_decay_and_l1_alone_moves_every_weight_a_fixed_step_toward_0():
    # with C_0 = 0 (outputs already equal to the targets) only R moves the weights
    for name in ("l1", "l2"):
        net = Network([1, 1], activations="linear", init="normal", seed=0,
                      regularization=name, regularization_rate=0.5)  # fmt: skip
        net.set_weight(2, 0, 0, 2.0)
        net.set_bias(2, 0, 0.0)
        x = np.array([[1.0, -1.0]])
        net.train_step(x, 2.0 * x, 0.1)
        # L2: 2 − 0.1·0.5·2 = 1.9 = 2(1 − αλ);  L1: 2 − 0.1·0.5·1 = 1.95
        assert net.w[2][0, 0] == pytest.approx(1.9 if name == "l2" else 1.95, abs=1e-15)


def test_regularisation_keeps_the_weights_smaller():
    from playground.training import encode_targets

    x = batch(2, 60, seed=4, low=-3, high=3)
    y = encode_targets((x[0] * x[1] > 0).astype(float), (-1.0, 1.0))[np.newaxis, :]
    norms = {}
    for name in ("none", "l1", "l2"):
        net = Network([2, 8, 1], activations="tanh", init="uniform", seed=1,
                      regularization=name, regularization_rate=0.03)  # fmt: skip
        t = Trainer(net, x, y, learning_rate=0.3, threshold=0.0)
        t.step(400)
        norms[name] = sum(t.metrics[f"norm_w_{l}"] for l in (2, 3))
        if name == "none":
            assert t.metrics["penalty"] == 0.0
        else:
            assert t.metrics["penalty"] == pytest.approx(t.net.penalty())
    assert norms["l2"] < 0.8 * norms["none"] and norms["l1"] < 0.8 * norms["none"]


def test_a_network_copy_and_pickle_keep_the_regularisation():
    import pickle

    net = Network([2, 2, 1], regularization="l1", regularization_rate=0.2, seed=1)
    for other in (net.copy(), pickle.loads(pickle.dumps(net))):
        assert other.regularization == Regularization("l1", 0.2)
        assert other.penalty() == net.penalty() > 0
