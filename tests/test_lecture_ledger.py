"""The backprop page's models: ui.lecture.ledger (tables), ui.lecture.worked (one entry in
LaTeX) and ui.lecture.backprop (networks, data, steps). Every number must be the engine's."""

from __future__ import annotations

import numpy as np
import pytest

from playground.network import Network
from playground.presets import lecture_xor, lecture_xor_inputs
from ui.config import DEFAULT, PlaygroundConfig
from ui.experiment import Experiment
from ui.lecture import ledger, worked
from ui.lecture.backprop import (
    ACTIVATIONS,
    MAX_PARAMS,
    Lab,
    UnavailableError,
    build_problem,
)

ALPHA = 0.7


def lab_for(network: str, example: int | None, **kw) -> Lab:
    lab = Lab(build_problem(network, **kw))
    lab.select(example)
    return lab


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
    [(0.123456, "0.1235"), (-2.0, "-2"), (1.5e-7, r"1.5\times10^{-7}"), (np.inf, r"\infty")],
)
def test_numbers_have_four_significant_digits(value, tex):
    assert worked.num(value) == tex


def test_a_negative_factor_is_in_parentheses():
    assert worked.factor(-0.25) == "(-0.25)" and worked.factor(0.25) == "0.25"


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


# ---------------------------------------------------------------------------- the lab
@pytest.mark.parametrize("network", ["xor", "2-2-1", "2-3-2"])
def test_each_network_builds_a_batch_that_backprop_accepts(network):
    p = build_problem(network)
    g = p.net.backprop(p.x, p.y)
    assert np.isfinite(g.cost)
    assert len(p.example_names) == p.x.shape[1] == p.y.shape[1]
    assert len(p.input_names) == p.net.sizes[0]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_targets_follow_the_output_activation(activation):
    p = build_problem("2-2-1", activation=activation)
    assert set(np.unique(p.y)) <= set(p.net.act[p.net.L].targets)


def test_the_xor_preset_is_the_lectures_network_on_the_four_points():
    p = build_problem("xor")
    np.testing.assert_array_equal(p.x, lecture_xor_inputs())
    np.testing.assert_array_equal(p.y, [[0.0, 1.0, 1.0, 0.0]])
    assert p.net.backprop(p.x, p.y).cost == 0.0  # Fig. 5 computes XOR exactly


def test_apply_makes_exactly_the_update_shown_and_start_over_rewinds():
    lab = lab_for("2-2-1", None)
    first = {l: w.copy() for l, w in lab.net.w.items()}
    shown = lab.ledger(ALPHA)
    assert lab.apply(ALPHA)
    for l in range(2, lab.net.L + 1):
        np.testing.assert_array_equal(lab.net.w[l], shown.w[l] - ALPHA * shown.g.w[l])  # (24)
        np.testing.assert_array_equal(lab.net.b[l], shown.b[l] - ALPHA * shown.g.b[l])  # (25)
        np.testing.assert_array_equal(lab.net.w[l], shown.new_w[l])
    assert [s for s, _ in lab.history] == [0, 1]
    assert lab.history[1][1] < lab.history[0][1]
    lab.apply(ALPHA)
    lab.start_over()
    assert lab.steps == 0 and len(lab.history) == 1
    for l, w in first.items():
        np.testing.assert_array_equal(lab.net.w[l], w)


def test_choosing_other_data_keeps_the_weights_and_restarts_the_history():
    lab = lab_for("2-2-1", None)
    lab.apply(ALPHA)
    w = lab.net.w[2].copy()
    lab.select(2)
    assert lab.steps == 1 and lab.history == [(1, lab.ledger(ALPHA).g.cost)]
    np.testing.assert_array_equal(lab.net.w[2], w)
    with pytest.raises(UnavailableError, match="there is no example 9"):
        lab.select(8)


def test_the_playground_network_is_copied_with_a_few_training_points():
    exp = Experiment(DEFAULT)  # 2-4-2-1: 25 parameters
    p = build_problem("playground", playground=exp)
    assert p.net is not exp.net and p.net.n_params == 25
    np.testing.assert_array_equal(p.x, exp.trainer.x_train[:, :4])
    Lab(p).apply(1.0)
    assert not np.array_equal(p.net.w[2], exp.net.w[2])  # the Playground keeps its weights


def test_a_playground_network_too_big_to_show_is_refused_with_a_reason():
    big = Experiment(PlaygroundConfig(hidden=(8, 8)))
    assert big.net.n_params > MAX_PARAMS
    with pytest.raises(UnavailableError, match=r"2-8-8-1 has 105 weights and biases.*at most 40"):
        build_problem("playground", playground=big)
    with pytest.raises(UnavailableError, match="open the \\*\\*Playground\\*\\* page once"):
        build_problem("playground", playground=None)
