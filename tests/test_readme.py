"""The README as a newcomer follows it: its set-up, its notebook example (here and from any
folder), the Python range it states, the layout table, and the test command CI runs."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def notebook_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "the README lost its Python example"
    return blocks[0]


def test_the_notebook_example_runs():
    namespace: dict = {}
    exec(compile(notebook_example(), "README.md", "exec"), namespace)  # our own README
    assert namespace["fwd"].a[3].tolist() == [[0.0, 1.0, 1.0, 0.0]]  # the lecture's XOR


def test_the_notebook_example_runs_from_any_folder_once_the_project_is_installed(tmp_path):
    """`python -m pip install -e .` (requirements-dev.txt does it): the packages import from a
    folder outside the checkout, and they are this checkout's."""
    code = notebook_example() + (
        "\nimport playground, ui\n"
        "print(playground.__file__)\n"
        "assert fwd.a[3].tolist() == [[0.0, 1.0, 1.0, 0.0]]\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    found = subprocess.run(
        [sys.executable, "-c", "import playground; print(playground.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    installed = found.returncode == 0 and Path(found.stdout.strip()).parent.parent == ROOT
    if not installed:
        why = found.stderr.strip().splitlines()[-1:] or [f"installed from {found.stdout.strip()}"]
        # CI works in a virtual environment set up as the README says, where the test command
        # installs the project; a shared interpreter outside one may hold another checkout.
        if in_ci() and sys.prefix != sys.base_prefix:
            pytest.fail(f"the project is not installed from this checkout: {why[0]}")
        pytest.skip(f"run `python -m pip install -e .` to test this ({why[0]})")
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert Path(run.stdout.strip()).is_relative_to(ROOT / "playground")


def test_the_set_up_starts_with_a_virtual_environment():
    setup = README.index("python3 -m venv .venv && . .venv/bin/activate")
    assert setup < README.index("streamlit run app.py")
    assert setup < README.index("<!-- test-command -->")


def test_one_python_range_stated_once_and_the_package_agrees():
    classifiers = PYPROJECT["project"]["classifiers"]
    versions = sorted(
        (int(m[1]), int(m[2]))
        for c in classifiers
        if (m := re.fullmatch(r"Programming Language :: Python :: (\d+)\.(\d+)", c))
    )
    low, high = f"{versions[0][0]}.{versions[0][1]}", f"{versions[-1][0]}.{versions[-1][1]}"
    assert [m[1] for m in re.finditer(r"\*\*Python (\d+\.\d+–\d+\.\d+)\*\*", README)] == [
        f"{low}–{high}"
    ]
    assert PYPROJECT["project"]["requires-python"] == f">={low}"
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py" + low.replace(".", "")
    assert versions == [(3, minor) for minor in range(versions[0][1], versions[-1][1] + 1)]


def test_the_layout_table_lists_every_top_level_folder():
    table = README[README.index("## Project layout") :].split("\n\n")[1]
    listed = set(re.findall(r"^\| `([^`]+?)/?` \|", table, flags=re.M))
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    folders = {path.split("/")[0] for path in tracked.stdout.splitlines() if "/" in path}
    assert folders <= listed, sorted(folders - listed)
    assert "app.py" in listed and "ui/web" in listed


def test_ci_runs_the_readme_test_command_on_the_supported_pythons():
    pattern = r"<!-- test-command -->\n```bash\n(.+?)\n```\n<!-- /test-command -->"
    marked = re.search(pattern, README)
    assert marked and "pytest" in marked.group(1)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "test-command" in ci
    assert "Programming Language :: Python :: 3" in ci  # its versions come from pyproject.toml
