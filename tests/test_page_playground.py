"""The Playground page in Streamlit's AppTest: controls, Step/Reset, links, divergence."""

from __future__ import annotations

from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import page_feed_html, page_numbers, shown_text
from ui.config import to_query
from ui.lessons import LESSONS, lesson_query

DIVERGING = {"dataset": "plane", "out": "linear", "act": "linear", "lr": "10"}


def app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def click(at: AppTest, key: str) -> AppTest:
    """Click a button. Step and Reset rerun only the live fragment, and AppTest then holds only
    the fragment's elements: a plain run afterwards brings the whole page back."""
    at.button(key=key).click().run()
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return page_numbers(at)


def browser_clicks(at: AppTest, key: str, n: int = 1) -> AppTest:
    """``n`` clicks of button ``key`` as a browser sends them: from the page the last full run
    drew, with no full run in between (Step and Reset rerun only the live fragment, and a
    fragment run may itself ask for a full run). After every click the page must be whole."""
    button = at.button(key=key)
    for i in range(n):
        button.click().run()
        assert broken(at) == [], f"after click {i + 1} of {key!r}"
    return at


def play_frames(at: AppTest, n: int) -> AppTest:
    """Play, then ``n`` fragment runs while playing. AppTest runs no browser, so a frame is
    a Step click from the playing page (the browser's tick reruns the same fragment)."""
    at.session_state.playing = True
    at.run()
    return browser_clicks(at, "step", n)


def broken(at: AppTest) -> list[str]:
    """Exceptions and "Something went wrong" messages on the page."""
    return [e.value for e in at.exception] + [
        e.value for e in at.error if "Something went wrong" in e.value
    ]


def test_page_renders_without_exception():
    at = app()
    assert not at.exception
    assert metrics(at)["Step"] == "0"
    assert [b.label for b in at.button][:3] == ["Step", "Play", "Reset"]
    assert not at.error


def test_step_makes_one_update_and_reset_rewinds():
    at = app()
    first = metrics(at)["C (training)"]
    click(at, "step")
    click(at, "step")
    assert metrics(at)["Step"] == "2" and metrics(at)["C (training)"] != first
    click(at, "reset")
    assert metrics(at)["Step"] == "0" and metrics(at)["C (training)"] == first


def test_learning_rate_changes_without_reset_but_architecture_rebuilds():
    at = app()
    click(at, "step")
    at.select_slider(key="c_lr").set_value(0.1).run()
    assert metrics(at)["Step"] == "1"
    assert at.session_state.exp.trainer.learning_rate == 0.1
    at.slider(key="c_layers").set_value(1).run()
    assert metrics(at)["Step"] == "0"
    assert at.session_state.exp.net.sizes == (2, 4, 1)


def test_the_link_carries_the_configuration_both_ways():
    at = app({"dataset": "spiral", "hidden": "6,6", "act": "relu", "seed": "3"})
    exp = at.session_state.exp
    assert exp.config.dataset == "spiral" and exp.net.sizes == (2, 6, 6, 1)
    assert at.selectbox(key="c_dataset").value == "spiral"
    at.selectbox(key="c_dataset").set_value("gauss").run()
    assert at.query_params["dataset"] == "gauss"
    assert at.query_params["hidden"] == "6,6"


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"dataset": "moons"}, "dataset='moons'"),
        ({"lr": "nan"}, "lr='nan'"),
        ({"hidden": "4,99"}, "hidden='4,99'"),
        ({"points": "1e100"}, "points='1e100'"),
        ({"seed": "🙂"}, "seed='🙂'"),
    ],
)
def test_a_bad_link_value_is_a_notice_and_the_page_still_works(query, fragment):
    at = app(query)
    assert not at.exception
    assert any(fragment in shown_text(w.value) for w in at.warning)
    click(at, "step")
    assert metrics(at)["Step"] == "1"


def test_divergence_is_explained_and_the_last_finite_state_kept():
    at = app(DIVERGING)
    for _ in range(6):
        click(at, "step")
    assert not at.exception
    assert any("Training diverged at step" in e.value for e in at.error)
    assert all(v != "nan" for v in metrics(at).values())
    assert at.button(key="play").disabled
    click(at, "reset")
    assert metrics(at)["Step"] == "0" and not at.error


