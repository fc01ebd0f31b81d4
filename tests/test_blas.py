"""The server asks OpenBLAS for one thread (ui/blas.py): read the setting back."""

import json
import subprocess
import sys

CODE = """
import json, numpy, threadpoolctl
from ui.blas import limit_blas_threads
told = limit_blas_threads(1)
pools = [p for p in threadpoolctl.threadpool_info() if p["internal_api"] == "openblas"]
print(json.dumps({"told": told, "threads": [p["num_threads"] for p in pools]}))
"""


def test_limit_blas_threads_leaves_one_thread_in_every_openblas_pool():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert result["told"] == bool(result["threads"])  # told exactly when OpenBLAS is loaded
    assert all(n == 1 for n in result["threads"])
