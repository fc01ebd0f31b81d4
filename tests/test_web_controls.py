"""Forged widget values (ui/web/controls.py): a browser's widget values arrive over the
websocket and can be anything. The sidebar checks every one with the link's own parsers; a value
no control can hold is replaced by the last valid one, with a short notice (issue 10)."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import page_numbers, shown_text
from ui.config import DEFAULT, from_query, to_query
from ui.web.controls import widget_values

# Issue 10: a forged 20 MB activation name wrote 20 MB into the log per run. Streamlit now
# refuses a widget state over 1 MB (.streamlit/config.toml); just under that reaches the app.
HUGE = "A" * 900_000

# (widget key, a value in the proto field that widget sends) that reaches the app as it is:
# names a selectbox or a multiselect does not offer, of any length
REACHING = [
    ("c_dataset", "moons"),
    ("c_dataset", "custom"),  # no uploaded data in this session
    ("c_dataset", HUGE),
    ("c_features", ["x1", "x1"]),
    ("c_features", ["x1", "no_such_feature"]),
    ("c_features", ["x1"] * 100_000),
    ("c_features", [HUGE]),
    ("c_act", HUGE),
    ("c_act", "softmax"),
    ("c_out", "<b>tanh</b>"),
    ("c_cost", "hinge"),
    ("c_init", ""),
    ("c_reg", "l3"),
    ("c_reg", HUGE),
]
# numbers out of range, not whole, not a number, options a select slider does not have:
# Streamlit 1.67 itself turns them into values the widget can hold before the app sees them
TAMED = [
    ("c_points", 1e9),
    ("c_points", 3.5),
    ("c_points", float("nan")),
    ("c_noise", -1.0),
    ("c_train", 100.0),
    ("c_dseed", -5.0),
    ("c_dseed", 2.0**40),
    ("c_layers", 9.0),
    ("c_layers", 2.5),
    ("c_k0", 0.0),
    ("c_k1", 1e4),
    ("c_seed", 2.0**40),
    ("c_lr", ["fast"]),
    ("c_lr", ["1e9"]),
    ("c_lr", ["0.3", "3"]),
    ("c_batch", ["-1"]),
    ("c_speed", [HUGE]),
    ("c_regrate", ["-1"]),
    ("c_regrate", ["1e300"]),
    ("c_regrate", ["nan"]),
]


def app() -> AppTest:
    return AppTest.from_file("../app.py", default_timeout=30).run()


def forge(at: AppTest, key: str, value: object) -> AppTest:
    """Rerun with widget ``key``'s value replaced, as a forged websocket message would, in
    the proto field that widget sends (AppTest's own setters only send values a widget could
    hold). Not tried here: a value in another field (a number to a slider that sends a list,
    a list to a selectbox) makes Streamlit 1.67 itself raise in its deserializer while it
    compares widget states, before any app code runs; that breaks only the forging tab."""
    states = at._tree.get_widget_states()
    [state] = [w for w in states.widgets if w.id.endswith(f"-{key}")]
    field = state.WhichOneof("value")
    if field == "string_value":
        state.string_value = value
    elif field == "double_value":
        state.double_value = value
    elif field == "double_array_value":
        state.double_array_value.data[:] = [value]
    elif field == "string_array_value":
        state.string_array_value.data[:] = value
    else:
        raise AssertionError(f"{key} sends {field}")
    return at._run(states)


def ids(cases):
    return [f"{key}-{i}" for i, (key, _) in enumerate(cases)]


@pytest.mark.parametrize(("key", "value"), REACHING, ids=ids(REACHING))
def test_a_forged_widget_value_is_refused_and_the_page_goes_on(key, value, caplog):
    at = app()
    with caplog.at_level(logging.INFO):
        forge(at, key, value)
    assert not at.exception and not at.error
    assert at.session_state.exp.config == DEFAULT  # nothing of it reached the experiment
    notices = [shown_text(w.value) for w in at.warning]
    assert any("Ignored values no control can hold" in n for n in notices), notices
    assert all(len(n) < 300 for n in notices)
    assert at.session_state[key] == widget_values(DEFAULT)[key]  # the widget holds a valid value
    assert max((len(r.getMessage()) for r in caplog.records), default=0) < 25_000
    at.button(key="step").click().run()
    assert page_numbers(at)["Step"] == "1"


@pytest.mark.parametrize(("key", "value"), TAMED, ids=ids(TAMED))
def test_a_forged_number_becomes_a_value_the_control_holds(key, value):
    at = app()
    forge(at, key, value)
    assert not at.exception and not at.error
    config = at.session_state.exp.config
    assert config == from_query(to_query(config))[0]  # a valid configuration
    at.button(key="step").click().run()
    assert page_numbers(at)["Step"] == "1"


def test_a_20_mb_forged_value_is_refused_at_the_door():
    at = app()
    forge(at, "c_act", "A" * 20_000_000)
    assert at.exception  # Streamlit's own refusal (WidgetStateSizeError), in this tab only
    assert at.session_state.exp.config == DEFAULT
    at.run()  # the tab's next run is whole again
    assert not at.exception and at.session_state.exp.config == DEFAULT


def test_a_widget_id_the_app_does_not_know_changes_nothing():
    at = app()
    states = at._tree.get_widget_states()
    for name in ("$$ID-0000-c_unknown", "c_act", "$$ID-ffff-c_act"):
        forged = states.widgets.add()
        forged.id, forged.string_value = name, "B" * 300_000
    at._run(states)
    assert not at.exception and not at.warning and at.session_state.exp.config == DEFAULT


@pytest.mark.parametrize("value", [1.0, 11.0, 1e9, float("nan"), 2.5])
def test_a_forged_number_of_classes_becomes_one_the_set_offers(value):
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.query_params["dataset"] = "spiral"
    at.query_params["classes"] = "3"
    at.run()
    forge(at, "c_classes", value)
    assert not at.exception and not at.error
    config = at.session_state.exp.config
    assert 2 <= config.classes <= 6 and at.session_state.exp.net.sizes[-1] in (1, config.classes)
    at.button(key="step").click().run()
    assert page_numbers(at)["Step"] == "1"


def test_a_softmax_forged_into_a_hidden_layer_or_onto_regression_is_refused():
    at = app()
    forge(at, "c_act", "softmax")  # hidden layers: element-wise activations only
    assert at.session_state.exp.config.hidden_act == ("tanh",) and not at.exception
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.query_params["dataset"] = "plane"
    at.run()
    forge(at, "c_out", "softmax")  # not offered for regression; repaired with a notice
    assert at.session_state.exp.config.output_act == "tanh" and not at.exception


def test_the_data_set_picker_shows_short_names_and_the_description_below_it():
    """A narrow sidebar clipped "circle — A disc (r ≤ 2.5) inside a ri…" in the box: the box
    holds a short name, the description is a caption under it, for the K chosen."""
    from playground.datasets import DATASETS
    from ui.web.controls import DATASET_TITLES

    assert set(DATASET_TITLES) == set(DATASETS)
    assert all(len(t) <= 24 for t in DATASET_TITLES.values())
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.query_params["dataset"] = "gauss"
    at.run()
    box = at.sidebar.selectbox(key="c_dataset")
    assert box.format_func("gauss") == "Gaussian clouds"
    captions = [c.value for c in at.sidebar.caption]
    assert DATASETS["gauss"].describe() in captions
    at.sidebar.slider(key="c_classes").set_value(4).run()
    captions = [c.value for c in at.sidebar.caption]
    assert DATASETS["gauss"].describe(4) in captions and DATASETS["gauss"].describe() != (
        DATASETS["gauss"].describe(4)
    )


@pytest.mark.parametrize(
    "key, value", [("c_init", "equal"), ("c_init", "normal"), ("c_cost", "cross_entropy")]
)
def test_a_long_option_is_short_in_its_box_and_whole_in_a_caption_under_it(key, value):
    from ui.web.controls import SHORT_LABELS

    assert all(len(t) <= 24 for t in SHORT_LABELS.values())
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.query_params["out"] = "sigmoid"  # cross-entropy needs a sigmoid (or softmax) output
    at.run()
    at.sidebar.selectbox(key=key).set_value(value).run()
    assert at.sidebar.selectbox(key=key).format_func(value) == SHORT_LABELS[value]
    full = {"equal": "no symmetry breaking", "normal": "N(0, 1) for weights and biases"}
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert full.get(value, "sigmoid or softmax output") in captions.replace("\\", "")
    forge(at, "c_init", "softmax")  # an option of another box: no caption, no error
    assert not at.exception


def _path_to(node, label: str, path: tuple = ()) -> tuple | None:
    """Where the expander ``label`` sits in the element tree (Streamlit's delta path)."""
    for i, child in getattr(node, "children", {}).items():
        if getattr(child, "type", None) == "expander" and child.label == label:
            return (*path, i)
        if (found := _path_to(child, label, (*path, i))) is not None:
            return found
    return None


@pytest.mark.parametrize(
    "query", [{"dataset": "xor"}, {"out": "sigmoid", "cost": "cross_entropy"}, {"init": "equal"}]
)
def test_a_caption_that_comes_and_goes_moves_no_element_after_it(query):
    """A description or full label shown for some choices only must keep its slot: an element
    that comes and goes moves every element after it, and Streamlit draws a moved expander
    anew, closed ("Your own data and models" closed on an upload and hid its message)."""
    plain = AppTest.from_file("../app.py", default_timeout=30).run()
    at = AppTest.from_file("../app.py", default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    for label in ("Your own data and models", "Link for your class"):
        assert _path_to(at.sidebar, label) == _path_to(plain.sidebar, label) is not None, label
