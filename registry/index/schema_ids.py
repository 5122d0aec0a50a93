"""Schema ids for the Confluent-compatible door: global integers derived from ``main``'s history.

A Kafka message carries the id of the schema it was written with, for as long as the
message is kept; a consumer on any replica must read that id as the same schema, forever.
So an id cannot come from a counter one process keeps. It is a function of the store:

- Every contract version is tagged at a commit that was, at some moment, the head of
  ``main`` (``publish`` tags the commit it lands; ``post-receive`` and ``tag-missing``
  tag the head each update of ``main`` moved to). ``main`` only moves forward, so those
  commits lie on one chain of ancestors, and along a chain the commit-graph *generation*
  (1 for a root, else one more than the highest parent's) strictly grows. Ordering
  versions by the generation of their tag's commit is ordering them by when they first
  appeared on ``main``, read from the commit graph alone: every clone agrees.
- Versions that landed with one commit (``registry init --from``, one push that
  changed several contracts) are ordered by name, then by SemVer precedence.
- Ids are 1, 2, 3 … in that order; a subject's versions are 1, 2, 3 … in the same order
  restricted to one contract (publication order, which for a maintenance release of an
  older line differs from SemVer order).

A new version lands at a head that descends from every earlier tag's commit, so its
generation is above all of theirs: new versions only ever append, and the ids of known
versions never change. The table is computed incrementally: generations are remembered
per commit, so a refresh walks only the commits it has not seen, and only the contracts
whose entries changed are looked at.

One history can break the append-only rule: a version accepted on ``main`` whose tag
was written late (its ``post-receive`` was killed, ``tag-missing`` tagged it afterwards)
while a later version was already tagged and served. Its tag's commit is older than that
later version's, so it sorts before it. The table then follows the store (every replica
computes the same ids) and logs which ids moved.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pygit2

from registry.git.store import Store
from registry.index.snapshot import ContractEntry, ContractVersionEntry, IndexSnapshot

log = logging.getLogger("registry.index.schema_ids")

#: The sort key of a version: generation of its tag's commit, name, SemVer precedence.
Key = tuple[int, str, tuple[object, ...]]


@dataclass(frozen=True)
class NumberedVersion:
    """A contract version with its global schema id and its version number within its subject."""

    schema_id: int
    subject_version: int
    entry: ContractVersionEntry

    @property
    def subject(self) -> str:
        return self.entry.name


@dataclass(frozen=True)
class SchemaIdTable:
    """Every contract version of one index snapshot, numbered; never mutated."""

    head: str | None
    by_id: tuple[NumberedVersion, ...] = ()  # schema id n at index n - 1
    by_subject: Mapping[str, tuple[NumberedVersion, ...]] = field(default_factory=dict)
    by_version: Mapping[tuple[str, str], NumberedVersion] = field(default_factory=dict)

    def schema(self, schema_id: int) -> NumberedVersion | None:
        return self.by_id[schema_id - 1] if 0 < schema_id <= len(self.by_id) else None

    def subject(self, name: str) -> tuple[NumberedVersion, ...]:
        """A subject's versions in publication order (empty for an unknown subject)."""
        return self.by_subject.get(name, ())

    def version(self, name: str, version: str) -> NumberedVersion | None:
        """The numbered entry of a contract version, by the version as its tag writes it."""
        return self.by_version.get((name, version))


