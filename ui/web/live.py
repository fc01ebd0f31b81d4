"""The live part of the Playground: Step, Reset, Play, the numbers and the four charts.

The four charts are drawn whole on a full run, outside the keyed fragment ``live``
(`draw_charts`). A Step or Reset click and every Play run rerun only the fragment, which sends
ONE element, a feed (``ui/web/live_chart.py``): the numbers and the updates of all four charts, so
the browser redraws the same Plotly divs in place. Streamlit's fixed cost of a run (a thread, the
widget states, a handful of protocol messages) is several times the app's own work
(benchmarks/README.md), so a Play run trains and draws several frames and the browser spreads
them out. Play has no server-side timer: the browser asks for the next run when one arrives,
no sooner than TICK after its last request, so a busy server serves fewer runs rather than
computing runs it must then drop (``benchmarks/load_test.py``).

How many frames a run carries (``frames_this_run``): the time since this session's last Play
run times its frame rate, at most MAX_FRAMES_PER_RUN. The frame rate is what the browser says
it has been drawing (in its tick; at most FRAME_RATE), lowered for every session together
when the process nears the one core its GIL allows (``ServerLoad``); the tick the browser waits
between requests grows as the rate falls (``play_tick``), so a run carries about TICK ×
FRAME_RATE frames whatever the rate: Streamlit's fixed cost of a run is shared by them, a slow
laptop is sent no frames it would merge, and a busy server keeps room for clicks. A run that a
click caused (Step, Reset, a full run) also cuts the Play runs short while it draws
(``Clicks``), and the process computes one Play frame at a time (``PLAY_FRAMES``), so a Step
is answered while a class plays.
"""

from __future__ import annotations

import contextlib
import html
import math
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import numpy as np
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from ui.config import CUSTOM, DELTA_VIEWS, describe_difference
from ui.experiment import Experiment, Frame
from ui.figures import boundary as fig_boundary
from ui.figures import confusion as fig_confusion
from ui.figures import curves as fig_curves
from ui.figures import network as fig_network
from ui.figures.encode import quantize
from ui.figures.present import presenter
from ui.figures.style import class_shape
from ui.notation import human
from ui.user_text import clip, literal
from ui.web import classroom, network_tools
from ui.web.guard import friendly_errors
from ui.web.live_chart import chart_message, live_chart, live_feed

S = st.session_state
TICK = 0.4  # Play: at most one run requested per 0.4 s by each browser (at FRAME_RATE)
FRAME_RATE = 25.0  # Play: frames/s aimed at, unless the browser says it draws fewer
MIN_FRAME_RATE = 2.0  # what a browser may ask for, at least (a forged value is clamped)
MAX_FRAMES_PER_RUN = 12  # a run covers at most 12 frames: 0.48 s at 25 frames/s
MAX_GAP_S = 1.0  # a longer pause between runs (a background tab) counts as this long
RUN_BUDGET_S = 0.06  # no further frame is begun once a run has used this much CPU
BUSY_TARGET = 0.75  # cores: Play slows down when the server process uses more (ServerLoad)
MIN_LOAD_FACTOR = 0.25  # ... to a quarter of its frame rate at most
LOAD_PERIOD_S = 0.5  # how often the process's CPU use is measured
STEP_BUDGET_S = 0.008  # at most this much training per frame, so a big network stays smooth
FEED_KEY = "live"
PAUSE_KEY = "pause"  # the Pause button's Streamlit key: the browser stops Play on its click
TAIL = 64  # points re-sent at the end of a growing series, so a lost update heals itself
#: Chart heights in pixels, (the map and the network, the two curves): on a laptop the four
#: charts fit together on a 1366×768 screen; in presenter view on a 1920×1080 one.
HEIGHTS = {False: (340, 220), True: (470, 300)}


def on_step() -> None:
    exp: Experiment = S.exp
    network_tools.before_step(
        exp, lambda: fig_confusion.beside(numbers_html(_numbers(exp)), confusion_tables(exp))
    )
    exp.step(1)
    st.rerun("live")


def set_playing(playing: bool, generation: int) -> None:
    """Play or Pause, from a button drawn in ``generation``. Streamlit can deliver a click a
    second time (a trigger replayed after an interrupted run); a click from an older
    generation than the current one is such a replay and changes nothing."""
    if generation == S.get("play_generation", 0):
        S.playing = playing
        S.play_generation = generation + 1


def on_reset() -> None:
    network_tools.reset(S.exp)
    st.rerun("live")


@dataclass(frozen=True)
class Slots:
    """Containers laid out by the full run; each fragment run refills only these."""

    numbers: Any
    note: Any  # the advice or the divergence
    draw_note: Any  # why a click on the plane changed nothing
    boundary: Any
    network: Any
    cost: Any
    delta: Any


