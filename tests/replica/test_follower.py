"""The follower's account of its lag: when the last fetch succeeded, and whether the primary is
known to be ahead."""

from __future__ import annotations

from pathlib import Path

from registry.git.store import Store
from registry.replica.follower import Follower
from registry.replica.mirror import Mirror


def test_a_replica_that_cannot_fetch_reports_the_primary_ahead_once_told_of_a_new_head(
    tmp_path: Path,
) -> None:
    follower = Follower(Mirror(tmp_path / "data", f"file://{tmp_path}/nowhere.git"), primary="http://primary")
    follower.mirror.ensure()
    assert follower.sync_once() is None
    status = follower.status()
    assert status["last_fetch"] is None and "nowhere.git" in status["last_error"]
    assert status["primary_ahead"] is None  # nothing known of the primary yet
    follower.trigger("a" * 40)
    assert follower.status()["primary_ahead"] is True
    assert follower.status()["primary_head"] == "a" * 40


def test_a_successful_fetch_after_an_announcement_settles_the_lag(
    tmp_path: Path, example_store: Store
) -> None:
    follower = Follower(Mirror(tmp_path / "data", f"file://{example_store.path}"), primary="http://primary")
    follower.mirror.ensure()
    follower.trigger(str(example_store.head()))
    assert follower.status()["primary_ahead"] is True
    result = follower.sync_once()
    assert result is not None and result.head == str(example_store.head())
    status = follower.status()
    assert status["primary_ahead"] is False
    assert status["last_fetch"]["age_seconds"] < 5
    assert status["refused"] == {"count": 0, "tags": []}
    assert Store.open(follower.mirror.path).head() == example_store.head()


def test_a_sync_keeps_the_replica_refs_packed_as_the_primary_does(
    tmp_path: Path, example_store: Store
) -> None:
    mirror = Mirror(tmp_path / "data", f"file://{example_store.path}", pack_threshold=1)
    mirror.sync()
    served = Store.open(mirror.path).refs_under("refs/tags/")
    assert served, "the example store's versions are served"
    # Every tag, served and mirrored, now lives in packed-refs, none as a loose file.
    for loose in ("tags", "mirror"):
        assert not [p for p in (mirror.path / "refs" / loose).rglob("*") if p.is_file()], loose
    packed = (mirror.path / "packed-refs").read_text()
    assert all(f" {ref}\n" in packed for ref in served)
