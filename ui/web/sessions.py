"""A closed tab's memory is given back once its session has ended.

Streamlit keeps the session of a closed tab for ``server.disconnectedSessionTTL`` seconds (a
reconnect within that time resumes it) and afterwards forgets it only lazily, the next time its
session storage is written: on an idle server, never. With ``[runner] postScriptGC = false``
(.streamlit/config.toml: a forced full collection after every run was most of a Play frame's
server CPU; benchmarks/README.md)
nothing runs a full garbage collection on an idle server either. So the memory of every closed
tab stayed taken (``benchmarks/soak.py --churn``).

One daemon thread per server process watches the sessions that ran a page (`watch`). Once a
session has been disconnected for longer than the TTL, no reconnect can resume it, and the
watcher does what Streamlit's own shutdown of a session would: clears its session state and
drops its references in the runtime's file registry; then one ``gc.collect()`` frees what sat in
reference cycles, and glibc's ``malloc_trim`` hands the freed pages back to the OS. The watcher
holds only weak references, so it never keeps a session alive itself.

What it cannot clear is what Streamlit keeps in a session's widget metadata (format functions,
callbacks and their arguments): those must never hold a student's experiment (a closure over it
kept every closed tab's experiment alive; ``ui/web/controls.py`` passes plain values instead).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_LOG = logging.getLogger("playground.sessions")

POLL_S = 5.0  # how often the watcher looks at the sessions it knows
MARGIN_S = 5.0  # waited beyond the TTL, so a reconnect at the very last moment still resumes


@dataclass
class Watcher:
    """The sessions seen, by id: a weak reference to each one's Streamlit ``AppSession``, and
    since when it has been disconnected. ``is_active(id)``, ``ttl_s`` and ``release(id)`` (drop
    the session's entries in runtime-wide registries) come from the runtime."""

    is_active: Callable[[str], bool]
    ttl_s: float
    release: Callable[[str], None] = lambda session_id: None
    clock: Callable[[], float] = time.monotonic
    collect: Callable[[], int] = gc.collect
    sessions: dict[str, weakref.ref] = field(default_factory=dict)
    gone_since: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, session_id: str, app_session: Any) -> None:
        with self.lock:
            if session_id not in self.sessions:
                self.sessions[session_id] = weakref.ref(app_session)

    def ended(self) -> list[str]:
        """The ids of sessions disconnected for longer than the TTL (forgotten from now on)."""
        now = self.clock()
        out = []
        with self.lock:
            for sid, ref in list(self.sessions.items()):
                if ref() is None:  # Streamlit freed it already
                    del self.sessions[sid]
                    self.gone_since.pop(sid, None)
                elif self.is_active(sid):
                    self.gone_since.pop(sid, None)
                elif now - self.gone_since.setdefault(sid, now) > self.ttl_s + MARGIN_S:
                    out.append(sid)
        return out

    def reap(self) -> int:
        """Release every session that ended, then collect once. Returns how many ended."""
        ended = self.ended()
        if not ended:
            return 0
        for sid in ended:
            with self.lock:
                ref = self.sessions.pop(sid)
                del self.gone_since[sid]
            session = ref()
            if session is not None:
                session.session_state.clear()
            del session
            self.release(sid)
        t0 = time.perf_counter()
        found = self.collect()
        trim_heap()
        _LOG.info(
            "%d ended session(s) released; gc.collect() found %d objects in %.0f ms",
            len(ended),
            found,
            1000 * (time.perf_counter() - t0),
        )
        return len(ended)


def trim_heap() -> None:
    """Hand freed heap pages back to the OS (glibc's ``malloc_trim``); elsewhere nothing."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: its allocator keeps or returns on its own
        pass


_watcher: Watcher | None = None
_start_lock = threading.Lock()


def watch() -> None:
    """Register the session of the running script (a dict lookup after the first run)."""
    from streamlit import config
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not Runtime.exists():
        return  # AppTest or bare mode: no server, no sessions to watch
    runtime = Runtime.instance()
    global _watcher
    if _watcher is None:
        with _start_lock:
            if _watcher is None:
                _watcher = Watcher(
                    is_active=runtime.is_active_session,
                    ttl_s=float(config.get_option("server.disconnectedSessionTTL")),
                    release=_release_files,
                )
                threading.Thread(
                    target=_loop, args=(_watcher,), name="session-reaper", daemon=True
                ).start()
    if ctx.session_id not in _watcher.sessions:
        app_session = runtime.get_app_session(ctx.session_id)
        if app_session is not None:
            _watcher.add(ctx.session_id, app_session)


def _release_files(session_id: str) -> None:
    """The session's entries in the runtime's media registry (download buttons' callables), as
    Streamlit's shutdown of a session drops them; both calls are documented thread-safe."""
    from streamlit.runtime import Runtime

    files = Runtime.instance().media_file_mgr
    files.clear_session_refs(session_id)
    files.remove_orphaned_files()


def _loop(watcher: Watcher) -> None:
    while True:
        time.sleep(POLL_S)
        try:
            watcher.reap()
        except Exception:  # one bad round must not end the thread; the app works without it
            _LOG.exception("the session reaper failed; it will try again")
