"""The store's version tag refs, read so that a refresh can tell cheaply what changed.

Refs live in two places: ``packed-refs`` (one sorted file, what a large store holds
after ``git gc`` or ``git pack-refs``) and loose files under ``refs/tags/`` (what every
new tag is until the next pack). The packed part is parsed once per change of the
file (``registry.git.refs.packed_refs`` keeps it by the file's stamp); the loose part is
a walk of two small directories. So a refresh after a push compares the loose refs
only, and the whole map is compared only when ``packed-refs`` itself was rewritten.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from registry.git.refs import CAPSULE_TAGS, CONTRACT_TAGS, PackedRefs, packed_refs

PREFIXES = (CONTRACT_TAGS, CAPSULE_TAGS)

# The packed part of the last map read, by PackedRefs object (the same object while the
# file is unchanged), so an unchanged packed-refs costs nothing to re-read.
_PACKED_MAPS: dict[Path, tuple[PackedRefs, dict[str, str]]] = {}


def _packed_map(path: Path) -> dict[str, str]:
    packed = packed_refs(path)
    cached = _PACKED_MAPS.get(path)
    if cached is not None and cached[0] is packed:
        return cached[1]
    refs: dict[str, str] = {}
    for prefix in PREFIXES:
        refs.update(packed.under(prefix))
    _PACKED_MAPS[path] = (packed, refs)
    return refs


def _loose(store_path: Path) -> dict[str, str]:
    refs: dict[str, str] = {}
    root = str(store_path)
    for prefix in PREFIXES:
        base = os.path.join(root, prefix)
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                if name.endswith(".lock"):
                    continue
                full = os.path.join(dirpath, name)
                try:
                    with open(full, "rb") as f:
                        text = f.read(64).strip()
                except OSError:
                    continue
                if len(text) == 40 and not text.startswith(b"ref:"):
                    refs[os.path.relpath(full, root).replace(os.sep, "/")] = text.decode("ascii")
    return refs


class TagRefs(Mapping[str, str]):
    """Every version tag ref (``refs/tags/contracts/…``, ``refs/tags/capsules/…``) -> tag id."""

    def __init__(self, packed: dict[str, str], loose: dict[str, str]) -> None:
        self.packed = packed
        self.loose = loose
        self._extra = sum(1 for ref in loose if ref not in packed)

    @classmethod
    def read(cls, store_path: Path) -> TagRefs:
        # Loose first: ``git pack-refs`` writes packed-refs before it prunes loose refs, so a
        # pack running between the two reads cannot hide a tag (registry.git.packing).
        loose = _loose(store_path)
        return cls(_packed_map(store_path / "packed-refs"), loose)

    def __getitem__(self, ref: str) -> str:
        value = self.loose.get(ref)
        return value if value is not None else self.packed[ref]

    def __iter__(self) -> Iterator[str]:
        yield from self.packed
        yield from (ref for ref in self.loose if ref not in self.packed)

    def __len__(self) -> int:
        return len(self.packed) + self._extra

    def changes_since(self, older: Mapping[str, str] | None) -> dict[str, str | None]:
        """Refs that are new or point elsewhere (-> their tag id) or are gone (-> None).

        When ``packed-refs`` is the one ``older`` read, only the loose refs are compared.
        """
        if older is None:
            return dict(self.items())
        if isinstance(older, TagRefs) and older.packed is self.packed:
            changed: dict[str, str | None] = {
                ref: oid for ref, oid in self.loose.items() if older.get(ref) != oid
            }
            for ref in older.loose:
                if ref not in self.loose and ref not in self.packed:
                    changed[ref] = None
            return changed
        changed = {ref: oid for ref, oid in self.items() if older.get(ref) != oid}
        for ref in older:
            if ref not in self:
                changed[ref] = None
        return changed
