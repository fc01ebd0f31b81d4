import numpy as np
import pytest

from playground import Network, Trainer, encode_targets
from playground.presets import lecture_xor_inputs
from tests.conftest import batch

XOR_Y = np.array([[0.0, 1.0, 1.0, 0.0]])


def xor_trainer(**kw):
    net = Network([3, 3, 1], activations=["tanh", "sigmoid"], init="normal", seed=1)
    kw.setdefault("learning_rate", 2.0)
    return Trainer(net, lecture_xor_inputs(), XOR_Y, threshold=0.5, **kw)


def test_batch_gradient_descent_learns_xor():
    t = xor_trainer()
    assert t.step(2000) == 2000
    assert t.metrics["cost_train"] < 0.01
    assert t.metrics["acc_train"] == 1.0
    assert t.steps == 2000 and t.epoch == 2000


def test_history_row_t_describes_the_weights_after_t_updates():
    t = xor_trainer()
    first = t.net.backprop(lecture_xor_inputs(), XOR_Y).cost
    t.step(3)
    assert t.history.column("step").tolist() == [0, 1, 2, 3]
    assert t.history.column("cost_train")[0] == first
    assert t.history.column("cost_train")[-1] == t.net.backprop(lecture_xor_inputs(), XOR_Y).cost
    g = t.net.backprop(lecture_xor_inputs(), XOR_Y)
    assert t.metrics["grad_b_2"] == pytest.approx(np.linalg.norm(g.b[2]))
    assert t.metrics["norm_w_3"] == pytest.approx(np.linalg.norm(t.net.w[3]))


def test_delta_rms_is_the_typical_size_of_one_examples_delta():
    t = xor_trainer()
    t.step(5)
    g = t.net.backprop(lecture_xor_inputs(), XOR_Y)
    for l in (2, 3):
        # sqrt((1/N) Σ_x ||δ^l_x||²), written out example by example
        by_hand = np.sqrt(np.mean([np.sum(g.delta[l][:, i] ** 2) for i in range(4)]))
        assert t.metrics[f"delta_rms_{l}"] == pytest.approx(by_hand, rel=1e-12)
        # ||mean_x δ_x|| ≤ sqrt(mean_x ||δ_x||²): the batch mean can cancel signs, the rms cannot
        assert t.metrics[f"delta_rms_{l}"] >= t.metrics[f"grad_b_{l}"] * (1 - 1e-12)
    assert t.history.column("delta_rms_3").shape == (6,)


def test_reset_rewinds_to_the_same_run():
    t = xor_trainer(batch_size=2, seed=3)
    t.step(50)
    run1 = t.history.column("cost_train").copy()
    t.reset()
    assert t.steps == 0 and len(t.history) == 1
    t.step(50)
    np.testing.assert_array_equal(t.history.column("cost_train"), run1)


def test_minibatches_cover_an_epoch_and_depend_on_the_seed():
    x, y = batch(2, 10), batch(1, 10, seed=1)
    runs = []
    for seed in (0, 0, 1):
        t = Trainer(Network([2, 3, 1], seed=0), x, y, batch_size=3, seed=seed)
        t.step(4)  # 3 + 3 + 3 + 1: the fourth batch ends the epoch
        runs.append(t.net.w[2].copy())
        assert t.examples_seen == 10 and t.epoch == 1.0
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])


def test_single_example_steps():
    x, y = batch(2, 5), batch(1, 5, seed=1)
    t = Trainer(Network([2, 3, 1], seed=0), x, y, batch_size=1)
    t.step(5)
    assert t.epoch == 1.0


def test_learning_rate_and_batch_size_change_without_reset():
    t = xor_trainer()
    t.step(5)
    w = t.net.w[2].copy()
    t.learning_rate = 0.1
    t.batch_size = 2
    assert t.steps == 5
    np.testing.assert_array_equal(t.net.w[2], w)
    t.step(1)
    assert t.steps == 6


