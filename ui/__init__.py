"""Between the pages and the engine, without Streamlit (except ``ui.web``).

- ``config``, ``experiment``, ``lessons``: the Playground's configuration and link codec, one
  student's experiment, and its one-click lessons;
- ``notation``: the lecture's symbols and the number formats every page shares;
- ``user_text``: text that came from a user, made safe to show;
- ``figures``: the Plotly figure builders; ``lecture``: the lecture pages' models;
- ``web``: the Streamlit glue (the only package here that imports streamlit).
"""
