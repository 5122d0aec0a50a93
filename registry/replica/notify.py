"""The primary telling its replicas to fetch: ``POST URL/-/refresh`` with the shared secret.

Fire and forget: :meth:`Notifier.notify` only records the newest head and wakes a
thread, so a push or a publish never waits on a replica. Heads that arrive while the
thread is sending are folded into one more round; a replica that does not answer is
logged and otherwise ignored (it catches up on its own interval).
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence

log = logging.getLogger("registry.replica")

SECRET_HEADER = "X-Registry-Refresh-Secret"
REFRESH_PATH = "/-/refresh"
TIMEOUT_S = 2.0


class Notifier:
    """Sends ``{"head": …}`` to every replica's refresh endpoint, in a background thread."""

    def __init__(self, replicas: Sequence[str], secret: str) -> None:
        self.replicas = tuple(url.rstrip("/") for url in replicas)
        self.secret = secret
        self._cond = threading.Condition()
        self._pending: str | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="registry-replica-notify", daemon=True)
        self._thread.start()

    def notify(self, head: str | None) -> None:
        """Ask every replica to fetch; returns at once."""
        with self._cond:
            self._pending = head or ""
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stopped:
                    self._cond.wait()
                if self._stopped:
                    return
                head, self._pending = self._pending, None
            for url in self.replicas:
                self._send(url, head or None)

    def _send(self, url: str, head: str | None) -> None:
        request = urllib.request.Request(
            url + REFRESH_PATH,
            data=json.dumps({"head": head}).encode(),
            headers={SECRET_HEADER: self.secret, "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log.warning("replica %s was not told to refresh: %s", url, exc)
