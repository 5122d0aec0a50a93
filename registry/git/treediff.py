"""Which entries differ between two trees, with their modes, reading only the subtrees whose ids differ."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Change:
    """One entry that differs between two trees: its path and mode on each side.

    ``mode`` and ``oid`` describe the new side and are None when the entry was deleted;
    ``old_mode`` is None when it was added. Modes are git's (``0o100644`` a file,
    ``0o100755`` executable, ``0o120000`` a symlink, ``0o160000`` a gitlink, ``0o40000``
    a directory). A directory is reported itself only when it is empty or lies deeper
    than the walk goes; otherwise its entries are. Paths are decoded as UTF-8 with
    ``surrogateescape``, so a name that is not UTF-8 keeps its bytes.
    """

    path: str
    mode: int | None
    oid: pygit2.Oid | None
    old_mode: int | None


TREE = 0o40000
#: Trees nested deeper than this are reported as a directory entry, not walked.
MAX_WALK_DEPTH = 32


def _side(record: tuple[bytes, bytes] | None) -> tuple[int | None, pygit2.Oid | None]:
    if record is None:
        return None, None
    return int(record[0], 8), pygit2.Oid(raw=record[1])


def diff_entries(
    repo: pygit2.Repository,
    old: pygit2.Tree | None,
    new: pygit2.Tree | None,
    *,
    max_depth: int = MAX_WALK_DEPTH,
    limit: int | None = None,
) -> tuple[list[Change], bool]:
    """The entries that differ between two trees, and whether the walk stopped at ``limit``.

    Walked without recursion, so a tree nested thousands of levels costs a loop, not the
    stack; below ``max_depth`` a directory is reported as one entry. With ``limit``, the
    walk stops once more than ``limit`` entries were found (the second value is then True),
    so a change that adds a million files is judged without listing them all.
    """
    changes: list[Change] = []
    stack: list[tuple[pygit2.Tree | None, pygit2.Tree | None, str, int]] = [(old, new, "", 1)]
    while stack:
        a_tree, b_tree, prefix, depth = stack.pop()
        if a_tree is not None and b_tree is not None and a_tree.id == b_tree.id:
            continue
        before, after = _records(repo, a_tree), _records(repo, b_tree)
        if b_tree is not None and not after and prefix:
            changes.append(Change(prefix.rstrip("/"), TREE, b_tree.id, TREE if a_tree is not None else None))
        sides: dict[bytes, list[tuple[bytes, bytes] | None]] = {}
        for mode, name, oid in before - after:
            sides.setdefault(name, [None, None])[0] = (mode, oid)
        for mode, name, oid in after - before:
            sides.setdefault(name, [None, None])[1] = (mode, oid)
        for name, (a, b) in sides.items():
            path = prefix + name.decode("utf-8", "surrogateescape")
            a_mode, a_oid = _side(a)
            b_mode, b_oid = _side(b)
            a_sub = repo[a_oid] if a_mode == TREE else None
            b_sub = repo[b_oid] if b_mode == TREE else None
            if (a_sub is not None or b_sub is not None) and depth >= max_depth:
                changes.append(Change(path, b_mode, b_oid, a_mode))
                continue
            if a_sub is not None or b_sub is not None:
                stack.append((a_sub, b_sub, path + "/", depth + 1))
            if (a is not None and a_sub is None) or (b is not None and b_sub is None):
                new_side = b is not None and b_sub is None
                changes.append(
                    Change(
                        path,
                        b_mode if new_side else None,
                        b_oid if new_side else None,
                        a_mode if a is not None and a_sub is None else None,
                    )
                )
            if limit is not None and len(changes) > limit:
                return changes, True
    return changes, False


def diff_trees(
    repo: pygit2.Repository, old: pygit2.Tree | None, new: pygit2.Tree | None, prefix: str = ""
) -> set[str]:
    """The paths whose blob (or other non-tree entry) differs between two trees."""
    changes, _ = diff_entries(repo, old, new)
    return {prefix + c.path for c in changes if c.mode != TREE and c.old_mode != TREE}
