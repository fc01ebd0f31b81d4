"""The classroom around every page: presenter view, the page's CSS, keyboard shortcuts, the
charts' accessible names, the Playground's whole-view PNG and absolute links for hand-outs.

- Presenter view (``present=true`` in a link, or the sidebar's toggle) holds for the whole
  session, on every page: larger text, high contrast (``PRESENTER_CSS``), every chart scaled by
  ``ui.figures.present``.
- ``hide=nav`` in a link hides the page navigation for the session (a demo stays on its page);
  ``hide=buttons`` hides Step, Play and Reset (``ui.config.SECTIONS["page"]``).
- ``static/classroom.js`` (one small component per page) does what only the browser can: the
  shortcuts S, P and R, the charts' ``role="img"`` names, and the PNG of the whole view.
- Links are absolute: the host is known only to the browser, which reports it
  (``st.context.url``).

All the page CSS lives in ``CSS`` and ``PRESENTER_CSS``, here.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from ui.config import HIDEABLE, SECTIONS, ViewOptions, view_from_query
from ui.web.live_chart import module_component, static_url

S = st.session_state

# Every page. Less empty space above the title, so that the Playground's four charts fit on a
# 1366×768 laptop; equations scroll within themselves on a phone instead of widening the page;
# a class that hides text from the eye but not from a screen reader.
CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 3rem; }
.katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.1rem 0; }
[data-testid="stMarkdownContainer"] .katex { white-space: nowrap; }
.pg-sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
.pg-shortcuts { font-size: 0.875rem; color: rgba(49, 51, 63, 0.75); }
.pg-shortcuts kbd { border: 1px solid #999; border-bottom-width: 2px; border-radius: 4px;
  padding: 0 0.35em; font-family: inherit; font-size: 0.85em; background: #fafafa; }
.pg-export button { font: inherit; padding: 0.35rem 0.8rem; border-radius: 0.5rem;
  border: 1px solid rgba(49, 51, 63, 0.3); background: #fff; cursor: pointer; }
.pg-export button:hover { border-color: #0a5ea8; color: #0a5ea8; }
.pg-export button:focus-visible { outline: 2px solid #0a5ea8; outline-offset: 2px; }
.pg-export button:disabled, .pg-export button[aria-disabled="true"] {
  opacity: 0.6; cursor: progress; }
.pg-downloads { display: flex; flex-direction: column; align-items: stretch; gap: 0.5rem; }
[class*="st-key-narrow-"] { display: none; }
@media (max-width: 640px) {
  [class*="st-key-narrow-"] { display: flex; }
  [class*="st-key-wide-"] { display: none; }
  [data-testid="stMainBlockContainer"] { padding-left: 0.9rem; padding-right: 0.9rem; }
  h1 { font-size: 2rem !important; }
}
</style>"""

# Presenter view: text in rem grows with the root size; black text on white; a sidebar wide
# enough for its labels at that size.
PRESENTER_CSS = """<style>
html { font-size: 21px !important; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
[data-testid="stSidebar"] { min-width: 440px !important; max-width: 440px !important; }
[data-testid="stSidebarUserContent"] { padding-left: 1.2rem; padding-right: 1.2rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *, .pg-label,
.pg-shortcuts, [data-testid="stWidgetLabel"] p { color: #000 !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { color: #000; }
.stApp, [data-testid="stSidebar"] > div { background: #fff; }
[data-testid="stSidebar"] { border-right: 2px solid #000; }
[data-testid="stMainBlockContainer"] { max-width: none; padding-left: 2rem; padding-right: 2rem; }
</style>"""

# The component: its inline stub imports static/classroom.js (as live_chart.js is imported).
_component = module_component("classroom")

#: The Playground's shortcuts: key → the buttons it presses (the first one on the page).
SHORTCUTS = {"s": ("step",), "p": ("play", "pause"), "r": ("reset",)}


def view() -> ViewOptions:
    """The session's first link's presenter view and hidden controls (read once per session:
    query parameters are cleared when the page changes)."""
    if "classroom_view" not in S:
        view, _ = view_from_query(st.query_params.to_dict())  # the page itself shows notices
        S.classroom_view = view
        S.present = view.present
    return S.classroom_view


def start(url_path: str) -> None:
    """Every run: the page's CSS (with the presenter's when on). ``url_path`` is the page's own
    ("" for the Playground), for ``app_url``."""
    S.page_url_path = url_path
    st.html(CSS + (PRESENTER_CSS if presenting() else ""))


def presenting() -> bool:
    """Presenter view is on (a forged value is "off")."""
    return S.get("present") is True


