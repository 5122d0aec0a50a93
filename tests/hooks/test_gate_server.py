"""`registry hooks serve`: the hooks hand pushes to a running gate, with the same verdicts,
and judge in-process when no server answers."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import git, refs

from registry.git.store import Store
from registry.hooks.client import SOCKET_NAME

pytestmark = pytest.mark.git

RITUAL = "contracts/ritual.started"


@pytest.fixture
def server(store: Store) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "registry.cli", "hooks", "serve", str(store.path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert "listening on" in line, proc.stderr.read() if proc.stderr else ""
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=10)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


def change(work: Path, version: str, prop: str) -> None:
    schema = work / RITUAL / "schema.json"
    doc = json.loads(schema.read_text())
    doc["properties"][prop] = {"type": "string"}
    schema.write_text(json.dumps(doc, indent=2))
    meta = work / RITUAL / "contract.yaml"
    meta.write_text(meta.read_text().replace("version: 1.0.0", f"version: {version}"))
    git("commit", "-qam", f"add {prop}", cwd=work)


def test_the_server_judges_pushes_and_the_hooks_fall_back_when_it_stops(
    tmp_path: Path, store: Store, server: subprocess.Popen[str]
) -> None:
    work = tmp_path / "work"
    git("clone", "-q", f"file://{store.path}", str(work))
    change(work, "1.0.0", "note")
    before = refs(store)
    refused = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert refused.returncode != 0 and "its content never changes" in refused.stderr
    assert refs(store) == before
    git("reset", "-q", "--hard", "origin/main", cwd=work)
    change(work, "1.1.0", "note")
    accepted = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert accepted.returncode == 0, accepted.stderr
    assert "tagged contracts/ritual.started/1.1.0" in accepted.stderr

    server.terminate()
    _, log = server.communicate(timeout=10)
    handled = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert [(h["hook"], h["exit"]) for h in handled] == [
        ("pre-receive", 1),
        ("pre-receive", 0),
        ("post-receive", 0),
    ]
    assert not (store.path / SOCKET_NAME).exists()

    # With no server, the hooks judge the push themselves: same rules, same words.
    git("reset", "-q", "--hard", "origin/main", cwd=work)
    (work / RITUAL / "schema.json").write_text("{broken")
    git("commit", "-qam", "break", cwd=work)
    fallback = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert fallback.returncode != 0 and f"{RITUAL}/schema.json" in fallback.stderr


def test_a_second_server_on_the_same_store_is_refused(store: Store, server: subprocess.Popen[str]) -> None:
    second = subprocess.run(
        [sys.executable, "-m", "registry.cli", "hooks", "serve", str(store.path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert second.returncode == 1 and "already answers" in second.stderr
