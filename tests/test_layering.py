"""Who may import what: the engine needs numpy only; only the Streamlit layer needs streamlit.

- ``playground`` (the engine) must run in a notebook or a test without a browser: no streamlit,
  plotly or pandas.
- ``ui`` outside ``ui/web`` (configuration, experiment, notation, the figure builders in
  ``ui/figures``, the lecture pages' models in ``ui/lecture``) never imports streamlit; the
  figure builders not pandas either. Only ``app.py``, ``pages/`` and ``ui/web/`` talk to
  streamlit.
"""

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import playground
import ui

ROOT = Path(__file__).resolve().parents[1]
ENGINE = sorted(f"playground.{m.name}" for m in pkgutil.iter_modules(playground.__path__))
UI = sorted(m.name for m in pkgutil.walk_packages(ui.__path__, "ui.") if not m.ispkg)
UI_PURE = [m for m in UI if not m.startswith("ui.web.")]
FIGURES = [m for m in UI if m.startswith("ui.figures.")]
STREAMLIT_IMPORT = re.compile(r"^\s*(import|from)\s+streamlit\b", re.M)


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
    assert {"ui.config", "ui.experiment", "ui.notation", "ui.lecture.ledger"} <= set(UI_PURE)
    assert _imported_after(UI_PURE, ("streamlit",)) == ""


def test_figure_builders_never_import_streamlit_or_pandas():
    assert {"ui.figures.boundary", "ui.figures.encode", "ui.figures.style"} <= set(FIGURES)
    assert _imported_after(FIGURES, ("streamlit", "pandas")) == ""


def test_only_the_app_the_pages_and_ui_web_import_streamlit():
    shipped = [*ROOT.glob("*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("ui/**/*.py")]
    shipped += ROOT.glob("playground/**/*.py")
    importers = {
        p.relative_to(ROOT).as_posix() for p in shipped if STREAMLIT_IMPORT.search(p.read_text())
    }
    allowed = {p for p in importers if p == "app.py" or p.startswith(("pages/", "ui/web/"))}
    assert importers == allowed, sorted(importers - allowed)
    assert {"app.py", "ui/web/live_chart.py", "ui/web/live.py"} <= importers
