"""Uploading points and networks on the Playground; bad files change nothing."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground import Network, network_to_json
from playground.csv_io import dataset_to_csv
from playground.datasets import make_dataset
from playground.regularization import Regularization
from tests.conftest import page_feed_html, shown_text
from ui.config import CUSTOM, DEFAULT, to_query
from ui.web import files


class Upload:
    """What st.file_uploader hands to a callback: an object with getvalue()."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def getvalue(self) -> bytes:
        return self.data


@pytest.fixture
def at():
    return AppTest.from_file("../app.py", default_timeout=30).run()


def upload(at: AppTest, key: str, data: bytes) -> AppTest:
    """Run the uploader's callback as Streamlit would, then rerun the page."""
    at.session_state[key] = Upload(data)
    callback = {"up_csv": files._on_csv, "up_net": files._on_network}[key]
    _with_session(at, callback)
    return at.run()


def _with_session(at, callback):
    # The callbacks read st.session_state; inside AppTest that is the test's session state.
    import streamlit as st

    real = st.session_state
    try:
        files.S = at.session_state
        callback()
    finally:
        files.S = real


def test_uploaded_points_are_trained_on(at):
    ds = make_dataset("gauss", n_points=60, seed=3)
    at = upload(at, "up_csv", dataset_to_csv(ds).encode())
    exp = at.session_state.exp
    assert exp.config.dataset == CUSTOM and exp.dataset.n == 60
    np.testing.assert_array_equal(exp.dataset.x, ds.x)
    assert not at.exception
    at.button(key="step").click().run()
    assert at.session_state.exp.trainer.steps == 1


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00\x01binary", "binary file"),
        (b"x1,x2,label\n1,2,0\n3,abc,1\n", "line 3"),
        (b"x1,x2,label\n1,2,0\n3,4,0\n", "expected 2 to 10 classes"),
        (
            b"x1,x2,label\n" + b"".join(b"%d,%d,c%d\n" % (i, i, i) for i in range(11)),
            "line 12",
        ),
    ],
)
def test_a_bad_csv_is_explained_and_changes_nothing(at, data, fragment):
    before = at.session_state.exp.dataset
    at = upload(at, "up_csv", data)
    assert at.session_state.exp.dataset is before
    errors = [shown_text(e.value) for e in at.error]
    assert errors and "was not used" in errors[0], errors
    assert fragment.lower() in errors[0].lower(), errors[0]


def test_uploaded_points_of_four_named_classes_get_four_outputs_and_a_confusion_table(at):
    names = ("apple", "<b>pear</b>", "fig", "kiwi")
    rows = [f"{i % 9 - 4},{i % 7 - 3},{names[i % 4]}" for i in range(80)]
    at = upload(at, "up_csv", ("x1,x2,fruit\n" + "\n".join(rows)).encode())
    exp = at.session_state.exp
    assert not at.exception and exp.dataset.n_classes == 4 and exp.net.sizes[-1] == 4
    assert exp.config.classes == 4 and "classes" not in at.query_params
    assert "4 classes" in shown_text(at.success[0].value)
    at.button(key="step").click().run()
    html = page_feed_html(at)
    assert 'data-testid="pg-confusion"' in html
    assert "&lt;b&gt;pear&lt;/b&gt;" in html and "<b>pear" not in html


def test_a_saved_network_loads_with_its_configuration_and_reset_rewinds_to_it(at):
    net = Network([2, 3, 1], activations=["relu", "sigmoid"], init="normal", seed=42)
    config = {**to_query(DEFAULT), "hidden": "3", "act": "relu", "out": "sigmoid"}
    text = network_to_json(net, extra={"config": config})
    at = upload(at, "up_net", text.encode())
    exp = at.session_state.exp
    assert exp.net.sizes == (2, 3, 1) and exp.config.output_act == "sigmoid"
    np.testing.assert_array_equal(exp.net.w[2], net.w[2])
    at.button(key="step").click().run()
    at.run()
    at.button(key="reset").click().run()
    np.testing.assert_array_equal(at.session_state.exp.net.w[2], net.w[2])


def test_a_bad_network_file_changes_nothing(at):
    before = at.session_state.exp.net
    at = upload(at, "up_net", json.dumps({"format": "keras"}).encode())
    assert at.session_state.exp.net is before
    assert any("was not loaded" in shown_text(e.value) for e in at.error)


