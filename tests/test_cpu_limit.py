"""benchmarks/cpu_limit.py: pinning a server to cores and a cgroup CPU quota."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from benchmarks import cpu_limit
from benchmarks.streamlit_client import cpu_seconds


def test_cpu_lists_are_read_like_taskset():
    assert cpu_limit.parse_cpus("0") == {0}
    assert cpu_limit.parse_cpus("0,2-4") == {0, 2, 3, 4}
    for bad in ("", "3-1", "-1", "x"):
        with pytest.raises(ValueError):
            cpu_limit.parse_cpus(bad)


def test_a_quota_is_cores_times_the_period():
    assert cpu_limit.quota_values(0.5) == (50_000, 100_000)
    assert cpu_limit.quota_values(0.078) == (7_800, 100_000)  # Community Cloud's least
    with pytest.raises(ValueError):
        cpu_limit.quota_values(0)


@pytest.fixture
def spinner():
    """A process burning one core, and its threads."""
    p = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    yield p
    p.kill()
    p.wait()


def test_pinning_moves_every_thread(spinner):
    core = min(os.sched_getaffinity(0))
    cpu_limit.pin([spinner.pid], {core})
    for tid in os.listdir(f"/proc/{spinner.pid}/task"):
        assert os.sched_getaffinity(int(tid)) == {core}


def test_a_quota_holds_a_busy_process_to_its_share(spinner):
    try:
        with cpu_limit.cpu_quota([spinner.pid], 0.25) as group:
            c0, t0 = cpu_seconds(spinner.pid), time.monotonic()
            time.sleep(1.0)
            used = (cpu_seconds(spinner.pid) - c0) / (time.monotonic() - t0)
            assert cpu_limit.throttled_seconds(group) > 0
    except cpu_limit.QuotaUnavailableError as error:
        pytest.skip(f"no cgroup CPU quota here: {error}")
    assert used < 0.4  # a quarter of a core, with the clock tick's rounding
    assert not group.exists()  # removed, the process moved back