def layout(exp: Experiment) -> Slots:
    """Headings, help and the slow-changing controls, drawn once per full run: a fragment
    run then sends only the numbers and the charts' updates."""
    numbers, note = st.container(), st.container()
    # Two rows of two charts, each heading on one line with its control, so that the four
    # charts fit together on a 1366×768 laptop (HEIGHTS); a phone stacks them.
    left, right = st.columns([1.1, 1], gap="medium")
    with left:
        st.markdown(
            "**Output $a^L$ over the input plane**"
            if exp.net.sizes[-1] == 1
            else "**The winning class over the input plane**, $\\arg\\max_j a^L_j$",
            help=PLANE_HELP if exp.net.sizes[-1] == 1 else PLANE_HELP_CLASSES,
        )
        draw_note, boundary = st.container(), st.container()
        _drawing_controls(exp)
    with right:
        network_tools.heading(exp)
        network_tools.view_controls()
        network = st.container()
        network_tools.edits_row(exp)
    left, right = st.columns(2, gap="medium")
    with left:
        row = st.container(horizontal=True, vertical_alignment="center", gap="small")
        if exp.net.regularization.active:  # the chart draws C₀, the data's part of C
            title = exp.net.cost.title.replace("C", "C₀ (the data's part of C)", 1)
            row.markdown(f"**Cost {title}**, after each step", help=COST_HELP)
        else:
            row.markdown(f"**Cost {exp.net.cost.title}**, after each step", help=COST_HELP)
        row.toggle("log scale", key="cost_log", value=False)
        cost = st.container()
        if exp.net.regularization.active:  # below the chart: the four charts stay together
            regularization_note(exp)
    with right:
        heading, help_text = DELTA_HEADINGS[exp.config.delta_view]
        st.markdown(heading, help=help_text)
        delta = st.container()
        if S.view.shows("dview"):
            st.segmented_control(
                "The δ chart shows",
                list(DELTA_VIEWS),
                format_func=DELTA_VIEW_LABELS.get,
                required=True,
                key="c_delta_view",
                label_visibility="collapsed",
            )
    _keep_buttons()
    network_tools.editor_dialog(exp)
    return Slots(numbers, note, draw_note, boundary, network, cost, delta)


PLANE_HELP = (
    "The colour at each point is what the network outputs there (blue: class 1, orange: "
    "class 0). Filled marks are training points, hollow ones (when shown) test points; the "
    "shape tells the class too (● class 0, ■ class 1)."
)
PLANE_HELP_CLASSES = (
    "One output neuron per class: each point of the plane gets the class whose output "
    "a^L_j is largest, in that class's colour, strong where the network is sure (its output "
    "near the class's target) and pale where it is not. Filled marks are training points, "
    "hollow ones (when shown) test points; each class has its own shape as well as its colour."
)


def regularization_note(exp: Experiment) -> None:
    """C with its penalty term and the update (24) with its extra term, in LaTeX (app text)."""
    reg, cost = exp.net.regularization, exp.net.cost
    part = "(2)" if cost.name == "quadratic" else "the cross-entropy"
    st.caption(
        f"With {reg.name.upper()} regularisation, λ = {reg.rate:g}, gradient descent minimises "
        f"C = C₀ + R: C₀ is the cost of the data, {part}, drawn here; R is added over every "
        "weight of every layer, never a bias. Only (24) changes; δˡ and (25) do not."
    )
    st.latex(rf"C = C_0 + R, \quad {reg.info.penalty}")
    st.latex(reg.info.update.replace(r"\leftarrow", r"\;\leftarrow\;") + r"\quad (24)")


