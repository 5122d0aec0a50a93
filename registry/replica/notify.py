"""The primary telling its replicas to fetch: ``POST URL/-/refresh`` with the shared secret.

Fire and forget: :meth:`Notifier.notify` only records the newest head and wakes a
thread, so a push or a publish never waits on a replica. Heads that arrive while the
thread is sending are folded into one more round; a replica that does not answer is
logged and otherwise ignored (it catches up on its own interval). A ``post-receive`` hook
that runs without a resident gate is a short-lived process: it starts ``python -m
registry.replica.notify HEAD`` detached (:func:`notify_detached`), which outlives it.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence

from registry.environment import environment
from registry.errors import RegistryError
from registry.replica.settings import ReplicationSettings
from registry.write.landing import Landing, OnLanded

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
        self._send_to(url, self.secret, head)

    @staticmethod
    def _send_to(url: str, secret: str, head: str | None) -> None:
        request = urllib.request.Request(
            url + REFRESH_PATH,
            data=json.dumps({"head": head}).encode(),
            headers={SECRET_HEADER: secret, "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log.warning("replica %s was not told to refresh: %s", url, exc)


def send_once(settings: ReplicationSettings, head: str | None) -> None:
    """Tell every replica of ``settings`` now, one after the other (the detached process)."""
    if settings.refresh_secret is None:
        return
    for url in settings.replicas:
        Notifier._send_to(url.rstrip("/"), settings.refresh_secret, head)


def notify_detached(head: str, env: Mapping[str, str]) -> None:
    """Start a process that tells the replicas of ``head``, and do not wait for it.

    Its output goes nowhere: git reads a hook's output until every copy of its pipe is
    closed, so a child holding it would hold the push.
    """
    subprocess.Popen(
        [sys.executable, "-m", "registry.replica.notify", head],
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def landing_listener(env: Mapping[str, str], *, detached: bool) -> OnLanded | None:
    """An ``on_landed`` listener that tells ``REGISTRY_REPLICAS`` of each landing's head, or
    None without replicas. Bad settings are reported on stderr and tell no one: the push is
    accepted already and must still be tagged."""
    try:
        settings = ReplicationSettings.from_env(env)
    except RegistryError as exc:
        print(f"registry: warning: replicas are not told of pushes: {exc.message}", file=sys.stderr)
        return None
    if not settings.replicas or settings.refresh_secret is None:
        return None
    if detached:

        def spawn(landing: Landing) -> None:
            notify_detached(str(landing.head), env)

        return spawn
    notifier = Notifier(settings.replicas, settings.refresh_secret)

    def tell(landing: Landing) -> None:
        notifier.notify(str(landing.head))

    return tell


if __name__ == "__main__":
    send_once(ReplicationSettings.from_env(environment()), sys.argv[1] if len(sys.argv) > 1 else None)
