"""Give a running server only part of this machine, as a host would: some cores, or a quota.

Used by `load_test.py --cpus` / `--cpu-quota` / `--community-cloud`, to measure what one
Streamlit process carries with the resources Streamlit Community Cloud gives an app
(documented in February 2024: 0.078 to 2 cores, 690 MB to 2.7 GB).

- `pin(pids, cpus)`: every thread of each process on those cores (what `taskset -a -p` does;
  threads started later inherit it from the thread that starts them);
- `cpu_quota(pids, cores)`: a new cgroup with a CPU quota of `cores` (cgroup v2 `cpu.max`, or
  v1 `cpu.cfs_quota_us`), the processes moved into it for the duration of a with-block and
  back out at its end. Needs a writable cgroup file system with the cpu controller (root on
  most Linux machines; inside a container it is often read-only): `QuotaUnavailableError` says why.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")
PERIOD_US = 100_000


class QuotaUnavailableError(RuntimeError):
    pass


def parse_cpus(text: str) -> set[int]:
    """ "0", "0,2", "1-3" -> a set of core numbers (as taskset -c reads them)."""
    cpus: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        first, last = int(lo), int(hi or lo)
        if first < 0 or last < first:
            raise ValueError(f"bad CPU range {part!r}")
        cpus.update(range(first, last + 1))
    if not cpus:
        raise ValueError("no CPU given")
    return cpus


def pin(pids: list[int], cpus: set[int]) -> None:
    """Every thread of each process onto `cpus`."""
    for pid in pids:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(ProcessLookupError):  # a thread that just ended
                os.sched_setaffinity(int(tid), cpus)


def quota_values(cores: float, period_us: int = PERIOD_US) -> tuple[int, int]:
    """(quota, period) in microseconds for `cores` of CPU time per period."""
    if not 0.01 <= cores <= 1024:
        raise ValueError(f"a CPU quota of {cores} cores is out of range")
    return round(cores * period_us), period_us


def _controller() -> tuple[str, Path]:
    """("v2", root) or ("v1", cpu hierarchy root) where a child cgroup can be made."""
    if (CGROUP / "cgroup.controllers").exists():
        if "cpu" not in (CGROUP / "cgroup.controllers").read_text().split():
            raise QuotaUnavailableError("cgroup v2 without the cpu controller")
        return "v2", CGROUP
    for name in ("cpu", "cpu,cpuacct", "cpuacct,cpu"):
        if (CGROUP / name / "cpu.cfs_quota_us").exists():
            return "v1", CGROUP / name
    raise QuotaUnavailableError(f"no cgroup cpu controller under {CGROUP}")


def _cgroup_of(pid: int, version: str, root: Path) -> Path:
    """The cgroup folder `pid` is in now, in the hierarchy at `root`."""
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if (version == "v2" and controllers == "") or (
            version == "v1" and "cpu" in controllers.split(",")
        ):
            return root / path.lstrip("/")
    return root


@contextlib.contextmanager
def cpu_quota(pids: list[int], cores: float) -> Iterator[Path]:
    """The processes limited to `cores` of CPU in all, inside the with-block."""
    quota, period = quota_values(cores)
    version, root = _controller()
    group = root / f"nn-playground-bench-{os.getpid()}"
    try:
        group.mkdir()
    except OSError as error:
        raise QuotaUnavailableError(f"cannot make a cgroup under {root}: {error}") from error
    origin: dict[int, Path] = {}
    try:
        if version == "v2":
            control = root / "cgroup.subtree_control"
            if "cpu" not in control.read_text().split():
                control.write_text("+cpu")
            (group / "cpu.max").write_text(f"{quota} {period}")
        else:
            (group / "cpu.cfs_period_us").write_text(str(period))
            (group / "cpu.cfs_quota_us").write_text(str(quota))
        for pid in pids:
            origin[pid] = _cgroup_of(pid, version, root)
            (group / "cgroup.procs").write_text(str(pid))  # the whole process, all threads
        yield group
    finally:
        for pid, where in origin.items():  # back where they came from, so the group can go
            with contextlib.suppress(OSError):
                (where / "cgroup.procs").write_text(str(pid))
        with contextlib.suppress(OSError):
            group.rmdir()


def throttled_seconds(group: Path) -> float:
    """CPU time the quota held back so far (cpu.stat), in seconds; nan if unknown."""
    try:
        stats = dict(line.split() for line in (group / "cpu.stat").read_text().splitlines())
    except (OSError, ValueError):
        return float("nan")
    if "throttled_usec" in stats:
        return int(stats["throttled_usec"]) / 1e6
    if "throttled_time" in stats:  # v1, nanoseconds
        return int(stats["throttled_time"]) / 1e9
    return float("nan")
