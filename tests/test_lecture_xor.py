"""ui.lecture.xor: the lecture's XOR table from the engine, the editor's tables, training runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from playground import Divergence
from playground.presets import lecture_xor, with_constant_input
from ui.figures.boundary import XOR_EXTENT, plane_grid
from ui.lecture import xor as xl

#: The lecture's table after Example 1: x₁, x₂, a²₁, a²₂, a³₁.
LECTURE_TABLE = [
    [0, 0, 0, 0, 0],
    [0, 1, 1, 0, 1],
    [1, 0, 1, 0, 1],
    [1, 1, 2, 1, 0],
]


def edited(**cells) -> dict[int, pd.DataFrame]:
    """The editor's tables for the lecture's weights with some cells replaced:
    edited(l2=[(row, "w3", value)], l3=[...])."""
    frames = {l: f.astype(object) for l, f in xl.editor_frames(xl.lecture_params()).items()}
    for l, changes in ((2, cells.get("l2", [])), (3, cells.get("l3", []))):
        for row, col, value in changes:
            frames[l].iloc[row, frames[l].columns.get_loc(col)] = value
    return frames


def test_the_table_is_the_lectures():
    table = xl.xor_table(lecture_xor())
    assert table[list(xl.TABLE_COLUMNS)].to_numpy().tolist() == LECTURE_TABLE
    assert table[xl.TARGET_COLUMN].tolist() == [0, 1, 1, 0]


def test_lecture_params_are_fig_5():
    w, b = xl.lecture_params()
    np.testing.assert_array_equal(w[2], [[1, 1, 0], [1, 1, -1]])
    np.testing.assert_array_equal(w[3], [[1, -2]])
    assert not b[2].any() and not b[3].any()
    assert xl.same_params(xl.params_of(xl.network((w, b))), (w, b))


def test_worked_latex_is_the_lectures_worked_example_for_zero_zero():
    tex = xl.worked_latex(lecture_xor(), 0)
    # a²₁ = max(0, 1·x₁ + 1·x₂ + 0·1 + b²₁) with x = (0, 0): z = 0, a = 0
    assert r"a^{2}_{1} &= \max(0,\ 1\cdot 0 + 1\cdot 0 + 0\cdot 1 + 0)" in tex
    assert r"a^{2}_{2} &= \max(0,\ 1\cdot 0 + 1\cdot 0 + (-1)\cdot 1 + 0) = \max(0,\ -1)" in tex
    assert r"a^{3}_{1} &= \max(0,\ 1\cdot 0 + (-2)\cdot 0 + 0)" in tex


def test_worked_latex_for_one_one_ends_in_zero():
    # z³₁ = 1·a²₁ − 2·a²₂ = 1·2 − 2·1 = 0
    tex = xl.worked_latex(lecture_xor(), 3)
    assert r"1\cdot 2 + (-2)\cdot 1 + 0) = \max(0,\ 0) = \mathbf{0}" in tex
    with pytest.raises(ValueError, match="input index must be 0 … 3, got 4"):
        xl.worked_latex(lecture_xor(), 4)


def test_editor_tables_round_trip():
    params = xl.lecture_params()
    frames = xl.editor_frames(params)
    assert frames[2].shape == (2, 4) and frames[3].shape == (1, 3)
    assert list(frames[2].loc["a²₂"]) == [1, 1, -1, 0]
    assert xl.same_params(xl.parse_editor(frames), params)
    assert xl.column_labels(2)["w3"] == "w²ⱼ₃ from 1"
    assert xl.column_labels(3)["b"] == "b³ⱼ"


def test_an_edited_weight_changes_the_table_by_the_engines_numbers():
    # w³₁₂ = −1: at (1, 1) the output is max(0, 1·2 − 1·1) = 1 instead of 0
    params = xl.parse_editor(edited(l3=[(0, "w2", -1.0)]))
    table = xl.xor_table(xl.network(params))
    assert table["a³₁"].tolist() == [0, 1, 1, 1]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ((1, "w1", np.nan), r"w²₂₁ is empty or not a number \(got an empty cell\)"),
        ((0, "b", None), r"b²₁ is empty or not a number"),
        ((0, "w2", "abc"), r"w²₁₂ is empty or not a number \(got 'abc'\)"),
        ((0, "w3", 1e300), r"w²₁₃ = 1e\+300 is too large: every weight and bias must lie"),
        ((1, "w3", np.inf), r"w²₂₃ = inf is too large"),
        ((0, "w1", True), r"w²₁₁ is empty or not a number"),
    ],
)
def test_bad_cells_are_named(cell, message):
    with pytest.raises(xl.WeightError, match=message):
        xl.parse_editor(edited(l2=[cell]))


def test_every_bad_cell_is_listed():
    with pytest.raises(xl.WeightError) as err:
        xl.parse_editor(edited(l2=[(0, "w1", "x")], l3=[(0, "b", -1e9)]))
    assert len(err.value.problems) == 2
    assert err.value.problems[1].startswith("b³₁ = -1e+09 is too large")


def test_a_table_of_the_wrong_shape_is_refused():
    frames = xl.editor_frames(xl.lecture_params())
    frames[3] = frames[3].iloc[:, :2]
    with pytest.raises(xl.WeightError, match="the layer-3 table must have 1 rows, 3 columns"):
        xl.parse_editor(frames)


def test_planes_are_the_engines_values_over_the_grid():
    net = lecture_xor()
    planes = xl.planes(net, grid=10)
    fwd = net.feedforward(with_constant_input(plane_grid(XOR_EXTENT, 10)))
    assert planes.a[2].shape == (2, 10, 10) and planes.a[3].shape == (1, 10, 10)
    np.testing.assert_array_equal(planes.a[3][0].ravel(), fwd.a[3][0])
    np.testing.assert_array_equal(planes.z[2][1].ravel(), fwd.z[2][1])


# ---------------------------------------------------------------------------------------------
# training


def test_the_lectures_weights_are_already_a_minimum():
    run = xl.train_xor(start="here", activation="relu", params=xl.lecture_params(), steps=50)
    assert run.trainer.metrics["cost_train"] == 0.0
    assert not run.moved


def test_a_random_start_with_seed_1_learns_xor():
    run = xl.train_xor(start="random", activation="relu", learning_rate=0.1, steps=1000, seed=1)
    assert run.moved and run.trainer.metrics["acc_train"] == 1.0
    assert run.label == "random, seed 1, relu, α = 0.1"


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_zero_initialisation_is_a_standstill_with_identical_hidden_neurons(activation):
    # w³ = 0 stops every error at the output, (17); the output's own gradient is 0 too:
    # ReLU'(0) = 0, and sigmoid/tanh start halfway, where XOR's two 0s and two 1s cancel
    run = xl.train_xor(start="zeros", activation=activation, learning_rate=1.0, steps=200)
    assert not run.moved
    assert xl.hidden_units_identical(run.net)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_equal_weights_move_but_the_hidden_neurons_stay_identical(activation):
    run = xl.train_xor(start="equal", activation=activation, learning_rate=1.0, steps=500)
    assert run.moved  # they did learn something ...
    assert xl.hidden_units_identical(run.net)  # ... but the same thing
    units = xl.hidden_units(run.net)
    np.testing.assert_array_equal(units.iloc[0].to_numpy(), units.iloc[1].to_numpy())
    assert run.trainer.metrics["acc_train"] < 1.0


def test_the_sign_activation_does_not_move():
    run = xl.train_xor(start="random", activation="sign", learning_rate=1.0, steps=100, seed=3)
    assert not run.moved


def test_random_starts_differ_between_hidden_neurons():
    run = xl.train_xor(start="random", activation="tanh", steps=1)
    assert not xl.hidden_units_identical(run.net)


def test_train_xor_refuses_bad_arguments():
    with pytest.raises(ValueError, match="unknown start 'ones'"):
        xl.train_xor(start="ones", activation="relu")
    with pytest.raises(ValueError, match="start='here' needs params"):
        xl.train_xor(start="here", activation="relu")


def test_xor_targets_follow_the_output_activation():
    assert xl.xor_targets("relu").tolist() == [[0, 1, 1, 0]]
    assert xl.xor_targets("tanh").tolist() == [[-1, 1, 1, -1]]
    w, b = xl.lecture_params()
    table = xl.xor_table(xl.network((w, b), "tanh"))
    assert table[xl.TARGET_COLUMN].tolist() == [-1, 1, 1, -1]


def test_wrong_side_marks_the_rows_where_the_output_misses_xor():
    net = lecture_xor()
    assert not xl.wrong_side(net, xl.xor_table(net)).any()
    params = xl.parse_editor(edited(l3=[(0, "w2", -1.0)]))  # (1, 1) now gives 1
    net = xl.network(params)
    assert xl.wrong_side(net, xl.xor_table(net)).tolist() == [False, False, False, True]


def kinds(run):
    return [kind for kind, _ in xl.run_notes(run)]


def test_run_notes_say_what_happened():
    here = xl.train_xor(start="here", activation="relu", params=xl.lecture_params(), steps=10)
    assert kinds(here) == ["success", "done"]
    sign = xl.train_xor(start="random", activation="sign", steps=10)
    assert kinds(sign) == ["frozen"] and "sign'(z) = 0" in xl.run_notes(sign)[0][1]
    zeros = xl.train_xor(start="zeros", activation="relu", steps=10)
    (note,) = xl.run_notes(zeros)
    assert note[0] == "symmetry" and "still identical" in note[1] and "ReLU'(0) = 0" in note[1]
    equal = xl.train_xor(start="equal", activation="sigmoid", learning_rate=1.0, steps=100)
    assert "they moved, but together" in xl.run_notes(equal)[0][1]


def test_run_notes_do_not_claim_c_is_zero_when_everything_is_dead():
    # every hidden neuron off at all four inputs: nothing moves, yet C > 0
    w, b = xl.lecture_params()
    b[2][:] = -10.0
    run = xl.train_xor(start="here", activation="relu", params=(w, b), steps=10)
    assert not run.moved and run.trainer.metrics["cost_train"] > 0
    assert kinds(run) == ["frozen"]
    assert "although C > 0" in xl.run_notes(run)[0][1]


def test_run_notes_report_divergence_first():
    run = xl.train_xor(start="random", activation="relu", steps=5)
    run.trainer.divergence = Divergence(3, 1.0, "the cost became infinite")
    kind, text = xl.run_notes(run)[0]
    assert kind == "error" and text.startswith("training diverged at step 3")
