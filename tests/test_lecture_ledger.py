"""ui.lecture.ledger: one step of backprop as tables. Every number must be the engine's."""

from __future__ import annotations

import numpy as np
import pytest

from playground.presets import lecture_xor, lecture_xor_inputs
from tests.conftest import ALPHA, lab_for
from ui.lecture import ledger


@pytest.fixture(params=[("2-2-1", None), ("2-2-1", 1), ("2-3-2", None), ("2-3-2", 2)])
def led(request) -> ledger.Ledger:
    network, example = request.param
    return lab_for(network, example).ledger(ALPHA)


def column(df, name):
    return df.loc[name].to_numpy()


# ---------------------------------------------------------------------------- exact numbers
def test_forward_and_cost_tables_hold_the_engines_numbers(led):
    g = led.g
    x, y = led.x, led.y
    inputs = ledger.inputs_table(led)
    np.testing.assert_array_equal(inputs.to_numpy(), np.vstack([x, y]))
    for l in range(2, led.L + 1):
        w = ledger.weights_table(led, l)
        np.testing.assert_array_equal(w.to_numpy(), np.hstack([led.net.w[l], led.net.b[l]]))
        f = ledger.forward_table(led, l)
        np.testing.assert_array_equal(f.to_numpy(), np.vstack([g.forward.z[l], g.forward.a[l]]))
    cost = ledger.cost_table(led)
    per_example = column(cost, ledger.cost_row_name(led.net))
    for i in range(led.N):
        assert per_example[i] == led.net.backprop(x[:, [i]], y[:, [i]]).cost
    assert per_example.mean() == pytest.approx(g.cost, rel=1e-12)  # (2): C is their average


def test_delta_tables_show_both_factors_and_the_engines_delta(led):
    g, L, net = led.g, led.L, led.net
    out = ledger.output_delta_table(led)
    k = net.sizes[-1]
    grad_a, prime, delta = np.split(out.to_numpy(), 3)
    np.testing.assert_allclose(grad_a, g.forward.a[L] - led.y, rtol=1e-12)  # ∇_a C = a − y
    np.testing.assert_allclose(prime, net.act[L].sigma_prime(g.forward.z[L]), rtol=1e-12)
    np.testing.assert_array_equal(delta, g.delta[L])
    np.testing.assert_allclose(grad_a * prime, g.delta[L], rtol=1e-12)  # (10): their product
    assert len(out) == 3 * k
    hidden = ledger.hidden_delta_table(led, 2)
    back, prime, delta = np.split(hidden.to_numpy(), 3)
    np.testing.assert_allclose(back, net.w[3].T @ g.delta[3], rtol=1e-12)
    np.testing.assert_allclose(prime, net.act[2].sigma_prime(g.forward.z[2]), rtol=1e-12)
    np.testing.assert_array_equal(delta, g.delta[2])
    np.testing.assert_allclose(back * prime, g.delta[2], rtol=1e-12)  # (17): their product


def test_gradient_table_mean_is_the_engines_gradient_and_averages_the_examples(led):
    g = led.g
    for l in range(2, led.L + 1):
        table = ledger.gradient_table(led, l)
        expected = np.concatenate([g.w[l].ravel(), g.b[l].ravel()])
        mean = table.iloc[:, -1].to_numpy()
        np.testing.assert_array_equal(mean, expected)
        if led.N > 1:
            assert list(table.columns) == [*led.example_names, ledger.MEAN_COLUMN]
            # (18), (19) averaged: C is the mean of the C_x, so ∂C/∂θ is the mean of ∂C_x/∂θ
            np.testing.assert_allclose(table.iloc[:, :-1].mean(axis=1), expected, atol=1e-15)


def test_update_table_is_what_apply_gradients_makes(led):
    after = led.net.copy()
    assert after.apply_gradients(led.g, ALPHA)
    for l in range(2, led.L + 1):
        table = ledger.update_table(led, l)
        np.testing.assert_array_equal(
            table[ledger.AFTER].to_numpy(), np.concatenate([after.w[l].ravel(), after.b[l].ravel()])
        )
        now = np.concatenate([led.net.w[l].ravel(), led.net.b[l].ravel()])
        grad = np.concatenate([led.g.w[l].ravel(), led.g.b[l].ravel()])
        np.testing.assert_array_equal(table[ledger.NOW].to_numpy(), now)
        np.testing.assert_array_equal(table[ledger.AFTER].to_numpy(), now - ALPHA * grad)  # (24)


def test_rows_carry_the_lectures_names():
    led = lab_for("2-3-2", None).ledger(ALPHA)
    assert list(ledger.inputs_table(led).index) == ["a¹₁ = x₁", "a¹₂ = x₂", "y₁", "y₂"]
    assert list(ledger.forward_table(led, 2).index) == ["z²₁", "z²₂", "z²₃", "a²₁", "a²₂", "a²₃"]
    assert list(ledger.weights_table(led, 3).index) == ["j = 1", "j = 2"]
    assert list(ledger.weights_table(led, 3).columns) == ["k = 1", "k = 2", "k = 3", "b³ⱼ"]
    assert list(ledger.output_delta_table(led).index) == [
        "∂C/∂a³₁",
        "∂C/∂a³₂",
        "σ'(z³₁)",
        "σ'(z³₂)",
        "δ³₁",
        "δ³₂",
    ]
    assert list(ledger.hidden_delta_table(led, 2).index)[:1] == ["((w³)ᵀδ³)₁"]
    assert list(ledger.gradient_table(led, 3).index) == [
        "∂C/∂w³₁₁",
        "∂C/∂w³₁₂",
        "∂C/∂w³₁₃",
        "∂C/∂w³₂₁",
        "∂C/∂w³₂₂",
        "∂C/∂w³₂₃",
        "∂C/∂b³₁",
        "∂C/∂b³₂",
    ]
    assert list(ledger.update_table(led, 2).index)[-3:] == ["b²₁", "b²₂", "b²₃"]
    assert ledger.cost_row_name(led.net) == "Cₓ = ½‖a³ − y‖²"


def test_check_table_rows_match_the_update_tables_order():
    led = lab_for("2-3-2", 0).ledger(ALPHA)
    names = [n for l in (2, 3) for n in ledger.update_table(led, l).index]
    assert list(ledger.check_table(ledger.check_gradients(led)).index) == names


# ---------------------------------------------------------------------------- gradient check
def test_gradient_check_agrees_for_a_sigmoid_network():
    rows = ledger.check_gradients(lab_for("2-3-2", None).ledger(ALPHA))
    ok, verdict = ledger.check_verdict(rows)
    assert ok, verdict
    assert verdict.startswith("Backprop and the finite differences agree for all 17 parameters")
    assert max(r.rel_error for r in rows) < 1e-6


def test_gradient_check_flags_the_relu_kinks_of_the_lecture_network():
    net = lecture_xor()
    led = ledger.make_ledger(net, lecture_xor_inputs(), np.array([[0.0, 1.0, 1.0, 0.0]]), alpha=1)
    ok, verdict = ledger.check_verdict(ledger.check_gradients(led))
    assert not ok
    assert "kink" in verdict
    assert "✗" in set(ledger.check_table(ledger.check_gradients(led))["agree"])