def test_divergence_during_fragment_runs_is_shown_and_disables_play():
    """Issue 10: the "α too large" lesson diverged on the 5th Step, and the message written
    during that fragment run replaced the numbers by "Something went wrong"."""
    at = app({"lesson": "large_alpha", **to_query(LESSONS["large_alpha"].config)})
    browser_clicks(at, "step", 5)
    assert broken(at) == []
    assert any("Training diverged at step 5" in e.value for e in at.error)
    assert at.button(key="play").disabled  # the whole page was redrawn at once
    browser_clicks(at, "step", 2)
    assert broken(at) == [] and any("Training diverged" in e.value for e in at.error)
    cost = metrics(at)["C (training)"]  # issue 10: it was a 113-digit number
    assert cost == "6.95e+112", cost


def test_play_is_enabled_again_after_reset_of_a_diverged_run():
    """Issue 10: after a divergence, Reset rewound the numbers but Play stayed disabled."""
    at = app(DIVERGING)
    step = at.button(key="step")  # a browser clicks the button its page shows
    while at.session_state.exp.trainer.divergence is None:
        step.click().run()
    at.run()
    assert at.button(key="play").disabled
    browser_clicks(at, "reset")
    assert not at.button(key="play").disabled and not at.error
    assert metrics(at)["Step"] == "0"


@pytest.mark.parametrize("key", sorted(LESSONS))
def test_every_lesson_survives_steps_and_play(key):
    """Issue 10: notes appearing during a Play run or fast Steps (the features lesson's "the
    cost went up" at steps 44-45 only) broke the live part of the page."""
    at = app(lesson_query(LESSONS[key]))
    browser_clicks(at, "step", 50)
    assert broken(at) == []
    at.run()
    play_frames(at, 10)
    assert broken(at) == [], key
    at.run()
    assert broken(at) == [] and metrics(at)["Step"] != "0"


def test_changing_the_batch_size_while_playing_keeps_the_page():
    at = app({"dataset": "spiral", "hidden": "8,8"})
    play_frames(at, 3)
    at.run()
    at.select_slider(key="c_batch").set_value(1).run()
    assert at.session_state.playing
    browser_clicks(at, "step", 30)
    assert broken(at) == []


def test_sign_activation_is_explained():
    at = app({"act": "sign"})
    assert any("σ'(z) = 0" in i.value for i in at.info)


def test_a_lesson_opens_in_the_playground_from_the_lessons_page():
    at = app()
    at.switch_page("pages/lessons_page.py").run()
    assert not at.exception
    at.button(key="open_vanishing").click().run()
    assert not at.exception
    exp = at.session_state.exp
    assert exp.net.sizes == (2, *[6] * 8, 1) and exp.config.init == "normal"
    assert any("Vanishing gradients" in m.value for m in at.markdown)
    assert at.query_params["lesson"] == "vanishing"
    # the lesson opens the δ chart on the view it speaks of
    assert at.query_params["dview"] == "relative"
    assert at.segmented_control(key="c_delta_view").value == "relative"


def test_a_lesson_link_opens_the_lesson():
    at = app({"lesson": "sign", "hidden": "3", "act": "sign", "dataset": "gauss"})
    assert any("cannot be trained" in m.value for m in at.markdown)
    at = app({"lesson": "no-such-lesson"})
    assert not at.exception and at.session_state.lesson is None


def test_a_hand_typed_lesson_link_opens_the_lesson_s_network_with_its_own_seed():
    """``?lesson=vanishing&seed=7`` (a teacher types the name, a student a seed) opens the
    lesson's own configuration with that seed, not the default network under the lesson's text."""
    at = app({"lesson": "vanishing", "seed": "7"})
    assert not at.exception
    assert at.session_state.exp.config == replace(LESSONS["vanishing"].config, seed=7)
    assert at.query_params["seed"] == "7" and at.query_params["dview"] == "relative"


