"""A Plotly chart redrawn in place: one plotly.js div per key, kept while the page lives.

``st.plotly_chart`` remounts a chart whenever its figure changes (its element id hashes the
figure), which blanks frames and loses zoom. Here two ``st.components.v2`` components carry JSON
messages (UTF-8 bytes) to ``static/live_chart.js``, which keeps each chart's div and redraws it
with ``Plotly.react``. The protocol, in full:

- ``live_chart`` mounts a chart: its own element, drawn on full runs, sends the whole figure,
  ``{"key", "rev", "seq", "height", "figure": {"data", "layout", "config"}, "clicks"}``, and
  the browser answers through the element's triggers "click" (``{x, y}`` in data coordinates of
  the first axes, for ``on_click``) and "resync" (below).
- ``live_feed`` carries every later message of every chart, and Play's tick: one element,
  drawn in a fragment, one message per run, ``{"key", "seq", "frames": [{"charts": [...],
  "html"}, ...], "tick"}``. A chart message (``chart_message``) is addressed by key:
  ``{"key", "rev", "seq", "height"}`` and either "figure" (whole) or "updates"
  (``{"<trace index>": {"<attribute path>": value, "start": n}}``) and/or "relayout"
  (``{"<layout path>": value}``, drawn by Plotly.relayout without redrawing traces). The browser
  shows the first frame at once and spreads the others over the time until the next message.
- rev, the layout revision: a figure with a new rev is drawn with its own layout (zoom resets);
  a figure or an update with the chart's current rev keeps the user's zoom and pan.
- seq: 1, 2, 3, … per element and session, the order of its messages.
- An update replaces whole values; with "start": n its arrays are the series from index n on
  (the browser keeps its first n points), so an append-only series re-sends an overlap and a
  lost update heals itself. "start" (0 included) marks a growing series: its chart gets axes
  with headroom and, while the points fit them, only its lines redrawn (live_chart.js,
  "Growing series").
- resync: Streamlit may drop a message (a newer run clears unsent ones; a newer message of an
  element replaces a pending one). A chart that cannot apply an update (no figure yet, another
  rev, a gap before "start") raises its element's "resync" trigger, at most once a second; the
  rerun that causes sends its whole figure: from ``live_chart`` on a full run, from
  ``chart_message`` in the feed when only the fragment reruns.
- tick: while the feed's message has "tick": s, the browser asks for the next run (the feed's
  "tick" trigger reruns the fragment) as soon as a message has arrived but no sooner than s
  after its last request, and asks again after 2 s without a message: Play as a closed loop,
  which a busy server slows down instead of queuing frames it must then drop. The trigger's
  value is ``{"seq", "at", "fps"}``, fps being the frames a second the browser has been
  drawing (null until measured; ``ui/web/live.py`` sizes the runs by it).
- Order: an update whose seq is not above the last message the chart received is stale (a
  queued Play frame behind a whole figure) and is dropped; a whole figure always applies. A
  message without "tick" (paused) drops the frames still queued.

Arrays travel as plotly's typed-array specs (``ui.figures.encode.typed``).

Assets: the components' inline JS is a stub (it travels with every message) that imports
``static/live_chart.js`` and loads ``plotly.min.js``, both read where they lie: the repository's
``static/`` folder and the installed plotly package's own copy (the same version as the Python
side; no copy in git, nothing written into the checkout, so a read-only folder serves them and
the first request finds them). Streamlit serves a folder given to
``components.v1.declare_component(name, path=folder)`` at ``component/<module>.<name>/<file>``;
these two "components" are never rendered, only their folders served (``ASSET_PATHS``). That
route sends no cache validator, so ``live_chart.js`` fetches plotly.js with the browser's cache.
"""

from __future__ import annotations

import functools
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


