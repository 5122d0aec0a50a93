"""The health page's count of pending events reads the store's outbox without writing to it."""

from __future__ import annotations

from pathlib import Path

from registry.api.ui.health import pending_events
from registry.events.outbox import FILE_NAME, Outbox


def test_no_outbox_means_events_are_off_and_nothing_is_created(tmp_path: Path) -> None:
    assert pending_events(tmp_path) is None
    assert not (tmp_path / FILE_NAME).exists()


def test_events_waiting_in_the_outbox_are_counted(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path)
    try:
        assert pending_events(tmp_path) == 0
        for n in range(3):
            outbox.db.execute(
                "INSERT INTO outbox (id, subject, body, queued) VALUES (?, 's', x'7b7d', 0)", (f"e{n}",)
            )
        assert pending_events(tmp_path) == 3
        outbox.delivered(1)
        assert pending_events(tmp_path) == 2
    finally:
        outbox.close()


def test_an_unreadable_outbox_is_not_an_error(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_bytes(b"not a database")
    assert pending_events(tmp_path) is None
