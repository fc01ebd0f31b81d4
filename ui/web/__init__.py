"""The Streamlit layer: the only modules outside app.py and pages/ that import streamlit.

Everything here arranges widgets and charts; the numbers come from the engine (``playground``)
through ``ui.experiment`` and the figures from the ``ui.fig_*`` builders, which never import
streamlit. ``tests/test_layering.py`` keeps it that way.
"""