COST_HELP = (
    "With the quadratic cost this is eq. (2), C = 1/(2N) Σₓ ‖aᴸ(x) − y(x)‖². With the "
    "cross-entropy cost (sigmoid output only) it is C = −(1/N) Σₓ [y ln aᴸ + (1 − y) ln(1 − aᴸ)]. "
    "The sidebar's 'Cost C' chooses."
)
_DELTA_DEFINITION = (
    "δˡⱼ = ∂C/∂zˡⱼ, eq. (5), is the error of neuron j in layer l: how much the cost changes "
    "when zˡⱼ changes. "
)
DELTA_HEADINGS = {
    "gradient": (
        r"**How fast each layer's biases move**, eq. (19)",
        "‖∂C/∂bˡ‖ = ‖batch mean of δˡ‖, eqs. (10), (17), (19). "
        + _DELTA_DEFINITION
        + "By (19), ∂C/∂bˡⱼ is δˡⱼ averaged over the training points. Points "
        "that pull in opposite directions cancel in that mean, so these lines cross and "
        "wander. Choose ‖δˡ‖ ÷ ‖δᴸ‖ to see how much of the output's error reaches each layer.",
    ),
    "relative": (
        r"**How much of the error reaches each layer**, eq. (17)",
        "‖δˡ‖ ÷ ‖δᴸ‖ (root mean squares over the points), eqs. (10), (17). "
        + _DELTA_DEFINITION
        + "‖δˡ‖ is the root mean square over the training points of the "
        "length of δˡ (nothing cancels), divided here by the output layer's ‖δᴸ‖. By (17), "
        "δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ'(zˡ), where ⊙ multiplies two vectors element by element. "
        "Lines far below 1 mean those layers hardly change: the gradient vanishes on its "
        "way back.",
    ),
}
DELTA_HEADINGS["weights"] = (
    r"**How large each layer's weights are**: $\lVert w^l\rVert$",
    "‖wˡ‖ is the length of all the weights of layer l together, √(Σⱼₖ (wˡⱼₖ)²). Gradient "
    "descent on the data alone often lets it grow; L2 regularisation adds λw to each weight's "
    "gradient in (24), so every step shrinks every weight by αλw (weight decay), and L1 moves "
    "each weight by αλ towards 0. Biases are never regularised.",
)
DELTA_VIEW_LABELS = {"gradient": "‖∂C/∂bˡ‖", "relative": "‖δˡ‖ ÷ ‖δᴸ‖", "weights": "‖wˡ‖"}


def fragment():
    """The live fragment. Play needs no server timer: while playing, the browser asks for the
    next run once the last one arrived (the feed's tick, ``ui/web/live_chart.py``)."""

    @st.fragment(key="live")
    def live(slots: Slots) -> None:
        exp: Experiment = S.exp
        ctx = get_script_run_ctx()
        fragment_run = bool(ctx and ctx.fragment_ids_this_run)
        if fragment_run and _page_is_stale(exp):
            st.rerun(scope="app")
        playing = S.get("playing", False)
        with friendly_errors("the live charts"), CLICKS.running(not playing):
            draw(exp, slots, fragment_run=fragment_run, playing=playing)

    return live


def buttons_state(exp: Experiment) -> tuple[bool, bool]:
    """What the buttons outside the fragment show: (Pause rather than Play, Play enabled).
    Play is enabled exactly when training can go on: not after a divergence."""
    return bool(S.get("playing")), exp.trainer.divergence is None


def _page_is_stale(exp: Experiment) -> bool:
    """Whether the page outside this fragment no longer matches the session, so that only a
    run of the whole page can show it: a Play frame interrupted the last full run; a click was
    delivered with a frame's request (its callback ran, but only this fragment is redrawn);
    Step diverged or Reset undid a divergence (Play must be disabled or enabled again); or a
    click on the plane changed the data the sidebar shows."""
    return (
        S.get("full_run_complete") != S.get("full_run")
        or S.get("buttons_show") != buttons_state(exp)
        or "pending_config" in S
    )


def draw(exp: Experiment, slots: Slots, *, fragment_run: bool, playing: bool) -> None:
    """The fragment's part: the note and ONE feed element with the numbers, Play's tick and,
    on a fragment run, the updates of all four charts (the charts themselves are mounted by
    `draw_charts` on full runs, outside the fragment).

    A Play run trains and draws ``frames_this_run()`` frames: the browser shows them one after
    the other, so Streamlit's fixed cost of a run is paid once for several frames."""
    frames = []
    slowmo = S.pop("slowmo", None) if fragment_run and not playing else None
    if not playing:
        S.pop("_play_run_at", None)
    wanted = frames_this_run() if playing else 1
    # The budget counts this thread's CPU time, not the clock's: with many students playing,
    # runs share the GIL and a clock budget would end every run after a frame or two, so that
    # Streamlit's fixed cost of a run would be paid for ever fewer frames.
    started = time.thread_time()
    for i in range(wanted if fragment_run else 1):
        if i and (time.thread_time() - started > RUN_BUDGET_S or CLICKS.waiting()):
            break  # a big network, or someone's click waits: fewer frames this run
        # One Play frame at a time in the process (PLAY_FRAMES); a click's run does not wait,
        # nor does a full run (a control changed during Play: the student is waiting for it).
        with PLAY_FRAMES if playing and fragment_run else contextlib.nullcontext():
            if playing:
                exp.step(exp.config.speed, budget_s=STEP_BUDGET_S)
                if exp.trainer.divergence is not None:
                    S.playing = False
                    st.rerun(scope="app")  # Play turns into a disabled button
            html = fig_confusion.beside(numbers_html(_numbers(exp)), confusion_tables(exp))
            frames.append({"charts": _chart_messages(exp) if fragment_run else [], "html": html})
    # Every note has a placeholder written on every run, full or fragment: Streamlit lets a
    # fragment run write into a container from outside only where its last full run wrote.
    note, draw_note = slots.note.empty(), slots.draw_note.empty()
    if exp.trainer.divergence is not None:
        note.error(divergence_message(exp), icon=":material/warning:")
    elif (advice := exp.advice()) is not None:
        note.info(advice, icon=":material/lightbulb:")
    if (message := S.pop("draw_message", None)) is not None:
        draw_note.warning(literal(message), icon=":material/touch_app:")
    if slowmo is not None:
        frames = _slow_motion(exp, slowmo, frames)
    with slots.numbers:
        live_feed(
            frames,
            key=FEED_KEY,
            tick=play_tick() if playing else None,  # Play: the browser asks for the next run
            pause_key=PAUSE_KEY if playing else None,  # Pause stops the frames in the browser
            generation=S.get("play_generation", 0),
            slow_ms=network_tools.SLOW_TOTAL_MS // max(1, len(frames) - 1) if slowmo else None,
        )