def test_the_experiment_survives_a_visit_to_another_page():
    at = app({"dataset": "spiral", "hidden": "5"})
    click(at, "step")
    at.switch_page("pages/lessons_page.py").run()
    at.switch_page("pages/playground_page.py").run()
    assert metrics(at)["Step"] == "1"
    assert at.session_state.exp.config.dataset == "spiral"


def test_kept_runs_are_drawn_under_the_live_curves_with_what_differed():
    at = app()
    click(at, "step")
    click(at, "keep_run")
    at.select_slider(key="c_lr").set_value(0.1).run()
    assert len(at.session_state.kept_runs) == 1
    from ui.config import describe_difference

    run = at.session_state.kept_runs[0]
    assert describe_difference(run["config"], at.session_state.exp.config) == "lr=0.3"
    click(at, "forget_runs")
    assert at.session_state.kept_runs == []


def test_a_classroom_link_hides_controls_and_keeps_them_hidden():
    at = app({"hide": "data,network", "batch_hide": "true", "lr": "0.1"})
    keys = {w.key for w in at.sidebar.get("selectbox")} | {w.key for w in at.sidebar.slider}
    assert "c_dataset" not in keys and "c_layers" not in keys
    assert [s.key for s in at.sidebar.select_slider] == ["c_lr", "c_regrate", "c_speed"]
    at.select_slider(key="c_lr").set_value(0.03).run()
    assert (
        at.query_params["hide"]
        == "act,batch,classes,cost,dataset,dseed,features,hidden,init,noise,out,points,seed,train"
    )
    assert at.session_state.exp.trainer.learning_rate == 0.03


def test_presenter_view_from_a_link_and_a_toggle():
    at = app({"present": "true"})
    assert at.session_state.view.present and at.toggle(key="v_present").value
    at.toggle(key="v_present").set_value(False).run()
    assert not at.session_state.view.present
    assert "present" not in at.query_params


def _components(at: AppTest, name: str) -> list[dict]:
    import json

    return [
        json.loads(e.proto.bytes)
        for e in at.get("bidi_component")
        if e.proto.component_name.endswith(name)
    ]


def _numbers_of(frame: dict) -> dict[str, str]:
    import re

    return dict(re.findall(r'data-label="([^"]*)">.*?class="pg-value">([^<]*)<', frame["html"]))


def test_charts_are_drawn_whole_on_a_full_run_and_updated_through_one_feed():
    at = app()
    charts = {m["key"]: m for m in _components(at, "live_chart")}
    assert set(charts) == {"boundary", "network", "cost", "delta"}
    assert all("figure" in m for m in charts.values())
    [feed] = _components(at, "live_feed")
    assert [f["charts"] for f in feed["frames"]] == [[]]  # a full run: the charts hold it all
    assert "tick" not in feed

    at.button(key="step").click().run()  # Step reruns only the live fragment
    assert _components(at, "live_chart") == []  # the charts stay on the page, untouched
    [feed] = _components(at, "live_feed")
    [frame] = feed["frames"]
    messages = {m["key"]: m for m in frame["charts"]}
    assert set(messages) == set(charts)
    for key, m in messages.items():
        assert "figure" not in m, key  # only what changed travels
        assert m.get("updates") or m.get("relayout"), key
        assert m["rev"] == charts[key]["rev"] and m["seq"] > charts[key]["seq"]
    assert _numbers_of(frame)["Step"] == "1"


def _delta_chart(at: AppTest) -> dict:
    [delta] = [m for m in _components(at, "live_chart") if m["key"] == "delta"]
    return delta["figure"]


