"""ui/garbage.py: the start-up's objects are frozen once per process, in a fresh interpreter
(freezing this test run's own objects would hide them from its collector)."""

import json
import subprocess
import sys

CODE = """
import gc, json, threading
import streamlit, plotly, pandas, numpy  # what the server has loaded after its first page
from ui.garbage import freeze_startup_objects
before = gc.get_freeze_count()
results = []
threads = [threading.Thread(target=lambda: results.append(freeze_startup_objects()))
           for _ in range(4)]  # several sessions' first runs at once
for t in threads: t.start()
for t in threads: t.join()
frozen = gc.get_freeze_count()
walked = len(gc.get_objects())  # what a full collection still walks
print(json.dumps({"before": before, "results": results, "frozen": frozen, "walked": walked,
                  "again": freeze_startup_objects()}))
"""


def test_the_startup_objects_are_frozen_once():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    assert r["before"] == 0
    assert sorted(r["results"]) == [False, False, False, True]  # one thread froze
    assert r["again"] is False
    assert r["frozen"] > 50_000  # the imports' objects
    assert r["walked"] < r["frozen"] / 10  # a full collection walks a small part of them
