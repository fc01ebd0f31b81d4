"""Tests for playground.features: the input a^1 built from TensorFlow Playground's features."""

import numpy as np
import pytest

from playground.features import (
    DEFAULT_FEATURES,
    FEATURES,
    available_features,
    default_features,
    make_features,
)

X = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])  # three examples as columns


def test_registry_order_and_labels_follow_tensorflow_playground():
    assert list(FEATURES) == ["x1", "x2", "x1_sq", "x2_sq", "x1x2", "sin_x1", "sin_x2"]
    assert [f.label for f in FEATURES.values()] == [
        "x₁",
        "x₂",
        "x₁²",
        "x₂²",
        "x₁x₂",
        "sin x₁",
        "sin x₂",
    ]
    assert DEFAULT_FEATURES == ("x1", "x2")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("x1", [1.0, -2.0, 0.5]),
        ("x2", [3.0, 0.25, -1.0]),
        ("x1_sq", [1.0, 4.0, 0.25]),
        ("x2_sq", [9.0, 0.0625, 1.0]),
        ("x1x2", [3.0, -0.5, -0.5]),
        ("sin_x1", np.sin([1.0, -2.0, 0.5])),
        ("sin_x2", np.sin([3.0, 0.25, -1.0])),
    ],
)
def test_each_feature_by_hand(name, expected):
    np.testing.assert_allclose(make_features(X, [name])[0], expected, rtol=0, atol=1e-15)


def test_rows_follow_the_order_of_names():
    a1 = make_features(X, ("x1x2", "x1", "sin_x2"))
    assert a1.shape == (3, 3) and a1.dtype == np.float64
    np.testing.assert_array_equal(a1[1], X[0])
    np.testing.assert_array_equal(a1[0], X[0] * X[1])


def test_default_features_are_the_coordinates_themselves():
    np.testing.assert_array_equal(make_features(X, DEFAULT_FEATURES), X)


def test_integer_input_becomes_float64():
    assert make_features(np.array([[1, 2], [3, 4]]), ["x1_sq"]).dtype == np.float64


def test_one_dimensional_data_takes_features_of_x1_only():
    x = np.array([[0.0, np.pi / 2]])
    a1 = make_features(x, ["x1", "x1_sq", "sin_x1"])
    np.testing.assert_allclose(a1, [[0.0, np.pi / 2], [0.0, np.pi**2 / 4], [0.0, 1.0]])
    assert available_features(1) == ("x1", "x1_sq", "sin_x1")
    assert available_features(2) == tuple(FEATURES)
    assert default_features(1) == ("x1",) and default_features(2) == ("x1", "x2")


@pytest.mark.parametrize(
    ("x", "names", "message"),
    [
        (X, ["x3"], r"unknown feature 'x3'; expected one of \['x1', 'x2', 'x1_sq', "),
        (X, [], r"choose at least one feature; expected some of \['x1', "),
        (X, ["x1", "x2", "x1"], r"feature 'x1' is chosen twice; expected each at most once"),
        (X, "x1", r"names must be a sequence of feature names, got 'x1'"),
        (X, [1], r"names must be a sequence of feature names, got \[1\]"),
        (X[0], ["x1"], r"x must have shape \(2, N\) or \(1, N\), got \(3,\)"),
        (np.zeros((3, 4)), ["x1"], r"x must have shape \(2, N\) or \(1, N\), got \(3, 4\)"),
        (np.array([[np.nan], [0.0]]), ["x1"], r"x must be finite, got NaN or ±inf"),
        (
            X[:1],
            ["x1", "x1x2"],
            r"feature 'x1x2' needs x₂ but the data is 1-D \(x has shape \(1, 3\)\); "
            r"expected one of \['x1', 'x1_sq', 'sin_x1'\]",
        ),
    ],
)
def test_bad_arguments_say_what_was_expected(x, names, message):
    with pytest.raises(ValueError, match=message):
        make_features(x, names)


def test_available_features_rejects_other_dimensions():
    with pytest.raises(ValueError, match=r"d must be 1 or 2, got 3"):
        available_features(3)
