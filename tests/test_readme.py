"""The README's notebook example runs as printed, and its test command is the one CI runs."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_the_notebook_example_runs():
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "the README lost its Python example"
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)  # our own README
    assert namespace["fwd"].a[3].tolist() == [[0.0, 1.0, 1.0, 0.0]]  # the lecture's XOR


def test_ci_runs_the_readme_test_command():
    pattern = r"<!-- test-command -->\n```bash\n(.+?)\n```\n<!-- /test-command -->"
    marked = re.search(pattern, README)
    assert marked and "pytest" in marked.group(1)
    assert "test-command" in (ROOT / ".ci" / "run").read_text()
