"""ui/web/classroom.py in AppTest: presenter view across pages, hidden buttons and navigation,
the link builder's link (AppTest reports no browser URL: a path from the site's root)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest


def app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def test_link_builder_writes_the_ticked_controls_into_the_link():
    at = app({"dataset": "xor", "seed": "3"})
    (code,) = [c for c in at.code if "dataset=" in c.value]
    assert code.value.startswith("/?") and "hide" not in code.value
    at.checkbox(key="lb_buttons").check().run()
    at.checkbox(key="lb_data").check().run()
    at.multiselect(key="lb_single").select("lr").run()
    at.checkbox(key="lb_present").check().run()
    (code,) = [c for c in at.code if "dataset=" in c.value]
    query = parse_qs(urlsplit(code.value).query)
    assert query["dataset"] == ["xor"] and query["seed"] == ["3"]
    assert set(query["hide"][0].split(",")) == {"data", "buttons", "lr"}
    assert query["present"] == ["true"]
    assert not at.exception


def test_a_link_that_hides_the_buttons_and_the_navigation():
    at = app({"hide": "buttons,nav"})
    assert not at.exception
    keys = {b.key for b in at.button}
    assert not keys & {"step", "play", "pause", "reset"}
    assert at.session_state.classroom_view.hidden >= {"buttons", "nav"}
    assert "buttons" in at.query_params["hide"]


def test_presenter_view_holds_on_every_page():
    at = app({"present": "true"})
    assert at.toggle(key="v_present").value
    at.switch_page("pages/neuron_page.py").run()
    assert not at.exception
    assert at.toggle(key="v_present").value
    at.toggle(key="v_present").set_value(False).run()
    assert not at.session_state.v_present
    at.switch_page("pages/playground_page.py").run()
    assert not at.session_state.view.present
