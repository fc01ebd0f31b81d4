"""The network diagram's tools on the Playground page (AppTest): the weights | gradients view and
its link key, editing w^l_jk and b^l_j by clicking the diagram, Reset with and without the
edits, and the slow-motion Step's frames."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import page_numbers
from tests.decode import decode
from tests.test_web_controls import forge
from ui.config import from_query, to_query
from ui.figures.gradients import gradient_trace_index
from ui.figures.network import network_trace_index
from ui.notation import human
from ui.web import network_tools

SIZES = [2, 4, 2, 1]  # the default network


def app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def components(at: AppTest, name: str) -> list[dict]:
    return [
        json.loads(e.proto.bytes)
        for e in at.get("bidi_component")
        if e.proto.component_name.endswith(name)
    ]


def network_figure(at: AppTest) -> dict:
    [m] = [m for m in components(at, "live_chart") if m["key"] == "network"]
    return m["figure"]


def edit(at: AppTest, target: tuple, value: float) -> AppTest:
    """A click on the diagram that chose ``target`` (the pick callback's result), then the
    dialog: the value typed, Set."""
    at.session_state.edit_target = target
    at.run()
    at.text_input(key="edit_value").input(str(value)).run()
    at.button(key="edit_set").click().run()
    return at.run()


class State(dict):
    """A stand-in for st.session_state in callback tests."""

    __getattr__ = dict.get

    def __setattr__(self, key, value):
        self[key] = value


# ---------------------------------------------------------------------------- the view
def test_nview_is_a_link_key_both_ways():
    config, notices = from_query({"nview": "gradients"})
    assert config.net_view == "gradients" and notices == []
    assert to_query(config) == {"nview": "gradients"}
    assert "nview" not in to_query(from_query({})[0])
    config, notices = from_query({"nview": "<b>weights&gradients</b>"})
    assert config.net_view == "weights" and "nview" in notices[0]


def test_the_gradients_view_from_a_link_draws_the_gradients_and_switches_back():
    at = app({"nview": "gradients"})
    assert not at.exception
    fig = network_figure(at)
    assert len(fig["data"]) == gradient_trace_index(SIZES)["n_traces"]
    assert at.query_params["nview"] == ["gradients"] or at.query_params["nview"] == "gradients"
    at.button(key="step").click().run()  # a fragment run: the gradients view's updates
    [feed] = components(at, "live_feed")
    [network] = [m for m in feed["frames"][-1]["charts"] if m["key"] == "network"]
    assert str(gradient_trace_index(SIZES)["colorbar"]) in network["updates"]
    at.run()
    at.segmented_control(key="c_net_view").set_value("weights").run()
    assert len(network_figure(at)["data"]) == network_trace_index(SIZES)["n_traces"]
    assert "nview" not in at.query_params


@pytest.mark.parametrize("value", [["everything"], ["<b>x</b>" * 1000], []])
def test_a_forged_view_value_keeps_the_last_one(value):
    at = app({"nview": "gradients"})
    forge(at, "c_net_view", value)
    assert not at.exception
    assert at.session_state.exp.config.net_view == "gradients"


# ---------------------------------------------------------------------------- editing
def test_target_of_maps_every_link_and_neuron_of_the_diagram():
    index = network_trace_index([2, 4, 3, 1])
    links = [network_tools.target_of([2, 4, 3, 1], index["link_hover"], p) for p in range(23)]
    assert links[0] == ("w", 2, 0, 0) and links[1] == ("w", 2, 0, 1)
    assert links[8] == ("w", 3, 0, 0) and links[22] == ("w", 4, 0, 2)
    assert len(set(links)) == 23
    neurons = [network_tools.target_of([2, 4, 3, 1], index["neuron_hover"], p) for p in range(8)]
    assert neurons[0] == ("b", 2, 0) and neurons[4] == ("b", 3, 0) and neurons[7] == ("b", 4, 0)


@pytest.mark.parametrize(
    ("trace", "point", "message"),
    [
        ("link", 8 + 8 + 2, "no such connection"),
        ("neuron", 7, "no such neuron"),
        ("input", 0, "no bias"),
        ("outlines", 0, "click a connection"),
        ("link", -1, "whole number"),
        ("link", True, "whole number"),
        ("link", 1.5, "whole number"),
        ("link", "0", "whole number"),
    ],
)
def test_a_forged_or_useless_pick_is_refused_with_a_reason(trace, point, message):
    index = network_trace_index(SIZES)
    trace = {
        "link": index["link_hover"],
        "neuron": index["neuron_hover"],
        "input": index["input_hover"],
        "outlines": index["outlines"],
    }[trace]
    with pytest.raises(ValueError, match=message):
        network_tools.target_of(SIZES, trace, point)


def test_a_pick_pauses_play_and_opens_the_editor(monkeypatch):
    at = app()
    state = State(exp=at.session_state.exp, playing=True, play_generation=3)
    monkeypatch.setattr(network_tools, "S", state)
    network_tools.on_pick(network_trace_index(SIZES)["neuron_hover"], 6)
    assert state["edit_target"] == ("b", 4, 0) and state["playing"] is False
    assert state["play_generation"] == 4  # a replayed Play click from before is ignored
    network_tools.on_pick(network_trace_index(SIZES)["input_hover"], 0)
    assert "no bias" in state["draw_message"]


def test_an_edit_is_exact_and_shown_in_every_number_and_chart():
    at = app()
    before = page_numbers(at)["C (training)"]
    edit(at, ("w", 3, 1, 2), 1.2345678)
    exp = at.session_state.exp
    assert exp.net.w[3][1, 2] == 1.2345678  # exactly what was typed
    assert page_numbers(at)["C (training)"] != before
    assert not at.exception
    from tests.decode import decode

    hover = network_figure(at)["data"][network_trace_index(SIZES)["link_hover"]]
    assert decode(hover["customdata"])[8 + 1 * 4 + 2] == pytest.approx(1.2345678, rel=1e-6)
    assert exp.trainer.history.column("cost_train")[-1] == exp.trainer.metrics["cost_train"]


def test_every_bias_can_be_set_including_the_output():
    at = app()
    edit(at, ("b", 4, 0), -0.75)
    assert at.session_state.exp.net.b[4][0, 0] == -0.75


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("inf", "finite number from -100 to 100"),
        ("nan", "finite number from -100 to 100"),
        ("1e6", "finite number from -100 to 100"),
        ("-101", "finite number from -100 to 100"),
        ("1e400", "finite number"),
        ("two", "'two' is not a number"),
        ("<img src=x onerror=alert(1)>", "not a number"),
        ("9" * 5000, "finite number"),  # Streamlit keeps 40 characters: 1e40, refused
    ],
    ids=range(8),
)
def test_a_forged_value_is_refused_and_nothing_is_lost(value, reason):
    at = app()
    exp = at.session_state.exp
    w = {l: exp.net.w[l].copy() for l in exp.net.w}
    at.session_state.edit_target = ("w", 2, 0, 0)
    at.run()
    forge(at, "edit_value", value)  # as a forged websocket message would set it
    at.button(key="edit_set").click().run()
    assert not at.exception
    for l in w:
        np.testing.assert_array_equal(exp.net.w[l], w[l])
    [error] = [e.value for e in at.error]
    assert "Not set, nothing changed" in error and reason in error
    assert at.text_input(key="edit_value").value == value[:40]  # still there, to be fixed


def test_reset_forgets_edits_unless_asked_to_keep_them():
    at = app()
    exp = at.session_state.exp
    first = exp.net.w[2][0, 0]
    edit(at, ("w", 2, 0, 0), 2.0)
    at.button(key="step").click().run()
    at.run()
    at.button(key="reset").click().run()
    at.run()
    assert exp.net.w[2][0, 0] == first and exp.trainer.steps == 0

    edit(at, ("w", 2, 0, 0), 2.0)
    edit(at, ("b", 4, 0), 0.5)
    at.checkbox(key="keep_edits").check().run()
    for _ in range(3):
        at.button(key="step").click().run()
        at.run()
    assert exp.net.w[2][0, 0] != 2.0  # training moved it
    at.button(key="reset").click().run()
    at.run()
    assert exp.net.w[2][0, 0] == 2.0 and exp.net.b[4][0, 0] == 0.5
    assert exp.trainer.steps == 0
    row0 = exp.trainer.history.column("cost_train")[0]
    assert row0 == exp.trainer.metrics["cost_train"]  # the history starts from the edited net
    at.checkbox(key="keep_edits").uncheck().run()
    at.button(key="reset").click().run()
    at.run()
    assert exp.net.w[2][0, 0] == first and not exp.net.has_kept_start


def test_a_changed_network_starts_without_edits():
    at = app()
    edit(at, ("w", 2, 0, 0), 2.0)
    assert "Your edits" in " ".join(c.value for c in at.caption)
    at.slider(key="c_layers").set_value(1).run()
    assert "Your edits" not in " ".join(c.value for c in at.caption)


# ---------------------------------------------------------------------------- slow motion
def test_a_slow_motion_step_sends_its_phases_then_the_real_state():
    plain = app()
    plain.button(key="step").click().run()
    [feed] = components(plain, "live_feed")
    assert len(feed["frames"]) == 1 and "slowMs" not in feed

    at = app()
    at.checkbox(key="slow_step").check().run()
    at.button(key="step").click().run()
    [feed] = components(at, "live_feed")
    L = len(SIZES)
    phases = feed["frames"][:-1]
    assert len(phases) == L + (L - 1) + 1  # forward 1 → L, backward L → 2, the update
    assert all(f["slow"] for f in phases) and "slow" not in feed["frames"][-1]
    assert feed["slowMs"] * len(phases) <= network_tools.SLOW_TOTAL_MS
    texts = [f["html"] for f in phases]
    assert "Forward pass, layer 1" in texts[0] and "eq. (10)" in texts[L]
    assert "eq. (17)" in texts[L + 1] and "eq. (24)" in texts[-1]
    band = f"shapes[{network_tools.highlight_index(SIZES)}].visible"
    assert all(f["charts"][0]["relayout"][band] is True for f in phases)
    [last] = [m for m in feed["frames"][-1]["charts"] if m["key"] == "network"]
    assert last["relayout"][band] is False
    # the state shown at the end is the real one: the same as a plain Step's
    exp, ref = at.session_state.exp, plain.session_state.exp
    assert exp.trainer.steps == 1
    for l in exp.net.w:
        np.testing.assert_array_equal(exp.net.w[l], ref.net.w[l])


def test_play_never_goes_slowly():
    at = app()
    at.checkbox(key="slow_step").check().run()
    at.session_state.playing = True
    at.run()
    at.button(key="step").click().run()
    [feed] = components(at, "live_feed")
    assert "slowMs" not in feed and not any(f.get("slow") for f in feed["frames"])


def test_every_parameter_can_be_chosen_by_name_without_a_mouse():
    at = app({"hidden": "3"})
    box = at.selectbox(key="param_pick")
    assert box.value is None
    assert len(box.options) == (3 * 2 + 3) + (1 * 3 + 1)  # every w and b of 2-3-1
    assert network_tools.all_targets([2, 3, 1])[-1] == ("b", 3, 0)  # the output's bias too
    box.set_value(("b", 3, 0)).run()
    assert at.session_state.edit_target == ("b", 3, 0)
    assert at.selectbox(key="param_pick").value is None  # back to its placeholder
    at.text_input(key="edit_value").input("−1.5").run()  # a typographic minus is a minus
    at.button(key="edit_set").click().run()
    assert at.session_state.exp.net.b[3][0, 0] == -1.5


@pytest.mark.parametrize("out", ["tanh", "softmax"])
def test_three_classes_in_the_gradients_view_with_slow_motion_and_an_output_bias(out):
    query = {"dataset": "spiral", "classes": "3", "nview": "gradients", "out": out}
    if out == "softmax":
        query["cost"] = "cross_entropy"
    at = app(query)
    sizes = list(at.session_state.exp.net.sizes)
    assert sizes[-1] == 3
    assert len(network_figure(at)["data"]) == gradient_trace_index(sizes)["n_traces"]
    at.checkbox(key="slow_step").check().run()
    at.button(key="step").click().run()
    [feed] = components(at, "live_feed")
    texts = " ".join(f["html"] for f in feed["frames"] if f.get("slow"))
    assert ("eq. (7)" in texts) == (out == "softmax") and "eq. (17)" in texts
    at.run()
    edit(at, ("b", len(sizes), 2), 0.125)  # the third output neuron's bias
    assert at.session_state.exp.net.b[len(sizes)][2, 0] == 0.125
    assert not at.exception


def test_the_diagram_s_messages_of_a_slow_step_are_numbered_in_the_order_shown():
    """The browser drops a chart message older than the one it holds (issue 12)."""
    at = app()
    at.checkbox(key="slow_step").check().run()
    at.button(key="step").click().run()
    [feed] = components(at, "live_feed")
    seqs = [m["seq"] for f in feed["frames"] for m in f["charts"] if m["key"] == "network"]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_the_gradients_view_reveals_each_layer_s_error_as_the_slow_backward_pass_reaches_it():
    """Forward phases: no δ yet, every layer's largest |δ| is "…"; the backward phase of layer l
    shows layers l … L (eq. (10), then (17) going down); the update shows them all. The
    numbers are the step's own δ, the ones its banner names."""
    from playground.metrics import gradient_summary

    at = app({"nview": "gradients"})
    exp = at.session_state.exp
    summary = gradient_summary(exp.trainer.preview_step().gradients)
    step_delta = summary.delta_max
    at.checkbox(key="slow_step").check().run()
    at.button(key="step").click().run()
    [feed] = components(at, "live_feed")
    L = len(SIZES)
    labels = len(exp.input_labels) + 2 * L - 1 - (L - 1)  # the first per-layer |δ| label
    phases = feed["frames"][:-1]
    reveals = [L + 1] * L + list(range(L, 1, -1)) + [2]
    assert len(phases) == len(reveals)
    for frame, reveal in zip(phases, reveals, strict=True):
        [m] = [m for m in frame["charts"] if m["key"] == "network"]
        for l in range(2, L + 1):
            text = m["relayout"][f"annotations[{labels + l - 2}].text"]
            if l < reveal:
                assert text.endswith("…"), (reveal, l, text)
            else:
                assert text.endswith(human(step_delta[l], ".2g")), (reveal, l, text)
        # a ring around each neuron of layers reveal … L whose δ is not 0, none elsewhere
        rings = gradient_trace_index(SIZES)["rings"]
        drawn = sum(
            len(decode(m["updates"][str(i)]["x"])) // 6
            for i in rings
            if str(i) in m.get("updates", {})
        )
        expected = sum(int(np.count_nonzero(summary.delta[l])) for l in range(reveal, L + 1))
        assert drawn == expected, (reveal, drawn)


def output_marks(fig: dict) -> list[str]:
    """The texts right of the output squares (x beyond the last layer's column)."""
    L = max(a["x"] for a in fig["layout"]["annotations"] if a.get("yanchor") == "top")
    return [a["text"] for a in fig["layout"]["annotations"] if a["x"] > L]


@pytest.mark.parametrize(
    "query, marks",
    [
        ({}, ["&gt; 0<br>"]),  # one tanh output (the default): class 1 above 0
        ({"out": "sigmoid"}, ["&gt; 0.5<br>"]),  # a sigmoid output: above 0.5
        ({"dataset": "spiral", "classes": "3"}, ["●", "■", "◆"]),  # one output per class
        ({"dataset": "plane"}, []),  # regression: no class to name
        ({"nview": "gradients"}, []),  # the colour bar has the right margin
    ],
)
def test_the_output_neurons_show_the_class_they_stand_for(query, marks):
    at = app(query)
    assert not at.exception
    found = output_marks(network_figure(at))
    assert len(found) == len(marks)
    assert all(m in f for m, f in zip(marks, found, strict=True)), found
