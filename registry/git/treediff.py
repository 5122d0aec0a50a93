"""Which paths differ between two trees, reading only the subtrees whose ids differ."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

import pygit2

# A raw tree entry: "<mode> <name>\0<20-byte id>" (git's tree object format).
_TREE_ENTRY = re.compile(rb"(\d+) ([^\0]*)\0(.{20})", re.S)
_TREE_MODE = b"40000"


def _records(repo: pygit2.Repository, tree: pygit2.Tree | None) -> frozenset[tuple[bytes, bytes, bytes]]:
    """A tree's raw entries, remembered by tree id (an id fixes the content).

    One regex over the raw object is several times faster than a TreeEntry per row, and
    the tree a push starts from was the previous push's new tree, so a long-running gate
    parses each large tree once. Keyed by id alone, so it outlives the Repository object.
    """
    if tree is None:
        return frozenset()
    with _TREE_LOCK:
        hit = _TREE_CACHE.get(tree.id)
        if hit is not None:
            _TREE_CACHE.move_to_end(tree.id)
            return hit
    records = frozenset(_TREE_ENTRY.findall(repo.odb.read(tree.id)[1]))
    with _TREE_LOCK:
        _TREE_CACHE[tree.id] = records
        while len(_TREE_CACHE) > 16:
            _TREE_CACHE.popitem(last=False)
    return records


_TREE_CACHE: OrderedDict[pygit2.Oid, frozenset[tuple[bytes, bytes, bytes]]] = OrderedDict()
_TREE_LOCK = threading.Lock()


def diff_trees(
    repo: pygit2.Repository, old: pygit2.Tree | None, new: pygit2.Tree | None, prefix: str
) -> set[str]:
    if old is not None and new is not None and old.id == new.id:
        return set()
    before, after = _records(repo, old), _records(repo, new)
    sides: dict[bytes, list[tuple[bytes, bytes] | None]] = {}
    for mode, name, oid in before - after:
        sides.setdefault(name, [None, None])[0] = (mode, oid)
    for mode, name, oid in after - before:
        sides.setdefault(name, [None, None])[1] = (mode, oid)
    paths: set[str] = set()
    for name, (a, b) in sides.items():
        path = prefix + name.decode("utf-8", "surrogateescape")
        a_tree = repo[pygit2.Oid(raw=a[1])] if a is not None and a[0] == _TREE_MODE else None
        b_tree = repo[pygit2.Oid(raw=b[1])] if b is not None and b[0] == _TREE_MODE else None
        if a_tree is not None or b_tree is not None:
            paths |= diff_trees(repo, a_tree, b_tree, path + "/")
        if (a is not None and a_tree is None) or (b is not None and b_tree is None):
            paths.add(path)
    return paths