def _slow_motion(exp: Experiment, slowmo: dict, frames: list[dict]) -> list[dict]:
    """A slow-motion Step's phases, as frames played before the real ones (the last of which
    also hides the diagram's highlight band again)."""
    sizes = list(exp.net.sizes)
    present = classroom.presenting()
    spec = _for_classroom(_network(exp, exp.frame(), HEIGHTS[present][0]), present)
    real = [m for m in frames[-1]["charts"] if m["key"] == "network"]
    for m in real:
        if "figure" not in m:
            m["relayout"] = {**m.get("relayout", {}), **network_tools.end_of_slow_motion(sizes)}

    def message(relayout: dict, reveal: int) -> dict:
        updates = network_tools.reveal_updates(exp, slowmo["grads"], reveal)
        updates["layout"] = {**updates.get("layout", {}), **relayout}
        return chart_message(
            spec.figure,
            key="network",
            height=spec.height,
            revision=spec.revision,
            updates=updates,
        )

    phases = network_tools.slow_frames(slowmo, sizes, message)
    # The browser drops a message older than the one its chart holds: number the diagram's
    # messages in the order they are shown (the phases were made after the real frame).
    shown = [m for f in phases for m in f["charts"]] + real
    for m, seq in zip(shown, sorted(m["seq"] for m in shown), strict=True):
        m["seq"] = seq
    return phases + frames


def frames_this_run() -> int:
    """Frames for this Play run: the time since the session's last Play run (at least the
    tick, at most MAX_GAP_S) times the frame rate (the browser's, slowed down as the server
    gets busy: ``LOAD``), 1 … MAX_FRAMES_PER_RUN. Records this run's time."""
    now = time.monotonic()
    last = S.get("_play_run_at")
    S["_play_run_at"] = now
    rate = frame_rate()
    tick = play_tick(rate)
    gap = tick if last is None else min(max(now - last, tick), MAX_GAP_S)
    return max(1, min(MAX_FRAMES_PER_RUN, round(gap * rate)))


def frame_rate() -> float:
    """Frames per second for this session's Play: what its browser draws, times the server's
    load factor."""
    return browser_frame_rate() * LOAD.factor()


def play_tick(rate: float | None = None) -> float:
    """How often a playing browser may ask for a run: TICK at FRAME_RATE frames/s, longer at
    a lower ``rate`` (a slow browser, a busy server; at most MAX_GAP_S), so that a run carries
    about TICK × FRAME_RATE frames whatever the rate, and Streamlit's cost of a run is shared
    by them."""
    rate = frame_rate() if rate is None else rate
    return min(MAX_GAP_S, TICK * FRAME_RATE / rate)


class ServerLoad:
    """How busy this server process is, and how much Play should slow down for it.

    One per process, shared by every session: it holds no student's data, only the process's
    CPU time. Every LOAD_PERIOD_S (measured when a Play run asks) the CPU the process used in
    that time, in cores, is compared with BUSY_TARGET: above it, ``factor`` (1 on a quiet
    server) falls, below it, rises back, by the square root of the ratio each time. One
    Streamlit process is held to about one core by its GIL: at that point every request waits
    for every other, so a Step click waits behind all the students' frames. Slowing every
    student's Play a little keeps the process below it: Step stays quick, Play stays smooth
    at a lower frame rate (benchmarks/README.md, ``load_test.py``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wall, self._cpu = time.monotonic(), time.process_time()
        self._factor = 1.0

    def factor(self) -> float:
        now = time.monotonic()
        if now - self._wall >= LOAD_PERIOD_S and self._lock.acquire(blocking=False):
            try:
                cpu = time.process_time()
                busy = (cpu - self._cpu) / max(now - self._wall, 1e-9)
                self._wall, self._cpu = now, cpu
                ratio = BUSY_TARGET / max(busy, 1e-3)
                self._factor = min(1.0, max(MIN_LOAD_FACTOR, self._factor * ratio**0.5))
            finally:
                self._lock.release()
        return self._factor


LOAD = ServerLoad()


class Clicks:
    """How many runs that a click caused (Step, Reset, a full run) are drawing now, in this
    process: while one is, every Play run stops after the frame it is drawing, so that the
    click waits for the GIL behind fewer frames of the other students."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._n = 0

    def waiting(self) -> bool:
        return self._n > 0

    @contextlib.contextmanager
    def running(self, click: bool) -> Iterator[None]:
        if not click:
            yield
            return
        with self._lock:
            self._n += 1
        try:
            yield
        finally:
            with self._lock:
                self._n -= 1


