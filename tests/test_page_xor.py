"""The "XOR network" page in Streamlit's AppTest: the lecture's table, the editor, training."""

from __future__ import annotations

import json

import numpy as np
from streamlit.testing.v1 import AppTest

from ui.lecture import xor as xl

#: Example 1's table: x₁, x₂, a²₁, a²₂, a³₁.
LECTURE_TABLE = [
    [0, 0, 0, 0, 0],
    [0, 1, 1, 0, 1],
    [1, 0, 1, 0, 1],
    [1, 1, 2, 1, 0],
]


def page() -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30).run()
    at.switch_page("pages/xor_page.py").run()
    assert not at.exception
    return at


def shown_table(at: AppTest) -> list[list[float]]:
    """The lecture's table as the page shows it (the first st.table)."""
    return at.table[0].value[list(xl.TABLE_COLUMNS)].to_numpy().tolist()


def edit(at: AppTest, layer: int, rows: dict[int, dict[str, object]]) -> AppTest:
    """Type into the weight inputs of ``layer``: {neuron j (0-based): {column: value}}."""
    for j, cells in rows.items():
        for column, value in cells.items():
            at.number_input(key=f"xor_cell_{layer}_{j}_{column}").set_value(value)
    return at.run()


def forge(at: AppTest, cells: dict[tuple[int, int, str], float]) -> AppTest:
    """Send weight values as a forged websocket message would (AppTest's setters refuse them)."""
    states = at._tree.get_widget_states()
    for (layer, j, column), value in cells.items():
        [state] = [w for w in states.widgets if w.id.endswith(f"-xor_cell_{layer}_{j}_{column}")]
        state.double_value = value
    return at._run(states)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


def test_page_renders_the_lectures_table():
    at = page()
    assert at.title[0].value == "The XOR network"
    assert shown_table(at) == LECTURE_TABLE
    assert at.table[0].value[xl.TARGET_COLUMN].tolist() == [0, 1, 1, 0]
    assert any("The lecture's weights" in s.value for s in at.success)
    assert not at.error


def test_the_diagram_labels_every_weight():
    at = page()
    (diagram,) = [
        c
        for c in at.get("plotly_chart")
        if "xor_diagram" in c.proto.id and "phone-" not in c.proto.id
    ]
    notes = [a["text"] for a in json.loads(diagram.proto.spec)["layout"]["annotations"]]
    for label in ("w²₁₁ = 1", "w²₁₃ = 0", "w²₂₃ = −1", "w³₁₁ = 1", "w³₁₂ = −2"):
        assert f"<b>{label}</b>" in notes


def test_the_worked_example_follows_the_chosen_input():
    at = page()
    at.radio(key="xor_row").set_value(3).run()
    assert any(
        r"1\cdot 2 + (-2)\cdot 1 + 0) = \max(0,\ 0) = \mathbf{0}" in l.value for l in at.latex
    )


def test_editing_a_weight_changes_the_table_by_the_engines_numbers():
    at = page()
    edit(at, 3, {0: {"w2": -1.0}})  # w³₁₂ = −1
    assert not at.exception and not at.error
    w, b = xl.lecture_params()
    w[3][0, 1] = -1.0
    expected = xl.xor_table(xl.network((w, b)))[list(xl.TABLE_COLUMNS)].to_numpy().tolist()
    assert shown_table(at) == expected
    assert expected[3] == [1, 1, 2, 1, 1]  # (1, 1): max(0, 1·2 − 1·1) = 1
    assert any("no longer XOR" in w.value for w in at.warning)
    np.testing.assert_array_equal(at.session_state.xor_params[0][3], [[1.0, -1.0]])


def test_a_forged_weight_never_reaches_the_network_out_of_bounds():
    """NaN or 1e300 sent for a weight: Streamlit maps it into the input's range, and the page
    checks what it gets anyway (``xl.parse_editor``)."""
    at = page()
    forge(at, {(2, 0, "w1"): float("nan"), (2, 1, "b"): 1e300, (3, 0, "w2"): -1e300})
    assert not at.exception
    w, b = at.session_state.xor_params
    for arr in (*w.values(), *b.values()):
        assert np.isfinite(arr).all() and np.abs(arr).max() <= xl.MAX_WEIGHT
    assert not [e for e in at.error if "Something went wrong" in e.value]


