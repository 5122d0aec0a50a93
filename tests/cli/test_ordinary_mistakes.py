"""Ordinary situations are answered as what they are, never as "this is a bug" (exit 3).

Each runs the real ``registry`` command in its own process: a key written into a missing
directory, a server started on a port already taken, output read by ``head`` that stops
early, weak JWT secrets, and a registry key others can read.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from support import registry_cli

from registry.git.store import Store

pytestmark = pytest.mark.git
GOOD_SECRET = "f3b1c2d4e5a6978812345abcdefa0b1c2d3e4f5061728394a5b6c7d8e9f00112"


def not_a_bug(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode != 3 and "this is a bug" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_keygen_into_a_missing_directory_says_so(tmp_path: Path) -> None:
    result = registry_cli("keygen", "--out", str(tmp_path / "nowhere" / "key"))
    not_a_bug(result)
    assert result.returncode == 2
    assert "nowhere is not a directory" in result.stderr and "mkdir -p" in result.stderr


def test_keygen_writes_an_owner_only_key_even_over_an_open_file(tmp_path: Path) -> None:
    out = tmp_path / "key"
    out.write_text("old")
    out.chmod(0o644)
    result = registry_cli("keygen", "--out", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def serve(store: Store, *extra: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``registry serve`` expected to refuse to start (a bounded wait, in case it does not)."""
    return subprocess.run(
        [sys.executable, "-m", "registry.cli", "serve", "--store", str(store.path), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def test_serve_on_a_port_in_use_says_which_and_what_to_do(example_store: Store) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = serve(example_store, "--port", str(port), env={"JWT_SECRET": GOOD_SECRET})
    not_a_bug(result)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "another --port" in result.stderr


@pytest.mark.parametrize(
    ("secret", "words"),
    [(" " * 40, "only whitespace"), ("a" * 32, "trivially guessable"), ("ab" * 32, "trivially guessable")],
    ids=["spaces", "one-letter", "two-letters"],
)
def test_a_weak_secret_does_not_start_the_server(example_store: Store, secret: str, words: str) -> None:
    result = serve(example_store, "--port", "0", env={"JWT_SECRET": secret})
    not_a_bug(result)
    assert result.returncode == 2
    assert words in result.stderr and "openssl rand -hex 32" in result.stderr


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
def test_serve_refuses_a_key_others_can_read_and_says_the_chmod(
    example_store: Store, key_path: Path, mode: int
) -> None:
    key_path.chmod(mode)
    result = serve(
        example_store, "--port", "0", env={"JWT_SECRET": GOOD_SECRET, "REGISTRY_SIGNING_KEY": str(key_path)}
    )
    not_a_bug(result)
    assert result.returncode == 2
    assert f"chmod 600 {key_path}" in result.stderr


def test_output_closed_by_its_reader_after_a_publish(
    tmp_path: Path, example_store: Store, key_path: Path
) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text('{"type": "object"}')
    read, write = os.pipe()
    os.close(read)  # the reader has gone: every write to the pipe fails (EPIPE)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "registry.cli", "publish", "contract", "--name", "piped",
             "--version", "1.0.0", "--json-schema", str(schema), "--store", str(example_store.path),
             "--signing-key", str(key_path)],
            stdout=write, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    finally:
        os.close(write)
    result.stdout = ""
    not_a_bug(result)
    assert result.returncode == 141
    assert "broken pipe" in result.stderr
    assert example_store.snapshot(example_store.head()).read("contracts/piped/schema.json") is not None
