"""The server limits numpy's BLAS to one thread (ui/blas.py).

Each case runs in a fresh interpreter whose OpenBLAS is asked for one thread per core (at least
two), so a missing limit shows; the control case proves it (OpenBLAS never takes more threads
than cores, so on a one-core machine nothing can be shown and the tests skip). The limit
is read back after the engine's first matrix product, in the calling thread and in another
thread (Streamlit runs each script run in a thread of its own), whether or not numpy was
imported before the call (Streamlit 1.67 does not import it before the script runs).
"""

import json
import os
import subprocess
import sys

import pytest

CODE = """
import json, sys, threading
import streamlit  # what the server has loaded when app.py starts
if {numpy_first}:
    import numpy
if {limit}:
    from ui.blas import limit_blas_threads
    found = [limit_blas_threads(1), limit_blas_threads(1)]  # app.py calls it on every run
else:
    found = []
import numpy as np
import threadpoolctl

def blas_threads():
    return [p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]

np.ones((200, 200)) @ np.ones((200, 200))
seen = {{}}
worker = threading.Thread(target=lambda: seen.update(threads=blas_threads()))
worker.start()
worker.join()
print(json.dumps({{"found": found, "threads": blas_threads(), "other_thread": seen["threads"]}}))
"""


def run(*, numpy_first: bool, limit: bool) -> dict:
    threads = str(max(2, os.cpu_count() or 1))
    env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
    code = CODE.format(numpy_first=numpy_first, limit=limit)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def control() -> dict:
    result = run(numpy_first=False, limit=False)
    if not result["threads"]:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("threadpoolctl sees no BLAS in numpy (numpy's Linux wheels ship OpenBLAS)")
        pytest.skip("no BLAS library that threadpoolctl can limit (e.g. Apple's Accelerate)")
    if max(result["threads"]) == 1:
        pytest.skip("one core: BLAS uses one thread anyway, so a missing limit cannot show")
    return result


def test_without_the_limit_blas_would_use_several_threads(control):
    assert control["threads"] and min(control["threads"]) >= 2, control


@pytest.mark.parametrize("numpy_first", [False, True], ids=["numpy-later", "numpy-first"])
def test_limit_blas_threads_leaves_one_thread_in_every_blas_pool_for_every_thread(
    control, numpy_first
):
    result = run(numpy_first=numpy_first, limit=True)
    assert result["found"] == [True, True]
    assert result["threads"] == [1] * len(control["threads"]), result
    assert result["other_thread"] == [1] * len(control["threads"]), result
