from dataclasses import replace

import numpy as np
import pytest

from ui.config import DEFAULT, PlaygroundConfig
from ui.experiment import GRID, Experiment


def test_default_experiment_trains_and_draws():
    e = Experiment(DEFAULT)
    c0 = e.trainer.metrics["cost_train"]
    e.step(50)
    assert e.trainer.metrics["cost_train"] < c0
    f = e.frame()
    assert f.output.shape == (GRID, GRID) and f.output.dtype == np.float32
    assert f.value_range == (-1.0, 1.0)
    assert [t.shape[0] for t in f.thumbnails.values()] == [2, 4, 2, 1]
    np.testing.assert_allclose(f.output[::5, ::5], f.thumbnails[4][0])


def test_frame_matches_the_float64_network_on_the_grid():
    e = Experiment(DEFAULT)
    e.step(5)
    exact = e.net.predict(e.grid_inputs.astype(np.float64))[0].reshape(GRID, GRID)
    np.testing.assert_allclose(e.frame().output, exact, atol=1e-5)


def test_learning_rate_and_batch_size_change_without_a_reset():
    e = Experiment(DEFAULT)
    e.step(10)
    assert e.update(replace(DEFAULT, learning_rate=0.01, batch_size=25)) == "settings"
    assert e.trainer.steps == 10 and e.trainer.learning_rate == 0.01
    assert e.trainer.batch_size == 25


def test_new_data_seed_keeps_the_network():
    e = Experiment(DEFAULT)
    e.step(10)
    w = e.net.w[2].copy()
    assert e.update(replace(DEFAULT, data_seed=1)) == "new data"
    np.testing.assert_array_equal(e.net.w[2], w)
    assert e.trainer.steps == 10


def test_architecture_or_data_changes_rebuild_from_the_seed():
    e = Experiment(DEFAULT)
    first = e.trainer.metrics["cost_train"]
    e.step(10)
    assert e.update(replace(DEFAULT, hidden=(3,))) == "rebuilt"
    assert e.net.sizes == (2, 3, 1) and e.trainer.steps == 0
    assert e.update(DEFAULT) == "rebuilt"
    assert e.trainer.metrics["cost_train"] == first  # same seed, same start
    assert e.update(replace(DEFAULT, noise=20)) == "rebuilt"


def test_reset_rewinds_to_the_same_first_cost():
    e = Experiment(DEFAULT)
    first = e.trainer.metrics["cost_train"]
    e.step(20)
    e.reset()
    assert e.trainer.metrics["cost_train"] == first and e.trainer.steps == 0


def test_classification_targets_follow_the_output_activation():
    e = Experiment(PlaygroundConfig(output_act="sigmoid"))
    assert set(np.unique(e.trainer.y_train)) == {0.0, 1.0}
    assert e.trainer.threshold == 0.5
    e = Experiment(PlaygroundConfig())
    assert set(np.unique(e.trainer.y_train)) == {-1.0, 1.0}


def test_one_dimensional_data_is_drawn_as_a_curve():
    e = Experiment(PlaygroundConfig(dataset="sine_1d", features=("x1",), output_act="linear"))
    f = e.frame()
    assert f.output.ndim == 1 and e.net.sizes[0] == 1
    assert e.trainer.threshold is None


def test_lecture_points_use_their_own_square():
    e = Experiment(PlaygroundConfig(dataset="xor_lecture"))
    assert e.extent == (-0.5, 1.5, -0.5, 1.5)
    assert e.trainer.x_test is None  # all four points train


def test_neuron_stats_are_training_set_means():
    e = Experiment(DEFAULT)
    g = e.net.backprop(e.trainer.x_train, e.trainer.y_train)
    stats = e.neuron_stats()
    np.testing.assert_allclose(stats[2]["z"], g.forward.z[2].mean(axis=1))
    np.testing.assert_allclose(stats[3]["delta"], g.delta[3].mean(axis=1))


def test_advice_explains_sign_zero_init_and_a_rising_cost():
    assert Experiment(DEFAULT).advice() is None
    sign = Experiment(PlaygroundConfig(hidden=(3,), hidden_act=("sign",)))
    # issue 11: one layer is "layer 2", in Unicode maths, not "δ^l = 0 in layers 2 to 2"
    assert sign.advice().startswith(
        "The sign activation has σ'(z) = 0, so (10) and (17) give δ² = 0 in layer 2, and by "
        "(18) and (19) the weights and biases of layer 2 never change."
    )
    deeper = Experiment(PlaygroundConfig(hidden=(3, 3, 3), hidden_act=("tanh", "sign", "tanh")))
    assert "δ² = … = δ³ = 0 in layers 2 to 3" in deeper.advice()
    every = Experiment(PlaygroundConfig(output_act="sign")).advice()
    assert "δˡ = 0 in every layer, and by (18) and (19) no weight or bias ever changes." in every
    for text in (sign.advice(), deeper.advice(), every):
        assert "^" not in text and "$" not in text
    assert "symmetry" in Experiment(PlaygroundConfig(init="zeros")).advice()
    assert "the same value" in Experiment(PlaygroundConfig(init="equal")).advice()
    rising = Experiment(PlaygroundConfig(dataset="xor", learning_rate=3.0, output_act="linear"))
    rising.step(30)
    assert rising.trainer.divergence is None
    assert "went up in 20 of the last 20" in rising.advice()


