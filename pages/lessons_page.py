"""Lessons: one click sets up the Playground for an experiment, with what to look for."""

import streamlit as st

from ui.lessons import LESSONS, lesson_query
from ui.web.classroom import app_url

st.title("Lessons")
st.caption(
    "Each lesson opens the Playground with its data, network and seed already set, so every "
    "student starts from the same weights. Read what to look for, press Play, then try the "
    "suggested change. A teacher can hand out the link instead of the button."
)


def _open(key: str) -> None:
    st.session_state.pending_lesson = key


for lesson in LESSONS.values():
    with st.container(border=True):
        st.subheader(lesson.title)
        st.markdown(f"**What to look for.** {lesson.look_for}")
        st.markdown(f"**Then try.** {lesson.then_try}")
        cols = st.columns([1, 3], vertical_alignment="center")
        if cols[0].button(
            "Open in the Playground",
            key=f"open_{lesson.key}",
            on_click=_open,
            args=(lesson.key,),
            type="primary",
        ):
            st.switch_page("pages/playground_page.py")
        cols[1].code(app_url(lesson_query(lesson)), language=None, wrap_lines=True)
