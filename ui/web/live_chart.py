"""A Plotly chart that updates in place: one persistent plotly.js div per key.

`st.plotly_chart` remounts the chart whenever the figure changes (its element id hashes the
figure), which blanks frames and loses zoom. `live_chart` mounts a `st.components.v2` component
once per key instead; each call sends a message, and the browser redraws the same div with
`Plotly.react`.

Protocol (one JSON message per call, sent as UTF-8 bytes):

    {"key", "rev", "seq", "height", "figure": {"data", "layout", "config"}}   a full figure
    {"key", "rev", "seq", "height", "updates": {"<trace index>": {...}}}     per-trace updates
    {"key", "rev", "seq", "height", "relayout": {"<layout path>": value}}     layout changes

- `rev` is the layout revision. A figure with a new `rev` is drawn with its own layout (zoom
  resets). A figure or an update with the browser's current `rev` is drawn with the chart's
  *current* layout, `Plotly.react(div, data, div.layout)`, so zoom and pan survive.
- An update maps attribute paths to values, e.g. `{"z": z}` or `{"marker.color": c}`, and
  replaces them whole. With `"start": n`, its arrays are the series from index n on: the
  browser keeps its first n points and puts these after them (an append-only series re-sends
  an overlap, see `tail_update`).
- A feed (`live_feed`) is one more element, for charts already on the page: one message per
  run, `{"key", "seq", "frames": [{"charts": [chart message, ...], "html"}, ...], "tick"}`.
  Its chart messages are those above, addressed by `key`; the browser shows the first frame at
  once and spreads the others over the time until the next message. In the browser, an update
  that repeats an array the chart holds, or only changes `customdata` (read by hover labels
  alone), costs no Plotly redraw.
- Streamlit may drop a message (a newer run clears unsent ones, and a newer update of the
  element replaces a pending one). Whole values and overlapping tails make a lost update
  harmless. When the browser cannot apply one (no figure yet, another `rev`, a gap before
  `start`), it raises the trigger `resync`, which reruns the script or fragment; that call then
  sends the full figure instead of its updates. `figure` may be a zero-argument callable, so the
  figure is only built when it is sent.

Arrays: numpy arrays travel as plotly's typed-array specs `{"dtype", "bdata", "shape"}`
(base64). float32 halves float64; a heatmap z quantised by `ui.figures.encode.quantize` (with
zmin=0, zmax=255) is the cheapest.

Assets: the component's inline JS is a stub (it travels with every message) that imports
`static/live_chart.js` and loads `plotly.min.js`, both read where they lie: the repository's
`static/` folder and the installed plotly package's own copy (the same version as the Python
side; no 4.7 MB file in git, nothing written into the checkout, so a read-only folder serves
them and the first request finds them). Streamlit serves a folder given to
`components.v1.declare_component(name, path=folder)` at `component/<module>.<name>/<file>`;
these two "components" are never rendered, only their folders served (`ASSET_PATHS`). Neither
`server.enableStaticServing` nor a main script next to `static/` is needed. That route sends no
cache validator, so a page reload fetches them again (benchmarks/README.md has the cost).
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import plotly
import streamlit as st
import streamlit.components.v1 as components_v1
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from ui.figures.encode import typed

_STATIC = Path(__file__).resolve().parents[2] / "static"
_MODULE_JS = _STATIC / "live_chart.js"
_PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"


def _declare_asset_folders() -> tuple[Any, Any]:
    """Register the two asset folders with the running server (no-op outside a script run)."""
    return (
        components_v1.declare_component("live_chart_js", path=_STATIC),
        components_v1.declare_component("plotly_js", path=_PLOTLY_DIR),
    )


_module_assets, _plotly_assets = _declare_asset_folders()

# Version tags in the URLs, so a browser never runs a cached module from an older deploy.
_MODULE_URL = (
    f"component/{_module_assets.name}/live_chart.js"
    f"?v={hashlib.sha256(_MODULE_JS.read_bytes()).hexdigest()[:12]}"
)
_PLOTLY_URL = f"component/{_plotly_assets.name}/plotly.min.js?v={plotly.__version__}"
ASSET_PATHS = (_MODULE_URL, _PLOTLY_URL)  # relative to the app's base URL

_STUB_JS = f"""
export default async function (component) {{
  const mod = await import(new URL("./{_MODULE_URL}", document.baseURI).href);
  return mod.update(component, new URL("./{_PLOTLY_URL}", document.baseURI).href);
}}
"""

_FEED_STUB_JS = f"""
export default async function (component) {{
  const mod = await import(new URL("./{_MODULE_URL}", document.baseURI).href);
  return mod.feed(component);
}}
"""

_component = st.components.v2.component("live_chart", js=_STUB_JS, isolate_styles=False)
_feed_component = st.components.v2.component("live_feed", js=_FEED_STUB_JS, isolate_styles=False)

Figure = Mapping[str, Any]
TraceUpdates = Mapping[int, Mapping[str, Any]]


def live_chart(
    figure: Figure | Callable[[], Figure],
    *,
    key: str,
    height: int,
    revision: int | str,
    updates: TraceUpdates | None = None,
    on_click: Callable[[float, float], None] | None = None,
    tick: float | None = None,
) -> None:
    """Draw `figure` in a chart that keeps its div (and zoom) across updates.

    figure:   a plotly figure, a figure dict (`fig.to_plotly_json()`), or a callable returning
              one. Sent when `updates` is None, or when the browser asks for a resync.
    key:      one chart per key; the element never remounts while the key stays on the page.
    height:   pixels.
    revision: the layout revision. Change it when the layout must be redrawn as sent (new axes,
              titles, data set); keep it while only data changes, so user zoom survives.
    updates:  {trace index: {attribute path: value, optional "start": n}} to send instead of
              the figure (see the module docstring); the key "layout" holds layout changes
              ({"images[0].source": …}), drawn by Plotly.relayout without redrawing traces.
    on_click: called as on_click(x, y) in data coordinates when the plot area is clicked (a
              callback: it runs before the rerun that the click causes).
    tick:     seconds; while given, the browser asks for the next frame (a rerun of the
              enclosing fragment) once it has drawn this one and ``tick`` seconds have passed
              since it last asked: Play as a closed loop, which a busy server slows down
              instead of drowning in frames it computes and then drops.
    """
    _ensure_assets()
    message = chart_message(figure, key=key, height=height, revision=revision, updates=updates)
    message["clicks"] = on_click is not None
    if tick is not None:
        message["tick"] = float(tick)
    element = f"live_chart_{key}"
    callbacks = {
        "on_resync_change": partial(_request_resync, _resync_flag(key)),
        "on_tick_change": _next_frame,  # the rerun it causes is the next frame
    }
    if on_click is not None:
        callbacks["on_click_change"] = partial(_clicked, element, on_click)
    _component(key=element, data=dumps(message), height=height, **callbacks)


def chart_message(
    figure: Figure | Callable[[], Figure],
    *,
    key: str,
    height: int,
    revision: int | str,
    updates: TraceUpdates | None = None,
) -> dict[str, Any]:
    """The message for chart `key` (arguments as in `live_chart`): its whole figure when
    `updates` is None or the browser asked for a resync, else the updates. `live_chart` sends
    it in the chart's own element; `live_feed` sends several in one element."""
    if not isinstance(height, int) or height <= 0:
        raise ValueError(f"height must be a positive int (pixels), got {height!r}")
    seq = _next_seq(f"_live_chart_seq_{key}")
    message: dict[str, Any] = {"key": key, "rev": str(revision), "seq": seq, "height": height}
    if updates is None or st.session_state.pop(_resync_flag(key), False):
        fig = figure() if callable(figure) else figure
        message["figure"] = _figure_dict(fig)
    else:
        traces = {str(int(i)): dict(u) for i, u in updates.items() if i != "layout"}
        if traces:
            message["updates"] = traces
        if "layout" in updates:
            message["relayout"] = dict(updates["layout"])
    return message


