"""One BLAS thread for the server: many students share its cores, so a thread pool per matrix
product only adds spinning threads (OpenBLAS busy-waits between calls: measured 1.34 cores and
112 ms of CPU per frame for the largest network with two threads).

numpy is already imported by Streamlit before app.py runs, so ``OPENBLAS_NUM_THREADS`` would
come too late; this asks the loaded OpenBLAS library directly, and does nothing where there is
none (another BLAS, another platform).
"""

from __future__ import annotations

import ctypes
from pathlib import Path

_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def _loaded_openblas() -> list[str]:
    maps = Path("/proc/self/maps")
    if not maps.exists():
        return []
    paths = {line.split()[-1] for line in maps.read_text().splitlines() if "openblas" in line}
    return sorted(p for p in paths if p.endswith(".so") or ".so." in p)


def limit_blas_threads(n: int = 1) -> bool:
    """Ask every loaded OpenBLAS for ``n`` threads; True if one of them was told."""
    told = False
    for path in _loaded_openblas():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _SETTERS:
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(ctypes.c_int(n))
                told = True
                break
    return told