def test_dead_relu_advice_counts_per_layer_and_says_who_can_revive():
    e = Experiment(PlaygroundConfig(hidden=(4, 3), hidden_act=("relu",)))
    e.net.b[2][:2] = -100.0  # two neurons of layer 2 below 0 at every point
    e.net.b[3][:] = -100.0  # all of layer 3
    e.trainer.set_data(e.trainer.x_train, e.trainer.y_train)  # measure the edited weights
    assert e.dead_units() == {2: 2, 3: 3}
    text = e.advice()
    assert text.startswith("Dead ReLU neurons (2 of 4 in layer 2 and 3 of 3 in layer 3)")
    assert "In layer 2 its inputs are the fixed points x, so it stays dead for good" in text
    assert "In a later layer it can come back to life" in text
    assert "All of layer 3 is dead" in text


def test_hidden_relu_pictures_draw_0_in_the_neutral_middle():
    e = Experiment(PlaygroundConfig(hidden=(3,), hidden_act=("relu",), output_act="relu"))
    frame = e.frame()
    lo, hi = frame.thumb_range[2]
    assert lo == -hi < 0  # 0 (off) is white, not the orange of class 0
    assert frame.thumb_range[3][0] == 0.0  # the output's 0 is class 0: its orange end
    assert list(frame.dead) == [2]
    np.testing.assert_array_equal(frame.dead[2], ~e.trainer.gradients.forward.a[2].any(axis=1))


def test_a_time_budget_bounds_the_steps_of_one_frame():
    big = Experiment(PlaygroundConfig(hidden=(12,) * 8, n_points=2000))
    made = big.step(100, budget_s=0.0)
    assert made == 1  # always at least one step, then the budget stops it
    assert Experiment(DEFAULT).step(20, budget_s=10.0) == 20


def test_drawn_points_join_the_training_set_and_training_goes_on():
    e = Experiment(DEFAULT)
    e.step(5)
    w, n, extent = e.net.w[2].copy(), e.dataset.n, e.extent
    e.add_point(1.5, -2.0, 1)
    assert e.dataset.n == n + 1 and e.config.dataset == "custom" and e.extent == extent
    assert e.dataset.x[:, -1].tolist() == [1.5, -2.0] and e.dataset.y[0, -1] == 1.0
    np.testing.assert_array_equal(e.net.w[2], w)  # same network …
    assert e.trainer.steps == 5 and e.trainer.x_train.shape[1] == e.dataset.x_train.shape[1]
    e.remove_point(1.4, -2.1)  # … the nearest point goes
    assert e.dataset.n == n
    e.step(1)
    assert e.trainer.steps == 6


def test_drawing_is_refused_where_it_makes_no_sense():
    with pytest.raises(ValueError, match="classification data in the plane"):
        Experiment(PlaygroundConfig(dataset="plane")).add_point(0, 0, 1)
    e = Experiment(PlaygroundConfig(dataset="xor_lecture"))
    for _ in range(3):
        e.remove_point(0, 0)  # 4 points, 3 removed
    with pytest.raises(ValueError, match="last training point"):
        e.remove_point(0, 0)
    with pytest.raises(ValueError, match="a class from 0 to 1"):
        e.add_point(0, 0, 2)
    with pytest.raises(ValueError, match="a class from 0 to 1"):
        e.add_point(0, 0, True)


# ---------------------------------------------------------------------------------------------
# Issue 14: K classes and regularisation


def test_three_classes_get_three_outputs_one_hot_targets_and_a_class_picture():
    e = Experiment(PlaygroundConfig(dataset="spiral", classes=3, hidden=(8,)))
    assert list(e.net.sizes) == [2, 8, 3] and e.trainer.n_classes == 3
    # tanh outputs: +1 at the example's class, −1 at the others
    y = e.trainer.y_train
    np.testing.assert_array_equal(np.argmax(y, axis=0), e.dataset.y_train[0])
    assert set(np.unique(y)) == {-1.0, 1.0} and (y.sum(axis=0) == -1.0).all()
    e.step(20)
    f = e.frame()
    assert f.winner.shape == f.confidence.shape == (GRID, GRID)
    assert set(np.unique(f.winner)) <= {0, 1, 2}
    assert 0 <= f.confidence.min() and f.confidence.max() <= 1
    exact = e.net.predict(e.grid_inputs.astype(np.float64))
    agree = np.mean(np.argmax(exact, axis=0).reshape(GRID, GRID) == f.winner)
    assert agree > 0.999  # float32 against float64: only exact ties may differ
    conf = e.trainer.confusion()
    assert conf.shape == (3, 3) and conf.sum() == e.trainer.x_train.shape[1]
    assert np.trace(conf) / conf.sum() == pytest.approx(e.trainer.metrics["acc_train"])


def test_two_classes_keep_one_output_and_no_class_picture():
    f = Experiment(DEFAULT).frame()
    assert f.winner is None and f.confidence is None


