"""The live index: the current snapshot, and the ways it learns that the store changed.

``snapshot`` is always a whole :class:`IndexSnapshot`; a refresh builds the next one
aside and swaps it in with one assignment, so a reader never sees half an update. Three
things refresh it:

- ``landed(landing)``, the landing seam's listener, when this process published or
  tagged itself (``publish``'s and ``post_receive``'s ``on_landed``): synchronously, so
  the writer's next read sees its write;
- the watcher on the store's refs (``start``/``stop``), for changes by any other process;
- ``wait_for(commit)``, which refreshes before it waits.

Concurrent refreshes coalesce: a caller whose request arrived while a refresh was
running waits for the next one (which starts after its request, so it sees what the
caller saw), and one refresh serves every caller that queued during the previous one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pygit2

from registry.git.store import Store
from registry.index.board import HeadBoard
from registry.index.build import build, refresh
from registry.index.snapshot import IndexSnapshot
from registry.index.watch import RefWatcher
from registry.write.landing import Landing

log = logging.getLogger("registry.index")

Subscriber = Callable[[IndexSnapshot, IndexSnapshot], None]


class LiveIndex:
    """The index of one store, kept current; see the module docstring."""

    def __init__(
        self,
        store_path: str | Path,
        *,
        step_ms: int = 20,
        poll_s: float = 5.0,
        board: HeadBoard | None = None,
        landing_listeners: Sequence[Callable[[Landing], None]] = (),
        refresh_timer: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> None:
        self.store_path = Path(store_path)
        self.board = board
        self._cond = threading.Condition()
        self._requested = 0  # refresh requests handed out
        self._completed = 0  # every request up to this one is served
        self._running = False
        self._subscribers: list[Subscriber] = []
        #: Told of every landing this process makes, after the refresh (metrics count them by door).
        self.landing_listeners: tuple[Callable[[Landing], None], ...] = tuple(landing_listeners)
        #: Wraps every refresh (metrics time and trace it); does nothing by default.
        self.refresh_timer = refresh_timer
        store = Store.open(self.store_path)
        if board is not None:
            # Holding nothing yet: a write that lands while this index is being built waits
            # for it, instead of skipping a process whose first snapshot may predate the write.
            board.post(None)
        #: The current snapshot; replaced whole, never changed.
        self.snapshot: IndexSnapshot = build(store)
        self._ancestry = threading.Lock()
        self._repo = pygit2.Repository(str(self.store_path))
        #: ``time.time()`` of the last refresh that completed, whether or not it found changes.
        self.checked_at: float = self.snapshot.built_at
        self._watcher = RefWatcher(self.store_path, self._on_change, step_ms=step_ms, poll_s=poll_s)
        if board is not None:
            board.post(self.snapshot.head)

    # -- refreshing ---------------------------------------------------------------

    def refresh(self) -> IndexSnapshot:
        """Bring the snapshot up to what the store holds now, and return it."""
        with self._cond:
            self._requested += 1
            ticket = self._requested
            while self._completed < ticket:
                if not self._running:
                    self._running = True
                    covers = self._requested
                    break
                self._cond.wait()
            else:
                return self.snapshot
        old = self.snapshot
        new, done = old, False
        try:
            with self.refresh_timer():
                new = refresh(Store.open(self.store_path), old)
            done = True
        finally:  # a failed refresh serves nobody: a waiting caller runs the next one
            with self._cond:
                self._running = False
                if done:
                    self.snapshot = new
                    self.checked_at = time.time()
                    self._completed = covers
                self._cond.notify_all()
        if new is not old:
            if self.board is not None:
                self.board.post(new.head)
            self._tell(old, new)
        return new

    def landed(self, landing: Landing) -> None:
        """The landing seam's listener: this process published; read it before returning.

        With a ``board`` (several serving processes), also waits until every one of them
        holds the write. Never raises: the write has landed whatever the index does, and a
        door must not report it as failed (the watcher catches up when this could not).
        """
        try:
            self.refresh()
            if self.board is not None and not self.board.wait_all(str(landing.head)):
                log.warning("not every serving process holds %s yet", landing.head)
        except Exception:
            log.exception("index refresh after %s landing at %s failed", landing.door, landing.head)
        for listener in self.landing_listeners:
            try:
                listener(landing)
            except Exception:
                log.exception("a landing listener failed")

    def wait_for(self, commit: str, timeout: float = 5.0) -> IndexSnapshot | None:
        """The snapshot once its head is ``commit`` or a descendant of it; None after ``timeout``.

        Refreshes first, so a commit already on ``main`` is found at once even without
        the watcher; then waits for the watcher's refreshes, re-reading now and then.
        """
        deadline = time.monotonic() + timeout
        snap = self.snapshot
        if self._holds(snap, commit):
            return snap
        while True:
            snap = self.refresh()
            if self._holds(snap, commit):
                return snap
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            with self._cond:
                if self.snapshot is snap:
                    self._cond.wait(min(remaining, 0.1))

    def _holds(self, snap: IndexSnapshot, commit: str) -> bool:
        if snap.head is None:
            return False
        if snap.head == commit:
            return True
        with self._ancestry:
            try:
                return bool(self._repo.descendant_of(snap.head, commit))
            except (KeyError, ValueError, pygit2.GitError):
                return False  # not in the store (yet)

    # -- telling ------------------------------------------------------------------

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(old, new)`` after every swap (in the refreshing thread); returns
        the function that unsubscribes it."""
        with self._cond:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._cond:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def _tell(self, old: IndexSnapshot, new: IndexSnapshot) -> None:
        with self._cond:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(old, new)
            except Exception:
                log.exception("an index subscriber failed")

    # -- watching -----------------------------------------------------------------

    def start(self) -> None:
        """Watch the store's refs and refresh on every change; catch up on what changed
        between the cold build and the watch."""
        self._watcher.start()
        self.refresh()

    def stop(self) -> None:
        self._watcher.stop()
        if self.board is not None:
            self.board.leave()

    def _on_change(self) -> None:
        self.refresh()
