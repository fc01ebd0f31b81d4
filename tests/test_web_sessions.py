"""A closed tab's memory is given back: the session reaper, and what must not hold an experiment.

Issue 10: 200 sessions opened and closed left the server at 394 MB (157 MB before) after 200 s
idle. ``benchmarks/soak.py --churn`` measures the whole effect on a real server; these tests pin
the mechanisms.
"""

from __future__ import annotations

import functools
import gc
import types

from streamlit.testing.v1 import AppTest

from ui.web.sessions import MARGIN_S, Watcher


class FakeState:
    def __init__(self) -> None:
        self.cleared = 0

    def clear(self) -> None:
        self.cleared += 1


class FakeSession:
    def __init__(self) -> None:
        self.session_state = FakeState()


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def watcher(active: set[str], clock: Clock, collected: list[int], released: list[str]):
    def collect() -> int:
        collected.append(1)
        return 0

    return Watcher(
        is_active=active.__contains__,
        ttl_s=120.0,
        release=released.append,
        clock=clock,
        collect=collect,
    )


def test_a_session_is_released_only_once_it_can_no_longer_be_resumed():
    active, clock, collected, released = {"a", "b"}, Clock(), [], []
    w = watcher(active, clock, collected, released)
    a, b = FakeSession(), FakeSession()
    w.add("a", a)
    w.add("b", b)
    assert w.reap() == 0
    active.discard("a")  # tab a closed at t = 0
    clock.t = 1.0
    assert w.reap() == 0  # first seen gone now
    clock.t = 1.0 + 120.0 + MARGIN_S - 0.5
    assert w.reap() == 0 and a.session_state.cleared == 0  # still resumable
    clock.t = 1.0 + 120.0 + MARGIN_S + 0.5
    assert w.reap() == 1
    assert a.session_state.cleared == 1 and released == ["a"] and collected == [1]
    assert b.session_state.cleared == 0 and set(w.sessions) == {"b"}
    assert w.reap() == 0 and collected == [1]  # nothing ended since: no collection


def test_a_reconnect_within_the_ttl_keeps_the_session():
    active, clock, collected, released = {"a"}, Clock(), [], []
    w = watcher(active, clock, collected, released)
    a = FakeSession()
    w.add("a", a)
    active.clear()
    w.reap()
    clock.t = 100.0
    active.add("a")  # the browser came back
    w.reap()
    active.clear()
    clock.t = 200.0  # 100 s after the second disconnect: within the TTL again
    w.reap()
    clock.t = 230.0
    assert w.reap() == 0 and a.session_state.cleared == 0
    clock.t = 200.0 + 120.0 + MARGIN_S + 1
    assert w.reap() == 1


def test_a_session_streamlit_freed_is_forgotten_without_a_collection():
    active, clock, collected, released = set(), Clock(), [], []
    w = watcher(active, clock, collected, released)
    w.add("gone", FakeSession())  # nothing else holds it: the weak reference dies
    gc.collect()
    assert w.reap() == 0 and w.sessions == {} and collected == [] and released == []


# ---------------------------------------------------------------------------------------------
# What Streamlit keeps for the whole life of a session (also after its tab closed) must not
# hold the experiment: widget metadata (format functions, callbacks, their arguments).


def _reaches(root: object, target: object, depth: int = 8) -> bool:
    """Whether ``target`` is reachable from ``root`` through closures, partials, bound methods,
    containers and object attributes (not through module globals: those are shared)."""
    seen: set[int] = set()
    frontier = [root]
    for _ in range(depth):
        nxt = []
        for obj in frontier:
            if obj is target:
                return True
            if id(obj) in seen or isinstance(obj, (type, types.ModuleType, str, bytes)):
                continue
            seen.add(id(obj))
            if isinstance(obj, types.FunctionType):
                nxt += [c.cell_contents for c in obj.__closure__ or () if _filled(c)]
                nxt += [obj.__defaults__, obj.__kwdefaults__]
            elif isinstance(obj, types.MethodType):
                nxt += [obj.__self__, obj.__func__]
            elif isinstance(obj, functools.partial):
                nxt += [obj.func, obj.args, obj.keywords]
            elif isinstance(obj, dict):
                nxt += list(obj.values())
            elif isinstance(obj, (list, tuple, set, frozenset)):
                nxt += list(obj)
            elif hasattr(obj, "__dict__"):
                nxt += list(vars(obj).values())
            elif hasattr(type(obj), "__slots__"):
                nxt += [getattr(obj, s, None) for s in type(obj).__slots__]
        frontier = nxt
    return False


def _filled(cell) -> bool:
    try:
        cell.cell_contents  # noqa: B018
    except ValueError:
        return False
    return True


def test_no_widget_of_the_playground_holds_the_experiment():
    at = AppTest.from_file("../app.py", default_timeout=30).run()
    exp = at.session_state.exp
    state = object.__getattribute__(at.session_state._state, "_state")
    metadata = state._new_widget_state.widget_metadata
    assert len(metadata) > 20
    holders = [
        md.id
        for md in metadata.values()
        if _reaches(
            (md.callback, md.callback_args, md.callback_kwargs, md.deserializer, md.serializer),
            exp,
        )
    ]
    assert holders == []