def test_softmax_with_cross_entropy_learns_three_gaussian_clouds():
    e = Experiment(
        PlaygroundConfig(dataset="gauss", classes=3, output_act="softmax", cost="cross_entropy")
    )
    assert e.net.sizes[-1] == 3 and e.net.cost.softmax
    e.step(200)
    assert e.trainer.metrics["acc_train"] > 0.95


def test_points_of_any_class_can_be_drawn():
    e = Experiment(PlaygroundConfig(dataset="gauss", classes=4))
    n = e.dataset.n
    e.add_point(0.0, 0.0, 3)
    assert e.dataset.n == n + 1 and e.dataset.n_classes == 4 and e.dataset.y[0, -1] == 3
    assert e.config.dataset == "custom" and e.config.classes == 4 and e.net.sizes[-1] == 4
    with pytest.raises(ValueError, match="a class from 0 to 3"):
        e.add_point(0.0, 0.0, 4)


def test_uploaded_classes_set_the_output_layer():
    from playground.csv_io import dataset_from_csv

    text = "x1,x2,label\n" + "\n".join(
        f"{i % 7 - 3},{i % 5 - 2},{name}" for i, name in enumerate(["a", "b", "c", "d"] * 5)
    )
    ds = dataset_from_csv(text.encode(), max_classes=10)
    e = Experiment(DEFAULT)
    e.use_data(ds, replace(DEFAULT, dataset="custom"))
    assert e.config.classes == 4 and e.net.sizes[-1] == 4 and e.class_names == ds.names


def test_regularisation_changes_without_a_reset_and_shrinks_the_weights():
    config = PlaygroundConfig(dataset="gauss", hidden=(8,), learning_rate=0.3)
    e = Experiment(config)
    e.step(50)
    w = e.net.w[2].copy()
    assert e.update(replace(config, regularization="l2", reg_rate=0.1)) == "settings"
    assert e.trainer.steps == 50 and e.net.regularization.rate == 0.1
    np.testing.assert_array_equal(e.net.w[2], w)  # same weights, measured again
    # R = (λ/2) Σ w² over every weight of every layer
    r = 0.05 * sum(float((e.net.w[l] ** 2).sum()) for l in (2, 3))
    assert e.trainer.metrics["penalty"] == pytest.approx(r)
    norm = e.trainer.metrics["norm_w_2"]
    e.step(100)
    assert e.trainer.metrics["norm_w_2"] < norm
    assert e.update(replace(config, regularization="none", reg_rate=0.1)) == "settings"
    assert e.trainer.metrics["penalty"] == 0.0


# ---------------------------------------------------------------------------------------------
# Issue 10: a change either applies whole or leaves the experiment exactly as it was.


def far_points():
    """Two classes at coordinates of ±1e300: finite, but x₁² overflows."""
    from playground.datasets import with_points

    x = np.array([[1e300, -1e300, 2e299, -3e299], [1e299, 0.0, -1e300, 5e299]])
    y = np.array([[0.0, 1.0, 0.0, 1.0]])
    base = Experiment(DEFAULT).dataset
    return with_points(base, x, y, train=np.array([True, True, True, False]))


def snapshot(e: Experiment) -> dict:
    return dict(vars(e))


def test_a_change_that_fails_to_build_leaves_the_experiment_as_it_was():
    from ui.config import CUSTOM

    e = Experiment(DEFAULT)
    e.use_data(far_points(), replace(DEFAULT, dataset=CUSTOM))
    e.step(3)
    before, trainer = snapshot(e), vars(e.trainer).copy()
    with pytest.raises(ValueError, match="feature x₁² is too large"):
        e.update(replace(e.config, features=("x1_sq", "x2")))
    assert snapshot(e) == before and vars(e.trainer) == trainer
    assert e.step(1) == 1  # and it goes on training


def test_a_network_that_does_not_fit_changes_nothing():
    from playground import Network

    e = Experiment(DEFAULT)
    e.step(2)
    before = snapshot(e)
    with pytest.raises(ValueError, match="does not fit"):
        e.use_network(Network([3, 2, 1], activations="tanh"), replace(DEFAULT, hidden=(5,)))
    assert snapshot(e) == before and e.trainer.steps == 2


def test_settings_that_fail_half_way_change_nothing():
    e = Experiment(DEFAULT)
    e.step(2)
    trainer = e.trainer
    with pytest.raises(ValueError, match="batch size"):
        e.update(replace(DEFAULT, learning_rate=0.01, batch_size=-3))
    assert e.trainer is trainer and trainer.learning_rate == DEFAULT.learning_rate


def test_points_whose_first_cost_overflows_are_refused_and_change_nothing():
    """Found by the model-based test: points at ±1e300 uploaded into a linear network made
    the very first cost infinite (and warned from inside the engine)."""
    from ui.config import CUSTOM

    linear = replace(DEFAULT, hidden_act=("linear",), output_act="linear")
    e = Experiment(linear)
    before = snapshot(e)
    with pytest.raises(ValueError, match="overflows before the first step"):
        e.use_data(far_points(), replace(linear, dataset=CUSTOM))
    assert snapshot(e) == before
