"""A stand-in page for measuring ui.web.live_chart: three live charts, a Play switch and Step.

    python -m streamlit run benchmarks/live_chart_demo.py      (from the repository root)

Query parameters: `tick` (seconds between frames while playing, default 0.05) and `mode`
(`updates`, the default: fragment runs send per-trace updates; `full`: every run sends the
whole figure, for comparison). The pictures are synthetic: a drifting 100x100 field drawn as a
uint8 heatmap with 500 fixed points on top, 500 points that move, and a growing cost curve.
"""

import sys
from pathlib import Path

import numpy as np
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ui.figures.encode import quantize
from ui.web.live_chart import live_chart, tail_update

GRID = 100
POINTS = 500
COST_OVERLAP = 50  # points re-sent with every cost update, so lost updates are refilled

st.set_page_config(page_title="live_chart demo", layout="wide")

params = st.query_params
tick = min(max(float(params.get("tick", "0.05")), 0.02), 2.0)
send_full = params.get("mode", "updates") == "full"

state = st.session_state
if "step" not in state:
    rng = np.random.default_rng(0)
    state.step = 0
    state.playing = False
    state.points = rng.uniform(-1, 1, size=(2, POINTS)).astype(np.float32)
    state.cost_x = []
    state.cost_y = []

axis = np.linspace(-1, 1, GRID, dtype=np.float32)
X, Y = np.meshgrid(axis, axis)


def advance() -> None:
    state.step += 1
    t = state.step
    state.cost_x.append(t)
    state.cost_y.append(float(np.exp(-t / 80) + 0.05 * np.sin(t / 3)))


def field(t: int) -> np.ndarray:
    return np.sin(3 * X + 0.11 * t) * np.cos(2 * Y - 0.07 * t)


def moving_points(t: int) -> np.ndarray:
    angle = 0.03 * t
    rotation = np.array(
        [[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], dtype=np.float32
    )
    return rotation @ state.points


def heatmap_figure() -> dict:
    z = quantize(field(state.step), -1, 1)
    return {
        "data": [
            {"type": "heatmap", "x": axis, "y": axis, "z": z, "zmin": 0, "zmax": 255,
             "colorscale": "RdBu", "showscale": False, "hoverinfo": "skip"},
            {"type": "scatter", "mode": "markers", "x": state.points[0], "y": state.points[1],
             "marker": {"size": 5, "color": "#1a1c23"}, "hoverinfo": "skip"},
        ],
        "layout": {"template": "plotly_white", "margin": {"l": 40, "r": 10, "t": 30, "b": 30},
                   "title": {"text": "Boundary"}, "xaxis": {"range": [-1, 1]},
                   "yaxis": {"range": [-1, 1], "scaleanchor": "x"}},
    }  # fmt: skip


def scatter_figure() -> dict:
    p = moving_points(state.step)
    return {
        "data": [{"type": "scatter", "mode": "markers",
                  "x": p[0], "y": p[1], "marker": {"size": 5, "color": "#1f5fbf"}}],
        "layout": {"template": "plotly_white", "margin": {"l": 40, "r": 10, "t": 30, "b": 30},
                   "title": {"text": "Hidden layer"}, "xaxis": {"range": [-1.5, 1.5]},
                   "yaxis": {"range": [-1.5, 1.5]}},
    }  # fmt: skip


def cost_figure() -> dict:
    x = np.asarray(state.cost_x, dtype=np.float32)
    y = np.asarray(state.cost_y, dtype=np.float32)
    return {
        "data": [{"type": "scatter", "mode": "lines", "x": x, "y": y,
                  "line": {"color": "#c0392b"}}],
        "layout": {"template": "plotly_white", "margin": {"l": 40, "r": 10, "t": 30, "b": 30},
                   "title": {"text": "Cost"}, "xaxis": {"title": {"text": "step"}}},
    }  # fmt: skip


st.title("live_chart demo")
# Play is a switch, not a button that flips a flag: in Streamlit 1.67 a button click outside a
# run_every fragment can reach the script twice (a timer tick and the full rerun), or be
# replayed a run later, and a flip then undoes itself. A switch sends its value, not a click.
state.playing = st.toggle("Play", key="play_switch")
state.full_run = True  # this run is a full run; fragment-only runs do not pass here


@st.fragment(run_every=tick if state.playing else None)
def live() -> None:
    full_run = state.pop("full_run", False)
    stepped = st.button("Step", key="step_button")
    if not (full_run or stepped or state.playing):
        # A timer tick after Play was switched off. A few ticks queued in the browser are
        # normal, but the browser can also miss the full run that switched the timer off
        # (when a tick runs right behind it) and tick on. A full rerun resynchronises it.
        st.rerun()
    if stepped or state.playing:
        advance()
    full = send_full or full_run
    st.markdown(f"step **{state.step}**")
    columns = st.columns(3)
    with columns[0]:
        live_chart(
            heatmap_figure,
            key="heatmap",
            height=360,
            revision="heatmap",
            updates=None if full else {0: {"z": quantize(field(state.step), -1, 1)}},
        )
    with columns[1]:
        p = moving_points(state.step)
        live_chart(
            scatter_figure,
            key="scatter",
            height=360,
            revision="scatter",
            updates=None if full else {0: {"x": p[0], "y": p[1]}},
        )
    with columns[2]:
        x = np.asarray(state.cost_x, dtype=np.float32)
        y = np.asarray(state.cost_y, dtype=np.float32)
        live_chart(
            cost_figure,
            key="cost",
            height=360,
            revision="cost",
            updates=None if full else {0: tail_update(x, y, overlap=COST_OVERLAP)},
        )


live()