CLICKS = Clicks()

#: Held while a Play run computes one frame, so that the process computes one Play frame at a
#: time: the others' runs wait in the lock, without the GIL. Under the GIL every runnable thread
#: takes turns of up to 5 ms, and Streamlit's event loop, which reads a click and sends its
#: answer in many short steps, waited behind all of them at each step: with 30 students playing
#: on one process, our code answered a Step in 3 ms (median; 17 ms p95) and the student saw it
#: after 370-460 ms (p95). With the lock, at most one Play frame competes with the event loop
#: and the click: Step p95 31-86 ms at more frames per second (benchmarks/README.md). Only Play's
#: fragment runs take it; a click's run (Step, Reset) or a full run does not wait. The lock is
#: not fair (a run that releases it often takes it again for its next frame), which measured
#: the same as holding it for a whole run.
PLAY_FRAMES = threading.Lock()


def browser_frame_rate() -> float:
    """The frame rate the browser last said it can draw (the "fps" of the feed's tick), within
    MIN_FRAME_RATE … FRAME_RATE; FRAME_RATE until it said (a client that draws nothing)."""
    state = S.get(f"live_feed_{FEED_KEY}")
    tick = getattr(state, "tick", None) if state is not None else None
    if tick is None and isinstance(state, Mapping):
        tick = state.get("tick")
    fps = tick.get("fps") if isinstance(tick, Mapping) else None
    if isinstance(fps, int | float) and not isinstance(fps, bool) and math.isfinite(fps):
        S["_browser_fps"] = min(FRAME_RATE, max(MIN_FRAME_RATE, float(fps)))
    return S.get("_browser_fps", FRAME_RATE)


def _chart_messages(exp: Experiment) -> list[dict[str, Any]]:
    """Each chart's message: its whole figure when what it shows changed, else its updates."""
    sent = S.setdefault("_sent", {})
    messages = []
    for spec in chart_specs(exp):
        fresh = sent.get(spec.key) != spec.token
        sent[spec.key] = spec.token
        messages.append(
            chart_message(
                spec.figure,
                key=spec.key,
                height=spec.height,
                revision=spec.revision,
                updates=None if fresh else spec.updates(),
            )
        )
    return messages


def draw_charts(exp: Experiment, slots: Slots) -> None:
    """The four charts, whole, on a full run. They are drawn outside the live fragment, so a
    fragment run leaves them on the page and updates them through the feed."""
    sent = S.setdefault("_sent", {})
    with friendly_errors("the live charts"):
        for spec in chart_specs(exp):
            sent[spec.key] = spec.token
            with getattr(slots, spec.key):
                classroom.chart_name(*CHART_NAMES[spec.key])
                live_chart(
                    spec.figure,
                    key=spec.key,
                    height=spec.height,
                    revision=spec.revision,
                    on_click=spec.on_click,
                    on_pick=spec.on_pick,
                )


#: Each chart's accessible name and description (a screen reader's view of it).
CHART_NAMES = {
    "boundary": (
        "Output of the network over the input plane",
        "A map of the output a^L at every point of the input plane: blue where the network "
        "answers class 1 (or a high value), orange where it answers class 0 (or a low value), "
        "with the training points on top.",
    ),
    "network": (
        "The network",
        "The layers from the inputs on the left to the output on the right; each neuron is a "
        "square picture of what it computes over the input plane, each line a weight: blue "
        "positive, orange negative, thicker when larger.",
    ),
    "cost": (
        "Cost C after each step",
        "A line of the cost on the training points, and on the test points, against the "
        "number of steps: it falls while the network learns.",
    ),
    "delta": (
        "How strongly each layer learns",
        "One line per layer against the number of steps: the size of its error delta, so a "
        "layer whose line falls far below the others hardly learns (a vanishing gradient).",
    ),
}


# ---------------------------------------------------------------------------- numbers
# The numbers are ONE element: six st.metric elements cost the browser more to re-render
# each frame than the four charts' updates (benchmarks/README.md).
NUMBERS_CSS = """<style>
.pg-numbers { display: flex; flex-wrap: wrap; gap: 0.4rem 2.2rem; margin: 0.2rem 0 0.6rem; }
.pg-label { font-size: 0.875rem; color: rgba(49, 51, 63, 0.75); }
.pg-value { font-size: 2.1rem; line-height: 1.25; font-variant-numeric: tabular-nums; }
</style>"""