def presenter_toggle() -> None:
    """The sidebar's switch, on every page. Its state lives in ``present``, not in the widget's
    own key: Streamlit forgets a widget's value when the page changes."""
    S.v_present = presenting()
    st.toggle(
        "Presenter view (projector)",
        key="v_present",
        on_change=_store_present,
        help="Large text and charts in high contrast, on every page, for a projector.",
    )


def _store_present() -> None:
    S.present = S.get("v_present") is True


def configure(*, shortcuts: bool = False, export: Mapping[str, object] | None = None) -> None:
    """What this page's browser helpers do besides naming charts (``finish`` draws them): the
    keyboard shortcuts where ``shortcuts``; a "Download the view as PNG" button where ``export``
    says what goes with the charts (``{"title", "config": [lines], "filename"}``)."""
    S._classroom_options = {"shortcuts": shortcuts, "export": export}


def finish() -> None:
    """The page's browser helpers (``static/classroom.js``), at the end of every page."""
    options = S.pop("_classroom_options", {})
    export = options.get("export")
    message = {
        "module": static_url("classroom.js"),
        "shortcuts": sorted(SHORTCUTS) if options.get("shortcuts") else [],
        "buttons": {k: list(v) for k, v in SHORTCUTS.items()},
        "export": dict(export) if export is not None else None,
    }
    data = json.dumps(message).encode()  # bytes, as the live charts send theirs
    _component(key="classroom", data=data, height=44 if export else 0)


def shortcuts_hint(note: str = "") -> None:
    """The shortcuts, shown where the buttons are, after ``note`` (plain text)."""
    st.html(
        f'<div class="pg-shortcuts" data-testid="pg-shortcuts">{html.escape(note)} Keys: '
        "<kbd>S</kbd> Step · <kbd>P</kbd> Play/Pause · <kbd>R</kbd> Reset</div>",
        width="content",
    )


def chart_name(name: str, description: str) -> None:
    """Name the next chart in this container for a screen reader: ``classroom.js`` gives it
    ``role="img"``, ``name`` as its label and this visually hidden ``description``."""
    st.html(
        f'<div class="pg-sr-only" data-pg-chart-name="{html.escape(name)}">'
        f"{html.escape(description)}</div>"
    )


def app_url(query: Mapping[str, str] | None = None, page: str = "") -> str:
    """The absolute URL of ``page`` (a url_path, "" for the Playground) with ``query``, from the
    address the browser reported; a path from the site's root when it reported none."""
    here = st.context.url or ""
    parts = urlsplit(here)
    path = parts.path if parts.scheme in ("http", "https") else "/"
    current = S.get("page_url_path", "")
    if current and path.rstrip("/").endswith("/" + current):
        path = path.rstrip("/")[: -len(current)]
    path = path if path.endswith("/") else path + "/"
    path += page
    qs = urlencode(dict(query or {}))
    if parts.scheme in ("http", "https") and parts.netloc:
        return urlunsplit((parts.scheme, parts.netloc, path, qs, ""))
    return path + ("?" + qs if qs else "")


#: The link builder's tick boxes: what a teacher may hide, by group, as ``hide=`` names them.
HIDE_CHOICES = {
    "data": "Data",
    "network": "Network",
    "training": "Training",
    "view": "View",
    "files": "Files (upload, download)",
    "buttons": "Step, Play and Reset",
    "nav": "The navigation between the pages",
}


def link_builder(query: Mapping[str, str]) -> str:
    """A teacher's link: tick the controls to hide, copy the absolute link (the experiment now
    running, ``query``). Returns the link."""
    st.caption(
        "Tick what your students should not see; the link opens this experiment, "
        "with these controls hidden."
    )
    hidden = [key for key, label in HIDE_CHOICES.items() if st.checkbox(label, key=f"lb_{key}")]
    singles = sorted(
        k for k in HIDEABLE if not any(k in SECTIONS[g] for g in hidden if g in SECTIONS)
    )
    single = st.multiselect(
        "…and single controls",
        [k for k in singles if k not in ("buttons", "nav")],
        key="lb_single",
        help="The names a link's hide= takes, e.g. lr is the learning rate.",
    )
    present = st.checkbox("Open in presenter view", key="lb_present")
    names = [*hidden, *single]
    extra = ({"hide": ",".join(names)} if names else {}) | ({"present": "true"} if present else {})
    link = app_url({k: v for k, v in query.items() if k not in ("hide", "present")} | extra)
    st.code(link, language=None, wrap_lines=True)
    st.link_button("Open the link in a new tab", link)
    return link
