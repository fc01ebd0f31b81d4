import numpy as np
import pytest

from playground import Network
from playground.network import MAX_LAYERS, MAX_NEURONS
from tests.conftest import batch


def hand_network():
    net = Network([2, 2, 1], activations="sigmoid")
    net.set_params(
        {2: [[0.1, 0.2], [-0.3, 0.4]], 3: [[0.5, -0.6]]},
        {2: [[0.0], [0.1]], 3: [[0.2]]},
    )
    return net


def test_one_backprop_step_worked_by_hand():
    # x = (1, 2), y = 1, sigmoid everywhere, quadratic cost.
    # z^2 = w^2 x + b^2 = (0.1 + 0.4, -0.3 + 0.8 + 0.1) = (0.5, 0.6)
    # a^2 = σ(z^2) = (0.622459, 0.645656)
    # z^3 = 0.5·0.622459 − 0.6·0.645656 + 0.2 = 0.123836,  a^3 = σ(z^3) = 0.530919
    # (2)  C = ½ (0.530919 − 1)² = 0.110018
    # (10) δ^3 = (a^3 − y) σ'(z^3) = (−0.469081)(0.530919)(0.469081) = −0.116822
    # (17) δ^2 = (w^3)^T δ^3 ⊙ σ'(z^2)
    #          = (0.5·−0.116822·0.622459·0.377541, −0.6·−0.116822·0.645656·0.354344)
    #          = (−0.013727, 0.016036)
    # (18) ∂C/∂w^3 = δ^3 (a^2)^T = (−0.072717, −0.075427)
    #      ∂C/∂w^2 = δ^2 x^T = [[−0.013727, −0.027454], [0.016036, 0.032072]]
    # (19) ∂C/∂b^3 = −0.116822,  ∂C/∂b^2 = (−0.013727, 0.016036)
    net = hand_network()
    x, y = np.array([[1.0], [2.0]]), np.array([[1.0]])
    g = net.backprop(x, y)
    np.testing.assert_allclose(g.forward.z[2][:, 0], [0.5, 0.6], atol=1e-12)
    np.testing.assert_allclose(g.forward.a[2][:, 0], [0.622459, 0.645656], atol=1e-6)
    np.testing.assert_allclose(g.forward.a[3][0, 0], 0.530919, atol=1e-6)
    assert g.cost == pytest.approx(0.110018, abs=1e-6)
    np.testing.assert_allclose(g.delta[3], [[-0.116822]], atol=1e-6)
    np.testing.assert_allclose(g.delta[2][:, 0], [-0.013727, 0.016036], atol=1e-6)
    np.testing.assert_allclose(g.w[3], [[-0.072717, -0.075427]], atol=1e-6)
    np.testing.assert_allclose(g.w[2], [[-0.013727, -0.027454], [0.016036, 0.032072]], atol=1e-6)
    np.testing.assert_allclose(g.b[3], [[-0.116822]], atol=1e-6)
    np.testing.assert_allclose(g.b[2], [[-0.013727], [0.016036]], atol=1e-6)

    # (24), (25) with α = 1: w^3 = (0.5 + 0.072717, −0.6 + 0.075427), b^3 = 0.2 + 0.116822
    cost_before = net.train_step(x, y, learning_rate=1.0)
    assert cost_before == pytest.approx(0.110018, abs=1e-6)
    np.testing.assert_allclose(net.w[3], [[0.572717, -0.524573]], atol=1e-6)
    np.testing.assert_allclose(net.b[3], [[0.316822]], atol=1e-6)


def test_train_step_moves_every_parameter_by_minus_alpha_times_its_gradient():
    net = Network([2, 3, 2], activations="tanh", seed=4)
    x, y = batch(2, 7), batch(2, 7, seed=1)
    w0, b0 = net.copy().w, net.copy().b
    g = net.backprop(x, y)
    net.train_step(x, y, 0.25)
    for l in (2, 3):
        np.testing.assert_array_equal(net.w[l], w0[l] - 0.25 * g.w[l])
        np.testing.assert_array_equal(net.b[l], b0[l] - 0.25 * g.b[l])