def test_the_delta_chart_names_what_it_plots_and_switches_to_the_relative_view():
    """Issue 11: the legend said ‖δ^l‖ but plotted ‖∂C/∂b^l‖; a second view shows each
    layer's root-mean-square δ relative to the output layer's."""
    import numpy as np

    from tests.decode import decode

    at = app({"hidden": "3,3"})
    fig = _delta_chart(at)
    assert [t["name"] for t in fig["data"]] == [
        "‖∂C/∂b²‖ (layer 2)",
        "‖∂C/∂b³‖ (layer 3)",
        "‖∂C/∂b⁴‖ (layer 4, output)",
    ]
    assert any("batch mean" in (m.help or "") for m in at.markdown)
    assert at.segmented_control(key="c_delta_view").value == "gradient"

    at.segmented_control(key="c_delta_view").set_value("relative").run()
    assert not at.exception
    assert at.query_params["dview"] == "relative"
    assert at.session_state.exp.trainer.steps == 0  # a view change, not a new experiment
    fig = _delta_chart(at)
    assert [t["name"] for t in fig["data"]][-1] == "‖δ⁴‖/‖δ⁴‖ (layer 4, output)"
    assert any("How much of the error reaches each layer" in m.value for m in at.markdown)
    m = at.session_state.exp.trainer.metrics
    np.testing.assert_allclose(
        decode(fig["data"][0]["y"]), m["delta_rms_2"] / m["delta_rms_4"], rtol=1e-6
    )
    # Step sends the relative view's update through the feed
    at.button(key="step").click().run()
    [feed] = _components(at, "live_feed")
    [update] = [c for c in feed["frames"][0]["charts"] if c["key"] == "delta"]
    m = at.session_state.exp.trainer.metrics
    np.testing.assert_allclose(
        decode(update["updates"]["0"]["y"])[-1], m["delta_rms_2"] / m["delta_rms_4"], rtol=1e-6
    )


def test_a_link_can_hide_the_delta_view_control_and_keep_its_view():
    def control(at: AppTest) -> list:
        return [w for w in at.get("button_group") if w.key == "c_delta_view"]

    assert len(control(app())) == 1
    at = app({"hide": "view", "dview": "relative"})
    assert not control(at)
    assert _delta_chart(at)["data"][0]["name"].startswith("‖δ²‖/")


def test_the_cost_heading_says_which_cost_it_is():
    at = app()
    assert any("**Cost C, eq. (2)**" in m.value for m in at.markdown)
    at = app({"out": "sigmoid", "cost": "cross_entropy"})
    assert any("**Cost C, cross-entropy**" in m.value for m in at.markdown)
    assert not any("eq. (2)" in m.value for m in at.markdown)


def test_play_trains_and_draws_several_frames_in_one_run(monkeypatch):
    from types import SimpleNamespace

    import ui.web.live as live
    from ui.web.live import FRAME_RATE, MAX_FRAMES_PER_RUN, TICK

    # a quiet server with time for every frame (a busy test machine would get fewer)
    monkeypatch.setattr(live, "LOAD", SimpleNamespace(factor=lambda: 1.0))
    monkeypatch.setattr(live, "RUN_BUDGET_S", 10.0)
    monkeypatch.setattr(live, "STEP_BUDGET_S", 10.0)  # every frame its 3 steps, however slow
    at = app({"speed": "3"})
    at.button(key="play").click().run()  # a full run, playing: one frame of 3 steps
    assert metrics(at)["Step"] == "3"
    at.button(key="step").click().run()  # a fragment run while playing (as a browser tick)
    [feed] = _components(at, "live_feed")
    # at least TICK's worth of frames at FRAME_RATE (more if the test machine was slow)
    n = len(feed["frames"])
    assert feed["tick"] > 0 and round(TICK * FRAME_RATE) <= n <= MAX_FRAMES_PER_RUN
    steps = [int(_numbers_of(f)["Step"]) for f in feed["frames"]]
    assert steps == [4 + 3 * (i + 1) for i in range(n)]  # Step's 1, then 3 a frame
    for frame in feed["frames"]:
        assert {m["key"] for m in frame["charts"]} == {"boundary", "network", "cost", "delta"}


def test_a_playing_feed_names_the_pause_button_and_the_play_generation():
    """The browser stops Play on a click of the button with this key, before the server has
    heard of it, and hides a message of the same generation that still says "playing"
    (static/live_chart.js ``freeze``)."""
    from ui.web.live import PAUSE_KEY

    at = app()
    [feed] = _components(at, "live_feed")
    assert "pauseKey" not in feed and feed["gen"] == 0
    at.button(key="play").click().run()
    [feed] = _components(at, "live_feed")
    assert feed["pauseKey"] == PAUSE_KEY and feed["gen"] == 1
    assert at.button(key=PAUSE_KEY).label == "Pause"
    at.button(key=PAUSE_KEY).click().run()
    [feed] = _components(at, "live_feed")
    assert "pauseKey" not in feed and "tick" not in feed and feed["gen"] == 2


