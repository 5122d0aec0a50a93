"""Which contract and capsule directories differ between two heads of ``main``, reading only
the bytes around the change.

``contracts/`` is one flat tree of every contract (390 KB at 10,000 contracts). Comparing
two such trees entry by entry costs a Python object per entry; but a push changes a few
entries, and a tree's entries are sorted, so the two raw trees share a long prefix and a
long suffix. Those are found with ``memcmp`` (binary search over memoryview equality),
and only the entries between them are parsed. A directory entry is
``40000 <name>\\0<20-byte id>``, and no name may hold a space, so ``40000 `` found by
searching backwards is an entry's start. Anything else in the changed region (a file where
only directories belong) makes the function say so (None), and the caller falls back to
the general tree diff.
"""

from __future__ import annotations

import re
from collections import OrderedDict

import pygit2

from registry.paths import CAPSULES, CONTRACTS, capsule_dir, contract_dir

_DIR_ENTRY = re.compile(rb"40000 ([^\0 /]{1,255})\0(.{20})", re.S)
_LONGEST_ENTRY = 6 + 255 + 1 + 20


def _common_prefix(a: bytes, b: bytes) -> int:
    ma, mb = memoryview(a), memoryview(b)
    lo, hi = 0, min(len(a), len(b))  # a[:lo] == b[:lo]; the answer is at most hi
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ma[lo:mid] == mb[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: bytes, b: bytes, limit: int) -> int:
    ma, mb = memoryview(a), memoryview(b)
    la, lb = len(a), len(b)
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ma[la - mid : la - lo] == mb[lb - mid : lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _entries(raw: bytes, start: int, end: int) -> dict[str, bytes] | None:
    """The directory entries of ``raw`` that overlap ``[start, end)``: name -> raw id."""
    if start >= end:
        return {}
    pos = raw.rfind(b"40000 ", max(0, start - _LONGEST_ENTRY), start + 6)
    if pos < 0:
        return None
    out: dict[str, bytes] = {}
    while pos < end:
        m = _DIR_ENTRY.match(raw, pos)
        if m is None:
            return None
        out[m.group(1).decode("utf-8", "surrogateescape")] = m.group(2)
        pos = m.end()
    return out


def changed_names(old: bytes, new: bytes) -> set[str] | None:
    """Names of the directory entries that differ between two raw trees of directories
    (added, removed or pointing elsewhere); None when the changed region holds anything else."""
    if old == new:
        return set()
    p = _common_prefix(old, new)
    s = _common_suffix(old, new, min(len(old), len(new)) - p)
    before = _entries(old, p, len(old) - s)
    after = _entries(new, p, len(new) - s)
    if before is None or after is None:
        return None
    changed = set()
    for name in before.keys() | after.keys():
        was, now = before.get(name), after.get(name)
        if was == now:
            continue
        # The regions may reach into an entry the other side holds unchanged just outside
        # its own region (the prefix and suffix overlap where entries were added).
        if was is None and old.find(_serialized(name, now)) >= 0:
            continue
        if now is None and new.find(_serialized(name, was)) >= 0:
            continue
        changed.add(name)
    return changed


def _serialized(name: str, oid: bytes | None) -> bytes:
    return b"40000 " + name.encode("utf-8", "surrogateescape") + b"\0" + (oid or b"")


def _sub(repo: pygit2.Repository, tree: pygit2.Tree | None, name: str) -> pygit2.Oid | None:
    if tree is None:
        return None
    try:
        entry = tree[name]
    except KeyError:
        return None
    return entry.id if entry.type == pygit2.enums.ObjectType.TREE else None


# The raw trees of the last few reads: a refresh's new tree is the next refresh's old one.
_RAW: OrderedDict[pygit2.Oid, bytes] = OrderedDict()


def _raw(repo: pygit2.Repository, oid: pygit2.Oid | None) -> bytes:
    if oid is None:
        return b""
    data = _RAW.get(oid)
    if data is None:
        data = _RAW[oid] = bytes(repo.odb.read(oid)[1])
        while len(_RAW) > 8:
            _RAW.popitem(last=False)
    return data


def dirs_between(repo: pygit2.Repository, old: pygit2.Oid, new: pygit2.Oid) -> set[str] | None:
    """``contracts/<name>`` and ``capsules/<tenant>/<name>`` directories that differ between
    commits ``old`` and ``new``; None when the trees hold something else where they differ."""
    old_root, new_root = repo[old].peel(pygit2.Tree), repo[new].peel(pygit2.Tree)
    out: set[str] = set()
    a, b = _sub(repo, old_root, CONTRACTS), _sub(repo, new_root, CONTRACTS)
    if a != b:
        names = changed_names(_raw(repo, a), _raw(repo, b))
        if names is None:
            return None
        out |= {contract_dir(n) for n in names}
    a, b = _sub(repo, old_root, CAPSULES), _sub(repo, new_root, CAPSULES)
    if a != b:
        tenants = changed_names(_raw(repo, a), _raw(repo, b))
        if tenants is None:
            return None
        old_caps = repo[a] if a is not None else None
        new_caps = repo[b] if b is not None else None
        for tenant in tenants:
            ta, tb = _sub(repo, old_caps, tenant), _sub(repo, new_caps, tenant)
            names = changed_names(_raw(repo, ta), _raw(repo, tb))
            if names is None:
                return None
            out |= {capsule_dir(tenant, n) for n in names}
    return out