def test_test_set_is_measured_but_never_trained_on():
    x, y = batch(2, 20), batch(1, 20, seed=1)
    xt, yt = batch(2, 10, seed=2), batch(1, 10, seed=3)
    a = Trainer(Network([2, 3, 1], seed=0), x, y, x_test=xt, y_test=yt, learning_rate=0.5)
    b = Trainer(Network([2, 3, 1], seed=0), x, y, learning_rate=0.5)
    a.step(10)
    b.step(10)
    np.testing.assert_array_equal(a.net.w[2], b.net.w[2])
    assert np.isfinite(a.metrics["cost_test"]) and "cost_test" not in b.metrics


def test_divergence_is_reported_and_keeps_the_last_finite_weights():
    # A linear network with a learning rate far too large: every step multiplies the error.
    net = Network([1, 1, 1], activations="linear", init="normal", seed=0)
    x = np.array([[1.0, 2.0, 3.0]])
    t = Trainer(net, x, 2 * x, learning_rate=50.0)
    made = t.step(10_000)
    assert made < 10_000
    d = t.divergence
    assert d is not None and d.step == made + 1 and d.learning_rate == 50.0
    assert "diverged at step" in d.message and "Try a smaller α" in d.message
    assert all(np.isfinite(t.net.w[l]).all() and np.isfinite(t.net.b[l]).all() for l in (2, 3))
    assert np.isfinite(t.metrics["cost_train"])
    assert np.all(np.isfinite(t.history.column("cost_train")))
    assert t.step(5) == 0  # stays stopped …
    t.resume()
    assert t.divergence is None  # the student may try again from the last finite weights
    t.reset()
    assert t.divergence is None and t.steps == 0
    t.learning_rate = 0.01
    assert t.step(5) == 5  # after Reset with a small α it trains


def test_accuracy_uses_the_midpoint_of_the_targets():
    t = xor_trainer()
    out = np.array([[0.2, 0.7, 0.4, 0.9]])
    assert t.accuracy(out, XOR_Y) == 0.5
    t.threshold = None
    assert np.isnan(t.accuracy(out, XOR_Y))


def test_encode_targets():
    np.testing.assert_array_equal(encode_targets(np.array([[0, 1, 1]]), (-1.0, 1.0)), [[-1, 1, 1]])


def test_bad_batch_size():
    with pytest.raises(ValueError, match=r"batch size must be an integer ≥ 1 or None"):
        xor_trainer(batch_size=0)


def test_new_data_keeps_the_weights_and_the_history():
    x, y = batch(2, 20), batch(1, 20, seed=1)
    t = Trainer(Network([2, 3, 1], seed=0), x, y, learning_rate=0.5, batch_size=15)
    t.step(4)
    w = t.net.w[2].copy()
    t.set_data(batch(2, 10, seed=5), batch(1, 10, seed=6))
    np.testing.assert_array_equal(t.net.w[2], w)
    assert t.steps == 4 and len(t.history) == 5
    assert t.batch_size is None  # 15 ≥ 10 examples: the whole set
    assert t.metrics["cost_train"] == pytest.approx(
        t.net.backprop(batch(2, 10, seed=5), batch(1, 10, seed=6)).cost
    )


def test_a_start_that_overflows_is_measured_without_a_warning():
    """The first measurement of far-out data overflows quietly (pytest turns an engine's
    RuntimeWarning into an error); the caller sees a non-finite cost and decides."""
    from playground import Network, Trainer

    net = Network([2, 4, 1], activations="linear", seed=0)
    x = np.array([[1e300, -1e300, 1e300], [0.0, 1.0, 2.0]])
    t = Trainer(net, x, np.array([[1.0, -1.0, 1.0]]))
    assert not np.isfinite(t.metrics["cost_train"])


# --- more than two classes (issue 14) --------------------------------------------------------


