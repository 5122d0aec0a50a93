"""``registry serve`` as a real process on a real store: it answers, a ``git push`` is readable
when the push returns, a publish by another process shows without a restart, and SIGTERM
stops it cleanly. Every process started here is stopped by its pid."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from support import ROOT, git, registry_cli

from registry.git.store import Store
from registry.hooks.client import SOCKET_NAME

pytestmark = pytest.mark.git

RITUAL = "contracts/ritual.started"


@dataclass
class Served:
    proc: subprocess.Popen[str]
    url: str
    token: str

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.url + path, headers={"Authorization": f"Bearer {self.token}"}, timeout=10)


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch, example_store: Store) -> Iterator[Callable[..., Served]]:
    """Start ``registry serve --dev`` on a free port; each one is stopped by its pid at the end."""
    for name in ("JWT_SECRET", "JWT_PUBLIC_KEY", "JWKS_URL", "OIDC_ISSUER_URL"):
        monkeypatch.delenv(name, raising=False)
    started: list[subprocess.Popen[str]] = []

    def start(*extra: str) -> Served:
        proc = subprocess.Popen(
            [sys.executable, "-m", "registry.cli", "serve", "--store", str(example_store.path),
             "--port", "0", "--dev", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        started.append(proc)
        lines = [proc.stdout.readline() for _ in range(3)] if proc.stdout else []
        url = next((w for line in lines for w in line.split() if w.startswith("http://")), None)
        assert url is not None and lines[-1].startswith("registry: development token:"), (
            lines,
            proc.stderr.read() if proc.poll() is not None and proc.stderr else "",
        )
        served = Served(proc, url, lines[-1].split()[-1])
        deadline = time.monotonic() + 30
        while True:
            try:
                if served.get("/healthz").status_code == 200:
                    return served
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.05)

    yield start
    for proc in started:
        _stop(proc)


def push_a_minor_version(
    tmp_path: Path, store: Store, version: str = "1.1.0"
) -> subprocess.CompletedProcess[str]:
    work = tmp_path / f"work-{version}"
    git("clone", "-q", f"file://{store.path}", str(work))
    schema = work / RITUAL / "schema.json"
    doc = json.loads(schema.read_text())
    doc["properties"][f"note{version.replace('.', '')}"] = {"type": "string"}
    schema.write_text(json.dumps(doc, indent=2))
    meta = work / RITUAL / "contract.yaml"
    meta.write_text(meta.read_text().replace("version: 1.0.0", f"version: {version}"))
    git("commit", "-qam", f"ritual.started {version}", cwd=work)
    return git("push", "origin", "HEAD:main", cwd=work, check=False)


def test_it_serves_a_version_with_its_tag_digest(serve: Callable[..., Served], example_store: Store) -> None:
    served = serve()
    got = served.get("/registry/contracts/ritual.started/1.0.0")
    assert got.status_code == 200
    tag = git(f"--git-dir={example_store.path}", "cat-file", "-p", "contracts/ritual.started/1.0.0").stdout
    assert f"digest: {got.json()['digest']}" in tag
    assert served.get("/registry/contracts/ritual.started/1.0.0/schema").text == (
        example_store.snapshot(example_store.head()).read(f"{RITUAL}/schema.json").decode()
    )


def test_a_git_push_is_readable_as_soon_as_the_push_returns(
    tmp_path: Path, serve: Callable[..., Served], example_store: Store
) -> None:
    served = serve()
    out = push_a_minor_version(tmp_path, example_store)
    assert out.returncode == 0, out.stderr
    assert "tagged contracts/ritual.started/1.1.0" in out.stderr
    assert served.get("/registry/contracts/ritual.started/1.1.0").status_code == 200  # no wait, no retry


def test_a_publish_by_another_process_becomes_visible_within_a_second(
    tmp_path: Path, serve: Callable[..., Served], example_store: Store
) -> None:
    served = serve()
    (tmp_path / "order.json").write_text('{"type": "object"}')
    out = registry_cli(
        "publish", "contract", "--name", "order.placed", "--version", "1.0.0",
        "--json-schema", str(tmp_path / "order.json"), "--store", str(example_store.path),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    returned = time.monotonic()
    while served.get("/registry/contracts/order.placed/1.0.0").status_code != 200:
        assert time.monotonic() - returned < 5, "not visible after 5 s"
        time.sleep(0.01)
    assert time.monotonic() - returned < 1.0


def test_sigterm_stops_it_cleanly_and_closes_the_gate_socket(
    serve: Callable[..., Served], example_store: Store
) -> None:
    served = serve()
    assert (example_store.path / SOCKET_NAME).exists()
    os.kill(served.proc.pid, signal.SIGTERM)
    assert served.proc.wait(timeout=10) == 0
    assert not (example_store.path / SOCKET_NAME).exists()


def test_without_a_secret_or_key_it_refuses_to_start_unless_dev(
    monkeypatch: pytest.MonkeyPatch, example_store: Store
) -> None:
    for name in ("JWT_SECRET", "JWT_PUBLIC_KEY", "JWKS_URL", "OIDC_ISSUER_URL"):
        monkeypatch.delenv(name, raising=False)
    out = registry_cli("serve", "--store", str(example_store.path), "--port", "0")
    assert out.returncode == 2
    assert "no JWT secret or key is configured" in out.stderr and "--dev" in out.stderr
    assert not (example_store.path / SOCKET_NAME).exists()


@pytest.mark.slow
def test_with_workers_the_parent_owns_the_gate_and_every_worker_serves_a_push_at_once(
    tmp_path: Path, serve: Callable[..., Served], example_store: Store
) -> None:
    served = serve("--workers", "2")
    assert (example_store.path / SOCKET_NAME).exists()
    out = push_a_minor_version(tmp_path, example_store)
    assert out.returncode == 0, out.stderr
    # New connections spread over both workers; each must already hold the version.
    codes = {served.get("/registry/contracts/ritual.started/1.1.0").status_code for _ in range(20)}
    assert codes == {200}
    os.kill(served.proc.pid, signal.SIGTERM)
    assert served.proc.wait(timeout=20) == 0
    assert not (example_store.path / SOCKET_NAME).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_the_demo_prints_a_serve_command_a_token_and_curl_lines_that_work_as_printed(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.update({"DEMO_PORT": str(port)})
    env.pop("JWT_SECRET", None)
    demo = subprocess.run(
        ["bash", "scripts/demo.sh", str(tmp_path / "demo")], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert demo.returncode == 0, demo.stderr
    lines = demo.stdout.splitlines()
    command = next(line.strip() for line in lines if line.strip().startswith("JWT_SECRET="))
    curls = [line.strip() for line in lines if line.strip().startswith("curl ")]
    assert len(curls) == 3
    ui_page, ui_token = next(line.strip() for line in lines if "/ui/#token=" in line).split("#token=")
    # The command runs as printed, in a shell of its own session: stopped by that group's id.
    proc = subprocess.Popen(
        ["bash", "-c", command], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None and "serving" in proc.stdout.readline()
        answers = [subprocess.run(["bash", "-c", c], capture_output=True, text=True) for c in curls]
        ui = [
            httpx.get(ui_page),
            httpx.get(ui_page + "f/contracts", headers={"Authorization": f"Bearer {ui_token}"}),
        ]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        _stop(proc)
    contracts, version, schema = (json.loads(a.stdout) for a in answers)
    assert "ritual.started" in {c["name"] for c in contracts["contracts"]}
    assert version["version"] == "1.1.0"
    assert json.loads(version["jsonSchema"]) == schema
    assert [r.status_code for r in ui] == [200, 200] and "ritual.started" in ui[1].text
