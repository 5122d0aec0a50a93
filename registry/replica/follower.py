"""Keeping a replica current: a fetch every interval, and at once when the primary says so.

One thread runs every sync, so fetches never overlap; a refresh request that arrives
during a sync makes the thread sync once more right after it. The follower remembers
when the last fetch succeeded, the newest head the primary announced, and what it
refused to serve, for ``/readyz``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from registry.errors import RegistryError
from registry.replica.mirror import Mirror, SyncResult

log = logging.getLogger("registry.replica")

#: How many refused tags ``/readyz`` lists by name (all are counted).
LISTED_REFUSALS = 20


class Follower:
    """Runs ``mirror.sync()`` on an interval and on request; calls ``on_synced`` after each."""

    def __init__(
        self,
        mirror: Mirror,
        *,
        primary: str,
        interval_s: float = 30.0,
        on_synced: Callable[[SyncResult], None] = lambda _result: None,
    ) -> None:
        self.mirror = mirror
        self.primary = primary  # where writes go: the primary's HTTP address
        self.interval_s = interval_s
        self.on_synced = on_synced
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.last_success: float | None = None
        self.last_attempt: float | None = None
        self.last_error: str | None = None
        self.announced: str | None = None  # the newest head the primary told of
        self._announced_at = 0.0
        self.head: str | None = None  # the primary's head as last fetched

    def start(self) -> None:
        """Follow from now on, the first fetch at once. It runs on the follower's thread, so a
        first mirror of a large store does not keep the server from answering its probes
        (``/readyz`` says not ready until the replica holds something)."""
        self.mirror.ensure()
        self._wake.set()
        self._thread = threading.Thread(target=self._run, name="registry-replica", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def trigger(self, head: str | None = None) -> None:
        """Fetch as soon as possible; ``head`` is the primary's head, when it said."""
        if head is not None:
            with self._lock:
                self.announced, self._announced_at = head, time.time()
        self._wake.set()

    def sync_once(self) -> SyncResult | None:
        started = self.last_attempt = time.time()
        try:
            result = self.mirror.sync()
        except RegistryError as exc:
            self.last_error = exc.message
            log.warning("replica sync failed: %s", exc.message)
            return None
        except Exception as exc:  # the follower outlives one failed sync; the next one retries
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.exception("replica sync failed")
            return None
        self.last_success, self.last_error = time.time(), None
        self.head = result.head
        with self._lock:
            if self._announced_at <= started:  # this fetch saw the primary after it announced
                self.announced = None
        try:
            self.on_synced(result)
        except Exception:
            log.exception("a replica sync listener failed")
        return result

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval_s)
            self._wake.clear()
            if self._stop.is_set():
                break
            self.sync_once()

    def behind(self) -> bool | None:
        """Whether the primary's head is known to be ahead of what this replica serves;
        None when nothing is known of it (no fetch succeeded, nothing announced)."""
        with self._lock:
            announced = self.announced
        if announced is not None and not self.mirror.holds(announced):
            return True
        if self.last_success is None:
            return None
        return False

    def status(self) -> dict[str, Any]:
        """The replica's part of ``/readyz``."""
        now = time.time()
        refused = sorted(self.mirror.refused.values(), key=lambda r: r.tag)
        held = self.mirror.held_back
        return {
            "primary": self.primary,
            "last_fetch": _when(self.last_success, now),
            "last_attempt": _when(self.last_attempt, now),
            "last_error": self.last_error,
            "primary_head": self.announced or self.head,
            "primary_ahead": self.behind(),
            "refused": {
                "count": len(refused),
                "tags": [
                    {"tag": r.tag, "tag_id": r.tag_id, "reason": r.reason} for r in refused[:LISTED_REFUSALS]
                ],
            },
            # Signed, but after a refused contract version: serving them would shift schema ids.
            "held_back": {"count": len(held), "tags": list(held[:LISTED_REFUSALS])},
        }


def _when(stamp: float | None, now: float) -> dict[str, Any] | None:
    if stamp is None:
        return None
    return {
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp)),
        "age_seconds": round(now - stamp, 3),
    }
