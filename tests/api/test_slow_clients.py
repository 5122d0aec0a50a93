"""A client that trickles its body, or holds a connection idle, is cut off after the documented time.

Over ``registry serve`` itself: before, ``Content-Length: 100`` then 2 bytes held a connection
(and a worker's request) forever.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from registry.git.store import Store

pytestmark = pytest.mark.slow
BODY_SECONDS, IDLE_SECONDS = 1.0, 1.0
CLIENT_CONNECTIONS = 3


@pytest.fixture
def served(example_store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int, str]]:
    """``registry serve --dev`` with short timeouts: (host, port, token); stopped by its pid."""
    for name in ("JWT_SECRET", "JWT_PUBLIC_KEY", "JWKS_URL", "OIDC_ISSUER_URL"):
        monkeypatch.delenv(name, raising=False)
    env = {
        **os.environ,
        "REGISTRY_BODY_TIMEOUT": str(BODY_SECONDS),
        "REGISTRY_IDLE_TIMEOUT": str(IDLE_SECONDS),
        "REGISTRY_CLIENT_CONNECTIONS": str(CLIENT_CONNECTIONS),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "registry.cli", "serve", "--store", str(example_store.path),
         "--port", "0", "--dev"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        url = next(w for line in lines for w in line.split() if w.startswith("http://"))
        parts = urlsplit(url)
        yield parts.hostname or "127.0.0.1", parts.port or 0, lines[-1].split()[-1]
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def read_until_closed(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """What the server sends until it closes the connection, and how long that took."""
    started = time.monotonic()
    sock.settimeout(limit)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except TimeoutError:
        pass
    return data, time.monotonic() - started


def test_a_trickled_body_is_answered_408_and_the_connection_closed(served: tuple[str, int, str]) -> None:
    host, port, token = served
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(
            b"POST /registry/contracts HTTP/1.1\r\nHost: registry\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {token}\r\n".encode()
            + b'Content-Length: 100\r\n\r\n{"'
        )
        data, took = read_until_closed(sock, 20)
    assert data.startswith(b"HTTP/1.1 408"), data[:200]
    assert b"did not arrive in full within 1 seconds" in data
    assert took < 10


def test_an_idle_connection_is_closed(served: tuple[str, int, str]) -> None:
    host, port, _ = served
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"GET /livez HTTP/1.1\r\nHost: registry\r\n\r\n")
        data, took = read_until_closed(sock, 20)
    assert data.startswith(b"HTTP/1.1 200") and took < 10


def test_a_client_past_its_connection_limit_is_answered_429_and_closed(
    served: tuple[str, int, str],
) -> None:
    host, port, _token = served
    held = [socket.create_connection((host, port), timeout=5) for _ in range(CLIENT_CONNECTIONS)]
    try:
        time.sleep(0.2)  # the server has accepted them all
        extra = socket.create_connection((host, port), timeout=5)
        # The answer comes as the connection opens: nothing is sent, so nothing is reset.
        answer, _took = read_until_closed(extra, 5.0)
        extra.close()
        assert answer.startswith(b"HTTP/1.1 429"), answer[:80]
        assert b"too many open connections" in answer
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)  # the server has seen them close: the client may connect again
    again = socket.create_connection((host, port), timeout=5)
    again.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answer, _took = read_until_closed(again, 5.0)
    again.close()
    assert answer.startswith(b"HTTP/1.1 200"), answer[:80]
