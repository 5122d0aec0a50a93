"""The events publisher of a serving process: index snapshots in, CloudEvents on NATS out.

It listens to the live index (every swapped-in snapshot), finds the changes nobody was
told of yet (``changes.py``), queues their events in the store's outbox (``outbox.py``)
and sends them to NATS (``nats_link.py``), in the order they were queued, until each is
acknowledged. It runs in a thread of its own with its own event loop, so the HTTP server's
loop and the index's refreshes never wait on NATS.

Several processes may serve one store (``--workers N``, or replicas on one host): one
of them at a time, holding an exclusive lock on ``registry-events.lock`` in the store,
detects and sends; the others wait to take over. Takeover compares the new holder's
index with what was told, so nothing is lost and nothing is told twice.

Delivery is at least once: an event is stored before it is sent and removed only once
NATS acknowledged it; the one repeat that can happen (acknowledged, then the process died
before removing it) has the same id, which JetStream's duplicate window drops.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from registry.events.changes import Detection, History, Told, baseline, detect
from registry.events.history import MainHistory
from registry.events.nats_link import NatsLink
from registry.events.outbox import Outbox
from registry.events.settings import EventsSettings
from registry.index.snapshot import IndexSnapshot

log = logging.getLogger("registry.events")

LOCK_NAME = "registry-events.lock"
#: How often the publisher looks again without being woken: retries, lock takeover.
TICK_S = 1.0
BATCH = 200


class Index(Protocol):
    """What the publisher needs of the live index."""

    @property
    def snapshot(self) -> IndexSnapshot | None: ...

    def subscribe(self, callback: Callable[[IndexSnapshot, IndexSnapshot], None]) -> object: ...


class EventsListener(Protocol):
    """Who hears how the publisher is doing (the serving process's metrics, in ``ops``)."""

    def pending(self, count: int) -> None:
        """``count`` events wait in the outbox."""

    def dropped(self, count: int) -> None:
        """The outbox was full: its ``count`` oldest events were dropped."""

    def failed(self) -> None:
        """A send was not acknowledged."""

    def published(self, event_type: str) -> None:
        """NATS acknowledged one event of CloudEvents type ``event_type``."""


class Unheard:
    """The listener of a publisher nobody watches."""

    def pending(self, count: int) -> None:
        pass

    def dropped(self, count: int) -> None:
        pass

    def failed(self) -> None:
        pass

    def published(self, event_type: str) -> None:
        pass


class EventsService:
    """Detects changes in the index's snapshots and publishes their events to NATS."""

    def __init__(
        self,
        settings: EventsSettings,
        *,
        store_path: Path,
        index: Index,
        history: Callable[[Path], History] = MainHistory,
        listener: EventsListener | None = None,
    ) -> None:
        self.settings = settings
        self.listener: EventsListener = listener or Unheard()
        self.store_path = store_path
        self.index = index
        self._history_of = history
        self._snapshots: collections.deque[IndexSnapshot] = collections.deque()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = threading.Event()
        self._started = threading.Event()
        self._lock_fd: int | None = None
        self._told: Told | None = None
        self._previous: IndexSnapshot | None = None

    # -- the index's side ------------------------------------------------------------

    def offer(self, snapshot: IndexSnapshot) -> None:
        """A snapshot the index swapped in; cheap, from any thread."""
        self._snapshots.append(snapshot)
        self._poke()

    def _on_swap(self, _old: IndexSnapshot, new: IndexSnapshot) -> None:
        self.offer(new)

    def _poke(self) -> None:
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: the service is stopping
                loop.call_soon_threadsafe(wake.set)

    # -- life ------------------------------------------------------------------------

    def start(self) -> EventsService:
        """Subscribe to the index and start the publisher thread."""
        self.index.subscribe(self._on_swap)
        current = self.index.snapshot
        if current is not None and current.built_at > 0:
            self._snapshots.append(current)
        self._thread = threading.Thread(target=self._run, name="registry-events", daemon=True)
        self._thread.start()
        self._started.wait(timeout=10)
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Tell what the index saw last, send what NATS takes within the drain timeout, drain NATS."""
        if self._thread is None:
            return
        self._stopping.set()
        self._poke()
        self._thread.join(timeout if timeout is not None else self.settings.drain_timeout_s + 10)
        if self._thread.is_alive():
            log.warning("events: the publisher did not stop in time; queued events stay in the outbox")
        self._thread = None

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception:
            log.exception("events: the publisher stopped on an error; queued events stay in the outbox")
        finally:
            self._release()
            self._started.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._wake.set()
        self._started.set()
        link = NatsLink(self.settings, on_change=self._poke)
        connecting = asyncio.create_task(link.run())
        outbox = Outbox(self.store_path, max_pending=self.settings.outbox_max)
        history = self._history_of(self.store_path)
        try:
            while not self._stopping.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=TICK_S)
                self._wake.clear()
                await self._round(outbox, link, history, deadline=None)
            if self._lock_fd is not None:  # last words: what the index saw last, within the drain time
                await self._round(
                    outbox, link, history, deadline=time.monotonic() + self.settings.drain_timeout_s
                )
        finally:
            connecting.cancel()
            await asyncio.gather(connecting, return_exceptions=True)
            await link.close()
            outbox.close()

    async def _round(
        self, outbox: Outbox, link: NatsLink, history: History, *, deadline: float | None
    ) -> None:
        """Tell what the new snapshots mean and send what is queued; a failure waits for the next round."""
        if not self._lead():  # the holder tells; on takeover only the latest snapshot matters
            while len(self._snapshots) > 1:
                self._snapshots.popleft()
            return
        try:
            self._detect(outbox, history)
            await self._send(outbox, link, deadline=deadline)
        except Exception:  # the store or its outbox could not be read or written: try again
            log.exception("events: this round failed; its changes are told in the next one")
            self._told = self._previous = None  # read again, and compare every entry

    # -- leading -----------------------------------------------------------------------

    def _lead(self) -> bool:
        """Whether this process holds the store's events lock (taking it when free)."""
        if self._lock_fd is not None:
            return True
        fd = os.open(self.store_path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd
        self._told = None  # read again: another process may have told more meanwhile
        self._previous = None
        log.info("events: this process publishes the store's events (pid %d)", os.getpid())
        return True

    def _release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the lock
            self._lock_fd = None

    # -- detecting ---------------------------------------------------------------------

    def _detect(self, outbox: Outbox, history: History) -> None:
        m = self.listener
        while self._snapshots:
            snapshot = self._snapshots[0]  # taken off only once what it means is queued
            if self._told is None:
                self._told = outbox.told()
                if self._told is None:
                    first = baseline(snapshot)
                    outbox.record(first, prefix=self.settings.subject_prefix, base=True)
                    self._told = _apply(Told(), first)
                    self._previous = self._snapshots.popleft()
                    log.info("events: first start; %d versions taken as already told", len(first.tags))
                    continue
            found = detect(
                self._told, snapshot, history=history, previous=self._previous, source=self.settings.source
            )
            dropped = (
                outbox.record(found, prefix=self.settings.subject_prefix) if found.changed(self._told) else 0
            )
            _apply(self._told, found)
            self._previous = self._snapshots.popleft()
            if dropped:
                m.dropped(dropped)
                log.error(
                    "events: the outbox is full (%d); the %d oldest events were dropped",
                    self.settings.outbox_max,
                    dropped,
                )
            for event in found.events:
                log.info("events: queued %s %s (%s)", event.type.value, event.subject, event.id)
        m.pending(outbox.count())

    async def _send(self, outbox: Outbox, link: NatsLink, *, deadline: float | None) -> None:
        m = self.listener
        while True:
            batch = outbox.pending(BATCH)
            if not batch:
                m.pending(0)
                return
            for item in batch:
                if deadline is not None and time.monotonic() > deadline:
                    return
                if not link.connected:
                    m.pending(outbox.count())
                    return
                if not await link.send(item):
                    m.failed()
                    m.pending(outbox.count())
                    return
                outbox.delivered(item.seq)
                m.published(_type_of(item.body))


def _apply(told: Told, found: Detection) -> Told:
    told.tags.update(found.tags)
    told.contracts.update(found.contracts)
    told.capsules.update(found.capsules)
    if found.head is not None:
        told.head = found.head
    return told


def _type_of(body: bytes) -> str:
    try:
        return str(json.loads(body)["type"])
    except (ValueError, KeyError, TypeError):
        return "unknown"


def start_events(
    settings: EventsSettings, *, store_path: Path, index: Index, listener: EventsListener | None = None
) -> EventsService | None:
    """Start publishing the store's lifecycle events when ``settings`` name a NATS server."""
    if not settings.enabled:
        return None
    return EventsService(settings, store_path=store_path, index=index, listener=listener).start()
