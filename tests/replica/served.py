"""``registry serve`` processes on loopback for the replica and git tests, each stopped by its pid."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ANNOUNCED = re.compile(r"registry: serving .* on (http://127\.0\.0\.1:\d+) ")


class Served:
    """One ``registry serve`` process; ``url`` is its base URL once :meth:`wait` returned."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.url = ""
        self.log_path = log
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "registry.cli", "serve", *args],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
        )

    def wait(self, timeout: float = 60.0) -> Served:
        """Until ``/readyz`` answers 200: the index is built (a replica's after its first fetch)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}:\n{self.log_path.read_text()}")
            if not self.url:
                found = ANNOUNCED.search(self.log_path.read_text())
                if found is not None:
                    self.url = found.group(1)
            if self.url:
                try:
                    if httpx.get(f"{self.url}/readyz", timeout=1.0).status_code == 200:
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