def numbers_html(values: dict[str, str]) -> str:
    """One tile per number; tests read them by ``data-label``."""
    tiles = "".join(
        f'<div data-testid="pg-metric" data-label="{html.escape(label)}">'
        f'<div class="pg-label">{html.escape(label)}</div>'
        f'<div class="pg-value">{html.escape(value)}</div></div>'
        for label, value in values.items()
    )
    return f'{NUMBERS_CSS}<div class="pg-numbers">{tiles}</div>'


def _numbers(exp: Experiment) -> dict[str, str]:
    t, m = exp.trainer, exp.trainer.metrics
    n_train = t.x_train.shape[1]
    values = {
        "Step": f"{t.steps:,}",
        "Epoch": human(t.epoch, ".2f"),
        "Points (training / test)": f"{n_train} / {exp.dataset.n - n_train}",
        "C (training)": human(m["cost_train"]),
        "C (test)": human(m.get("cost_test", math.nan)),
    }
    if exp.dataset.kind == "classification":
        train, test = (human(100 * m.get(k, math.nan), ".1f") for k in ("acc_train", "acc_test"))
        values["Accuracy (training / test)"] = f"{train} / {test} %"
    if exp.net.regularization.active:
        values["Penalty R (C = C₀ + R)"] = human(m["penalty"])
    return values


def confusion_tables(exp: Experiment) -> str:
    """With one output per class: the confusion matrix of the training points (and of the
    test points while they are shown), in the feed's HTML beside the numbers."""
    t = exp.trainer
    if exp.net.sizes[-1] == 1 or t.n_classes is None:
        return ""
    names = exp.class_names
    tables = [fig_confusion.confusion_html(t.confusion(), names, title="Training points")]
    if exp.config.show_test and (test := t.confusion(test=True)) is not None:
        tables.append(fig_confusion.confusion_html(test, names, title="Test points"))
    return "".join(tables)


def divergence_message(exp: Experiment) -> str:
    d = exp.trainer.divergence
    return (
        f"**Training diverged at step {d.step}** with learning rate α = {d.learning_rate:g}: "
        f"{d.reason}. Each update overshot the minimum by more than the one before, until "
        "the numbers no longer fit in a float. Everything shown is the last finite state, "
        f"after step {d.step - 1}. Try a learning rate 10× smaller and press **Reset**."
    )


# ---------------------------------------------------------------------------- charts
@dataclass(frozen=True)
class ChartSpec:
    """One chart: its whole figure and its updates (both built only when sent), and the token
    of what it shows: a new token means the whole figure must be sent again."""

    key: str
    token: tuple
    figure: Callable[[], dict]
    updates: Callable[[], dict]
    height: int
    revision: str
    on_click: Callable[[float, float], None] | None = None
    on_pick: Callable[[int, int], None] | None = None


def chart_specs(exp: Experiment) -> list[ChartSpec]:
    frame = exp.frame()
    kept = _kept_runs(exp)
    present = classroom.presenting()
    big, small = HEIGHTS[present]
    specs = [
        _boundary(exp, frame, big),
        _network(exp, frame, big),
        _cost(exp, kept, small),
        _delta(exp, kept, small),
    ]
    return [_for_classroom(s, present) for s in specs]


def _for_classroom(spec: ChartSpec, present: bool) -> ChartSpec:
    """No mode bar (its 27 buttons would sit between Step and the sidebar in the tab order;
    the page exports the whole view instead); in presenter view, scaled in high contrast."""

    def figure(build=spec.figure):
        fig = build()
        fig = {**fig, "config": {**fig.get("config", {}), "displayModeBar": False}}
        return presenter(fig) if present else fig

    if not present:
        return replace(spec, figure=figure)
    return replace(
        spec, figure=figure, token=(*spec.token, "present"), revision=f"{spec.revision}-present"
    )


