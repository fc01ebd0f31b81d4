"""ui.notation: the lecture's symbols and the number formats, one of each. Numbers stay short
whatever their size (issue 10: a 115-digit cost)."""

import math

import numpy as np
import pytest

from ui.notation import (
    activation_name,
    human,
    latex_number,
    number,
    sigma_latex,
    sub,
    sup,
    weight_name,
)


@pytest.mark.parametrize(
    ("value", "spec", "shown"),
    [
        (0.49983, ".4f", "0.4998"),
        (0.0, ".4f", "0.0000"),
        (12.5, ".2f", "12.50"),
        (64.8, ".1f", "64.8"),
        (6.9496649614404536e112, ".4f", "6.95e+112"),
        (-1.2e115, ".4f", "-1.2e+115"),
        (1e6, ".4f", "1e+06"),
        (999_999.0, ".4f", "999999.0000"),
        (3.2e-7, ".4f", "3.2e-07"),
        (math.nan, ".4f", "—"),
        (math.inf, ".4f", "—"),
        (None, ".4f", "—"),
    ],
)
def test_human_keeps_every_number_short(value, spec, shown):
    assert human(value, spec) == shown


def test_no_finite_float_makes_a_long_number():
    for exponent in range(-320, 309, 7):
        for mantissa in (1.0, -9.99):
            assert len(human(mantissa * 10.0**exponent)) <= 12


def test_notation_helpers():
    assert sup(3) == "³"
    assert sup(10) == "¹⁰"
    assert sub(12) == "₁₂"
    assert weight_name(3, 1, 2) == "w³₁₂"
    # two-digit indices get a comma, so w^l_{11,2} and w^l_{1,12} differ
    assert weight_name(3, 11, 2) == "w³₁₁,₂"
    assert weight_name(3, 1, 12) == "w³₁,₁₂"


@pytest.mark.parametrize(
    ("value", "text"), [(-0.0, "0"), (-2, "−2"), (0.123456, "0.123"), (np.nan, "—")]
)
def test_number_for_a_label(value, text):
    assert number(value) == text


@pytest.mark.parametrize(
    ("activation", "z", "expected"),
    [
        ("sigmoid", -1.5, r"\frac{1}{1+e^{-(-1.5)}}"),
        ("relu", -1.5, r"\max(0,\ -1.5)"),
        ("sign", 0.25, r"\operatorname{sign}(0.25)"),
        ("tanh", 1e-5, r"\tanh(1\times 10^{-5})"),
    ],
)
def test_sigma_latex_puts_the_number_in(activation, z, expected):
    assert sigma_latex(activation, z) == expected


def test_sigma_latex_of_a_symbol_or_an_expression():
    assert sigma_latex("relu") == r"\max(0,\ z)"
    assert sigma_latex("sigmoid", "1 + x") == r"\frac{1}{1+e^{-(1 + x)}}"
    assert sigma_latex("linear", 2.0) == "2"


def test_num_never_prints_nan():
    assert latex_number(float("nan")) == r"\text{—}"
    assert latex_number(0.123456) == "0.123"


def test_activation_names_are_the_engines():
    assert [activation_name(a) for a in ("sigmoid", "sign", "tanh", "relu", "linear")] == [
        "sigmoid",
        "sign",
        "tanh",
        "ReLU",
        "linear",
    ]
