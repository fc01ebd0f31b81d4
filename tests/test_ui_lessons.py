"""Each lesson's text is a promise to students who type their own seeds: check it as a
statistical statement over 20 weight seeds × 3 data seeds that are NOT the ones the figures in
the texts were measured on (``benchmarks/lesson_stats.py`` measured seeds 0–99 × data seeds
0–4). Every threshold below is stated next to the sentence of the lesson it checks.

The runs use the engine directly (``ui.experiment.Experiment``), with the lesson's own steps.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from benchmarks.lesson_stats import measure
from ui.config import from_query
from ui.experiment import Experiment
from ui.lessons import LESSONS, lesson_query

SEEDS = range(1000, 1020)  # 20 weight seeds
DATA_SEEDS = (11, 12, 13)  # 3 data seeds
N_RUNS = len(SEEDS) * len(DATA_SEEDS)
#: XOR draws whose training set has exactly as many points of each class (checked below)
BALANCED_XOR = (5, 10, 21)


def stats(key: str, **kw):
    return measure(
        key, seeds=kw.get("seeds", SEEDS), data_seeds=kw.get("data_seeds", DATA_SEEDS), long=False
    )


def share(values) -> float:
    return float(np.mean(values))


def test_every_lesson_opens_from_its_link():
    for lesson in LESSONS.values():
        query = lesson_query(lesson)
        assert query["lesson"] == lesson.key
        config, notices = from_query(query)
        assert config == lesson.config and notices == []
        assert lesson.look_for and lesson.then_try


def test_every_lesson_fits_20_seconds_of_play():
    """The effect needs `steps` steps: at 10 frames/s and the lesson's Speed, ≤ 20 s."""
    for lesson in LESSONS.values():
        assert lesson.steps / lesson.config.speed <= 10 * 20, lesson.key


# ---------------------------------------------------------------------------- symmetry
def test_symmetry_neurons_move_but_stay_equal_on_any_draw_balanced_or_not():
    # the equal start ignores the weight seed: two seeds per draw show it, four draws (three
    # of them balanced) cover the data
    s = measure("symmetry", seeds=(0, 1234), data_seeds=(*BALANCED_XOR, 11), long=True)
    assert s["balanced training set"].tolist() == [True] * 6 + [False] * 2
    assert len(s["small random: acc 1000"]) == 8
    for key in ("moved max |Δw², Δb²|", "acc 300", "acc 1000"):  # the weight seed changes nothing
        np.testing.assert_array_equal(s[key][0::2], s[key][1::2])
    # "at every step all four show the same picture": exactly equal, every run, every step
    assert s["identical every step"].all()
    # "their pictures change": some hidden weight or bias moved by more than 0.5
    assert (s["moved max |Δw², Δb²|"] > 0.5).all()
    # "the accuracy stays at 75 % or below, whatever the seed and the data"
    assert (s["acc 300"] <= 0.75).all() and (s["acc 1000"] <= 0.75).all()
    # "With 'all zeros' nothing but the output bias ever moves"
    assert s["zeros: only b³ moved"].all()


def test_symmetry_small_random_values_learn_xor():
    s = stats("symmetry")
    # "above 90 % within 1,000 steps in nearly every run": at least 90 % of the runs
    assert share(s["small random: acc 1000"] >= 0.9) >= 0.9
    assert s["identical every step"].all() and s["zeros: only b³ moved"].all()


# ---------------------------------------------------------------------------- vanishing
def test_vanishing_the_first_layer_gets_under_a_hundredth_of_the_error_in_every_run():
    s = stats("vanishing")
    # "less than 1/100 of the output's error at every one of the first 100 steps, in every run"
    assert (s["worst-step δ²/δᴸ"] < 1 / 100).all()
    # "typically about 1/3,000": the median run's median step is below 1/1,000
    assert np.median(s["median-step δ²/δᴸ"]) < 1 / 1000
    # "every line lies below the next one": at 95 % of the steps or more, in every run
    assert (s["steps in order (rms δ)"] >= 0.95).all()
    # why the chart plots rms δ: the batch means ‖∂C/∂b^l‖ keep that order far less often
    assert np.median(s["steps in order (‖∂C/∂b‖)"]) < 0.5
    # "after 100 steps most runs still get about half the points wrong"
    assert share(s["acc 100"] <= 0.6) >= 0.8
    # then try tanh: "typically a third of the output's error", "in most runs ... learned"
    assert 0.1 < np.median(s["tanh: median-step δ²/δᴸ"]) < 1
    assert share(s["tanh: acc 100"] >= 0.95) >= 0.8


# ---------------------------------------------------------------------------- sign
def test_sign_hidden_layer_never_changes_and_tanh_beats_it_in_every_run():
    s = stats("sign")
    assert s["hidden layer unchanged"].all()  # bit for bit, every run
    # "stays far from 100 %": below 85 % in every run, about 60 % in the median run
    assert (s["acc 300"] < 0.85).all() and np.median(s["acc 300"]) < 0.7
    # "above 90 % within 300 steps in every run we tried", and far ahead of sign
    assert (s["tanh: acc 300"] >= 0.9).all()
    assert (s["tanh − sign"] >= 0.15).all()


# ---------------------------------------------------------------------------- α
def test_large_alpha_diverges_within_ten_steps_and_a_small_one_does_not():
    s = stats("large_alpha")
    assert (s["diverges at step"] <= 10).all()  # "within 10 steps the numbers overflow"
    # then try α = 0.03: "the cost now falls, to less than a third within 300 steps"
    assert not s["α = 0.03: diverged"].any() and (s["α = 0.03: C300/C0"] < 1 / 3).all()


