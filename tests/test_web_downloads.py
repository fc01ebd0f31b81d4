"""Downloads built at the click and sent in the component's data (ui/web/downloads.py)."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.csv_io import dataset_from_csv
from playground.serialize import network_from_dict
from ui.web import downloads


@pytest.fixture
def at():
    return AppTest.from_file("../app.py", default_timeout=30).run()


def message(at: AppTest) -> dict:
    (element,) = [
        e for e in at.get("bidi_component") if e.proto.component_name.endswith("downloads")
    ]
    return json.loads(element.proto.bytes)


def click(at: AppTest, kind: str, click_id: str = "c1") -> dict | None:
    """What the browser's click does: the "request" trigger's callback, then a run of the page.
    Returns the file that run sent for ``kind``."""
    ask(at, {"kinds": {kind: click_id}, "at": 0})
    return sent(at.run()).get(kind)


def ask(at: AppTest, request: object) -> None:
    at.session_state[downloads.KEY] = SimpleNamespace(request=request)
    with_state(at.session_state, downloads._requested)


def sent(at: AppTest) -> dict[str, dict]:
    """The files the page's last run sent, by kind."""
    return {f["kind"]: f for f in message(at)["files"]}


def with_state(state, callback) -> None:
    real = downloads.S
    try:
        downloads.S = state
        callback()
    finally:
        downloads.S = real


def test_three_buttons_and_no_file_before_a_click(at):
    msg = message(at)
    assert [b["kind"] for b in msg["buttons"]] == ["data", "network", "history"]
    assert msg["files"] == [] and msg["module"].endswith(tuple("0123456789abcdef"))


def test_a_click_sends_the_network_as_it_is_at_the_click(at):
    first = click(at, "network", "first")
    assert first["name"] == "playground-network.json" and first["mime"] == "application/json"
    doc = json.loads(first["text"])
    assert doc["format"] == "nn-playground/network" and doc["sizes"] == [2, 4, 2, 1]
    saved, exp = network_from_dict(doc), at.session_state.exp
    np.testing.assert_array_equal(saved.theta, exp.net.theta)
    at.button(key="step").click().run()  # a fragment run: the sidebar is not drawn again
    second = click(at, "network", "second")
    assert second["click"] == "second" and first["click"] == "first"
    moved = network_from_dict(json.loads(second["text"])).theta
    assert not np.array_equal(moved, saved.theta)  # one Step later, the weights moved
    np.testing.assert_array_equal(moved, at.session_state.exp.net.theta)


def test_the_data_and_the_history_come_as_csv(at):
    data = click(at, "data")
    ds = dataset_from_csv(data["text"].encode())
    assert ds.n == at.session_state.exp.dataset.n and data["mime"] == "text/csv"
    at.button(key="step").click().run()
    history = click(at, "history")
    lines = history["text"].strip().splitlines()
    assert history["name"] == "playground-history.csv" and len(lines) >= 2
    assert "step" in lines[0]


@pytest.mark.parametrize(
    "request_value",
    [
        {"kinds": {"passwords": "c"}},
        {"kinds": {"network": 5}},
        {"kinds": {"network": ""}},
        {"kinds": {"network": "n" * 1000}},
        {"kinds": {"n" * 1000: "c"}},
        {"kinds": ["network"]},
        {"kinds": "network"},
        {"kind": "network"},
        {"other": 1},
        "network",
        None,
        3,
    ],
)
def test_a_forged_request_sends_nothing(at, request_value):
    ask(at, request_value)
    assert message(at.run())["files"] == []
    assert not at.exception


def test_a_flood_of_requests_is_cut_and_builds_only_the_pages_buttons(at):
    ask(at, {"kinds": {f"kind{i}": "c" for i in range(100_000)} | {"data": "c"}})
    assert len(at.session_state[downloads._REQUESTS]) <= downloads.MAX_REQUESTS
    for i in range(50):  # request after request before a run: still a few remembered
        ask(at, {"kinds": {f"other{i}": "c"}})
    assert len(at.session_state[downloads._REQUESTS]) <= downloads.MAX_REQUESTS
    assert message(at.run())["files"] == [] and not at.exception


def test_clicks_faster_than_the_runs_each_get_their_file(at):
    """Three clicks before a run: the browser's latest trigger names every file it waits for
    (a trigger holds one value, so asking for one kind at a time lost the first two)."""
    ask(at, {"kinds": {"data": "a"}})
    ask(at, {"kinds": {"data": "a", "network": "b", "history": "c"}})
    files = sent(at.run())
    clicks = {k: f["click"] for k, f in files.items()}
    assert clicks == {"data": "a", "network": "b", "history": "c"}
    assert files["network"]["name"] == "playground-network.json"


def test_asking_again_with_the_same_click_resends_the_file_as_built(at):
    first = click(at, "network", "x")
    state = at.session_state
    # Still pending (the run that carried it was interrupted): a retry gets it as it was built.
    state[downloads._PENDING] = {"network": first | {"sent_in": None, "at": time.monotonic()}}
    at.button(key="step").click().run()  # the weights move
    assert click(at, "network", "x")["text"] == first["text"]
    # Dropped once a run carried it through: the same id is built anew (its file was lost).
    again = click(at, "network", "x")
    assert again["text"] != first["text"] and again["click"] == "x"
    assert click(at, "network", "y")["text"] == again["text"]  # a new click, nothing moved


def test_the_file_is_sent_until_a_run_carrying_it_came_through():
    pending = {"data": {"click": "c", "kind": "data", "name": "d.csv", "mime": "text/csv"}}
    pending["data"] |= {"text": "x,y", "sent_in": None, "at": time.monotonic()}
    state = {"full_run": 5, "full_run_complete": 4, downloads._PENDING: pending}

    def files() -> list[dict]:
        out: list[dict] = []
        with_state(state, lambda: out.extend(downloads._files_to_send(pending)))
        return out

    assert [f["click"] for f in files()] == ["c"]  # run 5 carries it, and is interrupted
    state["full_run"] = 6
    assert [f["click"] for f in files()] == ["c"]  # so run 6 sends it again
    state["full_run_complete"] = 6
    with_state(state, downloads.forget_sent)  # run 6 came through: forgotten
    assert pending == {} and files() == []


def test_a_run_that_came_through_keeps_no_copy_of_its_file(at):
    """Up to half a megabyte per file, and a student may play for an hour (fragment runs only)
    before the next full run: the page's run drops the files it carried once it ends."""
    assert click(at, "history")["name"] == "playground-history.csv"
    assert at.session_state[downloads._PENDING] == {}
    assert message(at.run())["files"] == []


def test_a_file_is_never_sent_after_a_minute(at):
    file = click(at, "data")
    # As on a page without the run counters: only the age bounds it.
    old = file | {"sent_in": None, "at": time.monotonic() - downloads.MAX_AGE_S - 1}
    at.session_state[downloads._PENDING] = {"data": old}
    assert message(at.run())["files"] == []
