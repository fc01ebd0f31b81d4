"""Each lesson's text promises something; run the lesson and check that it happens."""

import itertools
from dataclasses import replace

import numpy as np
import pytest

from ui.config import from_query
from ui.experiment import Experiment
from ui.lessons import LESSONS, lesson_query


def run(config, steps):
    e = Experiment(config)
    e.step(steps)
    return e


def test_every_lesson_opens_from_its_link():
    for lesson in LESSONS.values():
        query = lesson_query(lesson)
        assert query["lesson"] == lesson.key
        config, notices = from_query(query)
        assert config == lesson.config and notices == []
        assert lesson.look_for and lesson.then_try


def test_symmetry_zero_init_keeps_hidden_neurons_identical():
    e = run(LESSONS["symmetry"].config, 300)
    w2 = e.net.w[2]
    assert np.abs(w2).max() > 1e-3  # they did move …
    assert np.allclose(w2, w2[0]) and np.allclose(e.net.b[2], e.net.b[2][0])  # … together
    random = run(replace(LESSONS["symmetry"].config, init="small"), 300)
    assert not np.allclose(random.net.w[2], random.net.w[2][0])


def test_vanishing_early_layers_learn_far_slower():
    e = Experiment(LESSONS["vanishing"].config)
    m, L = e.trainer.metrics, e.net.L
    norms = [m[f"grad_b_{l}"] for l in range(2, L + 1)]
    assert norms[0] < norms[-1] / 100
    assert all(a < b for a, b in itertools.pairwise(norms))


def test_sign_hidden_layer_never_changes():
    e = Experiment(LESSONS["sign"].config)
    w2 = e.net.w[2].copy()
    e.step(100)
    np.testing.assert_array_equal(e.net.w[2], w2)


def test_large_alpha_diverges_within_its_steps():
    lesson = LESSONS["large_alpha"]
    e = run(lesson.config, lesson.steps)
    assert e.trainer.divergence is not None


def test_small_alpha_crawls():
    e = Experiment(LESSONS["small_alpha"].config)
    first = e.trainer.metrics["cost_train"]
    e.step(300)
    assert e.trainer.metrics["cost_train"] > 0.97 * first


def test_minima_depend_on_the_seed():
    lesson = LESSONS["minima"]
    stuck = run(lesson.config, lesson.steps)
    assert stuck.trainer.metrics["acc_train"] <= 0.75 and stuck.trainer.metrics["cost_train"] > 0.05
    good = run(replace(lesson.config, seed=1), lesson.steps)
    assert good.trainer.metrics["cost_train"] < 0.01


def test_dead_relu_units_appear():
    lesson = LESSONS["dead_relu"]
    e = run(lesson.config, lesson.steps)
    assert sum(e.dead_units().values()) >= 3


@pytest.mark.parametrize(("hidden", "better"), [((8,), False), ((8, 8, 8, 8), True)])
def test_spiral_needs_depth(hidden, better):
    lesson = LESSONS["spiral_depth"]
    e = run(replace(lesson.config, hidden=hidden), lesson.steps)
    assert (e.trainer.metrics["acc_train"] > 0.95) is better


def test_squared_features_make_a_circle_linear():
    lesson = LESSONS["features"]
    assert run(lesson.config, lesson.steps).trainer.metrics["acc_train"] >= 0.99
    plain = run(replace(lesson.config, features=("x1", "x2")), lesson.steps)
    assert plain.trainer.metrics["acc_train"] < 0.8
