"""No traceback ever reaches a student: unexpected errors are logged and explained instead.

``client.showErrorDetails = "none"`` (in .streamlit/config.toml) already hides details; this
guard goes further and keeps the rest of the page usable, with a message that says what to do.
Streamlit's own control flow (st.rerun, st.stop, st.switch_page) raises BaseException
subclasses, which pass through untouched.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

_LOG = logging.getLogger("playground.app")

MESSAGE = (
    "Something went wrong while drawing this part of the page. Nothing you did is lost: your "
    "settings are in the page's link. Press **Reset**, change a setting, or reload the page. "
    "(The details were written to the server's log for the developers.)"
)


MAX_LINE = 500  # characters of one logged line: an exception may quote a forged value
MAX_LOGGED = 20_000  # characters of one logged traceback


@contextmanager
def friendly_errors(where: str) -> Iterator[None]:
    try:
        yield
    except Exception as error:  # a student never sees a traceback; a developer finds it in the log
        _LOG.error("unexpected error in %s\n%s", where, bounded_traceback(error))
        st.error(MESSAGE, icon=":material/build:")


def bounded_traceback(error: BaseException) -> str:
    """The traceback with every line cut at MAX_LINE characters and the whole at MAX_LOGGED
    (its end kept: the error is there). A 20 MB value in a message wrote 20 MB per run."""
    lines = [
        line if len(line) <= MAX_LINE else line[:MAX_LINE] + f"… ({len(line):,} characters)"
        for chunk in traceback.format_exception(error)
        for line in chunk.splitlines()
    ]
    text = "\n".join(lines)
    return text if len(text) <= MAX_LOGGED else "…\n" + text[-MAX_LOGGED:]
