"""The events' outbox and what has been told, in one SQLite file in the store directory.

An event is written here, in the same transaction that marks its change as told, before
anything is sent; it leaves only once NATS acknowledged it. So an event survives NATS
being down and the server restarting, and a change is never queued twice. The outbox is
bounded (``max_pending``): when full, the oldest events are dropped, counted and logged.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from registry.events.changes import Detection, Told

FILE_NAME = "registry-events.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS told (item TEXT PRIMARY KEY, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    body BLOB NOT NULL,
    queued REAL NOT NULL
);
"""
TAG, CONTRACT, CAPSULE = "t:", "c:", "k:"
TOLD_TAG = "1"


@dataclass(frozen=True)
class Queued:
    """One event waiting for NATS."""

    seq: int
    id: str
    subject: str
    body: bytes


class Outbox:
    """The store's outbox. Use it from one thread; several processes may share the file."""

    def __init__(self, store_path: Path, *, max_pending: int = 100_000) -> None:
        self.path = store_path / FILE_NAME
        self.max_pending = max_pending
        self.db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def told(self) -> Told | None:
        """What has been told, or None before the first baseline."""
        if self.db.execute("SELECT 1 FROM meta WHERE key = 'baseline'").fetchone() is None:
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()
        told = Told(head=row[0] if row and row[0] else None)
        for item, state in self.db.execute("SELECT item, state FROM told"):
            kind, key = item[:2], item[2:]
            if kind == TAG:
                told.tags.add(key)
            elif kind == CONTRACT:
                told.contracts[key] = state
            elif kind == CAPSULE:
                told.capsules[key] = state
        return told

    def record(self, detection: Detection, *, prefix: str, base: bool = False) -> int:
        """Mark ``detection``'s items told and queue its events, at once; how many were dropped.

        ``prefix`` starts each event's NATS subject. ``base`` records the first baseline.
        """
        rows = [(TAG + ref, TOLD_TAG) for ref in detection.tags]
        rows += [(CONTRACT + name, state) for name, state in detection.contracts.items()]
        rows += [(CAPSULE + cid, state) for cid, state in detection.capsules.items()]
        now = time.time()
        with self._transaction() as db:
            db.executemany("INSERT OR REPLACE INTO told (item, state) VALUES (?, ?)", rows)
            if detection.head is not None:
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('head', ?)", (detection.head,))
            if base:
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('baseline', ?)", (str(now),))
            db.executemany(
                "INSERT OR IGNORE INTO outbox (id, subject, body, queued) VALUES (?, ?, ?, ?)",
                [(e.id, e.nats_subject(prefix), e.to_json(), now) for e in detection.events],
            )
            return self._bound(db)

    def _bound(self, db: sqlite3.Connection) -> int:
        (count,) = db.execute("SELECT COUNT(*) FROM outbox").fetchone()
        excess = count - self.max_pending
        if excess <= 0:
            return 0
        db.execute("DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox ORDER BY seq LIMIT ?)", (excess,))
        return int(excess)

    def pending(self, limit: int = 100) -> list[Queued]:
        """The oldest events waiting, in the order they were queued."""
        rows = self.db.execute("SELECT seq, id, subject, body FROM outbox ORDER BY seq LIMIT ?", (limit,))
        return [Queued(seq, id_, subject, bytes(body)) for seq, id_, subject, body in rows]

    def delivered(self, seq: int) -> None:
        self.db.execute("DELETE FROM outbox WHERE seq = ?", (seq,))

    def count(self) -> int:
        (count,) = self.db.execute("SELECT COUNT(*) FROM outbox").fetchone()
        return int(count)
