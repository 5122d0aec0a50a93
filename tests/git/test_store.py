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


def index_tree(store: Store, base, changes: dict[str, bytes | None]):
    """The tree git's own index builds for the same changes: the reference write_tree must match."""
    import pygit2
    from pygit2.enums import FileMode

    index = pygit2.Index()
    if base is not None:
        index.read_tree(store.repo[base].peel(pygit2.Tree))
    for path, data in changes.items():
        if data is None:
            if path in index:
                index.remove(path)
        else:
            index.add(pygit2.IndexEntry(path, store.repo.create_blob(data), FileMode.BLOB))
    return index.write_tree(store.repo)


def test_write_tree_builds_the_tree_git_index_builds(tmp_path: Path) -> None:
    store = Store.create(tmp_path / "s.git")
    steps: list[dict[str, bytes | None]] = [
        {"registry.yaml": b"p", "contracts/a/schema.json": b"{}", "contracts/a/contract.yaml": b"a"},
        {
            "contracts/b/schema.json": b"{}",
            "capsules/t/c/capsule.yaml": b"c",
            "contracts/a/schema.json": b"[]",
        },
        {"contracts/a/schema.json": None, "contracts/a/contract.yaml": None},  # the directory goes too
        {"capsules/t/c/capsule.yaml": None, "missing/file": None},  # deleting what is not there: nothing
        {"contracts": None},  # a directory is not a file: deleting it by name changes nothing
    ]
    head = None
    for changes in steps:
        tree = store.write_tree(head, changes)
        assert tree == index_tree(store, head, changes), changes
        head = store.write_commit(
            tree=tree,
            parents=[head] if head else [],
            message="x\n",
            author=Identity(),
            committer=Identity(),
            key=None,
        )
    assert sorted(store.snapshot(head).changed_paths(Snapshot(store.repo, None))) == [
        "contracts/b/schema.json",
        "registry.yaml",
    ]
    emptied = store.write_tree(head, {"contracts/b/schema.json": None, "registry.yaml": None})
    assert emptied == index_tree(store, head, {"contracts/b/schema.json": None, "registry.yaml": None})
    assert len(store.repo[emptied]) == 0