@functools.lru_cache(maxsize=8)
def _static_tag(name: str) -> str:
    return hashlib.sha256((_STATIC / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """The URL (relative to the app's base URL) of ``static/<name>``, tagged with its content's
    hash like ``live_chart.js`` (``ui/web/classroom.py`` loads its module from there)."""
    _ensure_assets()
    return f"component/{_module_assets.name}/{name}?v={_static_tag(name)}"


def module_component(name: str) -> Any:
    """A ``st.components.v2`` component whose inline JS only imports the module its data name
    (``{"module": static_url(...)}``, JSON bytes) and hands it the component: ``setup(component)``
    runs in ``static/<module>`` (``ui/web/classroom.py``, ``ui/web/downloads.py``)."""
    stub = f"""
export default async function (component) {{
  const raw = component.data;
  const data = JSON.parse(raw instanceof Uint8Array ? new TextDecoder().decode(raw) : raw);
  const mod = await {import_js('"./" + data.module')};
  return mod.setup(component);
}}
"""
    return st.components.v2.component(name, js=stub, isolate_styles=False)


def import_js(url: str) -> str:
    """JS for the module at ``url`` (an expression, relative to the page, with a "?v=" tag),
    imported once per page and URL, and tried again while it fails. A browser keeps a failed
    import for good: a worker that has not run a session yet answers 404 for the asset folders
    (they are registered by a session's first run), and a browser that fails over to it, or
    reconnects to a restarted one, would show no chart until a reload. Retries use another URL
    ("&retry=i"), 0.25 … 4 s apart, about 20 s in all; then the next render starts again."""
    return (
        f"(async (u) => {{ const m = (window.__pgModules ??= {{}}); return (m[u] ??= (async () => "
        "{ for (let i = 0; ; i++) { try { return await import(i ? `${u}&retry=${i}` : u); } "
        "catch (e) { if (i > 7) { delete m[u]; throw e; } "
        "await new Promise((r) => setTimeout(r, 250 << Math.min(i, 4))); } } })()); })"
        f"(new URL({url}, document.baseURI).href)"
    )


_STUB_JS = f"""
export default async function (component) {{
  const mod = await {import_js(f'"./{_MODULE_URL}"')};
  return mod.update(component, new URL("./{_PLOTLY_URL}", document.baseURI).href);
}}
"""

_FEED_STUB_JS = f"""
export default async function (component) {{
  const mod = await {import_js(f'"./{_MODULE_URL}"')};
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
    on_click: Callable[[float, float], None] | None = None,
    on_pick: Callable[[int, int], None] | None = None,
) -> None:
    """Mount chart ``key`` with its whole ``figure``; ``live_feed`` sends its later messages.

    figure:   a figure dict ``{"data", "layout", "config"?}`` or a callable returning one.
    key:      one chart per key; the element never remounts while the key stays on the page.
    height:   pixels.
    revision: the layout revision. Change it when the layout must be redrawn as sent (new axes,
              titles, data set); keep it while only data changes, so user zoom survives.
    on_click: called as on_click(x, y) in data coordinates when the plot area is clicked (a
              callback: it runs before the rerun that the click causes).
    on_pick:  called as on_pick(trace, point) when a hovered point is clicked (plotly_click:
              trace index and point index, e.g. a link of the network diagram); a callback.
    """
    _ensure_assets()
    _charts()["resync"].discard(key)  # this whole figure is the resync
    message = chart_message(figure, key=key, height=height, revision=revision, updates=None)
    message["clicks"] = on_click is not None
    message["picks"] = on_pick is not None
    element = f"live_chart_{key}"
    callbacks = {"on_resync_change": partial(_request_resync, key)}
    if on_click is not None:
        callbacks["on_click_change"] = partial(_clicked, element, on_click)
    if on_pick is not None:
        callbacks["on_pick_change"] = partial(_picked, element, on_pick)
    _component(key=element, data=dumps(message), height=height, **callbacks)


def chart_message(
    figure: Figure | Callable[[], Figure],
    *,
    key: str,
    height: int,
    revision: int | str,
    updates: TraceUpdates | None,
) -> dict[str, Any]:
    """The message for chart ``key`` (arguments as in ``live_chart``): its whole figure when
    ``updates`` is None or the browser asked for a resync, else the updates
    (``{trace index: {attribute path: value, "start"?: n}, "layout": {layout path: value}}``)."""
    if not isinstance(height, int) or height <= 0:
        raise ValueError(f"height must be a positive int (pixels), got {height!r}")
    charts = _charts()
    seq = _next_seq(f"chart {key}", charts)
    message: dict[str, Any] = {"key": key, "rev": str(revision), "seq": seq, "height": height}
    resync = key in charts["resync"]
    charts["resync"].discard(key)
    if updates is None or resync:
        message["figure"] = _figure_dict(figure() if callable(figure) else figure)
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
    slow_ms: int | None = None,
    pause_key: str | None = None,
    generation: int = 0,
) -> None:
    """Send the frames of one run to the charts on the page, in one element.

    frames: ``[{"charts": [message, ...], "html": str}, ...]``, the messages from
    ``chart_message``. Each chart is mounted by its own ``live_chart`` element (on a full run,
    outside the fragment); the feed, inside the fragment, sends the messages of all of them in
    one element: one message for Streamlit to enqueue and send, one element for the browser to
    render, instead of one per chart; a run that computed several frames pays Streamlit's fixed
    cost once. ``html`` is shown in the feed's place (the numbers). A chart the browser does not
    have yet ignores its part. tick: seconds; while given, the browser asks for the next run
    (Play; see the module docstring). slow_ms: play the frames marked ``"slow": True`` (a
    slow-motion Step's phases) this many ms apart, and the next one after as long; a click on any
    button, or the Skip button in a slow frame's html, shows the last frame at once.
    pause_key: while playing, the Streamlit key of the Pause button: a click on it stops the
    frames in the browser at once (static/live_chart.js ``freeze``), and a message of the same
    ``generation`` (the Play/Pause clicks counted so far) that still says "playing" is not shown.
    """
    _ensure_assets()
    seq = _next_seq(f"feed {key}")
    message: dict[str, Any] = {"key": key, "seq": seq, "frames": [dict(f) for f in frames]}
    if tick is not None:
        message["tick"] = float(tick)
    if slow_ms is not None:
        message["slowMs"] = int(slow_ms)
    if pause_key is not None:
        message["pauseKey"] = pause_key
    message["gen"] = int(generation)
    _feed_component(key=f"live_feed_{key}", data=dumps(message), on_tick_change=_next_frame)


def feed_html(element_bytes: bytes) -> str | None:
    """The HTML a feed element shows after its last frame (tests read the numbers from it)."""
    try:
        frames = json.loads(element_bytes).get("frames") or [{}]
        return frames[-1].get("html")
    except (ValueError, AttributeError):
        return None


def _charts() -> dict[str, Any]:
    """This session's bookkeeping of its live charts, ONE entry of st.session_state: the
    numbers of each element's messages ("seq") and the charts whose browser asked for their
    whole figure ("resync"). A Play frame reads it for every chart, and each access to
    st.session_state costs microseconds (a write about 20), so a plain dict is read once and
    changed in place (benchmarks/frame_cost.py)."""
    charts = st.session_state.get(_CHARTS)
    if not isinstance(charts, dict):
        charts = st.session_state[_CHARTS] = {"seq": {}, "resync": set()}
    return charts


_CHARTS = "_live_charts"


def _next_seq(name: str, charts: dict[str, Any] | None = None) -> int:
    """1, 2, 3, … per session: the order of an element's messages."""
    numbers = (charts or _charts())["seq"]
    numbers[name] = seq = numbers.get(name, 0) + 1
    return seq


def _next_frame() -> None:
    """Nothing to do here: the fragment's rerun that the feed's tick causes is the next frame."""


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


def _picked(element: str, on_pick: Callable[[int, int], None]) -> None:
    """The browser reported a click on point {"point"} of trace {"trace"}; the values are
    passed on as sent (only ints), for ``on_pick`` to check against its figure."""
    state = st.session_state.get(element)
    value = getattr(state, "pick", None) if state is not None else None
    if value is None and isinstance(state, Mapping):
        value = state.get("pick")
    if not isinstance(value, Mapping):
        return  # a malformed event changes nothing
    trace, point = value.get("trace"), value.get("point")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in (trace, point)):
        on_pick(trace, point)


def dumps(message: Any) -> bytes:
    """`message` as compact JSON bytes, numpy arrays as plotly typed-array specs, a float that
    is NaN or ±inf as null.

    A frame's message has no such float nearly always: it is written as it is, numpy values
    converted where the encoder meets them (`_json_default`); only when that fails on a
    non-finite float is the whole message walked and converted first (`_jsonable`), which
    costs several times more."""
    try:
        text = json.dumps(message, separators=(",", ":"), allow_nan=False, default=_json_default)
    except ValueError:  # NaN or ±inf somewhere
        text = json.dumps(_jsonable(message), separators=(",", ":"), allow_nan=False)
    return text.encode()


def _json_default(value: Any) -> Any:
    if isinstance(value, (np.ndarray, np.generic)):
        return _jsonable(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _request_resync(key: str) -> None:
    _charts()["resync"].add(key)


def _figure_dict(fig: Any) -> dict[str, Any]:
    if not isinstance(fig, Mapping) or "data" not in fig:
        raise TypeError(f"figure must be a dict with 'data', got {type(fig).__name__}")
    out = {"data": fig["data"], "layout": fig.get("layout", {})}
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
