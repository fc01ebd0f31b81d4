"""ui.lecture.worked: one entry of each step 1)-5) in LaTeX, with the engine's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from playground.network import Network
from tests.conftest import ALPHA, lab_for
from ui.lecture import ledger, worked


# ---------------------------------------------------------------------------- one worked entry
def one_neuron(w: float = 0.5, b: float = 0.0) -> Network:
    net = Network([1, 1], "sigmoid")
    net.set_params({2: np.array([[w]])}, {2: np.array([[b]])})
    return net


def test_a_sigmoid_neuron_worked_by_hand():
    # w = 0.5, b = 0, x = 2, y = 1:  z = 1.0,  a = σ(1) = 0.731059
    # (10) δ = (a − y) σ'(z) = (−0.268941)(0.196612) = −0.052877
    # (18) ∂C/∂w = δ x = −0.105754     (24) with α = 1: w = 0.5 + 0.105754 = 0.605754
    led = ledger.make_ledger(one_neuron(), np.array([[2.0]]), np.array([[1.0]]), alpha=1.0)
    assert ledger.output_delta_table(led).loc["δ²₁"].iloc[0] == pytest.approx(-0.052877, abs=1e-6)
    assert worked.forward(led) == [
        r"z^{2}_{1} = w^{2}_{11}a^{1}_{1} + b^{2}_{1} = 0.5\cdot2 + 0 = 1",
        r"a^{2}_{1} = \sigma(z^{2}_{1}) = \sigma(1) = 0.7311",
    ]
    assert worked.output_delta(led) == [
        r"\delta^{2}_{1} = (a^{2}_{1} - y_{1})\,\sigma'(z^{2}_{1}) = (0.7311 - 1)\cdot 0.1966"
        r" = -0.05288"
    ]
    assert worked.gradient(led, 2)[0].endswith(r"= (-0.05288)\cdot2 = -0.1058")
    assert worked.update(led, 2)[0].endswith(r"= 0.5 - 1\cdot(-0.1058) = 0.6058")


def test_the_chain_rule_steps_6_to_9_by_hand():
    # the same neuron: ∂C/∂a = a − y = −0.268941, σ'(z) = 0.196612, δ = −0.052877
    led = ledger.make_ledger(one_neuron(), np.array([[2.0]]), np.array([[1.0]]), alpha=1.0)
    assert worked.output_delta_steps(led) == [
        r"\delta^{2}_{1} = \frac{\partial C}{\partial z^{2}_{1}} = -0.05288\qquad\text{(6)}",
        r"\delta^{2}_{1} = \sum_k \frac{\partial C}{\partial a^{2}_{k}}\,"
        r"\frac{\partial a^{2}_{k}}{\partial z^{2}_{1}} = (-0.2689)\cdot0.1966 = -0.05288"
        r"\qquad\text{(7)}",
        r"\delta^{2}_{1} = \frac{\partial C}{\partial a^{2}_{1}}\,"
        r"\frac{\partial a^{2}_{1}}{\partial z^{2}_{1}} = (-0.2689)\cdot0.1966 = -0.05288"
        r"\qquad\text{(8)}",
        r"\delta^{2}_{1} = \frac{\partial C}{\partial a^{2}_{1}}\,\sigma'(z^{2}_{1}) = "
        r"(a^{2}_{1} - y_{1})\,\sigma'(z^{2}_{1}) = (0.7311 - 1)\cdot 0.1966 = -0.05288"
        r"\qquad\text{(9)}",
    ]


def test_the_chain_rule_steps_11_to_16_use_the_engines_numbers():
    led = lab_for("2-3-2", 0).ledger(ALPHA)
    lines = worked.hidden_delta_steps(led, 2)
    assert [line.rsplit(r"\qquad", 1)[1] for line in lines] == [
        rf"\text{{({n})}}" for n in range(11, 17)
    ]
    d2 = worked.num(led.g.delta[2][0, 0])
    for i in (0, 1, 2, 5):
        assert lines[i].endswith(f"= {d2}" + worked.tag(11 + i))
    assert lines[3].endswith(f"= {worked.num(led.g.forward.z[3][0, 0])}" + worked.tag(14))
    # (15): one slope per neuron k of layer 3, w³_k1 σ'(z²₁)
    prime = led.sigma_prime(2)[0, 0]
    for k in range(2):
        assert f"= {worked.num(led.w[3][k, 0] * prime)}" in lines[4]
    # (12) sums δ³_k times those slopes: the same number as δ²₁
    total = sum(led.g.delta[3][k, 0] * led.w[3][k, 0] * prime for k in range(2))
    assert worked.num(total) == d2


def test_the_hidden_entry_sums_over_the_next_layer():
    led = lab_for("2-3-2", 0).ledger(ALPHA)
    (line,) = worked.hidden_delta(led, 2)
    assert line.startswith(
        r"\delta^{2}_{1} = \big(w^{3}_{11}\delta^{3}_{1} + w^{3}_{21}\delta^{3}_{2}\big)"
    )
    assert line.endswith(f"= {worked.num(led.g.delta[2][0, 0])}")


@pytest.mark.parametrize(
    ("value", "tex"),
    [(0.123456, "0.1235"), (-2.0, "-2"), (1.5e-7, r"1.5\times 10^{-7}"), (np.inf, r"\infty")],
)
def test_numbers_have_four_significant_digits(value, tex):
    assert worked.num(value) == tex


def test_a_negative_factor_is_in_parentheses():
    assert worked.factor(-0.25) == "(-0.25)" and worked.factor(0.25) == "0.25"
