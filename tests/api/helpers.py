"""Helpers for the HTTP door's tests: tokens, headers, and a real server in its own process.

``python helpers.py STORE PORT`` serves ``create_app`` for STORE on loopback, with the live
index watching the store's refs, authenticating with ``JWT_SECRET`` and writing with the
key at ``REGISTRY_SIGNING_KEY`` (read-only without it). :class:`Server` starts one on a
free port, waits until ``/healthz`` answers, and stops it by its pid.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import httpx

SECRET = "api-tests-secret-" + "k" * 40
READ, WRITE = "contracts:read", "contracts:write"
SCHEMA = '{"type": "object"}'
#: The digest the old demon-registry gave my-contract 1.0.0 with description "My contract"
#: and this schema text (the README's example).
MY_CONTRACT_DIGEST = "7776a3b2bafdaae41912ceb0f7fb1a6e1b8464e6fce855c1f3bd73d3cefd55af"

HELLO = """apiVersion: anumate.io/v1alpha1
kind: Capsule
metadata:
  name: hello-world
  description: Simple hello world Capsule
  tags: [example, hello]
spec:
  allowed_tools: [http.request]
  steps:
    - name: greet
      tool: http.request
      config: {url: "https://example.org"}
"""


def token(
    sub: str = "ada",
    *,
    scopes: Iterable[str] = (READ, WRITE),
    roles: Iterable[str] = ("editor",),
    tenants: Iterable[str] = ("acme",),
) -> str:
    from registry.auth.tokens import mint

    return mint(SECRET, sub=sub, scopes=scopes, roles=roles, tenants=tenants)


def bearer(sub: str = "ada", **claims: Iterable[str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(sub, **claims)}"}


def capsule_headers(sub: str = "ada", *, role: str = "editor", tenant: str = "acme") -> dict[str, str]:
    return {**bearer(sub, roles=(role,), tenants=(tenant,)), "X-Tenant-ID": tenant}


def hello(*replacements: tuple[str, str]) -> str:
    """The hello-world capsule, with ``(old, new)`` text replacements."""
    text = HELLO
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One API server process on loopback; ``url`` is its base URL."""

    def __init__(self, store: Path, *, key_path: Path | None, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "JWT_SECRET": SECRET}
        env.pop("REGISTRY_SIGNING_KEY", None)
        if key_path is not None:
            env["REGISTRY_SIGNING_KEY"] = str(key_path)
        self.log_path = log
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, __file__, str(store), str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
        )

    def wait_ready(self, timeout: float = 30.0) -> Server:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}:\n{self.log_path.read_text()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server not ready after {timeout}s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


def main(store: str, port: int) -> None:
    import uvicorn

    from registry.api.app import create_app
    from registry.api.config import ApiConfig
    from registry.auth.authenticator import Authenticator
    from registry.index.live import LiveIndex
    from registry.trust.sshsig import SigningKey

    index = LiveIndex(store)
    index.start()
    key_path = os.environ.get("REGISTRY_SIGNING_KEY")
    config = ApiConfig(
        store_path=Path(store),
        index=index,
        authenticator=Authenticator.from_env(os.environ),
        key=SigningKey.load(key_path) if key_path else None,
    )
    try:
        uvicorn.run(create_app(config), host="127.0.0.1", port=port, log_level="warning")
    finally:
        index.stop()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
