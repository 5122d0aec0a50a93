"""A real API server on loopback for tests: ``registry serve`` in its own process, stopped by its pid.

:class:`Server` starts ``registry serve --store STORE --port 0`` (a port the system picks,
read from the line the server announces),
authenticating with ``JWT_SECRET`` and writing with the key at ``REGISTRY_SIGNING_KEY``
(read-only when neither that nor the store's config names a key), and waits until
``/healthz`` answers.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

#: The line ``registry serve`` prints once it listens: ``registry: serving … on http://host:port (…)``.
ANNOUNCED = re.compile(r"registry: serving .* on (http://127\.0\.0\.1:\d+) ")


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One server process: ``url`` is its Confluent-compatible base URL."""

    def __init__(self, store: Path, *, secret: str, key_path: Path | None, log: Path) -> None:
        self.base = self.url = ""
        env = {**os.environ, "JWT_SECRET": secret}
        env.pop("REGISTRY_SIGNING_KEY", None)
        if key_path is not None:
            env["REGISTRY_SIGNING_KEY"] = str(key_path)
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "registry.cli", "serve", "--store", str(store), "--port", "0"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        self.log_path = log

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}:\n{self.log_path.read_text()}")
            if not self.base:
                found = ANNOUNCED.search(self.log_path.read_text())
                if found is None:
                    time.sleep(0.05)
                    continue
                self.base = found.group(1)
                self.url = f"{self.base}/ccompat"
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server not ready after {timeout}s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()
