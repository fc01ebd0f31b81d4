"""Download buttons whose file is built at the click and saved by the browser from memory.

Streamlit's ``st.download_button`` with content built at the click stores the file in its media
registry and sends the browser its URL; the registry deletes a file that no element shows after
any two script runs of *any* session end. While others play, runs end every few milliseconds,
so a download whose request came later failed ("canceled"): 1 click in 8 with three others
playing on loopback, and a classroom server behind a network is slower still.

Here a click raises the component's "request" trigger, which reruns the page; that run builds
the file (current at the click) and sends it in the component's own data, and
``static/downloads.js`` saves it as a file from memory, once: each file has a random token, and
the tab remembers the tokens it saved. The file is sent again by every full run until one has
come through (``full_run_complete``, ``pages/playground_page.py``), and never after a minute.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui.web.live_chart import module_component, static_url

S = st.session_state

KEY = "downloads"
_REQUEST = "_download_request"  # the kind a click asked for, until the page's run builds it
_PENDING = "_download_file"  # the file built, until a full run carrying it has come through
MAX_AGE_S = 60.0  # a file is never sent after this long
MAX_KIND = 40  # characters of a request's kind we look at (anything longer is forged)

_component = module_component("downloads")


@dataclass(frozen=True)
class Download:
    """One button: ``make()`` builds the file's text when it is clicked."""

    kind: str
    label: str
    filename: str
    mime: str
    make: Callable[[], str]


def buttons(downloads: Sequence[Download]) -> None:
    """Draw one button per download; build and send the file a click asked for."""
    by_kind = {d.kind: d for d in downloads}
    kind = S.pop(_REQUEST, None)
    if kind in by_kind:
        d = by_kind[kind]
        S[_PENDING] = {
            "token": secrets.token_hex(8),
            "kind": d.kind,
            "name": d.filename,
            "mime": d.mime,
            "text": d.make(),
            "sent_in": None,
            "at": time.monotonic(),
        }
    message = {
        "module": static_url("downloads.js"),
        "buttons": [{"kind": d.kind, "label": d.label} for d in downloads],
        "file": _file_to_send(),
    }
    _component(key=KEY, data=json.dumps(message).encode(), on_request_change=_requested)


def _file_to_send() -> dict[str, Any] | None:
    """The pending file without its bookkeeping, or None once a full run that carried it came
    through (an earlier one than this) or it is older than ``MAX_AGE_S``."""
    file = S.get(_PENDING)
    if not isinstance(file, dict):
        return None
    run = S.get("full_run")
    came_through = file["sent_in"] not in (None, run) and (
        S.get("full_run_complete") == file["sent_in"]
    )
    if came_through or time.monotonic() - file["at"] > MAX_AGE_S:
        del S[_PENDING]
        return None
    file["sent_in"] = run
    return {k: file[k] for k in ("token", "kind", "name", "mime", "text")}


def _requested() -> None:
    """The browser's "request" trigger, ``{"kind": str}``: remembered for this run's
    ``buttons``, which builds it only if it names one of its buttons (a forged value is
    ignored)."""
    state = S.get(KEY)
    value = getattr(state, "request", None) if state is not None else None
    if value is None and isinstance(state, Mapping):
        value = state.get("request")
    kind = value.get("kind") if isinstance(value, Mapping) else None
    if isinstance(kind, str) and len(kind) <= MAX_KIND:
        S[_REQUEST] = kind
