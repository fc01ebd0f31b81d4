"""ui.web.live and ui.web.live_chart without a browser: how many frames a Play run carries,
the frame rate a browser may ask for, and the JSON a message travels as."""

import contextlib
import json
import math
import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest

import ui.web.live as live
from tests.decode import decode
from ui.web.live_chart import dumps


@pytest.fixture
def state(monkeypatch):
    """A stand-in for st.session_state (a dict with attribute access)."""

    class State(dict):
        __getattr__ = dict.get

    s = State()
    monkeypatch.setattr(live, "S", s)
    monkeypatch.setattr(live, "LOAD", SimpleNamespace(factor=lambda: 1.0))  # a quiet server
    return s


def test_the_first_play_run_carries_a_tick_of_frames(state):
    assert live.frames_this_run() == round(live.TICK * live.FRAME_RATE)


def test_a_late_run_carries_more_frames_up_to_the_limit(state):
    late = live.TICK + 0.05  # the run comes 50 ms after the tick it asked for
    state["_play_run_at"] = time.monotonic() - late
    more = min(live.MAX_FRAMES_PER_RUN, round(late * live.FRAME_RATE))
    assert round(live.TICK * live.FRAME_RATE) < more == live.frames_this_run()
    state["_play_run_at"] = time.monotonic() - 60  # a background tab: capped
    assert live.frames_this_run() == live.MAX_FRAMES_PER_RUN


def test_a_slow_browser_asks_less_often_for_as_many_frames(state):
    state["live_feed_live"] = SimpleNamespace(tick={"seq": 3, "at": 0, "fps": 10})
    assert live.browser_frame_rate() == 10
    assert live.play_tick() == pytest.approx(live.TICK * live.FRAME_RATE / 10)
    assert live.frames_this_run() == round(live.TICK * live.FRAME_RATE)
    state["_play_run_at"] = time.monotonic() - 0.1  # asked too soon: still a tick's worth
    assert live.frames_this_run() == round(live.TICK * live.FRAME_RATE)
    state["live_feed_live"] = {"tick": {"fps": live.MIN_FRAME_RATE}}
    assert live.play_tick() == live.MAX_GAP_S
    assert live.frames_this_run() == round(live.MAX_GAP_S * live.MIN_FRAME_RATE)


@pytest.mark.parametrize(
    "fps, expected",
    [
        (1e9, live.FRAME_RATE),  # asks for more than Play ever draws
        (-5, live.MIN_FRAME_RATE),
        (0, live.MIN_FRAME_RATE),
        (math.inf, None),  # not a number we use: the last good value stays
        ("30", None),
        (True, None),
        (None, None),
    ],
)
def test_a_forged_frame_rate_is_clamped_or_ignored(state, fps, expected):
    state["_browser_fps"] = 12.0
    state["live_feed_live"] = {"tick": {"fps": fps}}
    assert live.browser_frame_rate() == (12.0 if expected is None else expected)
    assert 1 <= live.frames_this_run() <= live.MAX_FRAMES_PER_RUN


def test_a_busy_server_lowers_the_frame_rate_and_lengthens_the_tick(state, monkeypatch):
    monkeypatch.setattr(live, "LOAD", SimpleNamespace(factor=lambda: 0.5))
    assert live.play_tick() == pytest.approx(2 * live.TICK)
    assert live.frames_this_run() == round(live.TICK * live.FRAME_RATE)  # as many a run
    state["_play_run_at"] = time.monotonic() - 0.8
    assert live.frames_this_run() == round(0.8 * live.FRAME_RATE * 0.5)


class Clock:
    """Wall time and process CPU time, moved by hand."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def monotonic(self):
        return self.wall

    def process_time(self):
        return self.cpu

    def run(self, seconds, cores):
        self.wall += seconds
        self.cpu += seconds * cores


def test_server_load_falls_while_the_process_is_busy_and_recovers(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(live, "time", clock)
    load = live.ServerLoad()
    assert load.factor() == 1.0
    factors = []
    for _ in range(20):  # a process held at one core by its GIL
        clock.run(live.LOAD_PERIOD_S, 1.0)
        factors.append(load.factor())
    assert factors == sorted(factors, reverse=True) and factors[0] < 1.0
    assert factors[-1] == live.MIN_LOAD_FACTOR
    clock.run(0.1, 1.0)
    assert load.factor() == factors[-1]  # measured once per period only
    for _ in range(20):  # the class paused
        clock.run(live.LOAD_PERIOD_S, 0.05)
        load.factor()
    assert load.factor() == 1.0


def test_a_click_being_drawn_cuts_the_play_runs_short():
    clicks = live.Clicks()
    assert not clicks.waiting()
    with clicks.running(False):
        assert not clicks.waiting()  # a Play run
    with clicks.running(True), clicks.running(True):
        assert clicks.waiting()
    assert not clicks.waiting()
    with pytest.raises(RuntimeError), clicks.running(True):
        raise RuntimeError("a failed run")
    assert not clicks.waiting()


def test_dumps_writes_numpy_values_and_turns_non_finite_floats_into_null():
    message = {
        "a": np.array([1.5, np.nan], dtype=np.float32),
        "n": np.int64(3),
        "f": np.float64(0.25),
        "list": [1, 2.5, "x"],
    }
    out = json.loads(dumps(message))
    assert out["n"] == 3 and out["f"] == 0.25 and out["list"] == [1, 2.5, "x"]
    np.testing.assert_array_equal(decode(out["a"]), [1.5, np.nan])
    with_nan = json.loads(dumps({"x": [1.0, math.nan, -math.inf], "y": np.float64(math.inf)}))
    assert with_nan == {"x": [1.0, None, None], "y": None}


def test_play_frames_are_computed_one_at_a_time_and_a_click_does_not_wait(monkeypatch):
    # four sessions' Play runs in threads: their frames never overlap, though each frame
    # sleeps (the GIL free meanwhile); a click's run (not playing) draws while a Play frame
    # holds the lock
    inside, seen = [0], []

    def frame(exp):
        inside[0] += 1
        seen.append(inside[0])
        time.sleep(0.002)
        inside[0] -= 1
        return []

    class State(dict):
        __getattr__ = dict.get

    def draw_once(playing: bool) -> None:
        exp = SimpleNamespace(
            step=lambda *a, **k: None,
            trainer=SimpleNamespace(divergence=None),
            advice=lambda: None,
            config=SimpleNamespace(speed=1),
        )
        slot = SimpleNamespace(empty=lambda: SimpleNamespace())
        slots = SimpleNamespace(note=slot, draw_note=slot, numbers=contextlib.nullcontext())
        live.draw(exp, slots, fragment_run=True, playing=playing)

    for name, value in {
        "S": State(),
        "LOAD": SimpleNamespace(factor=lambda: 1.0),
        "_chart_messages": frame,
        "numbers_html": lambda values: "",
        "_numbers": lambda exp: {},
        "confusion_tables": lambda exp: "",
        "live_feed": lambda *a, **k: None,
    }.items():
        monkeypatch.setattr(live, name, value)
    players = [threading.Thread(target=draw_once, args=(True,)) for _ in range(4)]
    for t in players:
        t.start()
    for t in players:
        t.join(10)
    assert len(seen) >= 4 * round(live.TICK * live.FRAME_RATE) and max(seen) == 1
    clicked = threading.Event()
    with live.PLAY_FRAMES:  # a Play frame under way: a click's run still draws at once
        threading.Thread(target=lambda: (draw_once(False), clicked.set())).start()
        assert clicked.wait(5)
