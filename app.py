"""Entry point: page set-up and navigation. Each page lives in pages/ and is short."""

import streamlit as st

st.set_page_config(
    page_title="Neural-network playground",
    page_icon="🧠",
    layout="wide",
    initial_sidebar_state="expanded",
)

page = st.navigation(
    [
        st.Page("pages/playground_page.py", title="Playground", icon="🧪", default=True),
    ]
)
page.run()
