"""Entry point: page set-up and navigation. Each page lives in pages/ and is short."""

import streamlit as st

from ui.web.guard import friendly_errors

st.set_page_config(
    page_title="Neural-network playground",
    page_icon="🧠",
    layout="wide",
    initial_sidebar_state="expanded",
)

page = st.navigation(
    {
        "Train a network": [
            st.Page("pages/playground_page.py", title="Playground", icon="🧪", default=True),
            st.Page("pages/lessons_page.py", title="Lessons", icon="🎓", url_path="lessons"),
        ],
        "The lecture, step by step": [
            st.Page(
                "pages/neuron_page.py", title="One neuron (§I.A)", icon="⚪", url_path="neuron"
            ),
            st.Page(
                "pages/xor_page.py", title="The XOR network (Fig. 5)", icon="✖️", url_path="xor"
            ),
            st.Page(
                "pages/backprop_page.py",
                title="Backpropagation (§I.D)",
                icon="🔁",
                url_path="backprop",
            ),
        ],
    }
)
with friendly_errors(page.title):
    page.run()
