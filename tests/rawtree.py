"""Git trees written byte for byte, for entries porcelain would never make: any mode, any name."""

from __future__ import annotations

import re

import pygit2
from pygit2.enums import ObjectType

from registry.git.store import Identity, Store

TREE, FILE, EXECUTABLE, SYMLINK, GITLINK = 0o40000, 0o100644, 0o100755, 0o120000, 0o160000
_ENTRY = re.compile(rb"(\d+) ([^\0]*)\0(.{20})", re.S)

Entries = dict[bytes, tuple[int, pygit2.Oid]]


def read_tree(repo: pygit2.Repository, oid: pygit2.Oid | None) -> Entries:
    if oid is None:
        return {}
    raw = repo.odb.read(oid)[1]
    return {name: (int(mode, 8), pygit2.Oid(raw=sha)) for mode, name, sha in _ENTRY.findall(raw)}


def write_tree(repo: pygit2.Repository, entries: Entries) -> pygit2.Oid:
    """A tree object in git's order (a directory sorts as if its name ended in '/')."""

    def order(item: tuple[bytes, tuple[int, pygit2.Oid]]) -> bytes:
        name, (mode, _) = item
        return name + b"/" if mode == TREE else name

    raw = b"".join(
        b"%o %s\0%s" % (mode, name, oid.raw) for name, (mode, oid) in sorted(entries.items(), key=order)
    )
    return repo.odb.write(ObjectType.TREE, raw)


def put(
    repo: pygit2.Repository, root: pygit2.Oid | None, path: bytes, mode: int, oid: pygit2.Oid
) -> pygit2.Oid:
    """``root`` with the entry at ``path`` set to ``(mode, oid)``, directories made as needed."""
    head, _, rest = path.partition(b"/")
    entries = read_tree(repo, root)
    if not rest:
        entries[head] = (mode, oid)
    else:
        sub = entries.get(head)
        entries[head] = (TREE, put(repo, sub[1] if sub and sub[0] == TREE else None, rest, mode, oid))
    return write_tree(repo, entries)


def nested(repo: pygit2.Repository, depth: int, leaf: pygit2.Oid, *, name: bytes = b"d") -> pygit2.Oid:
    """A tree ``depth`` directories deep with one file at the bottom."""
    oid = write_tree(repo, {b"f.md": (FILE, leaf)})
    for _ in range(depth - 1):
        oid = write_tree(repo, {name: (TREE, oid)})
    return oid


def commit_tree(store: Store, tree: pygit2.Oid, *, advance: bool = False) -> pygit2.Oid:
    """A commit of ``tree`` on top of ``main``; ``advance`` moves main there without the gate."""
    head = store.head()
    commit = store.write_commit(
        tree=tree,
        parents=[head] if head else [],
        message="raw\n",
        author=Identity(),
        committer=Identity(),
        key=None,
    )
    if advance:
        store.repo.references.get("refs/heads/main").set_target(commit)
    return commit


def head_tree(store: Store) -> pygit2.Oid:
    return store.repo[store.head()].peel(pygit2.Tree).id
