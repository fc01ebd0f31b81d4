"""Who may import what: the engine needs numpy only; only the Streamlit layer needs streamlit.

- ``playground`` (the engine) must run in a notebook or a test without a browser: no streamlit,
  plotly or pandas.
- ``ui`` (configuration, experiment, figure builders) may use plotly but never streamlit;
  only ``app.py``, ``pages/`` and ``ui/web/`` (plus the chart component) talk to streamlit.
"""

import pkgutil
import subprocess
import sys
from pathlib import Path

import playground
import ui

ROOT = Path(__file__).resolve().parents[1]
ENGINE = sorted(f"playground.{m.name}" for m in pkgutil.iter_modules(playground.__path__))
UI_PURE = sorted(
    f"ui.{m.name}"
    for m in pkgutil.iter_modules(ui.__path__)
    if not m.ispkg and m.name != "live_chart"
)


def _imported_after(modules, forbidden):
    code = (
        "import sys, importlib\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return out.stdout.strip()


def test_engine_modules_never_import_ui_libraries():
    assert len(ENGINE) >= 10, ENGINE
    assert _imported_after(ENGINE, ("streamlit", "plotly", "pandas")) == ""


def test_presentation_modules_never_import_streamlit():
    assert {"ui.config", "ui.experiment"} <= set(UI_PURE), UI_PURE
    assert _imported_after(UI_PURE, ("streamlit",)) == ""
