"""The store layer: tree diffs that skip equal subtrees, and ref listings by prefix."""

from __future__ import annotations

from pathlib import Path

from support import git

from registry.git.store import Identity, Snapshot, Store
from registry.trust.sshsig import SigningKey


def commit(store: Store, changes: dict[str, bytes | None]):
    head = store.head()
    tree = store.write_tree(head, changes)
    oid = store.write_commit(
        tree=tree,
        parents=[head] if head else [],
        message="x\n",
        author=Identity(),
        committer=Identity(),
        key=None,
    )
    store.advance(expected=head, new=oid, tags={}, reflog="x")
    return oid


def test_changed_paths_lists_exactly_the_blobs_that_differ(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "s.git")
    a = commit(store, {"a/x": b"1", "a/b/y": b"2", "c/z": b"3", "top": b"4"})
    b = commit(store, {"a/b/y": b"changed", "c/z": None, "new/deep/file": b"5", "top": b"4"})
    c = commit(store, {"top": None, "top/inner": b"a file became a directory"})
    assert store.snapshot(b).changed_paths(store.snapshot(a)) == ["a/b/y", "c/z", "new/deep/file"]
    assert store.snapshot(c).changed_paths(store.snapshot(b)) == ["top", "top/inner"]
    assert store.snapshot(a).changed_paths(store.snapshot(a)) == []
    assert store.snapshot(a).changed_paths(Snapshot(store.repo, None)) == sorted(
        ["a/x", "a/b/y", "c/z", "top"]
    )


def test_refs_under_sees_loose_and_packed_refs_by_prefix(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "s.git")
    oid = commit(store, {"f": b"x"})
    key = SigningKey.generate()
    names = ["contracts/a/1.0.0", "contracts/a/1.1.0", "contracts/ab/1.0.0", "contracts/b/2.0.0"]
    for name in names[:2]:
        tag = store.write_tag(name=name, target=oid, message="m", tagger=Identity(), key=key)
        store.create_tag_ref(f"refs/tags/{name}", tag)
    git(f"--git-dir={store.path}", "pack-refs", "--all")
    for name in names[2:]:
        tag = store.write_tag(name=name, target=oid, message="m", tagger=Identity(), key=key)
        store.create_tag_ref(f"refs/tags/{name}", tag)
    fresh = Store.open(store.path)
    assert sorted(fresh.refs_under("refs/tags/contracts/a/")) == [
        "refs/tags/contracts/a/1.0.0",
        "refs/tags/contracts/a/1.1.0",
    ]
    assert sorted(fresh.refs_under("refs/tags/contracts/")) == [f"refs/tags/{n}" for n in names]
    assert fresh.refs_under("refs/tags/capsules/") == {}