def test_encode_targets_one_hot_in_the_output_range():
    labels = np.array([[2.0, 0.0, 1.0, 2.0]])
    np.testing.assert_array_equal(
        encode_targets(labels, (0.0, 1.0), outputs=3),
        [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]],
    )
    np.testing.assert_array_equal(
        encode_targets(labels[0], (-1.0, 1.0), outputs=3),
        [[-1, 1, -1, -1], [-1, -1, 1, -1], [1, -1, -1, 1]],
    )
    # two classes on two outputs (a softmax pair) are one-hot too; on one output as before
    np.testing.assert_array_equal(encode_targets([[1, 0]], (0.0, 1.0), outputs=2), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(encode_targets([[1, 0]], (-1.0, 1.0)), [[1, -1]])


@pytest.mark.parametrize(
    ("labels", "outputs", "message"),
    [
        ([[0, 1, 2]], 1, r"one output neuron tells two classes apart \(0 and 1\); got labels "
                         r"\[0, 1, 2\]: give the network one output per class"),
        ([[0, 3]], 3, r"labels must be whole numbers 0 to 2 for K_L = 3 outputs, got \[0, 3\]"),
        ([[0, 0.5]], 2, r"labels must be whole numbers 0 to 1 for K_L = 2 .*, got \[0, 0\.5\]"),
        ([[0, 1]], 0, r"outputs \(K_L\) must be an integer ≥ 1, got 0"),
        ([[0, 1]], 2.0, r"outputs \(K_L\) must be an integer ≥ 1, got 2\.0"),
    ],
)  # fmt: skip
def test_encode_targets_errors(labels, outputs, message):
    with pytest.raises(ValueError, match=message):
        encode_targets(np.array(labels), (0.0, 1.0), outputs=outputs)


def three_class_trainer(output="softmax", cost="cross_entropy", **kw):
    from playground.datasets import make_dataset

    ds = make_dataset("gauss", classes=3, n_points=120, seed=1)
    net = Network([2, 6, 3], activations=["tanh", output], cost=cost, init="uniform", seed=0)
    lo, hi = net.act[net.L].targets
    return Trainer(
        net,
        ds.x_train,
        encode_targets(ds.y_train, (lo, hi), outputs=3),
        x_test=ds.x_test,
        y_test=encode_targets(ds.y_test, (lo, hi), outputs=3),
        learning_rate=0.3,
        threshold=(lo + hi) / 2,
        **kw,
    ), ds


@pytest.mark.parametrize(
    ("output", "cost"),
    [("softmax", "cross_entropy"), ("tanh", "quadratic"), ("sigmoid", "quadratic")],
)
def test_three_gaussian_clouds_are_learnt_with_k_outputs(output, cost):
    t, _ = three_class_trainer(output, cost)
    assert t.n_classes == 3
    t.step(300)
    assert t.metrics["acc_train"] == 1.0 and t.metrics["acc_test"] >= 0.95


def test_multi_class_runs_are_seeded():
    runs = []
    for _ in range(2):
        t, _ = three_class_trainer(batch_size=7, seed=3)
        t.step(40)
        runs.append((t.history.column("cost_train").copy(), t.net.theta.copy(), t.confusion()))
    for a, b in zip(runs[0], runs[1], strict=True):
        np.testing.assert_array_equal(a, b)


def test_accuracy_and_confusion_of_k_outputs_are_argmax_against_the_label():
    t, ds = three_class_trainer()
    t.step(5)
    out = t.net.predict(ds.x_train)
    predicted, true = out.argmax(axis=0), ds.y_train[0].astype(int)
    by_hand = np.zeros((3, 3), int)
    for i, j in zip(true, predicted, strict=True):
        by_hand[i, j] += 1  # row: true class, column: predicted class
    np.testing.assert_array_equal(t.confusion(), by_hand)
    assert t.metrics["acc_train"] == pytest.approx(np.trace(by_hand) / by_hand.sum())
    assert t.accuracy(out, t.y_train) == t.metrics["acc_train"]
    test = t.confusion(test=True)
    assert test.sum() == ds.x_test.shape[1]
    assert t.metrics["acc_test"] == pytest.approx(np.trace(test) / test.sum())


def test_confusion_of_two_classes_on_one_output_and_of_regression():
    t = xor_trainer()
    t.step(2000)
    np.testing.assert_array_equal(t.confusion(), [[2, 0], [0, 2]])  # (0,0), (1,1) | (0,1), (1,0)
    assert t.n_classes == 2 and t.confusion(test=True) is None
    t.threshold = None
    assert t.confusion() is None and t.n_classes is None


def test_new_data_gives_new_true_classes():
    t, ds = three_class_trainer()
    labels = ds.y_train[:, :10]
    t.set_data(ds.x_train[:, :10], encode_targets(labels, (0.0, 1.0), outputs=3))
    counts = np.bincount(labels[0].astype(int), minlength=3)
    np.testing.assert_array_equal(t.confusion().sum(axis=1), counts)
    assert t.confusion(test=True) is None


# --- edits and regularisation between steps (issue 14) ----------------------------------------


def test_an_edit_is_measured_at_once_and_the_next_step_starts_from_it():
    t = xor_trainer()
    t.step(3)
    t.set_weight(3, 0, 1, -2.5)
    t.set_bias(3, 0, 0.75)  # the output's bias
    x = lecture_xor_inputs()
    g = t.net.backprop(x, XOR_Y)
    assert t.metrics["cost_train"] == g.cost and t.gradients.cost == g.cost
    np.testing.assert_array_equal(t.gradients.w[3], g.w[3])
    assert t.steps == 3 and len(t.history) == 4  # the row of step 3 describes the edited network
    assert t.history.column("cost_train")[-1] == g.cost
    assert t.history.column("norm_w_3")[-1] == pytest.approx(np.linalg.norm(t.net.w[3]))
    w = {l: t.net.w[l].copy() for l in (2, 3)}
    t.step(1)  # full batch: (24) from the edited weights
    np.testing.assert_allclose(t.net.w[3], w[3] - 2.0 * g.w[3], rtol=1e-14)


def test_a_refused_edit_changes_nothing():
    t = xor_trainer()
    t.step(2)
    metrics, theta = dict(t.metrics), t.net.theta.copy()
    with pytest.raises(ValueError, match=r"k must be a neuron of layer 2: .* got 3"):
        t.set_weight(3, 0, 3, 1.0)
    with pytest.raises(ValueError, match=r"b\^2_1 must be a finite number"):
        t.set_bias(2, 0, float("nan"))
    assert t.metrics == metrics and len(t.history) == 3
    np.testing.assert_array_equal(t.net.theta, theta)


def test_reset_keeps_edits_only_when_told():
    t = xor_trainer()
    first = t.net.theta.copy()
    t.set_weight(2, 0, 0, 3.0)
    t.step(5)
    t.reset()
    np.testing.assert_array_equal(t.net.theta, first)  # the seeded start
    t.set_weight(2, 0, 0, 3.0)
    t.net.keep_as_start()
    cost = t.metrics["cost_train"]
    t.step(5)
    t.reset()
    assert t.net.w[2][0, 0] == 3.0 and t.steps == 0 and len(t.history) == 1
    assert t.metrics["cost_train"] == cost == t.history.column("cost_train")[0]


def test_regularisation_changes_mid_run_without_a_reset():
    from playground.regularization import Regularization

    t = xor_trainer()
    t.step(10)
    theta, cost = t.net.theta.copy(), t.metrics["cost_train"]
    assert t.metrics["penalty"] == 0.0
    t.regularization = Regularization("l2", 0.1)
    np.testing.assert_array_equal(t.net.theta, theta)
    weights = np.concatenate([t.net.w[l].ravel() for l in (2, 3)])
    assert t.metrics["penalty"] == pytest.approx(0.05 * weights @ weights, rel=1e-14)
    assert t.metrics["cost_train"] == cost  # C_0: the data's cost is unchanged
    assert t.history.column("penalty")[-1] == t.metrics["penalty"] and t.steps == 10
    assert t.gradients.penalty == t.metrics["penalty"]  # the cached gradients are C's
    t.step(1)
    assert t.net.regularization.name == "l2" and t.steps == 11


def test_a_weight_that_overflows_the_penalty_is_divergence():
    # L2's Σ w² overflows before any weight does: the step is refused like any divergence
    net = Network([1, 1], activations="sigmoid", init="normal", seed=0,
                  regularization="l2", regularization_rate=1.0)  # fmt: skip
    t = Trainer(net, np.array([[1.0]]), np.array([[1.0]]), learning_rate=1e160)
    t.set_weight(2, 0, 0, 100.0)
    t.step(3)
    assert t.divergence is not None and "infinite" in t.divergence.reason
    assert t.net.w[2][0, 0] == 100.0 and t.steps == 0
    assert np.isfinite(t.metrics["cost_train"] + t.metrics["penalty"])


# --- a step shown before it is made: the slow-motion Step (issue 14) --------------------------


@pytest.mark.parametrize("batch_size", [None, 3, 4])
def test_preview_shows_exactly_the_next_step(batch_size):
    x, y = batch(2, 10), batch(1, 10, seed=1)
    t = Trainer(Network([2, 3, 1], activations="tanh", seed=0), x, y, batch_size=batch_size,
                learning_rate=0.5, seed=2)  # fmt: skip
    for _ in range(7):  # across epoch boundaries: 10 examples in batches of 3 or 4
        p = t.preview_step()
        again = t.preview_step()  # a preview changes nothing, not even the shuffling
        assert (p.batch is None) == (batch_size is None)
        if p.batch is not None:
            np.testing.assert_array_equal(p.batch, again.batch)
            assert len(p.batch) <= batch_size
            g = t.net.backprop(x[:, p.batch], y[:, p.batch])
            np.testing.assert_array_equal(p.gradients.delta[2], g.delta[2])
        assert p.learning_rate == 0.5
        t.step(1)
        for l in (2, 3):
            np.testing.assert_array_equal(t.net.w[l], p.w[l])
            np.testing.assert_array_equal(t.net.b[l], p.b[l])


def test_preview_does_not_change_the_run():
    x, y = batch(2, 10), batch(1, 10, seed=1)
    runs = []
    for peek in (False, True):
        t = Trainer(Network([2, 3, 1], seed=0), x, y, batch_size=3, seed=4, learning_rate=0.5)
        for _ in range(9):
            if peek:
                t.preview_step()
            t.step(1)
        runs.append(t.net.theta.copy())
    np.testing.assert_array_equal(runs[0], runs[1])


def test_updated_is_24_and_25_on_a_copy():
    net = Network([2, 3, 2], activations="tanh", seed=4)
    g = net.backprop(batch(2, 5), batch(2, 5, seed=1))
    theta = net.theta.copy()
    after, finite = net.updated(g, 0.25)
    assert finite
    np.testing.assert_array_equal(net.theta, theta)
    for l in (2, 3):
        np.testing.assert_array_equal(after.w[l], net.w[l] - 0.25 * g.w[l])
        np.testing.assert_array_equal(after.b[l], net.b[l] - 0.25 * g.b[l])
        assert not np.shares_memory(after.w[l], net.theta)


def test_a_preview_of_a_diverging_step_says_so():
    net = Network([1, 1], activations="linear", init="normal", seed=0)
    t = Trainer(net, np.array([[1e200]]), np.array([[0.0]]), learning_rate=1e200)
    p = t.preview_step()
    assert not p.finite
    np.testing.assert_array_equal(p.w[2], net.w[2])
    assert t.step(1) == 0 and t.divergence is not None