def live_feed(
    frames: Sequence[Mapping[str, Any]],
    *,
    key: str,
    tick: float | None = None,
) -> None:
    """One element that carries chart messages to charts already on the page, frame by frame.

    frames: ``[{"charts": [message, ...], "html": str}, ...]``, the messages from
    `chart_message`. Each chart is mounted by its own `live_chart` element (for example on a
    full run, outside a fragment); the feed, inside the fragment, then sends the updates of all
    of them in one element: one message for Streamlit to enqueue and send, one element for the
    browser to render, instead of one per chart. The browser draws the first frame at once and
    spreads the others over the time until the next message, so a run that computed several
    frames pays Streamlit's fixed cost once. `html` is shown in the feed's place (the numbers).
    A chart the browser does not have yet ignores its part; one that cannot apply it asks for a
    resync through its own element. `tick` as in `live_chart`.
    """
    _ensure_assets()
    seq = _next_seq(f"_live_feed_seq_{key}")
    message: dict[str, Any] = {"key": key, "seq": seq, "frames": [dict(f) for f in frames]}
    if tick is not None:
        message["tick"] = float(tick)
    _feed_component(key=f"live_feed_{key}", data=dumps(message), on_tick_change=_next_frame)


def feed_html(element_bytes: bytes) -> str | None:
    """The HTML a feed element shows after its last frame (tests read the numbers from it)."""
    try:
        frames = json.loads(element_bytes).get("frames") or [{}]
        return frames[-1].get("html")
    except (ValueError, AttributeError):
        return None


