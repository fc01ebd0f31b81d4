"""Python's cyclic garbage collector in the server process: the objects of its start-up kept
out of its sight.

A full collection (generation 2) walks every object that survived two younger ones, and holds
the GIL while it does: every student's run waits for it, so its length is added to Step's
latency whenever a click meets one. After the first page, the server holds about 100,000 such
objects from its imports (Streamlit, Plotly, pandas, numpy and ours), which live as long as the
process. ``gc.freeze()`` moves them into a permanent generation that no collection walks; with 30
students playing, a full collection took a median 100 ms before and 55 ms after, the longest
185 and 125 ms (benchmarks/README.md). What such a collection still walks is mostly garbage of
Streamlit's own (a class built for each read of a components-v2 element's state, ours among
them, on every script run). The first session's objects of that moment are frozen too: what
of them ends in a reference cycle is not collected when that tab closes, once per process.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_startup_objects() -> bool:
    """Once per process, after the first page: collect, then freeze what is left. True the
    one time it froze; app.py calls it at the end of every run, where later calls cost a lock."""
    global _frozen
    with _lock:
        if _frozen:
            return False
        _frozen = True
    gc.collect()
    gc.freeze()
    return True