class SchemaIds:
    """Keeps the :class:`SchemaIdTable` of the newest snapshot it was asked about.

    Thread-safe: one lock guards the generation memo and the last table, and the
    repository is only touched under it.
    """

    def __init__(self, store_path: Path) -> None:
        self._store_path = store_path
        self._store: Store | None = None
        self._lock = threading.Lock()
        self._generations: dict[str, int] = {}
        self._table = SchemaIdTable(head=None)
        self._contracts: Mapping[str, ContractEntry] = {}
        self._keys: dict[tuple[str, str], Key] = {}

    def table(self, snapshot: IndexSnapshot) -> SchemaIdTable:
        """The numbered versions of ``snapshot``; cheap when nothing changed since the last call."""
        table = self._table
        if snapshot.contracts is self._contracts:
            return table
        with self._lock:
            if snapshot.contracts is not self._contracts:
                table = self._numbered(snapshot)
                if table is None:
                    return self._table  # an older snapshot: the newer table numbers all it holds
                self._table, self._contracts = table, snapshot.contracts
            return self._table

    # -- computing ------------------------------------------------------------------

    def _numbered(self, snapshot: IndexSnapshot) -> SchemaIdTable | None:
        """The table of ``snapshot``, or None when it is older than the table already kept."""
        old, previous = self._table, self._contracts
        fresh: list[tuple[Key, ContractVersionEntry]] = []
        shrunk = any(name not in snapshot.contracts for name in previous)
        for name, entry in snapshot.contracts.items():
            if previous.get(name) is entry:
                continue  # a refresh shares the entries it did not change
            held = {v.version for v in entry.versions}
            shrunk = shrunk or any(n.entry.version not in held for n in old.subject(name))
            fresh += [(self._key(v), v) for v in entry.versions if old.version(name, v.version) is None]
        if not fresh:
            # Nothing new: an older snapshot (it lacks versions), or a refresh that changed no contract.
            return None if shrunk else dataclasses.replace(old, head=snapshot.head)
        fresh.sort(key=lambda item: item[0])
        last = self._keys[_pair(old.by_id[-1].entry)] if old.by_id else None
        if not shrunk and (last is None or not fresh or fresh[0][0] > last):
            return _append(snapshot.head, old, [v for _, v in fresh])
        table = self._rebuild(snapshot)
        moved = [
            n.schema_id
            for n in old.by_id
            if (now := table.version(n.subject, n.entry.version)) is not None and now.schema_id != n.schema_id
        ]
        if moved:
            log.warning(
                "schema ids %s moved: a version was tagged at a commit older than versions already "
                "served (a late tag-missing?); ids now follow the store's history",
                moved[:20],
            )
        return table

    def _rebuild(self, snapshot: IndexSnapshot) -> SchemaIdTable:
        every = [(self._key(v), v) for entry in snapshot.contracts.values() for v in entry.versions]
        every.sort(key=lambda item: item[0])
        return _append(snapshot.head, SchemaIdTable(head=None), [v for _, v in every])

    def _key(self, version: ContractVersionEntry) -> Key:
        pair = _pair(version)
        key = self._keys.get(pair)
        if key is None:
            key = (self._generation(version.commit), version.name, version.order.precedence)
            self._keys[pair] = key
        return key

    def _generation(self, commit: str) -> int:
        """The commit's generation: 1 for a root commit, else 1 + its parents' highest."""
        memo = self._generations
        known = memo.get(commit)
        if known is not None:
            return known
        repo = self._repo()
        stack = [commit]
        while stack:
            top = stack[-1]
            if top in memo:
                stack.pop()
                continue
            try:
                parents = [str(p) for p in repo[top].parent_ids]
            except KeyError:  # written by another process after this one opened the store
                self._store = None
                repo = self._repo()
                parents = [str(p) for p in repo[top].parent_ids]
            missing = [p for p in parents if p not in memo]
            if missing:
                stack.extend(missing)
                continue
            memo[top] = 1 + max((memo[p] for p in parents), default=0)
            stack.pop()
        return memo[commit]

    def _repo(self) -> pygit2.Repository:
        if self._store is None:
            self._store = Store.open(self._store_path)
        return self._store.repo


def _pair(version: ContractVersionEntry) -> tuple[str, str]:
    return (version.name, version.version)


def _append(head: str | None, table: SchemaIdTable, versions: list[ContractVersionEntry]) -> SchemaIdTable:
    """``table`` with ``versions`` (already in order) numbered after its last id."""
    by_id = list(table.by_id)
    by_subject = dict(table.by_subject)
    by_version = dict(table.by_version)
    for version in versions:
        mine = by_subject.get(version.name, ())
        numbered = NumberedVersion(len(by_id) + 1, len(mine) + 1, version)
        by_id.append(numbered)
        by_subject[version.name] = (*mine, numbered)
        by_version[_pair(version)] = numbered
    return SchemaIdTable(head=head, by_id=tuple(by_id), by_subject=by_subject, by_version=by_version)