def _next_seq(name: str) -> int:
    """1, 2, 3, … per session: the order of an element's messages."""
    seq = st.session_state.get(name, 0) + 1
    st.session_state[name] = seq
    return seq


def _resync_flag(key: str) -> str:
    return f"_live_chart_resync_{key}"


def _next_frame() -> None:
    """Nothing to do here: the fragment's rerun that the tick causes draws the next frame."""


def _clicked(element: str, on_click: Callable[[float, float], None]) -> None:
    """The browser reported a click at {"x", "y"} (data coordinates of the first axes)."""
    state = st.session_state.get(element)
    value = getattr(state, "click", None) if state is not None else None
    if value is None and isinstance(state, Mapping):
        value = state.get("click")
    try:
        x, y = float(value["x"]), float(value["y"])
    except (TypeError, KeyError, ValueError):
        return  # a malformed event changes nothing
    if math.isfinite(x) and math.isfinite(y):
        on_click(x, y)


def tail_update(x: Any, y: Any, *, overlap: int) -> dict[str, Any]:
    """The last `overlap` points of an append-only series (x, y), tagged with their start index.

    Re-sending an overlap lets the browser fill in points whose message was lost; choose it
    larger than the points added between two updates.
    """
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    if overlap < 1:
        raise ValueError(f"overlap must be >= 1, got {overlap}")
    start = max(0, len(y) - overlap)
    return {"x": x[start:], "y": y[start:], "start": start}


def dumps(message: Any) -> bytes:
    """`message` as compact JSON bytes, numpy arrays as plotly typed-array specs."""
    return json.dumps(_jsonable(message), separators=(",", ":"), allow_nan=False).encode()


def _request_resync(flag: str) -> None:
    st.session_state[flag] = True


def _figure_dict(fig: Any) -> dict[str, Any]:
    if hasattr(fig, "to_plotly_json"):
        fig = fig.to_plotly_json()
    if not isinstance(fig, Mapping) or "data" not in fig:
        raise TypeError(
            f"figure must be a plotly figure or a dict with 'data', got {type(fig).__name__}"
        )
    layout = fig.get("layout", {})
    if isinstance(layout.get("template"), str):
        # plotly.js knows no template names: expand "plotly_white" as plotly.py would.
        import plotly.io as pio

        layout = {**layout, "template": pio.templates[layout["template"]].to_plotly_json()}
    out = {"data": fig["data"], "layout": layout}
    if "config" in fig:
        out["config"] = fig["config"]
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        try:
            return typed(value, None)
        except ValueError:  # no typed array for it (bool, text, 3-D): a JSON list
            return _jsonable(value.tolist())
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None  # JSON has no NaN; plotly reads a gap
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    return value


# ---------------------------------------------------------------------------------------------
# Asset folders

_assets_lock = threading.Lock()
_assets_runtime: Runtime | None = None  # the server the folders were last registered with


def _ensure_assets() -> None:
    """Register the asset folders with this server once; every frame pays one comparison.

    Importing this module inside a script run registers them already; this covers an import
    that happened before the server existed, or another server in the same process (tests).
    """
    global _assets_runtime
    if not Runtime.exists() or Runtime.instance() is _assets_runtime:
        return
    if get_script_run_ctx(suppress_warning=True) is None:
        return
    with _assets_lock:
        _declare_asset_folders()
        _assets_runtime = Runtime.instance()
