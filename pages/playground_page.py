"""The Playground: build a network, train it step by step, watch a^L, C and every δ^l move."""

from __future__ import annotations

from dataclasses import fields, replace

import streamlit as st

from ui.config import PlaygroundConfig, from_query, to_query, view_from_query
from ui.experiment import Experiment
from ui.lessons import LESSONS
from ui.user_text import clip, literal
from ui.web import classroom, controls, downloads, live

S = st.session_state


def _shown(value: object) -> str:
    return ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)


# ---------------------------------------------------------------------------- session
def _lesson_base() -> PlaygroundConfig | None:
    """The open lesson's configuration: a link that names a lesson gives only what differs
    from it (``?lesson=vanishing&seed=7``), so a hand-typed link opens the lesson's network."""
    return LESSONS[S.lesson].config if S.get("lesson") in LESSONS else None


if "exp" not in S:
    S.lesson = st.query_params.get("lesson") if st.query_params.get("lesson") in LESSONS else None
    config, notices = from_query(st.query_params.to_dict(), _lesson_base())
    S.exp = Experiment(config)
    S.notices = notices
    S.playing = False
    controls.load(config)

    S.view, more = view_from_query(st.query_params.to_dict())
    S.notices += more
if S.view.present != classroom.presenting():  # the sidebar's switch, on any page
    S.view = replace(S.view, present=classroom.presenting())
if (key := S.pop("pending_lesson", None)) in LESSONS:  # from the Lessons page
    controls.load(LESSONS[key].config)
    S.lesson, S.playing = key, False

config, repaired = controls.read()
exp: Experiment = S.exp
try:
    changed = exp.update(config)
except ValueError as e:  # the experiment is unchanged (all or nothing): keep it, say why
    repaired.append(f"These settings could not be used, so the previous ones are kept: {clip(e)}.")
    config, changed = exp.config, "none"
    controls.load(config)  # the sidebar shows what is running
if changed == "rebuilt":
    S.playing = False
named = {"lesson": S.lesson} if S.lesson else {}
query = to_query(config, _lesson_base()) | named | S.view.to_query()
if query != st.query_params.to_dict():
    st.query_params.from_dict(query)  # the link in the address bar reproduces this experiment
S.full_run = S.get("full_run", 0) + 1

# ---------------------------------------------------------------------------- sidebar
with st.sidebar:
    controls.sidebar(exp, S.view, query)

# ---------------------------------------------------------------------------- header
st.title("Playground")
st.caption(
    "Pick data and a network in the sidebar, then press **Step** to make one gradient-descent "
    "update, (24) and (25), or **Play** to keep going. Watch the output $a^L$ over the plane, "
    f"the cost {exp.net.cost.title.replace('C', '$C$', 1)}, and how strongly each layer is "
    "learning: the size of its error $\\delta^l_j = \\partial C/\\partial z^l_j$, eq. (5), "
    "computed by eqs. (10) and (17)."
)
# The notices and the lesson come and go; drawn in one container that every full run draws,
# they move no later element: the charts are mounted by their place in the page, and a chart
# that moves is mounted anew (a blank chart, its zoom lost).
with st.container():
    for notice in S.notices + repaired:  # they may quote a link's values: shown literally
        st.warning(literal(notice), icon=":material/link:")
    S.notices = []
    if S.lesson:
        lesson = LESSONS[S.lesson]
        with st.container(border=True):
            st.markdown(
                f"**Lesson: {lesson.title}**  \n{lesson.look_for}  \n*Then try:* {lesson.then_try}"
            )
            if st.button("Close the lesson", key="close_lesson"):
                S.lesson = None
                st.rerun()

if S.view.shows("buttons"):
    buttons = st.container(horizontal=True, vertical_alignment="center")
    with buttons:
        st.button("Step", key="step", on_click=live.on_step, type="primary", width=110)
        # Callbacks, not `if st.button(...)`: a callback runs as soon as the click reaches the
        # server, so a Play frame that interrupts the run cannot swallow the click; the
        # generation makes a replayed click harmless.
        gen = S.get("play_generation", 0)
        if S.playing:
            st.button(
                "Pause", key=live.PAUSE_KEY, width=110, on_click=live.set_playing, args=(False, gen)
            )
        else:
            st.button(
                "Play",
                key="play",
                width=110,
                on_click=live.set_playing,
                args=(True, gen),
                disabled=exp.trainer.divergence is not None,
            )
        st.button("Reset", key="reset", on_click=live.on_reset, width=110)
        classroom.shortcuts_hint("Reset rewinds to the same initial weights (same seed).")
S.buttons_show = live.buttons_state(exp)  # the live fragment checks that they are current
classroom.configure(
    shortcuts=S.view.shows("buttons"),
    export={
        "title": f"Playground: {exp.net!r}",
        "config": [f"{f.name} = {_shown(getattr(config, f.name))}" for f in fields(config)],
        "filename": "playground.png",
        "names": {key: name for key, (name, _) in live.CHART_NAMES.items()},
    },
)
slots = live.layout(exp)
live.fragment()(slots)  # the numbers, and on its own runs the charts' updates
live.draw_charts(exp, slots)  # the charts, whole, outside the fragment
S.full_run_complete = S.full_run  # a fragment run checks that this full run got through
downloads.forget_sent()  # the files this run carried are on their way