def test_a_setting_that_cannot_be_built_keeps_the_experiment_and_says_why(at):
    """Issue 10: points at ±1e300 and then the x₁² feature removed the sidebar and showed an
    error on every later run until a reload."""
    rows = "\n".join(f"{(-1) ** i * 1e300},{i * 1e299},{i % 2}" for i in range(20))
    at = upload(at, "up_csv", f"x1,x2,label\n{rows}\n".encode())
    exp = at.session_state.exp
    at.multiselect(key="c_features").set_value(["x1_sq", "x2"]).run()
    assert not at.exception and not at.error
    assert any("could not be used" in shown_text(w.value) for w in at.warning)
    assert at.session_state.exp is exp and exp.config.features == ("x1", "x2")
    assert at.multiselect(key="c_features").value == ["x1", "x2"]  # the sidebar shows it
    at.run()
    assert not at.warning and at.sidebar.selectbox(key="c_dataset")
    at.button(key="step").click().run()
    assert exp.trainer.steps == 1


def _figure(at: AppTest, key: str) -> dict:
    [message] = [
        json.loads(e.proto.bytes)
        for e in at.get("bidi_component")
        if e.proto.component_name.endswith("live_chart") and json.loads(e.proto.bytes)["key"] == key
    ]
    return message["figure"]


def test_a_files_text_is_never_rendered_as_markup(at):
    """Issue 10: upload error messages quoted the file as Markdown; class names from a file
    went into the chart's legend as plotly HTML."""
    from tests.test_ui_user_text import HOSTILE, is_escaped

    bad = f"x1,x2,label\n1,2,0\n3,{HOSTILE[0]},1\n".encode()
    at = upload(at, "up_csv", bad)
    [error] = [e.value for e in at.error]
    assert is_escaped(error) and "[Log in here]" in shown_text(error)
    link = '<a href="https://evil.example">Log in</a>'
    rows = "\n".join(f"{i},{-i},{link if i % 2 else 'x%{y}'}" for i in range(10))
    at = upload(at, "up_csv", f"x1,x2,label\n{rows}\n".encode())
    assert at.session_state.exp.dataset.class_names == (link, "x%{y}")
    legend = [t.get("name", "") for t in _figure(at, "boundary")["data"]]
    assert not any("<a" in n or "%{" in n for n in legend), legend
    assert "&lt;a href=&quot;https://evil.example&quot;&gt;Log in&lt;/…" in legend


def _hostile_networks() -> dict[str, bytes]:
    net = Network([2, 3, 1], activations="tanh")
    extra_list = json.loads(network_to_json(net))
    extra_list["extra"] = []
    big = json.loads(network_to_json(Network([2, 256, 256, 1], activations="tanh")))
    big["layers"]["3"]["w"][5][5] = 1e400
    return {
        "nested": b"[" * 200_000 + b"]" * 200_000,
        "extra_list": json.dumps(extra_list).encode(),
        "non_finite_big": json.dumps(big).replace("Infinity", "1e999").encode(),
    }


@pytest.mark.parametrize("case", ["nested", "extra_list", "non_finite_big"])
def test_a_hostile_network_file_leaves_the_page_as_it_was(at, case):
    """Issue 10: RecursionError and AttributeError replaced the whole page by Streamlit's
    error; a non-finite weight made a 0.5 MB message."""
    from tests.test_ui_user_text import is_escaped

    before = at.session_state.exp.net
    at = upload(at, "up_net", _hostile_networks()[case])
    assert not at.exception
    assert at.sidebar.selectbox(key="c_dataset") and at.button(key="step")
    if case == "extra_list":  # a valid network: "extra" is only the saved settings
        assert at.session_state.exp.net.sizes == (2, 3, 1)
        return
    assert at.session_state.exp.net is before
    [error] = [e.value for e in at.error]
    assert "was not loaded" in shown_text(error) and is_escaped(error) and len(error) < 600


def test_a_saved_three_class_network_with_l2_comes_back_with_its_classes_and_regularisation(at):
    net = Network([2, 4, 3], activations=["tanh", "softmax"], cost="cross_entropy", seed=5)
    net.regularization = Regularization("l2", 0.03)
    config = {"dataset": "gauss", "classes": "3", "hidden": "4", "out": "softmax"}
    text = network_to_json(net, extra={"config": {**config, "cost": "cross_entropy"}})
    at = upload(at, "up_net", text.encode())
    exp = at.session_state.exp
    assert not at.exception and list(exp.net.sizes) == [2, 4, 3]
    assert (exp.config.classes, exp.config.output_act) == (3, "softmax")
    assert (exp.config.regularization, exp.config.reg_rate) == ("l2", 0.03)
    assert exp.net.regularization == Regularization("l2", 0.03)
    np.testing.assert_array_equal(exp.net.w[3], net.w[3])
    assert at.query_params["reg"] == "l2" and at.query_params["classes"] == "3"
