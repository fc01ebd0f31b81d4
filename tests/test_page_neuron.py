"""The "One neuron" page in Streamlit's AppTest: eq. (1) live, the line, training on XOR."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.decode import decode
from ui.lecture import neuron as nl
from ui.notation import activation_name


def page() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30).run()
    at.switch_page("pages/neuron_page.py").run()
    assert not at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart(at: AppTest, key: str) -> dict:
    (element,) = [
        c for c in at.get("plotly_chart") if key in c.proto.id and "phone-" not in c.proto.id
    ]
    return json.loads(element.proto.spec)


def test_page_renders_eq_1_with_the_default_numbers():
    at = page()
    assert at.title[0].value == "One neuron"
    # w = (4, 4), b = −2 at x = (1, 0): z = 2, y = σ(2) = 0.881
    assert any(r"= \mathbf{2}" in l.value and r"\mathbf{0.881}" in l.value for l in at.latex)
    assert any("correct side of the line: 3 of 4" in i.value for i in at.info)
    assert not at.error


def test_moving_a_slider_updates_eq_1_and_the_picture_by_the_engines_numbers():
    at = page()
    at.slider(key="n_w1").set_value(-1.5).run()
    at.slider(key="n_x2").set_value(0.5).run()
    net = nl.neuron("sigmoid", -1.5, 4.0, -2.0)
    point = nl.at_point(net, 1.0, 0.5)  # z = −1.5 + 2 − 2 = −1.5
    assert point.z == pytest.approx(-1.5)
    expected = nl.equation_latex("sigmoid", nl.params_of(net), point)
    assert any(expected in l.value for l in at.latex)
    fig = chart(at, "n_plane")
    star = fig["data"][-1]
    assert star["x"] == [1.0] and star["y"] == [0.5]
    heat = decode(fig["data"][0]["z"])
    assert heat == pytest.approx(nl.plane(net).y, abs=1e-6)


@pytest.mark.parametrize("activation", ["sigmoid", "sign", "tanh", "relu"])
def test_every_lecture_activation_draws(activation):
    at = page()
    at.selectbox(key="n_act").set_value(activation).run()
    assert not at.exception
    assert any(f"({activation_name(activation)})" in m.value for m in at.markdown)
    net = nl.neuron(activation, 4.0, 4.0, -2.0)
    expected = nl.equation_latex(activation, nl.params_of(net), nl.at_point(net, 1.0, 0.0))
    assert any(expected in l.value for l in at.latex)


@pytest.mark.parametrize(
    ("activation", "start"),
    [("sigmoid", "random weights"), ("tanh", "random weights"), ("sigmoid", "the sliders above")],
)
def test_training_one_neuron_on_xor_ends_below_100_percent(activation, start):
    at = page()
    at.selectbox(key="n_train_act").set_value(activation)
    at.radio(key="n_start").set_value(start)
    at.button(key="n_train").click().run()
    assert not at.exception
    run = at.session_state.n_run
    assert run.trainer.steps == 500
    assert run.trainer.metrics["acc_train"] < 1.0
    shown = metrics(at)["Points on the correct side"]
    assert shown == f"{run.check.n_correct} of 4" and shown != "4 of 4"
    assert any("answered correctly" in w.value for w in at.warning)


def test_ten_random_starts_none_gets_all_four():
    at = page()
    at.button(key="n_many").click().run()
    assert not at.exception
    table, _ = at.session_state.n_starts
    assert len(table) == 10 and (table["points right (of 4)"] < 4).all()
    assert "none gets all four" in at.caption[-1].value


def test_a_sign_neuron_does_not_learn():
    at = page()
    at.selectbox(key="n_train_act").set_value("sign")
    at.button(key="n_train").click().run()
    cost = at.session_state.n_run.trainer.history.column("cost_train")
    assert (cost == cost[0]).all()
    assert any("σ'(z) = 0" in i.value for i in at.info)


def test_trained_weights_go_onto_the_sliders():
    at = page()
    at.radio(key="n_start").set_value("the sliders above")
    at.button(key="n_train").click().run()
    at.button(key="n_to_sliders").click().run()
    trained = nl.params_of(at.session_state.n_run.net)
    assert at.slider(key="n_w1").value == round(trained["w1"], 1)
    assert at.slider(key="n_b").value == round(trained["b"], 1)


def test_the_sliders_survive_a_visit_to_another_page():
    at = page()
    at.slider(key="n_w2").set_value(-3.0).run()
    at.switch_page("pages/xor_page.py").run()
    at.switch_page("pages/neuron_page.py").run()
    assert at.slider(key="n_w2").value == -3.0