def test_the_weight_inputs_are_a_fixed_set_a_forged_message_cannot_grow():
    """Issue 10: the data editor applied a forged message's 3,000 added rows (13.8 s of CPU)."""
    at = page()
    keys = sorted(n.key for n in at.number_input if n.key.startswith("xor_cell_"))
    assert len(keys) == 2 * 4 + 1 * 3  # w² and b² (2 × 4), w³ and b³ (1 × 3)
    assert not at.get("arrow_data_frame") and not [e for e in at.get("data_editor")]
    states = at._tree.get_widget_states()
    for i in range(3000):  # widget ids the page never drew: Streamlit drops them
        extra = states.widgets.add()
        extra.id, extra.double_value = f"$$ID-{i:032x}-xor_cell_2_{i}_w1", 1.0
    at._run(states)
    assert not at.exception and shown_table(at) == LECTURE_TABLE
    assert sorted(n.key for n in at.number_input if n.key.startswith("xor_cell_")) == keys


def test_restore_brings_back_the_lectures_weights():
    at = page()
    edit(at, 2, {0: {"w3": 5.0}})
    assert shown_table(at) != LECTURE_TABLE
    click(at, "xor_restore")
    assert shown_table(at) == LECTURE_TABLE
    assert at.number_input(key="xor_cell_2_0_w3").value == 0  # the inputs show them too
    assert not at.error


def test_huge_but_valid_weights_train_without_a_traceback():
    at = page()
    edit(at, 2, {0: {"w1": 100.0, "w2": -100.0}, 1: {"b": 100.0}})
    assert not at.error
    at.select_slider(key="xor_alpha").set_value(1.0)
    click(at, "xor_train_here")
    assert not at.exception


def test_training_from_the_lectures_weights_has_nothing_to_learn():
    at = click(page(), "xor_train_here")
    assert metrics(at)["C now"] == "0.0000"
    assert any("Nothing to learn" in i.value for i in at.info)


def test_training_from_random_weights_learns_xor_and_can_be_loaded():
    at = page()
    at.number_input(key="xor_seed").set_value(1)
    click(at, "xor_train_random")
    assert metrics(at)["Accuracy"] == "100 %"
    trained = xl.xor_table(at.session_state.xor_runs[-1].net)
    assert at.table[1].value.to_numpy().tolist() == trained.to_numpy().tolist()
    click(at, "xor_load")
    assert np.allclose(shown_table(at), trained[list(xl.TABLE_COLUMNS)].to_numpy())


def test_zero_initialisation_leaves_the_hidden_neurons_equal():
    at = page()
    at.selectbox(key="xor_act").set_value("sigmoid")
    click(at, "xor_train_zeros")
    run = at.session_state.xor_runs[-1]
    assert xl.hidden_units_identical(run.net)
    units = at.table[-1].value.to_numpy()  # the side-by-side table of the hidden neurons
    np.testing.assert_array_equal(units[0], units[1])
    assert any("still identical" in i.value for i in at.info)


def test_equal_weights_move_in_step():
    at = page()
    at.selectbox(key="xor_act").set_value("sigmoid")
    at.select_slider(key="xor_alpha").set_value(1.0)
    click(at, "xor_train_equal")
    run = at.session_state.xor_runs[-1]
    assert run.moved and xl.hidden_units_identical(run.net)
    units = at.table[-1].value.to_numpy()
    np.testing.assert_array_equal(units[0], units[1])
    assert metrics(at)["Accuracy"] != "100 %"


def test_the_sign_activation_moves_nothing():
    at = page()
    at.selectbox(key="xor_act").set_value("sign")
    click(at, "xor_train_random")
    run = at.session_state.xor_runs[-1]
    assert not run.moved
    assert any("Nothing moved" in i.value for i in at.info)


def test_runs_are_kept_in_session_state_and_cleared():
    at = page()
    for key in ("xor_train_here", "xor_train_zeros", "xor_train_random"):
        click(at, key)
    assert [r.start for r in at.session_state.xor_runs] == ["here", "zeros", "random"]
    click(at, "xor_clear")
    assert at.session_state.xor_runs == []
