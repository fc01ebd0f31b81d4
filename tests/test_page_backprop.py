"""The backpropagation page in Streamlit's AppTest: every choice renders, the tables show the
engine's numbers, "Apply this step" makes exactly the update shown, the cost history grows."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui.lecture import ledger, worked

PAGE = "pages/backprop_page.py"
LABEL = " "  # the page shows row names as a first column with this heading


def backprop_page(query: dict[str, str] | None = None, *, via_playground: bool = False):
    at = AppTest.from_file("../app.py", default_timeout=30)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if via_playground:  # the Playground page builds st.session_state.exp
        at.run()
    at.switch_page(PAGE)
    return at.run()


def fine(at: AppTest) -> bool:
    """No exception, and no error either: app.py turns a page's exception into an st.error."""
    return not at.exception and not at.error


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [t.value.set_index(LABEL) for t in at.table]


def table_with(at: AppTest, row: str, column: str | None = None) -> pd.DataFrame:
    """The first table that has this row (and this column)."""
    for t in tables(at):
        if row in t.index and (column is None or column in t.columns):
            return t
    raise AssertionError(f"no table with row {row!r} and column {column!r}")


def cost_points(at: AppTest) -> int:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return len(base64.b64decode(spec["data"][0]["y"]["bdata"])) // 4  # float32 values


def choose(at: AppTest, network: str) -> AppTest:
    return at.radio(key="bp_network").set_value(network).run()


def apply_step(at: AppTest) -> AppTest:
    return at.button(key="bp_apply").click().run()


# ---------------------------------------------------------------------------- rendering
@pytest.mark.parametrize("network", ["xor", "2-2-1", "2-3-2", "playground"])
@pytest.mark.parametrize("data", ["one", "batch"])
def test_every_network_renders_without_exception(network, data):
    at = backprop_page(via_playground=True)
    choose(at, network)
    at.radio(key="bp_data").set_value(data).run()
    assert fine(at)
    assert at.title[0].value == "Backpropagation, step by step"
    assert len(at.table) >= 10
    lab = at.session_state.bp_lab
    assert lab.problem.key[0] == network
    assert (lab.example is None) == (data == "batch")


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "sign"])
def test_every_activation_renders_and_apply_works(activation):
    at = backprop_page()
    at.selectbox(key="bp_act").set_value(activation).run()
    apply_step(at)
    assert fine(at)
    assert at.session_state.bp_lab.net.activations == (activation, activation)
    if activation == "sign":
        assert any("sign'(z) = 0" in i.value for i in at.info)


def test_without_a_playground_network_the_page_says_where_to_get_one():
    at = backprop_page()
    choose(at, "playground")
    assert fine(at)
    assert "open the **Playground** page once" in at.warning[0].value


def test_a_playground_network_too_big_is_explained_not_a_traceback():
    at = backprop_page({"hidden": "8,8"}, via_playground=True)
    choose(at, "playground")
    assert fine(at)
    assert "2-8-8-1 has 105 weights and biases" in at.warning[0].value
    assert "at most 40" in at.warning[0].value
    choose(at, "2-2-1")
    assert fine(at) and not at.warning


# ---------------------------------------------------------------------------- the numbers
def test_the_tables_show_the_engines_numbers():
    at = backprop_page()
    at.radio(key="bp_data").set_value("batch").run()
    lab = at.session_state.bp_lab
    x, y = lab.data
    g = lab.net.backprop(x, y)
    L = lab.net.L
    np.testing.assert_array_equal(table_with(at, "z²₁").loc["z²₁"], g.forward.z[2][0])
    np.testing.assert_array_equal(table_with(at, "a³₁").loc["a³₁"], g.forward.a[L][0])
    np.testing.assert_array_equal(table_with(at, "δ³₁").loc["δ³₁"], g.delta[L][0])
    np.testing.assert_array_equal(table_with(at, "δ²₂").loc["δ²₂"], g.delta[2][1])
    grads = table_with(at, "∂C/∂w²₁₂", ledger.MEAN_COLUMN)[ledger.MEAN_COLUMN]
    assert grads["∂C/∂w²₁₂"] == g.w[2][0, 1]
    assert grads["∂C/∂b²₂"] == g.b[2][1, 0]
    assert at.metric[1].value == f"{g.cost:.4g}"