def _boundary(exp: Experiment, frame: Frame, height: int) -> ChartSpec:
    c, ds = exp.config, exp.dataset
    lo, hi = frame.value_range
    points = dict(
        train_x=ds.x_train,
        train_y=ds.y_train[0],
        test_x=ds.x_test,
        test_y=ds.y_test[0],
        show_test=c.show_test,
    )
    if frame.winner is not None:  # one output per class: the winning class and its confidence
        k = len(exp.class_names)
        # "Discretize": the winning class alone, each at full strength
        sure = np.ones_like(frame.confidence) if c.discretize else frame.confidence
        levels = fig_boundary.class_levels(frame.winner, sure)
        figure = lambda: fig_boundary.boundary_figure(  # noqa: E731
            z=levels,
            extent=exp.extent,
            value_range=(lo, hi),
            class_names=exp.class_names,
            height=height,
            live=True,
            class_map=levels,
            **points,
        )
        updates = lambda: fig_boundary.class_map_update(levels, k)  # noqa: E731
    elif ds.d == 1:
        figure = lambda: fig_boundary.curve_figure(  # noqa: E731
            grid_x=exp.grid_points[0], output=frame.output, height=height, **points
        )
        updates = lambda: fig_boundary.curve_update(frame.output)  # noqa: E731
    else:
        z = quantize(frame.output, lo, hi)
        figure = lambda: fig_boundary.boundary_figure(  # noqa: E731
            z=z,
            extent=exp.extent,
            value_range=(lo, hi),
            discretize=c.discretize,
            kind=ds.kind,
            class_names=ds.class_names or ("class 0", "class 1"),
            height=height,
            live=True,
            **points,
        )
        updates = lambda: fig_boundary.boundary_update(  # noqa: E731
            z, value_range=(lo, hi), kind=ds.kind, discretize=c.discretize
        )
    # Whatever the whole figure shows that its updates do not carry: the points, the extent,
    # the output's range and colours (the output activation), the view toggles.
    token = (
        c.data_key(),
        c.network_key(),
        exp.data_version,
        exp.extent,
        (lo, hi),
        ds.kind,
        c.show_test,
        c.discretize,
        exp.net.sizes[-1],
    )
    return ChartSpec(
        "boundary",
        token,
        figure,
        updates,
        height=height,
        revision=c.dataset,
        on_click=_on_plane_click if _draw_mode(exp) != "only look" else None,
    )


def _network(exp: Experiment, frame: Frame, big: int) -> ChartSpec:
    net = exp.net
    args = dict(
        sizes=list(net.sizes),
        w=net.w,
        b=net.b,
        neuron_stats=frame.neuron_stats,
        thumb_range=frame.thumb_range,
        dead=frame.dead,
    )
    height = min(big, max(260, fig_network.suggested_height(net.sizes, 600)))
    view = exp.config.net_view

    def pictures(first: int) -> dict[int, np.ndarray]:
        return {
            l: quantize(t, *frame.thumb_range[l]) for l, t in frame.thumbnails.items() if l >= first
        }

    # The input layer's pictures (the features over the plane) change only with what the token
    # holds, so the whole figure carries them and the frames do not.
    figure, updates, height = network_tools.network_chart(exp, args, height, pictures)
    # The labels (features, each layer's activation, the outputs' classes), the layout (sizes),
    # the input pictures (features, extent) and the view (weights or gradients) are the figure's.
    token = (
        exp.config.network_key(),
        tuple(exp.input_labels),
        tuple(network_tools.output_classes(exp).items()),
        tuple(net.activations),
        exp.extent,
        view,
    )
    return ChartSpec(
        "network",
        token,
        figure,
        updates,
        height=height,
        revision="-".join(map(str, net.sizes)) + f"-{view}",
        on_pick=network_tools.on_pick,
    )


def _tail_start(n: int) -> int:
    return max(0, n - TAIL)


MAX_KEPT = 4
DRAW_MODES = ("only look", "add class 0", "add class 1", "remove a point")
#: With K ≥ 3 classes: add points of the class chosen beside it (``draw_class``).
DRAW_MODES_MANY = ("only look", "add points", "remove a point")


def _draw_mode(exp: Experiment) -> str:
    """What a click on the plane does now, as the control for this data's K shows it."""
    if exp.dataset.kind != "classification" or exp.dataset.d != 2:
        return "only look"
    if exp.dataset.n_classes > 2:
        mode = S.get("draw_mode_k")
        return mode if mode in DRAW_MODES_MANY else "only look"
    mode = S.get("draw_mode")
    return mode if mode in DRAW_MODES else "only look"


def _drawing_controls(exp: Experiment) -> None:
    """Draw your own points: a click on the plane adds one of the chosen class or removes
    the nearest; training goes on with the same network."""
    if exp.dataset.kind != "classification" or exp.dataset.d != 2:
        return
    row = st.container(horizontal=True, vertical_alignment="center")
    k = exp.dataset.n_classes
    row.segmented_control(
        "Click on the plane to",
        DRAW_MODES if k == 2 else DRAW_MODES_MANY,
        key="draw_mode" if k == 2 else "draw_mode_k",
        default="only look",
        label_visibility="collapsed",
        help="Click on the plane to add a point of a class, or to remove the nearest point.",
    )
    if k > 2 and S.get("draw_mode_k") == "add points":
        if S.get("draw_class") not in range(k):  # chosen with more classes, or forged
            S.draw_class = 0
        row.selectbox(
            "of class",
            range(k),
            key="draw_class",
            format_func=partial(_class_option, names=exp.class_names),
            width=170,
            label_visibility="collapsed",
        )
    if exp.config.dataset == CUSTOM and S.get("drawn_from"):
        row.button("Back to the generated points", key="undraw", on_click=_undraw)


