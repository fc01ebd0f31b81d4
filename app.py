"""Entry point: page set-up and navigation. Each page lives in pages/ and is short."""

import streamlit as st

from ui.blas import limit_blas_threads
from ui.garbage import freeze_startup_objects
from ui.web import classroom, sessions
from ui.web.guard import friendly_errors

limit_blas_threads(1)  # students share the server's cores: no BLAS thread pools

st.set_page_config(
    page_title="Neural-network playground",
    page_icon=":material/hub:",
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on a phone, where it would cover the page
)

view = classroom.view()  # presenter view and hidden controls, from the session's first link
page = st.navigation(
    {
        "Train a network": [
            st.Page(
                "pages/playground_page.py",
                title="Playground",
                icon=":material/science:",
                default=True,
            ),
            st.Page(
                "pages/lessons_page.py",
                title="Lessons",
                icon=":material/school:",
                url_path="lessons",
            ),
        ],
        "The lecture, step by step": [
            st.Page(
                "pages/neuron_page.py",
                title="One neuron (§I.A)",
                icon=":material/radio_button_unchecked:",
                url_path="neuron",
            ),
            st.Page(
                "pages/xor_page.py",
                title="The XOR network (Fig. 5)",
                icon=":material/grid_view:",
                url_path="xor",
            ),
            st.Page(
                "pages/backprop_page.py",
                title="Backpropagation (§I.D)",
                icon=":material/replay:",
                url_path="backprop",
            ),
        ],
    },
    position="hidden" if not view.shows("nav") else "sidebar",
)
classroom.start(page.url_path)
if page.url_path:  # the Playground draws it at the end of its own sidebar
    with st.sidebar:
        classroom.presenter_toggle()
sessions.watch()  # a closed tab's memory is given back when its session ends
with friendly_errors(page.title):
    page.run()
classroom.finish()  # shortcuts, chart names, the PNG export: after the page said what it wants
freeze_startup_objects()  # once per process: full garbage collections walk less (ui/garbage.py)