def test_one_entry_of_each_step_is_worked_out_with_the_engines_numbers():
    at = backprop_page()
    lab = at.session_state.bp_lab
    g = lab.net.backprop(*lab.data)
    latex = [e.value for e in at.latex if r"\text{(" not in e.value]  # not the derivations
    (delta_out,) = [t for t in latex if r"\delta^{3}_{1} = (a^{3}_{1} - y_{1})" in t]
    assert delta_out.strip("$\n").endswith(f"= {worked.num(g.delta[3][0, 0])}")
    (delta_hidden,) = [t for t in latex if r"\delta^{2}_{1} = \big(" in t]
    assert delta_hidden.strip("$\n").endswith(f"= {worked.num(g.delta[2][0, 0])}")
    at.radio(key="bp_data").set_value("batch").run()
    assert not [
        t for t in at.latex if r"\delta^{3}_{1} = (" in t.value and r"\text{(" not in t.value
    ]  # one example only


def test_the_lecture_is_complete_delta_defined_odot_explained_derivations_with_numbers():
    """Issue 11: eq. (5) where δ first appears, ⊙ explained, the chain-rule steps (6)–(9) and
    (11)–(16) behind (10) and (17) with numbers, and (20)–(23) beside (10), (17)–(19)."""
    at = backprop_page()
    lab = at.session_state.bp_lab
    g = lab.net.backprop(*lab.data)
    latex = [e.value for e in at.latex]
    definition = r"\delta^l_j = \frac{\partial C}{\partial z^l_j}\quad\text{(5)}"
    assert any(definition in t for t in latex)
    assert any("element-wise product" in m.value and r"\odot" in m.value for m in at.markdown)
    for tags in (("10", "20"), ("17", "21"), ("18), (22", "19), (23")):
        assert any(all(rf"\text{{({t})}}" in x for t in tags) for x in latex), tags
    lines = {n: [t for t in latex if worked.tag(n) in t] for n in range(6, 17) if n != 10}
    assert all(len(found) == 1 for found in lines.values()), lines
    for n in (6, 7, 8, 9):
        assert (
            lines[n][0]
            .strip("$\n")
            .removesuffix(worked.tag(n))
            .endswith(f"= {worked.num(g.delta[3][0, 0])}")
        ), n
    for n in (11, 12, 13, 16):
        assert (
            lines[n][0]
            .strip("$\n")
            .removesuffix(worked.tag(n))
            .endswith(f"= {worked.num(g.delta[2][0, 0])}")
        ), n
    assert f"= {worked.num(g.forward.z[3][0, 0])}" + worked.tag(14) in lines[14][0]
    expanders = [e.label for e in at.expander]
    assert "Where (10) comes from: the chain rule, steps (6)–(9)" in expanders
    assert "Where (17) comes from: the chain rule, steps (11)–(16)" in expanders
    # a batch shows the same derivations for its first example
    at.radio(key="bp_data").set_value("batch").run()
    assert any(worked.tag(13) in e.value for e in at.latex)


def test_a_cross_entropy_network_is_not_called_eq_2():
    at = backprop_page(
        {"out": "sigmoid", "cost": "cross_entropy", "hidden": "2"}, via_playground=True
    )
    choose(at, "playground")
    assert fine(at)
    assert at.metric[1].label == "Cost C, cross-entropy"
    titles = [m.value for m in at.markdown if m.value.startswith("####")]
    assert "#### The cost C, cross-entropy" in titles and not any("eq. (2)" in t for t in titles)
    lines = [e.value for e in at.latex if worked.tag(9) in e.value]
    assert len(lines) == 1 and r"a^{3}_{1}(1-a^{3}_{1})" in lines[0]


