"""The connection to NATS: connect and reconnect for as long as it takes, send one event, drain.

An event counts as sent only when NATS acknowledged it: JetStream's ``PubAck`` when a
stream is configured, else a round trip (``flush``) to the server after the publish.
Publishes are never buffered by the client while disconnected (``pending_size=0``): an
event either reaches the server now or stays in the outbox, so a reconnect never replays
a message the outbox also sends again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from registry.events.cloudevents import CONTENT_TYPE
from registry.events.outbox import Queued
from registry.events.settings import EventsSettings

log = logging.getLogger("registry.events")

ACK_TIMEOUT_S = 5.0
RECONNECT_WAIT_S = 0.5
#: A stream the registry creates itself remembers ids this long (JetStream's default is 2 min).
DUPLICATE_WINDOW_S = 3600.0
#: How often a lasting outage is logged again.
QUIET_S = 60.0


class NatsLink:
    """One NATS connection for the events publisher, used from its event loop only."""

    def __init__(self, settings: EventsSettings, *, on_change: Callable[[], None] = lambda: None) -> None:
        self.settings = settings
        self.on_change = on_change
        self.nc: Any = None
        self.js: Any = None
        self._ready = asyncio.Event()
        self._last_error_log = 0.0

    @property
    def connected(self) -> bool:
        return self._ready.is_set() and self.nc is not None and self.nc.is_connected

    async def run(self) -> None:
        """Connect, retrying until it works (or the task is cancelled), then set up the stream."""
        import nats

        options: dict[str, Any] = {
            "servers": list(self.settings.nats_urls),
            "name": "registry",
            "allow_reconnect": True,
            "max_reconnect_attempts": -1,
            "reconnect_time_wait": RECONNECT_WAIT_S,
            "connect_timeout": 2,
            "pending_size": 0,
            "error_cb": self._error,
            "disconnected_cb": self._disconnected,
            "reconnected_cb": self._reconnected,
        }
        if self.settings.credentials is not None:
            options["user_credentials"] = str(self.settings.credentials)
        self.nc = await nats.connect(**options)
        log.info("events: connected to NATS")
        while True:
            try:
                await self._setup()
                break
            except Exception as exc:  # JetStream not enabled yet, or NATS went away again
                stream = self.settings.stream
                self._complain(f"events: cannot use stream {stream}: {type(exc).__name__}: {exc}")
                await asyncio.sleep(1.0)
        self._ready.set()
        self.on_change()

    async def _setup(self) -> None:
        if self.settings.stream is None:
            return
        from nats.js.errors import NotFoundError

        self.js = self.nc.jetstream(timeout=ACK_TIMEOUT_S)
        try:
            await self.js.stream_info(self.settings.stream)
        except NotFoundError:
            await self.js.add_stream(
                name=self.settings.stream,
                subjects=[f"{self.settings.subject_prefix}.>"],
                duplicate_window=DUPLICATE_WINDOW_S,
            )
            log.info("events: created JetStream stream %s", self.settings.stream)

    async def send(self, item: Queued) -> bool:
        """Publish one queued event; whether NATS acknowledged it."""
        if not self.connected:
            return False
        headers = {"Nats-Msg-Id": item.id, "Content-Type": CONTENT_TYPE}
        try:
            if self.js is not None:
                stream = self.settings.stream
                await self.js.publish(
                    item.subject, item.body, timeout=ACK_TIMEOUT_S, stream=stream, headers=headers
                )
            else:
                await self.nc.publish(item.subject, item.body, headers=headers)
                await self.nc.flush(timeout=ACK_TIMEOUT_S)
        except Exception as exc:  # not acknowledged: the event stays queued
            self._complain(f"events: NATS did not acknowledge {item.id}: {type(exc).__name__}: {exc}")
            return False
        return True

    async def close(self) -> None:
        """Drain the connection (what was sent is flushed, subscriptions end) and close it."""
        nc, self.nc = self.nc, None
        self._ready.clear()
        if nc is None or nc.is_closed:
            return
        try:
            if nc.is_connected:
                await asyncio.wait_for(nc.drain(), timeout=ACK_TIMEOUT_S)
            else:
                await nc.close()
        except Exception as exc:
            log.warning("events: closing the NATS connection: %s: %s", type(exc).__name__, exc)

    def _complain(self, message: str) -> None:
        now = time.monotonic()
        if now - self._last_error_log >= QUIET_S:
            self._last_error_log = now
            log.warning(message)

    async def _error(self, exc: Exception) -> None:
        self._complain(f"events: NATS: {type(exc).__name__}: {exc}")

    async def _disconnected(self) -> None:
        log.warning("events: disconnected from NATS; events wait in the outbox")
        self._last_error_log = time.monotonic()

    async def _reconnected(self) -> None:
        log.info("events: reconnected to NATS")
        self._last_error_log = 0.0
        self.on_change()
