"""``registry serve`` as a real process: started on a free port, its stderr (the JSON log) kept
in a file, stopped by its pid with SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from registry.auth.tokens import mint

SECRET = "served-tests-" + "q" * 40
READ, WRITE = "contracts:read", "contracts:write"


def token(*scopes: str, sub: str = "ops-tester") -> str:
    return mint(SECRET, sub=sub, scopes=scopes or (READ, WRITE))


@dataclass
class Served:
    proc: subprocess.Popen[str]
    url: str
    log_path: Path
    headers: dict[str, str] = field(default_factory=lambda: {"Authorization": f"Bearer {token()}"})

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.url + path, headers={**self.headers, **kwargs.pop("headers", {})}, timeout=10)

    def post(self, path: str, body: Any, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return httpx.post(self.url + path, json=body, headers=headers, timeout=30)

    def log_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line.startswith("{")]

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, and wait for a graceful exit; the exit status."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return int(self.proc.returncode)


def start_serve(store: Path, log_path: Path, *extra: str, env: dict[str, str] | None = None) -> Served:
    """``registry serve --store STORE --port 0`` with a JWT secret; returns once it answers."""
    log = log_path.open("a")
    proc = subprocess.Popen(
        [sys.executable, "-m", "registry.cli", "serve", "--store", str(store), "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "JWT_SECRET": SECRET, **(env or {})},
    )
    log.close()
    line = proc.stdout.readline() if proc.stdout else ""
    url = next((w for w in line.split() if w.startswith("http://")), None)
    served = Served(proc, url or "", log_path)
    if url is None:
        served.stop()
        raise AssertionError(f"registry serve did not start: {line!r}\n{log_path.read_text()}")
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                return served
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            served.stop()
            raise AssertionError(f"registry serve did not become ready\n{log_path.read_text()}")
        time.sleep(0.05)
