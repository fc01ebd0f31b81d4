"""No traceback ever reaches a student: unexpected errors are logged and explained instead.

``client.showErrorDetails = "none"`` (in .streamlit/config.toml) already hides details; this
guard goes further and keeps the rest of the page usable, with a message that says what to do.
Streamlit's own control flow (st.rerun, st.stop, st.switch_page) raises BaseException
subclasses, which pass through untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

_LOG = logging.getLogger("playground.app")

MESSAGE = (
    "Something went wrong while drawing this part of the page. Nothing you did is lost: your "
    "settings are in the page's link. Press **Reset**, change a setting, or reload the page. "
    "(The details were written to the server's log for the developers.)"
)


@contextmanager
def friendly_errors(where: str) -> Iterator[None]:
    try:
        yield
    except Exception:  # a student never sees a traceback; a developer finds it in the log
        _LOG.exception("unexpected error in %s", where)
        st.error(MESSAGE, icon=":material/build:")
