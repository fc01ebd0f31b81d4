"""deploy/serve.py without processes: the HAProxy configurations it writes, and its arguments.

`haproxy -c` checks each generated file when HAProxy is installed (skipped on a laptop without
it, a failure in CI, where .ci/run installs it). The stack itself runs in
tests/e2e/test_deploy_proxy.py.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from deploy import serve


def haproxy() -> str:
    try:
        return serve.haproxy_binary()
    except serve.ServeError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {error}")
        pytest.skip(str(error))


def haproxy_check(tmp_path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "haproxy.cfg"
    path.write_text(text)
    return subprocess.run([haproxy(), "-c", "-f", str(path)], capture_output=True, text=True)


def lines(text: str) -> list[str]:
    """The configuration's directives, without comments and blank lines."""
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]


def test_each_worker_is_a_server_with_its_own_cookie_and_a_health_check():
    cfg = serve.haproxy_config([("w1", 9001), ("w2", 9002)], bind="127.0.0.1:8501")
    directives = lines(cfg)
    assert "server w1 127.0.0.1:9001 cookie w1" in directives
    assert "server w2 127.0.0.1:9002 cookie w2" in directives
    assert "bind 127.0.0.1:8501" in directives
    sticky = f'cookie {serve.COOKIE} insert indirect nocache httponly attr "SameSite=Lax"'
    assert sticky in directives
    assert "option httpchk GET /_stcore/health" in directives
    assert "http-check expect string ok" in directives
    assert "default-server check inter 2s fall 3 rise 2" in directives
    assert "balance leastconn" in directives
    assert "@{" not in cfg  # every field filled


def test_websockets_get_a_long_tunnel_timeout_and_sessions_survive_a_slow_worker():
    directives = lines(serve.haproxy_config([("w1", 9001)], bind=":8501"))
    assert "timeout tunnel 1h" in directives
    # persist: cookie'd requests stay on a worker the checks call DOWN (a busy one);
    # redispatch: they move only when its port refuses connections (a dead one).
    assert "option persist" in directives and "option redispatch" in directives


def test_the_connection_limit_follows_the_open_file_limit():
    """An explicit maxconn above the user's open-file limit makes HAProxy refuse to start
    (seen with maxconn 4096 under `ulimit -n 1024`); without one it derives its own."""
    assert not any(
        d.startswith("maxconn") for d in lines(serve.haproxy_config([("w1", 1)], bind=":1"))
    )


def test_no_worker_is_an_error():
    with pytest.raises(ValueError):
        serve.haproxy_config([], bind=":8501")


def test_haproxy_accepts_the_generated_configuration(tmp_path):
    cfg = serve.haproxy_config(
        [("w1", 9001), ("w2", 9002)], bind="127.0.0.1:8501", stats_socket=tmp_path / "s.sock"
    )
    r = haproxy_check(tmp_path, cfg)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Configuration file is valid" in r.stdout


def test_haproxy_rejects_a_broken_configuration(tmp_path):
    """The check is real: a typo is caught."""
    cfg = serve.haproxy_config([("w1", 9001)], bind=":8501").replace("balance", "balanse")
    path = tmp_path / "bad.cfg"
    path.write_text(cfg)
    haproxy()
    with pytest.raises(serve.ServeError, match="rejected"):
        serve.check_config(path)


def test_the_compose_configuration_is_the_generated_one_and_valid(tmp_path):
    generated = serve.compose_config()
    assert serve.COMPOSE_CONFIG.read_text() == generated, (
        "deploy/haproxy-compose.cfg is stale: python -m deploy.serve --compose-config "
        "> deploy/haproxy-compose.cfg"
    )
    directives = lines(generated)
    assert any(re.fullmatch(r"server-template app 1-\d+ app:8501 .*", d) for d in directives)
    assert any(d.startswith(f"cookie {serve.COOKIE} insert") and "dynamic" in d for d in directives)
    assert "parse-resolv-conf" in directives
    r = haproxy_check(tmp_path, generated)
    assert r.returncode == 0, r.stdout + r.stderr


def test_workers_default_to_the_cores_and_are_bounded():
    assert serve.parse_args([]).workers == len(os.sched_getaffinity(0))
    assert serve.parse_args(["--workers", "3"]).workers == 3
    for bad in (["--workers", "0"], ["--workers", "65"], ["--port", "70000"]):
        with pytest.raises(SystemExit):
            serve.parse_args(bad)


def test_workers_get_a_core_of_their_own_while_there_are_enough(monkeypatch, tmp_path):
    monkeypatch.setattr(serve.os, "sched_getaffinity", lambda pid: {3, 5})
    assert serve.pinned_cores(1) == [3]
    assert serve.pinned_cores(2) == [3, 5]
    assert serve.pinned_cores(3) == [None, None, None]  # more workers than cores: the kernel's
    assert [w.core for w in serve.Stack(2, pin=True, run_dir=tmp_path).workers] == [3, 5]
    assert [w.core for w in serve.Stack(2, run_dir=tmp_path).workers] == [None, None]  # opt-in
    assert serve.parse_args(["--pin"]).pin and not serve.parse_args([]).pin


def test_a_worker_is_streamlit_on_loopback_without_a_file_watcher():
    cmd = serve.worker_command(9001)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4] == "app.py"
    flags = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert flags["--server.address"] == "127.0.0.1" and flags["--server.port"] == "9001"
    assert flags["--server.headless"] == "true"
    assert flags["--server.fileWatcherType"] == "none"


def test_print_config_shows_the_workers(capsys):
    assert serve.main(["--workers", "2", "--print-config"]) == 0
    out = capsys.readouterr().out
    assert out.count("server w") == 2 and "bind 0.0.0.0:8501" in out


def test_exit_descriptions():
    assert serve.describe_exit(-9) == "killed by SIGKILL"
    assert serve.describe_exit(3) == "exit code 3"
    assert serve.describe_exit(None) == "running"