def test_gradients_are_the_average_of_per_example_gradients():
    net = Network([2, 4, 1], activations="sigmoid", seed=2)
    x, y = batch(2, 5), batch(1, 5, seed=9, low=0, high=1)
    g = net.backprop(x, y)
    per_example = [net.backprop(x[:, [i]], y[:, [i]]) for i in range(5)]
    for l in (2, 3):
        np.testing.assert_allclose(g.w[l], np.mean([p.w[l] for p in per_example], axis=0))
        np.testing.assert_allclose(g.b[l], np.mean([p.b[l] for p in per_example], axis=0))
        np.testing.assert_allclose(g.delta[l], np.hstack([p.delta[l] for p in per_example]))
    assert g.cost == pytest.approx(np.mean([p.cost for p in per_example]))


def test_shapes_follow_the_lecture():
    net = Network([3, 5, 4, 2], activations="relu", seed=0)
    assert net.L == 4
    assert set(net.w) == {2, 3, 4}
    for l in range(2, 5):
        assert net.w[l].shape == (net.sizes[l - 1], net.sizes[l - 2])
        assert net.b[l].shape == (net.sizes[l - 1], 1)
    fwd = net.feedforward(batch(3, 6))
    assert fwd.a[1].shape == (3, 6)
    assert [fwd.a[l].shape for l in range(2, 5)] == [(5, 6), (4, 6), (2, 6)]
    g = net.backprop(batch(3, 6), batch(2, 6))
    assert [g.delta[l].shape for l in range(2, 5)] == [(5, 6), (4, 6), (2, 6)]
    assert all(g.w[l].shape == net.w[l].shape and g.b[l].shape == net.b[l].shape for l in g.w)
    assert net.n_params == 5 * 3 + 5 + 4 * 5 + 4 + 2 * 4 + 2


def test_per_layer_activations():
    net = Network([2, 3, 3, 1], activations=["relu", "tanh", "sigmoid"], seed=0)
    assert [net.act[l].name for l in (2, 3, 4)] == ["relu", "tanh", "sigmoid"]
    out = net.predict(batch(2, 10))
    assert np.all((out > 0) & (out < 1))


def test_float32_evaluation_agrees_with_float64():
    net = Network([2, 8, 8, 1], activations="tanh", seed=3)
    x = batch(2, 100, low=-6, high=6)
    fast = net.predict(x, dtype=np.float32)
    assert fast.dtype == np.float32
    np.testing.assert_allclose(fast, net.predict(x), atol=1e-5)


def test_seed_reproduces_the_same_weights_and_reset_rewinds():
    a = Network([2, 4, 1], seed=7, init="normal")
    b = Network([2, 4, 1], seed=7, init="normal")
    c = Network([2, 4, 1], seed=8, init="normal")
    np.testing.assert_array_equal(a.w[2], b.w[2])
    assert not np.array_equal(a.w[2], c.w[2])
    start = a.copy()
    a.train_step(batch(2, 4), batch(1, 4), 0.5)
    assert not np.array_equal(a.w[2], start.w[2])
    a.reset()
    for l in (2, 3):
        np.testing.assert_array_equal(a.w[l], start.w[l])
        np.testing.assert_array_equal(a.b[l], start.b[l])


def test_copy_is_independent():
    net = Network([2, 2, 1], seed=0)
    other = net.copy()
    other.w[2][0, 0] = 99.0
    assert net.w[2][0, 0] != 99.0


