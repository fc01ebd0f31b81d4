"""The engine imports numpy only: it must run in a notebook or a test without a browser."""

import pkgutil
import subprocess
import sys

import playground

FORBIDDEN = ("streamlit", "plotly", "pandas")
MODULES = sorted(f"playground.{m.name}" for m in pkgutil.iter_modules(playground.__path__))


def test_engine_modules_never_import_ui_libraries():
    assert MODULES, "no engine modules found"
    code = (
        "import sys, importlib\n"
        f"for m in {MODULES!r}: importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the engine imported: {out.stdout.strip()}"
