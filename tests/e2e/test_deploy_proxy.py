"""Several workers behind HAProxy on loopback (deploy/serve.py), as a class would use them.

- the app answers through the proxy and HAProxy's health checks see every worker UP;
- a session stays on one worker: two light clients (benchmarks/streamlit_client.py) land on
  different workers, each keeps the proxy's cookie, and an upload carrying a session's cookie
  reaches its worker (HTTP 204), while the same upload sent to the other worker is refused
  ("Invalid session_id"): without the cookie an upload would fail half of the time;
- in Chromium, through the proxy: the page and its static files load, the browser holds the
  worker cookie, a CSV uploaded with the file uploader is trained on, Play streams frames, a
  reload keeps the worker;
- `python -m deploy.serve` as a teacher runs it: a killed worker is reported and started
  again; SIGTERM, Ctrl-C (SIGINT to the process group) and even SIGKILL of the command leave
  no process behind;
- a browser whose worker dies reconnects to the other one and works again.

HAProxy comes from the distribution (`apt-get install -y haproxy`): without it these tests are
skipped on a laptop and fail in CI (`CI=true`), like the browser tests.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.streamlit_client import Session, upload_file
from deploy import serve
from playground.csv_io import dataset_to_csv
from playground.datasets import make_dataset
from tests.conftest import run_async

ROOT = Path(__file__).resolve().parents[2]


def require_haproxy() -> None:
    try:
        serve.haproxy_binary()
    except serve.ServeError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {error}")
        pytest.skip(str(error))


def wait_for(condition, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def stack():
    require_haproxy()
    with serve.serving(2, port=serve.free_port(), address="127.0.0.1", pin=True) as s:
        wait_for(
            lambda: set(s.server_states().values()) == {"UP"}, what="both workers UP in HAProxy"
        )
        yield s


def test_the_app_answers_through_the_proxy_and_every_worker_is_up(stack):
    assert serve.healthy(stack.url)
    assert stack.server_states() == {"w1": "UP", "w2": "UP"}
    assert set(stack.pids()) == {"w1", "w2", "haproxy"}


def test_each_worker_runs_on_a_core_of_its_own(stack):
    # two workers on a machine with two cores or more: one core each, for all their threads
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: nothing to pin")
    cores = []
    for w in stack.workers:
        threads = os.listdir(f"/proc/{w.pid}/task")
        assert len(threads) > 1  # Streamlit's threads, started after the pinning
        affinities = set()
        for t in threads:
            with contextlib.suppress(ProcessLookupError):  # a thread that has just ended
                affinities.add(frozenset(os.sched_getaffinity(int(t))))
        assert affinities == {frozenset({w.core})}
        cores.append(w.core)
    assert len(set(cores)) == len(cores) and set(cores) <= os.sched_getaffinity(0)


def test_a_session_and_its_uploads_stay_on_one_worker(stack):
    csv = dataset_to_csv(make_dataset("gauss", n_points=20, seed=1)).encode()

    async def scenario():
        a = Session(stack.url, name="a", sticky=True)
        b = Session(stack.url, name="b", sticky=True)
        try:
            await a.open()
            await b.open()  # a's websocket holds a connection on its worker: b goes elsewhere
            assert {a.worker, b.worker} == {"w1", "w2"}
            for s in (a, b):
                assert s.cookies[serve.COOKIE] == s.worker
                assert s.session_id and "_streamlit_xsrf" in s.cookies
            # The upload goes where the cookie says: to the session's worker it is taken...
            assert upload_file(stack.url, a.session_id, "p.csv", csv, a.cookies) == (204, "")
            # ... and on the other worker the session does not exist.
            elsewhere = {**a.cookies, serve.COOKIE: b.worker}
            status, body = upload_file(stack.url, a.session_id, "p.csv", csv, elsewhere)
            assert status == 400 and "Invalid session_id" in body
            # Both sessions still work, each on its own process.
            for s in (a, b):
                await s.click("Step")
                assert s.step_count() == 1
        finally:
            await a.close()
            await b.close()

    run_async(scenario())


@pytest.mark.browser
def test_a_browser_through_the_proxy_keeps_its_worker_and_trains_on_an_upload(
    stack, page, open_app, wait_ready, tmp_path, screenshot
):
    open_app(page, base_url=stack.url)
    page.wait_for_function(  # the charts: plotly.min.js and live_chart.js came through too
        "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=30_000
    )
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get(serve.COOKIE) in {"w1", "w2"}
    path = tmp_path / "points.csv"
    path.write_text(dataset_to_csv(make_dataset("gauss", n_points=40, seed=2)))
    page.get_by_text("Your own data and models").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(path)
    page.get_by_text("Training on your 40 points").wait_for(timeout=30_000)
    screenshot(page, "proxy_uploaded_points")
    # Play streams frames through the proxy's websocket tunnel; a reload keeps the worker.
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(STEP_AT_LEAST.format(n=5), timeout=30_000)
    page.get_by_role("button", name="Pause").click()
    page.reload()
    wait_ready(page)
    assert worker_cookie(page) == cookies[serve.COOKIE]


STEP_AT_LEAST = (
    "() => [...document.querySelectorAll(\"[data-testid='pg-metric']\")]"
    ".some(m => m.innerText.startsWith('Step') && "
    "Number(m.querySelector('.pg-value').innerText.replace(/,/g, '')) >= {n})"
)


def worker_cookie(page) -> str | None:
    return {c["name"]: c["value"] for c in page.context.cookies()}.get(serve.COOKIE)


@pytest.mark.browser
def test_a_browser_whose_worker_dies_carries_on_with_another(page, open_app, wait_ready):
    """HAProxy sends the browser's reconnection to a live worker (redispatch); Streamlit starts
    a fresh session there: the student loses the run, not the page. Streamlit's frontend keeps
    showing the old page until the next click, which only runs the new session's page once
    (its widgets were not registered yet: seen here, the first Step is spent so); from then
    on every click counts."""
    require_haproxy()
    with serve.serving(2, port=serve.free_port(), address="127.0.0.1", restart=False) as s:
        open_app(page, base_url=s.url)
        first = worker_cookie(page)
        victim = next(w for w in s.workers if w.name == first)
        os.kill(victim.pid, signal.SIGKILL)
        page.wait_for_function(
            "() => document.querySelector(\"[data-testid='stApp']\")"
            ".getAttribute('data-test-connection-state') !== 'CONNECTED'",
            timeout=30_000,
        )
        wait_ready(page, timeout=60)
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for _ in range(3):
            page.get_by_role("button", name="Step").click()
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(STEP_AT_LEAST.format(n=1), timeout=5_000)
                break
        # (the loop's own count could not fail: after three clicks, Step must have worked)
        page.wait_for_function(STEP_AT_LEAST.format(n=1), timeout=30_000)
        assert worker_cookie(page) not in (None, first)


# ---------------------------------------------------------------------------------------------
# The command itself


class Serve:
    """`python -m deploy.serve` in its own session (a terminal's process group), output kept."""

    def __init__(self, tmp_path: Path, workers: int) -> None:
        require_haproxy()
        self.port = serve.free_port()
        self.log = tmp_path / "serve.out"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "deploy.serve", "--workers", str(workers), "--pin",
                 "--address", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(lambda: "serving http" in self.output() or self.proc.poll() is not None)
        assert self.proc.poll() is None, self.output()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def pids(self) -> dict[str, int]:
        return {m[0]: int(m[1]) for m in re.findall(r"\] (w\d+|haproxy): pid (\d+)", self.output())}

    def group_alive(self) -> bool:
        try:
            os.killpg(self.proc.pid, 0)
            return True
        except ProcessLookupError:
            return False

    def cleanup(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        run_dir = re.search(r"logs (?:in|kept in) (\S+)", self.output())
        if run_dir and Path(run_dir[1]).name.startswith("playground-serve-"):
            shutil.rmtree(run_dir[1], ignore_errors=True)  # left by SIGKILL, or a failure


@pytest.fixture
def command(tmp_path):
    started: list[Serve] = []

    def start(workers: int) -> Serve:
        started.append(Serve(tmp_path, workers))
        return started[-1]

    yield start
    for s in started:
        s.cleanup()


def test_a_killed_worker_is_reported_and_started_again(command):
    s = command(2)
    pids = s.pids()
    assert set(pids) == {"w1", "w2", "haproxy"}, s.output()
    core = re.search(r"\] w1: pid \d+, \S+, core (\d+)", s.output())
    os.kill(pids["w1"], signal.SIGKILL)
    wait_for(lambda: "restarting w1" in s.output(), what="the restart of w1")
    if core:  # pinned: the new w1 runs on the old one's core
        new = re.search(r"restarting w1 on port \d+ \(pid (\d+)\)", s.output())
        assert new, s.output()
        # the pid is the wrapper's until it pins itself and execs Streamlit: a moment later
        wait_for(
            lambda: os.sched_getaffinity(int(new[1])) == {int(core[1])},
            what="the new w1 on the old one's core",
        )
    assert "worker w1" in s.output() and "killed by SIGKILL" in s.output()
    wait_for(lambda: serve.healthy(s.url), what="the proxy answering again")
    s.proc.send_signal(signal.SIGTERM)
    assert s.proc.wait(timeout=20) == 0, s.output()
    wait_for(lambda: not s.group_alive(), timeout=5, what="every process gone")
    assert not serve.healthy(s.url)


@pytest.mark.parametrize("how", ["ctrl-c", "sigkill"])  # SIGTERM: the test above
def test_stopping_the_command_leaves_no_process_behind(command, how):
    s = command(1)
    children = set(s.pids().values())
    assert len(children) == 2, s.output()
    if how == "ctrl-c":  # a terminal sends SIGINT to the whole foreground process group
        os.killpg(s.proc.pid, signal.SIGINT)
    else:  # no chance to clean up: the kernel stops the children (PR_SET_PDEATHSIG)
        s.proc.kill()
    code = s.proc.wait(timeout=20)
    assert code == (-signal.SIGKILL if how == "sigkill" else 0), s.output()
    wait_for(lambda: not s.group_alive(), timeout=10, what="every process gone")
    for pid in children:
        assert not Path(f"/proc/{pid}").exists()
    if how != "sigkill":
        assert "[serve] stopped" in s.output()
