"""Download buttons whose file is built at the click and saved by the browser from memory.

Streamlit's ``st.download_button`` with content built at the click stores the file in its media
registry and sends the browser its URL; the registry deletes a file that no element shows after
any two script runs of *any* session end. While others play, runs end every few milliseconds,
so a download whose request came later failed ("canceled"): 1 click in 8 with three others
playing on loopback, and a classroom server behind a network is slower still.

Here a click raises the component's "request" trigger, which reruns the page; that run builds
the file (current at the click) and sends it in the component's own data, and
``static/downloads.js`` saves it as a file from memory. The trigger holds every file the page
still waits for, ``{"kinds": {kind: click id}}``: clicks that come faster than the page runs
reach the server as one rerun whose trigger holds only the latest value, and a request for one
kind at a time lost the others. The browser saves a file only for a click it is waiting for
(its id), once. The file is sent again by every full run until one has come through
(``full_run_complete``, ``pages/playground_page.py``), and never after a minute; a browser still
waiting a few seconds later asks again with the same id (a run that came through on the server
can still be lost on the way: Streamlit drops a finished run's unsent messages when the next run
starts), and gets the file again, built anew if it was dropped here.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui.web.live_chart import module_component, static_url

S = st.session_state

KEY = "downloads"
_REQUESTS = "_download_requests"  # {kind: click id} asked for, until the page's run builds them
_PENDING = "_download_files"  # {kind: file} built, until a full run carrying it came through
MAX_AGE_S = 60.0  # a file is never sent after this long
MAX_ID = 40  # characters of a kind or a click id we look at (anything longer is forged)
MAX_REQUESTS = 8  # requests remembered at once (a page has three buttons; more is forged)

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
    """Draw one button per download; build and send the files that clicks asked for."""
    by_kind = {d.kind: d for d in downloads}
    requests = S.pop(_REQUESTS, None)
    pending = S.get(_PENDING)
    if not isinstance(pending, dict):
        pending = S[_PENDING] = {}
    for kind, click in (requests if isinstance(requests, dict) else {}).items():
        d = by_kind.get(kind)
        if d is None or pending.get(kind, {}).get("click") == click:
            continue  # not a button here (forged); or asked again: send the file as built
        pending[kind] = {
            "click": click,
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
        "files": _files_to_send(pending),
    }
    _component(key=KEY, data=json.dumps(message).encode(), on_request_change=_requested)


def _files_to_send(pending: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The pending files without their bookkeeping; a file is dropped once a full run that
    carried it came through (an earlier one than this) or it is older than ``MAX_AGE_S``."""
    run, complete = S.get("full_run"), S.get("full_run_complete")
    files = []
    for kind, file in list(pending.items()):
        came_through = file["sent_in"] not in (None, run) and complete == file["sent_in"]
        if came_through or time.monotonic() - file["at"] > MAX_AGE_S:
            del pending[kind]
            continue
        file["sent_in"] = run
        files.append({k: file[k] for k in ("click", "kind", "name", "mime", "text")})
    return files


def forget_sent() -> None:
    """Called when a full run came through: drop the files it carried, which are on their way
    to the browser, rather than keep them (up to half a megabyte each) until the next full run,
    which may be long in coming while the student plays. A browser that did not get one asks
    again."""
    pending = S.get(_PENDING)
    if isinstance(pending, dict):
        for kind in [k for k, f in pending.items() if f["sent_in"] == S.get("full_run_complete")]:
            del pending[kind]


def _requested() -> None:
    """The browser's "request" trigger, ``{"kinds": {kind: click id}}``: remembered for this
    run's ``buttons``, which builds only the kinds of its own buttons. A forged value (wrong
    types, long strings, many entries) is ignored, or cut to ``MAX_REQUESTS`` entries."""
    state = S.get(KEY)
    value = getattr(state, "request", None) if state is not None else None
    if value is None and isinstance(state, Mapping):
        value = state.get("request")
    asked = value.get("kinds") if isinstance(value, Mapping) else None
    if not isinstance(asked, Mapping):
        return
    requests = S.get(_REQUESTS)
    requests = dict(requests) if isinstance(requests, dict) else {}
    for kind, click in itertools.islice(asked.items(), MAX_REQUESTS):
        if _short_text(kind) and _short_text(click):
            requests.pop(kind, None)
            requests[kind] = click  # the newest last: the oldest go first below
    S[_REQUESTS] = dict(list(requests.items())[-MAX_REQUESTS:])


def _short_text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_ID