def _on_plane_click(x1: float, x2: float) -> None:
    exp: Experiment = S.exp
    mode = _draw_mode(exp)
    if exp.config.dataset != CUSTOM:
        S.drawn_from = exp.config.dataset
    try:
        if mode == "remove a point":
            exp.remove_point(x1, x2)
        elif mode in DRAW_MODES[1:3]:
            exp.add_point(x1, x2, DRAW_MODES.index(mode) - 1)
        elif mode == "add points":
            exp.add_point(x1, x2, S.get("draw_class", 0))  # a forged class: add_point refuses
    except ValueError as e:
        S.draw_message = f"That click changed nothing: {clip(e)}."
        return
    S.pending_config = exp.config  # the sidebar shows "your data" on the next full run


def _class_option(k: int, *, names: tuple[str, ...]) -> str:
    """A class in the picker: its shape and name (plain text; a file's name is clipped)."""
    return f"{class_shape(k)} {clip(names[k], 24) if k < len(names) else k}"


def _undraw() -> None:
    exp: Experiment = S.exp
    S.pending_config = replace(exp.config, dataset=S.pop("drawn_from"))
    exp.custom = None


def _keep_buttons() -> None:
    row = st.container(horizontal=True, vertical_alignment="center")
    row.button(
        "Keep this run to compare",
        key="keep_run",
        on_click=_keep,
        help="Freeze these curves; the next runs are drawn over them.",
    )
    if S.get("kept_runs"):
        row.button("Forget kept runs", key="forget_runs", on_click=_forget_runs)
        row.caption(f"{len(S.kept_runs)} kept run(s), drawn thin and dashed under the live ones.")


def _forget_runs() -> None:
    S.kept_runs.clear()


def _keep() -> None:
    exp: Experiment = S.exp
    if exp.trainer.steps:
        kept = S.setdefault("kept_runs", [])
        kept.append({"config": exp.config, **exp.trainer.history.as_dict()})
        del kept[:-MAX_KEPT]


def _kept_runs(exp: Experiment) -> list[dict]:
    """Kept runs labelled by what differed from the current settings."""
    out = []
    for i, run in enumerate(S.get("kept_runs", []), start=1):
        label = f"run {i}: {describe_difference(run['config'], exp.config)}"
        layers = range(2, len(run["config"].sizes) + 1)
        out.append(
            {
                "label": label,
                "steps": run["step"],
                "cost_train": run["cost_train"],
                "cost_test": run["cost_test"],
                "grad_b": {l: run[f"grad_b_{l}"] for l in layers},
                "delta_rms": {l: run[f"delta_rms_{l}"] for l in layers},
                "norm_w": {l: run[f"norm_w_{l}"] for l in layers},
            }
        )
    return out


def _cost(exp: Experiment, kept: list[dict], height: int) -> ChartSpec:
    h = exp.trainer.history
    series = dict(
        steps=h.column("step"),
        cost_train=h.column("cost_train"),
        cost_test=h.column("cost_test") if exp.trainer.x_test is not None else None,
    )
    log_y = S.get("cost_log") is True  # a forged toggle value is "off"
    figure = lambda: fig_curves.cost_figure(  # noqa: E731
        log_y=log_y, height=height, kept_runs=kept, cost=exp.config.cost, **series
    )
    updates = lambda: fig_curves.cost_update(log_y=log_y, start=_tail_start(len(h)), **series)  # noqa: E731
    token = (exp.config.network_key(), exp.config.data_key(), h.stride, log_y, _labels(kept))
    return ChartSpec("cost", token, figure, updates, height=height, revision=f"cost-{log_y}")


def _labels(kept: list[dict]) -> tuple:
    return tuple(k["label"] for k in kept)


def _delta(exp: Experiment, kept: list[dict], height: int) -> ChartSpec:
    h, L, view = exp.trainer.history, exp.net.L, exp.config.delta_view
    series = dict(
        steps=h.column("step"),
        grad_b={l: h.column(f"grad_b_{l}") for l in range(2, L + 1)},
        delta_rms={l: h.column(f"delta_rms_{l}") for l in range(2, L + 1)},
        norm_w={l: h.column(f"norm_w_{l}") for l in range(2, L + 1)},
        view=view,
    )
    figure = lambda: fig_curves.delta_figure(height=height, kept_runs=kept, **series)  # noqa: E731
    updates = lambda: fig_curves.delta_update(start=_tail_start(len(h)), **series)  # noqa: E731
    token = (exp.config.network_key(), exp.config.data_key(), h.stride, view, _labels(kept))
    return ChartSpec("delta", token, figure, updates, height=height, revision=f"delta-{L}-{view}")