def test_train_step_keeps_weights_when_the_update_is_not_finite():
    net = Network([1, 1], activations="linear", init="normal", seed=0)
    before = net.copy()
    x, y = np.array([[1e200]]), np.array([[0.0]])
    with np.errstate(all="ignore"):
        cost = net.train_step(x, y, 1e200)
    assert not np.isfinite(cost)
    np.testing.assert_array_equal(net.w[2], before.w[2])


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ([2], r"between 2 and \d+ layers .* got 1"),
        ([2] * (MAX_LAYERS + 1), r"between 2 and \d+ layers"),
        ([2, 0, 1], r"K_2 \(neurons in layer 2\) must be an integer from 1 to \d+, got 0"),
        ([2, MAX_NEURONS + 1, 1], r"K_2 .* got 257"),
        ([2, 2.5, 1], r"K_2 .* got 2.5"),
        ([2, True, 1], r"K_2 .* got True"),
        (5, r"sizes must be a list"),
    ],
)
def test_bad_sizes_are_clear_errors(sizes, message):
    with pytest.raises(ValueError, match=message):
        Network(sizes)


def test_bad_network_arguments_are_clear_errors():
    with pytest.raises(ValueError, match=r"one activation for all layers or one per layer"):
        Network([2, 3, 1], activations=["tanh"])
    with pytest.raises(ValueError, match=r"unknown activation 'swish'"):
        Network([2, 3, 1], activations=["tanh", "swish"])
    with pytest.raises(ValueError, match=r"unknown initialisation 'he'"):
        Network([2, 1], init="he")
    with pytest.raises(ValueError, match=r"cross-entropy cost needs a sigmoid output"):
        Network([2, 1], activations="tanh", cost="cross_entropy")
    with pytest.raises(ValueError, match=r"seed must be a non-negative integer, got -1"):
        Network([2, 1], seed=-1)


def test_bad_data_is_a_clear_error():
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"x must have shape \(2, N\) .* got \(3, 4\)"):
        net.feedforward(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"x must have shape \(2, N\) .* got \(2,\)"):
        net.feedforward(np.zeros(2))
    with pytest.raises(ValueError, match=r"x must be finite"):
        net.feedforward(np.array([[np.nan], [0.0]]))
    with pytest.raises(ValueError, match=r"x must be an array of numbers"):
        net.feedforward([["a"], ["b"]])
    with pytest.raises(ValueError, match=r"y must have shape \(1, 4\) to match x, got \(4,\)"):
        net.backprop(np.zeros((2, 4)), np.zeros(4))
    with pytest.raises(ValueError, match=r"y must be finite"):
        net.backprop(np.zeros((2, 1)), np.array([[np.inf]]))


@pytest.mark.parametrize("alpha", [0, -0.1, float("nan"), float("inf"), "fast", None])
def test_learning_rate_must_be_positive_and_finite(alpha):
    net = Network([2, 1], seed=0)
    with pytest.raises(ValueError, match=r"learning rate α must be"):
        net.train_step(np.zeros((2, 1)), np.zeros((1, 1)), alpha)


def test_set_params_validates_shapes_and_values():
    net = Network([2, 2, 1], seed=0)
    w, b = net.copy().w, net.copy().b
    with pytest.raises(ValueError, match=r"w\^3 must have shape \(1, 2\), got \(2, 1\)"):
        net.set_params({**w, 3: np.zeros((2, 1))}, b)
    with pytest.raises(ValueError, match=r"b\^2 must be finite"):
        net.set_params(w, {**b, 2: np.array([[np.nan], [0.0]])})
    with pytest.raises(ValueError, match=r"w\^3 is missing"):
        net.set_params({2: w[2]}, b)


def test_each_layer_is_one_block_w_then_b_inside_theta():
    # Fig. 5: the bias is the weight of a constant input 1, so [w^l | b^l] is one (K_l, K_{l-1}+1)
    # block, and every block lies in the flat vector θ, layer after layer.
    net = Network([2, 3, 1], seed=0)
    blocks = net.theta[:9].reshape(3, 3), net.theta[9:].reshape(1, 4)
    np.testing.assert_array_equal(blocks[0], np.hstack([net.w[2], net.b[2]]))
    np.testing.assert_array_equal(blocks[1], np.hstack([net.w[3], net.b[3]]))
    net.w[2][1, 0] = 7.0  # w^2_21
    net.b[3][0, 0] = -2.0  # b^3_1
    assert net.theta[3] == 7.0 and net.theta[-1] == -2.0
    net.set_params({2: np.ones((3, 2)), 3: np.full((1, 3), 2.0)}, {2: np.zeros((3, 1)), 3: [[5]]})
    np.testing.assert_array_equal(net.theta, [1, 1, 0, 1, 1, 0, 1, 1, 0, 2, 2, 2, 5])