def test_apply_changes_every_weight_by_exactly_minus_alpha_times_the_gradient_shown():
    at = backprop_page()
    at.select_slider(key="bp_alpha").set_value(0.3).run()
    lab = at.session_state.bp_lab
    net = lab.net
    old_w = {l: w.copy() for l, w in net.w.items()}
    old_b = {l: b.copy() for l, b in net.b.items()}
    g = net.backprop(*lab.data)
    shown = {l: table_with(at, f"w{'²³'[l - 2]}₁₁", ledger.AFTER) for l in (2, 3)}
    for l in (2, 3):  # the page shows the engine's gradient
        expected = np.concatenate([g.w[l].ravel(), g.b[l].ravel()])
        np.testing.assert_array_equal(shown[l][ledger.GRADIENT], expected)
    apply_step(at)
    assert at.session_state.bp_lab.steps == 1
    for l in (2, 3):
        np.testing.assert_array_equal(net.w[l], old_w[l] - 0.3 * g.w[l])  # (24)
        np.testing.assert_array_equal(net.b[l], old_b[l] - 0.3 * g.b[l])  # (25)
        after = np.concatenate([net.w[l].ravel(), net.b[l].ravel()])
        np.testing.assert_array_equal(shown[l][ledger.AFTER], after)  # as the table promised


def test_the_cost_history_grows_and_start_over_rewinds():
    at = backprop_page()
    assert cost_points(at) == 1
    first = at.metric[1].value
    apply_step(at)
    assert cost_points(at) == 2 and at.metric[0].value == "1"
    apply_step(at)
    costs = [c for _, c in at.session_state.bp_lab.history]
    assert cost_points(at) == 3 and costs[2] < costs[1] < costs[0]
    at.button(key="bp_start_over").click().run()
    assert cost_points(at) == 1 and at.metric[0].value == "0" and at.metric[1].value == first


def test_the_xor_network_learns_nothing_because_it_is_already_right():
    at = backprop_page()
    choose(at, "xor")
    w = {l: v.copy() for l, v in at.session_state.bp_lab.net.w.items()}
    apply_step(at)
    assert at.metric[1].value == "0"
    for l, v in w.items():
        np.testing.assert_array_equal(at.session_state.bp_lab.net.w[l], v)


def test_the_choice_survives_a_visit_to_another_page():
    at = backprop_page()
    choose(at, "2-3-2")
    apply_step(at)
    at.switch_page("pages/playground_page.py").run()
    at.switch_page(PAGE).run()
    assert fine(at)
    lab = at.session_state.bp_lab
    assert lab.problem.key[0] == "2-3-2" and lab.steps == 1


# ---------------------------------------------------------------------------- gradient check
def test_the_gradient_check_shows_small_errors_for_the_sigmoid_net():
    at = backprop_page()
    check = table_with(at, "w²₁₁", "relative error")
    assert (check["relative error"] < 1e-6).all()
    assert set(check["agree"]) == {"✓"}
    assert any("agree for all 9 parameters" in s.value for s in at.success)


def test_the_gradient_check_flags_the_relu_kinks_of_the_xor_network():
    at = backprop_page()
    choose(at, "xor")
    assert any("kink" in w.value for w in at.warning)


@pytest.mark.parametrize(
    "query",
    [
        {"cost": "cross_entropy", "out": "sigmoid", "act": "sigmoid"},
        {"hidden": ""},  # L = 2: no hidden layer, step 3 has nothing to do
        {"dataset": "sine_1d", "features": "x1", "hidden": "3", "out": "linear"},
        {"features": "x1,x2,x1x2,sin_x1", "hidden": "3"},
    ],
)
def test_unusual_playground_networks_render(query):
    at = backprop_page(query, via_playground=True)
    choose(at, "playground")
    for data in ("one", "batch"):
        at.radio(key="bp_data").set_value(data).run()
        assert fine(at), query
        assert not at.warning or "kink" in at.warning[0].value
        apply_step(at)
        assert fine(at) and at.session_state.bp_lab.steps >= 1
