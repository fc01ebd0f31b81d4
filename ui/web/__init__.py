"""The Streamlit layer: the only modules outside app.py and pages/ that import streamlit.

Everything here arranges widgets and charts; the numbers come from the engine (``playground``)
through ``ui.experiment`` and the lecture pages' models (``ui.lecture``), the figures from the
builders in ``ui.figures``, which never import streamlit. ``live_chart`` is the chart component
that redraws a Plotly div in place; ``live`` drives the Playground's charts through it;
``lecture`` holds what the lecture pages draw alike.
``tests/test_layering.py`` keeps the layering.
"""