# ---------------------------------------------------------------------------- issue 14
def boundary_figure(at: AppTest) -> dict:
    import json

    for e in at.get("bidi_component"):
        message = json.loads(e.proto.bytes)
        if e.proto.component_name.endswith("live_chart") and message.get("key") == "boundary":
            return message["figure"]
    raise AssertionError("no boundary chart")


def confusion_counts(at: AppTest) -> list[list[int]]:
    import re

    html = page_feed_html(at)
    table = html.split('data-testid="pg-confusion"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", table)
    return [[int(c) for c in re.findall(r"<td[^>]*>([\d,]+)</td>", r)] for r in rows]


def test_three_spiral_arms_get_three_outputs_a_class_picture_and_a_live_confusion_matrix():
    at = app({"dataset": "spiral", "classes": "3", "hidden": "8,8"})
    assert not broken(at) and not at.warning
    exp = at.session_state.exp
    assert list(exp.net.sizes) == [2, 8, 8, 3]
    assert at.slider(key="c_classes").value == 3
    fig = boundary_figure(at)
    assert fig["layout"]["images"][0]["source"].startswith("data:image/png")
    assert [t["name"] for t in fig["data"][1:4]] == ["class 0", "class 1", "class 2"]
    before = confusion_counts(at)
    assert len(before) == 3 and sum(map(sum, before)) == exp.trainer.x_train.shape[1]
    play_frames(at, 6)
    at.session_state.playing = False
    at.run()
    after = confusion_counts(at)
    assert after != before and sum(map(sum, after)) == sum(map(sum, before))
    acc = sum(after[i][i] for i in range(3)) / sum(map(sum, after))
    shown = metrics(at)["Accuracy (training / test)"].split(" / ")[0]
    assert float(shown) == pytest.approx(100 * acc, abs=0.06)


def test_the_classes_slider_rebuilds_the_output_layer_and_goes_into_the_link():
    at = app({"dataset": "gauss"})
    at.slider(key="c_classes").set_value(5).run()
    assert at.session_state.exp.net.sizes[-1] == 5 and at.query_params["classes"] == "5"
    at.selectbox(key="c_dataset").set_value("circle").run()  # two classes only: quietly 2
    assert at.session_state.exp.net.sizes[-1] == 1 and not at.warning
    assert "classes" not in at.query_params
    at.selectbox(key="c_dataset").set_value("gauss").run()  # the slider kept its K
    assert at.session_state.exp.net.sizes[-1] == 5


def test_softmax_with_cross_entropy_is_offered_and_labelled_not_in_the_lecture():
    at = app({"dataset": "gauss", "classes": "3"})
    out = at.selectbox(key="c_out")
    assert out.options[-1] == "softmax (not in lecture)"  # short enough for the sidebar
    out.set_value("softmax").run()
    captions = [c.value for c in at.sidebar.caption]
    assert any("softmax" in c and "not in the lecture" in c for c in captions)  # the whole label
    at.selectbox(key="c_cost").set_value("cross_entropy").run()
    assert not broken(at) and at.query_params["out"] == "softmax"
    assert at.session_state.exp.net.cost.softmax
    captions = [c.value for c in at.sidebar.caption]
    assert any("cross" in c and "not in the lecture" in c for c in captions)
    at.selectbox(key="c_dataset").set_value("plane").run()  # regression: no softmax there
    assert at.session_state.exp.config.output_act == "tanh" and not broken(at)


def test_regularisation_shows_its_penalty_and_update_and_applies_without_a_reset():
    at = app({"dataset": "gauss", "hidden": "8"})
    assert at.select_slider(key="c_regrate").disabled  # λ needs a regularisation
    browser_clicks(at, "step", 3)
    at.run()
    at.selectbox(key="c_reg").set_value("l2").run()
    at.select_slider(key="c_regrate").set_value(0.1).run()
    exp = at.session_state.exp
    assert exp.trainer.steps == 3 and exp.net.regularization.rate == 0.1
    assert at.query_params["reg"] == "l2" and at.query_params["regrate"] == "0.1"
    assert "Penalty R (C = C₀ + R)" in metrics(at)
    latex = [e.value for e in at.latex]
    assert any(r"\frac{\lambda}{2}" in v for v in latex)
    assert any(r"\lambda\, w" in v and "(24)" in v for v in latex)
    assert any("never a bias" in c.value for c in at.caption)
    at.selectbox(key="c_reg").set_value("none").run()
    assert "Penalty R (C = C₀ + R)" not in metrics(at) and not at.latex


def test_tensorflow_playground_regularisation_names_open_the_same_experiment():
    ours = app({"reg": "l1", "regrate": "0.03"}).session_state.exp.config
    theirs = app({"regularization": "L1", "regularizationRate": "0.03"})
    assert theirs.session_state.exp.config == ours and not theirs.warning
    assert theirs.query_params["reg"] == "l1"  # the address bar then speaks our names


def test_the_weights_view_draws_each_layers_norm():
    at = app({"dview": "weights", "hidden": "3"})
    assert not broken(at)
    import json

    for e in at.get("bidi_component"):
        message = json.loads(e.proto.bytes)
        if e.proto.component_name.endswith("live_chart") and message.get("key") == "delta":
            names = [t["name"] for t in message["figure"]["data"]]
            assert names == ["‖w²‖ (layer 2)", "‖w³‖ (layer 3, output)"]
            return
    raise AssertionError("no delta chart")


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"classes": "3"}, "circle has 2 classes, not 3"),
        ({"dataset": "spiral", "classes": "12"}, "Ignored classes='12'"),
        ({"reg": "dropout"}, "Ignored reg='dropout'"),
        ({"regrate": "1e9"}, "Ignored regrate='1e9'"),
        ({"dataset": "sine_1d", "out": "softmax"}, "softmax output is for classes"),
    ],
)
def test_bad_new_link_values_get_the_usual_notice(query, notice):
    at = app(query)
    assert not broken(at)
    assert any(notice in shown_text(w.value) for w in at.warning), [w.value for w in at.warning]


