"""Ref names the store uses, and the packed-refs file read by prefix.

Git's rules for ref names are a value rule (``registry.refname``), re-exported here.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from registry.paths import CAPSULES, CONTRACTS, ItemDir, parse_tag
from registry.refname import check_ref_format

__all__ = [
    "CAPSULE_TAGS",
    "CONTRACT_TAGS",
    "MAIN",
    "TAG_PREFIX",
    "PackedRefs",
    "check_ref_format",
    "packed_refs",
    "version_of_ref",
]

MAIN = "refs/heads/main"
TAG_PREFIX = "refs/tags/"
#: Version tags live below these, named after their item directories (``registry.paths``).
CONTRACT_TAGS = f"{TAG_PREFIX}{CONTRACTS}/"
CAPSULE_TAGS = f"{TAG_PREFIX}{CAPSULES}/"


def version_of_ref(ref: str) -> tuple[ItemDir, str] | None:
    """The item directory and version a version tag's ref names
    (``refs/tags/contracts/<name>/<version>``, ``refs/tags/capsules/<tenant>/<name>/<n>``), or None."""
    return parse_tag(ref.removeprefix(TAG_PREFIX)) if ref.startswith(TAG_PREFIX) else None


@dataclass(frozen=True)
class PackedRefs:
    """The sorted packed-refs file, searched by prefix with bisection."""

    names: list[str]
    oids: list[str]

    def under(self, prefix: str) -> dict[str, str]:
        lo = bisect.bisect_left(self.names, prefix)
        hi = (
            bisect.bisect_left(self.names, prefix[:-1] + chr(ord(prefix[-1]) + 1))
            if prefix
            else len(self.names)
        )
        return dict(zip(self.names[lo:hi], self.oids[lo:hi], strict=True))


# Kept across Store objects (the gate server opens one per push), keyed by file and stamp.
_PACKED_CACHE: dict[Path, tuple[tuple[int, int], PackedRefs]] = {}


def packed_refs(path: Path) -> PackedRefs:
    try:
        st = path.stat()
    except FileNotFoundError:
        return PackedRefs([], [])
    stamp = (st.st_mtime_ns, st.st_size)
    cached = _PACKED_CACHE.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    pairs = []
    for line in path.read_text().splitlines():
        if line and line[0] not in "#^":
            oid, _, name = line.partition(" ")
            pairs.append((name, oid))
    pairs.sort()
    refs = PackedRefs([n for n, _ in pairs], [o for _, o in pairs])
    _PACKED_CACHE[path] = (stamp, refs)
    return refs
