"""One BLAS thread for the server: many students share its cores, so a thread pool per matrix
product only adds spinning threads (OpenBLAS busy-waits between calls; benchmarks/README.md).

An environment variable (``OPENBLAS_NUM_THREADS``) would have to be set before the server
starts, which Community Cloud and ``streamlit run app.py`` do not do. threadpoolctl instead
finds the BLAS libraries loaded in the process (OpenBLAS, MKL, BLIS, on every platform) and
sets their thread count at run time. It only sees libraries already loaded, and Streamlit 1.67
does not import numpy before the script runs, so this module imports numpy first. Called
without ``with``, the limit holds until restored: the limiter is kept here for the life of the
process. numpy's wheels ship OpenBLAS with its pthreads layer, whose thread count is
process-wide, so the limit set in the first script run holds in every later script thread.
"""

from __future__ import annotations

import threading
import warnings

import numpy  # noqa: F401  (loads the BLAS library to limit)
from threadpoolctl import threadpool_limits

_lock = threading.Lock()
_limiter: threadpool_limits | None = None
_limit: int | None = None


def limit_blas_threads(n: int = 1) -> bool:
    """Limit every loaded BLAS to ``n`` threads, once per process (app.py calls this on every
    run, so later calls with the same ``n`` cost nothing); True if a BLAS library was found."""
    global _limiter, _limit
    with _lock:
        if _limiter is None or _limit != n:
            _limiter = threadpool_limits(limits=n, user_api="blas")
            _limit = n
        with warnings.catch_warnings():  # several BLAS libraries with different counts
            warnings.simplefilter("ignore")
            return _limiter.get_original_num_threads()["blas"] is not None