def test_discretize_shows_the_winning_class_alone_at_full_strength():
    import numpy as np

    from tests.decode import decode_png
    from ui.figures.style import class_area_color

    at = app({"dataset": "spiral", "classes": "3", "discretize": "true"})
    pixels = decode_png(boundary_figure(at)["layout"]["images"][0]["source"]).reshape(-1, 3)
    sure = {class_area_color(k, 1.0) for k in range(3)}
    assert {tuple(p) for p in np.unique(pixels, axis=0).tolist()} <= sure


def chart_places(at: AppTest) -> dict[str, tuple[int, ...]]:
    """Where each live chart sits in the page's element tree. The browser mounts an element by
    its place, so a chart whose place changes is mounted anew: blank for a moment, zoom lost."""

    def walk(node, path=()):
        for i, child in getattr(node, "children", {}).items():
            yield (*path, i), child
            yield from walk(child, (*path, i))

    return {
        n.proto.id.rsplit("live_chart_", 1)[1]: path
        for path, n in walk(at.main)
        if n.type == "bidi_component" and "live_chart_" in n.proto.id
    }


def test_a_notice_or_a_lesson_moves_no_chart():
    """Found by the student in a browser (tests/e2e/test_student_in_browser.py): a notice
    above the charts ("the features of x₂ were dropped") or the lesson's box moved every
    later element, and the browser remounted all four charts when it came and when it went."""
    at = app()
    places = chart_places(at)
    assert set(places) == {"boundary", "network", "cost", "delta"}
    at.sidebar.selectbox(key="c_dataset").set_value("sine_1d").run()
    assert any("were dropped" in w.value for w in at.warning)
    assert chart_places(at) == places
    at.run()  # the notice is gone
    assert not at.warning and chart_places(at) == places
    lesson = app({"lesson": "vanishing"})
    assert chart_places(lesson) == places
    lesson.button(key="close_lesson").click().run()
    assert lesson.session_state.lesson is None and chart_places(lesson) == places