def test_gradient_vector_is_laid_out_like_theta():
    net = Network([2, 3, 2], activations="tanh", seed=1)
    g = net.backprop(batch(2, 5), batch(2, 5, seed=1))
    for l in (2, 3):
        assert np.shares_memory(g.w[l], g.flat) and np.shares_memory(g.b[l], g.flat)
    expected = np.concatenate([np.hstack([g.w[l], g.b[l]]).ravel() for l in (2, 3)])
    np.testing.assert_array_equal(g.flat, expected)
    # (19): the last column of δ^l [a^{l-1}; 1]^T / N is the batch mean of δ^l
    np.testing.assert_allclose(g.b[3][:, 0], g.delta[3].mean(axis=1), rtol=1e-14)


def test_pickle_and_deepcopy_keep_w_and_b_views_of_theta():
    import copy
    import pickle

    net = Network([2, 4, 1], activations="tanh", seed=3)
    x = batch(2, 6)
    for other in (copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        np.testing.assert_array_equal(other.predict(x), net.predict(x))
        other.w[2][0, 0] += 1.0
        assert np.shares_memory(other.w[2], other.theta)
        assert not np.shares_memory(other.theta, net.theta)
        assert not np.array_equal(other.predict(x), net.predict(x))


def test_apply_gradients_is_all_or_nothing():
    net = Network([2, 2, 1], activations="linear", seed=0)
    g = net.backprop(batch(2, 3), batch(1, 3, seed=1))
    theta = net.theta.copy()
    g.flat[0] = np.inf
    with np.errstate(all="ignore"):
        assert not net.apply_gradients(g, 0.1)
    np.testing.assert_array_equal(net.theta, theta)
    g.flat[0] = 0.0
    assert net.apply_gradients(g, 0.1)
    np.testing.assert_array_equal(net.theta, theta - 0.1 * g.flat)


# --- K_L > 1 outputs and a softmax output (issue 14) ------------------------------------------


def test_three_class_softmax_cross_entropy_step_worked_by_hand():
    # x = (1, 2), true class 1 of 3: y = (1, 0, 0). Layer 2: ReLU, w^2 = I, b^2 = 0, so
    # z^2 = a^2 = (1, 2). Layer 3: softmax, w^3 = [[0.5, 0], [0, 0.5], [0, 0]], b^3 = 0:
    # z^3 = (0.5, 1, 0),  a^3 = e^z / Σ e^z = (1.648721, 2.718282, 1) / 5.367003
    #                         = (0.307196, 0.506480, 0.186324)
    # C = −Σ_k y_k ln a_k = −ln 0.307196 = 1.180270
    # δ^3 = a^3 − y = (−0.692804, 0.506480, 0.186324)        (softmax + cross-entropy, from (7))
    # (17) δ^2 = (w^3)^T δ^3 ⊙ ReLU'(z^2) = (0.5·−0.692804, 0.5·0.506480) = (−0.346402, 0.253240)
    # (18) ∂C/∂w^3 = δ^3 (a^2)^T = [[−0.692804, −1.385608], [0.506480, 1.012961],
    #                               [0.186324, 0.372647]]
    #      ∂C/∂w^2 = δ^2 x^T = [[−0.346402, −0.692804], [0.253240, 0.506480]]
    # (19) ∂C/∂b^3 = δ^3, ∂C/∂b^2 = δ^2
    net = Network([2, 2, 3], activations=["relu", "softmax"], cost="cross_entropy")
    net.set_params(
        {2: [[1.0, 0.0], [0.0, 1.0]], 3: [[0.5, 0.0], [0.0, 0.5], [0.0, 0.0]]},
        {2: np.zeros((2, 1)), 3: np.zeros((3, 1))},
    )
    x, y = np.array([[1.0], [2.0]]), np.array([[1.0], [0.0], [0.0]])
    g = net.backprop(x, y)
    np.testing.assert_allclose(g.forward.z[3][:, 0], [0.5, 1.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(g.forward.a[3][:, 0], [0.307196, 0.506480, 0.186324], atol=1e-6)
    assert g.cost == pytest.approx(1.180270, abs=1e-6)
    np.testing.assert_allclose(g.delta[3][:, 0], [-0.692804, 0.506480, 0.186324], atol=1e-6)
    np.testing.assert_array_equal(g.delta[3], g.forward.a[3] - y)
    np.testing.assert_allclose(g.delta[2][:, 0], [-0.346402, 0.253240], atol=1e-6)
    np.testing.assert_allclose(
        g.w[3], [[-0.692804, -1.385608], [0.506480, 1.012961], [0.186324, 0.372647]], atol=1e-6
    )
    np.testing.assert_allclose(g.w[2], [[-0.346402, -0.692804], [0.253240, 0.506480]], atol=1e-6)
    np.testing.assert_array_equal(g.b[3], g.delta[3])
    np.testing.assert_array_equal(g.b[2], g.delta[2])
    # (24), (25) with α = 1: w^3 = w^3 − ∂C/∂w^3, b^3 = −δ^3
    net.train_step(x, y, 1.0)
    np.testing.assert_allclose(net.w[3][0], [1.192804, 1.385608], atol=1e-6)
    np.testing.assert_allclose(net.b[3][:, 0], [0.692804, -0.506480, -0.186324], atol=1e-6)


def test_softmax_outputs_are_a_distribution_over_the_classes_in_both_precisions():
    net = Network([2, 5, 4], activations=["tanh", "softmax"], init="normal", seed=1)
    x = batch(2, 50, low=-6, high=6)
    for dtype, tol in ((np.float64, 1e-14), (np.float32, 1e-6)):
        out = net.predict(x, dtype=dtype)
        assert out.shape == (4, 50) and out.dtype == dtype and (out > 0).all()
        np.testing.assert_allclose(out.sum(axis=0), 1.0, atol=tol)
    np.testing.assert_allclose(net.predict(x, dtype=np.float32), net.predict(x), atol=1e-6)


def test_softmax_network_errors_are_clear():
    with pytest.raises(ValueError, match=r"softmax output .* needs K_3 ≥ 2 output neurons .*got 1"):
        Network([2, 3, 1], activations=["tanh", "softmax"])
    with pytest.raises(ValueError, match=r"softmax is offered for the output layer \(l = 4\) only"):
        Network([2, 3, 3, 3], activations=["softmax", "tanh", "softmax"])
    with pytest.raises(ValueError, match=r"output layer \(l = 3\) only, not as .* hidden layer 2"):
        Network([2, 3, 3], activations="softmax")  # one name for every layer: layer 2 too
    with pytest.raises(ValueError, match=r"cross-entropy cost needs a sigmoid output"):
        Network([2, 3], activations="relu", cost="cross_entropy")


def test_a_network_binds_its_cost_to_its_output_layer():
    soft = Network([2, 3], activations=["softmax"], cost="cross_entropy")
    sig = Network([2, 3], activations=["sigmoid"], cost="cross_entropy")
    assert soft.cost.softmax and not sig.cost.softmax
    assert soft.cost.name == sig.cost.name == "cross_entropy"
    assert Network([2, 3], activations=["softmax"]).cost.softmax  # quadratic, δ^L by (7)


# --- editing one parameter, and the start Reset rewinds to (issue 14) --------------------------


def test_set_weight_and_bias_are_exact_and_reach_theta():
    net = Network([2, 3, 2], activations="tanh", seed=0)
    net.set_weight(3, 1, 2, -1.25)  # w^3_23
    net.set_bias(3, 1, 0.1 + 0.2)  # b^3_2, an output bias
    net.set_weight(2, np.int64(0), 1, 100)  # the bound itself is allowed
    assert net.w[3][1, 2] == -1.25 and net.b[3][1, 0] == 0.1 + 0.2 and net.w[2][0, 1] == 100.0
    # θ = [w^2 | b^2] (3 × 3), then [w^3 | b^3] (2 × 4): w^3_23 is θ[9 + 4 + 2]
    assert net.theta[15] == -1.25 and net.theta[16] == 0.1 + 0.2


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda n: n.set_weight(1, 0, 0, 1.0), r"layer l must be an integer from 2 to 3 \(layer 1"),
        (lambda n: n.set_weight(4, 0, 0, 1.0), r"layer l must be an integer from 2 to 3 .*got 4"),
        (lambda n: n.set_bias(2.0, 0, 1.0), r"layer l must be an integer from 2 to 3 .*got 2\.0"),
        (lambda n: n.set_weight(3, 2, 0, 1.0),
         r"j must be a neuron of layer 3: an integer from 0 to 1 \(K_3 = 2, 0-based\), got 2"),
        (lambda n: n.set_weight(3, 0, 3, 1.0),
         r"k must be a neuron of layer 2: an integer from 0 to 2 \(K_2 = 3, 0-based\), got 3"),
        (lambda n: n.set_bias(2, -1, 1.0), r"j must be a neuron of layer 2: .* got -1"),
        (lambda n: n.set_bias(2, True, 1.0), r"j must be a neuron of layer 2: .* got True"),
        (lambda n: n.set_weight(3, 1, 2, float("nan")),
         r"w\^3_23 must be a finite number from -100 to 100, got nan"),
        (lambda n: n.set_weight(2, 0, 0, 100.5), r"w\^2_11 must be a finite number .* got 100\.5"),
        (lambda n: n.set_bias(3, 0, -1e300), r"b\^3_1 must be a finite number .* got -1e\+300"),
        (lambda n: n.set_bias(3, 0, float("inf")), r"b\^3_1 must be a finite number .* got inf"),
        (lambda n: n.set_bias(3, 0, "2"), r"b\^3_1 must be a number, got '2'"),
        (lambda n: n.set_bias(3, 0, None), r"b\^3_1 must be a number, got None"),
        (lambda n: n.set_bias(3, 0, True), r"b\^3_1 must be a number, got True"),
        (lambda n: n.set_bias(3, 0, 10**400), r"b\^3_1 must be a finite number .* got 1000"),
    ],
)  # fmt: skip
def test_bad_edits_are_clear_errors_and_change_nothing(call, message):
    net = Network([2, 3, 2], activations="tanh", seed=0)
    before = net.theta.copy()
    with pytest.raises(ValueError, match=message):
        call(net)
    np.testing.assert_array_equal(net.theta, before)


def test_two_digit_indices_get_a_comma_in_their_name():
    net = Network([12, 11, 1], seed=0)
    with pytest.raises(ValueError, match=r"w\^2_11,12 must be a finite number"):
        net.set_weight(2, 10, 11, np.inf)


def test_reset_rewinds_to_kept_parameters_until_forgotten():
    net = Network([2, 3, 1], activations="tanh", seed=5)
    drawn = net.theta.copy()
    net.set_weight(2, 0, 0, 7.0)
    assert not net.has_kept_start
    net.keep_as_start()
    assert net.has_kept_start
    net.train_step(batch(2, 4), batch(1, 4, seed=1), 0.5)
    net.reset()
    assert net.w[2][0, 0] == 7.0
    np.testing.assert_array_equal(np.delete(net.theta, 0), np.delete(drawn, 0))
    copied = net.copy()
    net.forget_start()
    net.reset()
    np.testing.assert_array_equal(net.theta, drawn)
    copied.reset()  # a copy keeps the start it was made with
    assert copied.w[2][0, 0] == 7.0