def test_small_alpha_crawls_and_a_larger_one_speeds_up():
    s = stats("small_alpha")
    # "less than 10 % lower after 1,000 steps (typically 2 %)", in every run
    assert (s["C1000/C0"] > 0.9).all() and np.median(s["C1000/C0"]) > 0.95
    # "within 300 more steps the cost falls to a tenth or less in most runs"
    assert share(s["α → 0.3: C after 300 more / before"] <= 0.1) >= 0.85


# ---------------------------------------------------------------------------- minima
def test_minima_about_one_run_in_three_gets_stuck_on_a_flat_stretch():
    seeds = range(1000, 1060)  # 60 weight seeds: the four points ignore the data seed
    for d in DATA_SEEDS:
        same = Experiment(replace(LESSONS["minima"].config, data_seed=d)).dataset
        np.testing.assert_array_equal(same.x, Experiment(LESSONS["minima"].config).dataset.x)
    s = stats("minima", seeds=seeds)
    stuck = s["stuck at 1000"]
    # "about one run in three gets stuck": between 1 in 5 and 1 in 2 of 60 seeds
    assert 0.2 <= share(stuck) <= 0.5
    # stuck: "one or two points wrong, the cost flat at about 0.25 or 0.5", gradient ≈ 0
    assert set(s["points right 1000"][stuck]) <= {2.0, 3.0}
    assert (s["C 1000"][stuck] > 0.2).all() and (s["‖∇C‖ 1000"][stuck] < 0.01).all()
    # the others have learned XOR by step 1,000, except a rare one still on a plateau
    assert share(s["C 1000"][~stuck] < 0.01) >= 0.9


def test_minima_the_seeds_the_lesson_names():
    lesson = LESSONS["minima"]
    good = Experiment(lesson.config)
    good.step(100)
    assert good.trainer.metrics["acc_train"] == 1.0  # "Weight seed 0 learns XOR within 100 steps"
    s = measure("minima", seeds=range(10), data_seeds=(0,), long=True)
    assert [int(w) for w in s["seed"][s["stuck at 3000"]]] == [5, 8]  # "Of seeds 0–9, 5 and 8"
    assert (s["C 3000"][s["stuck at 3000"]] > 0.2).all()


# ---------------------------------------------------------------------------- dead ReLU
def test_dead_relu_units_appear_in_most_runs_and_never_revive_in_layer_2():
    s = stats("dead_relu")
    # "In most runs (about 5 in 6) one or more of the 12 ReLU neurons die within 100 steps"
    assert share(s["some dead"]) >= 0.65
    # "they stay dead for good": no layer-2 neuron ever comes back, in any run
    assert (s["layer-2 revivals"] == 0).all() and s["still dead 300"].all()
    # "The live ones still learn the circle in most runs"
    assert share(s["acc 300"] >= 0.95) >= 0.8
    # then try α = 0.3: "no neuron dies"
    assert (s["α = 0.3: dead 100"] == 0).all()
    # "In a second hidden layer a dead neuron can come back": it does, in most runs
    assert share(s["8,8 α = 3: layer-3 revivals"] > 0) >= 0.5


# ---------------------------------------------------------------------------- depth
def test_spiral_one_layer_stays_short_and_four_layers_are_ahead_in_most_runs():
    s = stats("spiral_depth")
    # "by step 2,000 ... below 97 % in every run"
    assert (s["one layer: acc 2000"] < 0.97).all()
    # "in about 9 runs in 10 the deeper network is ahead (typically 97 %)"
    assert share(s["four layers ahead"]) >= 0.75
    assert np.median(s["four layers: acc 2000"]) >= 0.95


# ---------------------------------------------------------------------------- features
def test_squared_features_make_a_circle_linear_in_every_run():
    s = stats("features")
    # "within 50 steps it gets 99 % of the points or more right in every run, nearly always all"
    assert (s["acc 50"] >= 0.99).all() and share(s["acc 50"] == 1.0) >= 0.9
    assert (s["x₁, x₂: acc 300"] < 0.8).all()  # "a single neuron can only draw a line"
    # "about 1 run in 6 starts saturated and never learns": between 1 in 20 and 1 in 3
    assert 0.05 <= share(s["uniform init: acc 300"] < 0.9) <= 0.34


# ---------------------------------------------------------------------------- regularisation
def test_l2_levels_the_weights_off_and_without_it_they_grow_in_every_run():
    s = stats("regularization")
    # "rises at first": ‖w³‖ at step 500 is above its start (by half or more) in every run
    assert (s["L2: ‖w³‖ 500"] > 1.5 * s["L2: ‖w³‖ 0"]).all()
    # "from step 500 to step 1,000 it changes by less than 10 % in every run"
    assert (s["L2: |change| of ‖w³‖ from 500 to 1000"] < 0.10).all()
    # then try none: "at least 1.5 times as large (typically about twice)", every run
    ratio = s["none ÷ L2: ‖w³‖ 1000"]
    assert (ratio >= 1.5).all() and 1.7 <= np.median(ratio) <= 2.3
    # L1: "typically half of the first layer's 16 weights end within 0.01 of 0 (at least 4 in
    # every run; without regularisation at most 2)"
    l1, none = s["L1: share |w²| < 0.01 at 1000"], s["none: share |w²| < 0.01 at 1000"]
    assert (l1 >= 4 / 16).all() and np.median(l1) == 0.5
    assert (none <= 2 / 16).all()


@pytest.mark.parametrize("key", sorted(LESSONS))
def test_the_measures_cover_every_lesson(key):
    from benchmarks.lesson_stats import MEASURES

    assert key in MEASURES
