"""Building the index: cold from the store's version tags and ``main``, or incrementally
from the previous snapshot, reading only what changed.

A cold build reads every tag once (``build``). A refresh (``refresh``) compares the
version tag refs with the previous snapshot's (only the loose ones, unless
``packed-refs`` was rewritten), reads the tags that are new, and re-reads from ``main``
only the contract and capsule directories whose trees differ between the old and the
new head. Every other entry is the previous snapshot's own object, so a refresh after
one push costs what that push changed, whatever the size of the store.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

import pygit2

from registry.errors import RegistryError
from registry.gate.policy import POLICY_FILE, StorePolicy, load_policy
from registry.gate.published import capsule_id
from registry.git.refs import version_of_ref
from registry.git.store import Store
from registry.index.entries import (
    capsule_entry,
    capsule_main,
    capsule_version,
    contract_entry,
    contract_main,
    contract_version,
)
from registry.index.history import idempotency_keys, last_changed, merge_first
from registry.index.maindiff import dirs_between
from registry.index.objects import ObjectReader
from registry.index.snapshot import (
    CapsuleEntry,
    CapsuleVersionEntry,
    ContractEntry,
    ContractVersionEntry,
    IndexSnapshot,
)
from registry.index.tagrefs import TagRefs
from registry.paths import capsule_dir, changed_dirs, contract_dir, parse_dir

ContractKey = str  # contract name
CapsuleKey = tuple[str, str]  # (tenant, name)
_EPOCH = datetime.fromtimestamp(0, UTC)


def _group(refs: Iterable[str]) -> tuple[dict[ContractKey, list[str]], dict[CapsuleKey, list[str]]]:
    """Version tag refs by contract and by capsule; a capsule's versions are numbers."""
    contracts: dict[ContractKey, list[str]] = defaultdict(list)
    capsules: dict[CapsuleKey, list[str]] = defaultdict(list)
    for ref in refs:
        if (tag := version_of_ref(ref)) is None:
            continue
        item, version = tag
        if item.tenant is None:
            contracts[item.name].append(ref)
        elif version.isdigit():
            capsules[(item.tenant, item.name)].append(ref)
    return contracts, capsules


class _Reading:
    """One build or refresh: a reader over the repository and the head it reads ``main`` at."""

    def __init__(self, store: Store, head: pygit2.Oid | None) -> None:
        self.store = store
        self.repo = store.repo
        self.head = head
        self.head_hex = str(head) if head is not None else None
        self.reader = ObjectReader(store.repo)

    def contract_versions(self, name: str, refs: Mapping[str, str]) -> list[ContractVersionEntry]:
        out = []
        for ref, tag_id in refs.items():
            if (tag := version_of_ref(ref)) is None:
                continue
            entry = contract_version(self.reader, name, tag[1], ref, tag_id)
            if entry is not None:
                out.append(entry)
        return out

    def capsule_versions(self, key: CapsuleKey, refs: Mapping[str, str]) -> list[CapsuleVersionEntry]:
        out = []
        for ref, tag_id in refs.items():
            if (tag := version_of_ref(ref)) is None:
                continue
            entry = capsule_version(self.reader, key[0], key[1], int(tag[1]), ref, tag_id)
            if entry is not None:
                out.append(entry)
        return out

    def dir_changed_at(
        self, keys: Mapping[CapsuleKey, list[CapsuleVersionEntry]]
    ) -> dict[CapsuleKey, datetime]:
        """When each capsule's directory on ``main`` took its current form.

        A directory that is at ``main`` what it was at its newest version's commit is
        looked for from that commit (a step or two); the others from the head, never
        past that commit.
        """
        if self.head is None:
            return {}
        at_head: dict[str, pygit2.Oid | None] = {}
        stops: dict[str, pygit2.Oid | None] = {}
        found: dict[str, datetime] = {}
        for (tenant, name), versions in keys.items():
            where = capsule_dir(tenant, name)
            now = self.reader.entry_id(self.head_hex, where)
            newest = max(versions, key=lambda v: v.version).commit if versions else None
            if now is None:
                continue
            if newest is not None and self.reader.entry_id(newest, where) == now:
                found.update(last_changed(self.repo, pygit2.Oid(hex=newest), {where: now}))
            else:
                at_head[where] = now
                stops[where] = pygit2.Oid(hex=newest) if newest is not None else None
        if at_head:
            found.update(last_changed(self.repo, self.head, at_head, stop_at=stops))
        return {key: found.get(capsule_dir(*key), _EPOCH) for key in keys}


def _policy(
    store: Store, head: pygit2.Oid | None, previous: IndexSnapshot | None
) -> tuple[StorePolicy | None, str | None]:
    """The policy at ``head`` and its blob id; read again only when ``registry.yaml`` changed."""
    if head is None:
        return StorePolicy(), None
    tree = store.repo[head].peel(pygit2.Tree)
    try:
        oid: pygit2.Oid | None = tree[POLICY_FILE].id
    except KeyError:
        oid = None
    blob = str(oid) if oid is not None else None
    if previous is not None and previous.policy is not None and previous.policy_blob == blob:
        return previous.policy, blob  # the same blob: not even read
    try:
        return load_policy(store.repo[oid].data if oid is not None else None), blob
    except RegistryError:
        return None, blob


def build(store: Store) -> IndexSnapshot:
    """The whole index, read cold from the store's version tags and ``main``."""
    tags = TagRefs.read(store.path)
    head = store.head()
    run = _Reading(store, head)
    contract_refs, capsule_refs = _group(tags)
    # main's contract.yaml is usually the newest version's blob: reading main first
    # leaves it parsed for the versions.
    mains = {name: contract_main(run.reader, run.head_hex, name) for name in contract_refs}
    contracts: dict[str, ContractEntry] = {}
    for name, refs in contract_refs.items():
        versions = run.contract_versions(name, {ref: tags[ref] for ref in refs})
        if versions:
            contracts[name] = contract_entry(name, versions, mains[name])
    capsule_versions = {
        key: run.capsule_versions(key, {ref: tags[ref] for ref in refs}) for key, refs in capsule_refs.items()
    }
    capsule_versions = {key: v for key, v in capsule_versions.items() if v}
    changed_at = run.dir_changed_at(capsule_versions)
    capsules: dict[str, CapsuleEntry] = {}
    for key, versions in capsule_versions.items():
        meta = capsule_main(run.reader, run.head_hex, *key)
        entry = capsule_entry(key[0], key[1], versions, meta, changed_at[key])
        capsules[entry.id] = entry
    idempotency = idempotency_keys(store.repo, head) if head is not None else {}
    policy, policy_blob = _policy(store, head, None)
    return IndexSnapshot(
        head=run.head_hex,
        contracts=contracts,
        capsules=capsules,
        tags=tags,
        idempotency=idempotency,
        built_at=time.time(),
        policy=policy,
        policy_blob=policy_blob,
    )


def _moved_on(store: Store, old: pygit2.Oid, head: pygit2.Oid) -> bool:
    """Whether ``main`` only moved forward from ``old`` (a restored store may not have)."""
    try:
        return head == old or store.repo.descendant_of(head, old)
    except (KeyError, pygit2.GitError):
        return False


def _changed_dirs(store: Store, old: pygit2.Oid, head: pygit2.Oid) -> set[str]:
    """The contract and capsule directories that differ between ``old`` and ``head``."""
    if head == old:
        return set()
    found = dirs_between(store.repo, old, head)
    if found is not None:
        return found
    return changed_dirs(store.snapshot(head).changed_paths(store.snapshot(old)))


def refresh(store: Store, previous: IndexSnapshot) -> IndexSnapshot:
    """The index after what changed since ``previous``; ``previous`` itself when nothing did.

    Falls back to a cold build when ``main`` did not move forward from the previous head
    (a store restored from a backup, say).
    """
    tags = TagRefs.read(store.path)
    head = store.head()
    head_hex = str(head) if head is not None else None
    changes = tags.changes_since(previous.tags)
    if head_hex == previous.head and not changes:
        return previous
    if previous.head is None or head is None:
        return build(store)
    old = pygit2.Oid(hex=previous.head)
    if not _moved_on(store, old, head):
        return build(store)

    run = _Reading(store, head)
    dirs = _changed_dirs(store, old, head)
    contract_refs, capsule_refs = _group(changes)
    items = [item for d in dirs if (item := parse_dir(d)) is not None]
    touched_contracts = set(contract_refs) | {i.name for i in items if i.tenant is None}
    touched_capsules = set(capsule_refs) | {(i.tenant, i.name) for i in items if i.tenant is not None}

    contracts = dict(previous.contracts)
    for name in touched_contracts:
        before = previous.contracts.get(name)
        changed = {ref: changes[ref] for ref in contract_refs.get(name, ())}
        kept = [v for v in (before.versions if before else ()) if v.tag_ref not in changed]
        new = run.contract_versions(name, {r: t for r, t in changed.items() if t is not None})
        versions = kept + new
        if not versions:
            contracts.pop(name, None)
        elif before is not None and contract_dir(name) not in dirs:
            contracts[name] = replace(before, versions=tuple(sorted(versions, key=lambda v: v.order)))
        else:
            contracts[name] = contract_entry(name, versions, contract_main(run.reader, head_hex, name))

    capsules = dict(previous.capsules)
    rebuilt: dict[CapsuleKey, list[CapsuleVersionEntry]] = {}
    for key in touched_capsules:
        before = previous.capsules.get(capsule_id(*key))
        changed = {ref: changes[ref] for ref in capsule_refs.get(key, ())}
        kept = [v for v in (before.versions if before else ()) if v.tag_ref not in changed]
        rebuilt[key] = kept + run.capsule_versions(key, {r: t for r, t in changed.items() if t is not None})
    moved = {
        key: v
        for key, v in rebuilt.items()
        if v and (capsule_dir(*key) in dirs or capsule_id(*key) not in previous.capsules)
    }
    changed_at = run.dir_changed_at(moved)
    for key, versions in rebuilt.items():
        ident = capsule_id(*key)
        before = previous.capsules.get(ident)
        if not versions:
            capsules.pop(ident, None)
            continue
        when = changed_at.get(key) or (before.updated_at if before is not None else _EPOCH)
        meta = capsule_main(run.reader, head_hex, *key)
        capsules[ident] = capsule_entry(key[0], key[1], versions, meta, when)

    idempotency = previous.idempotency
    if head != old:
        added = merge_first(previous.idempotency, idempotency_keys(store.repo, head, since=old).items())
        idempotency = added if added is not None else idempotency
    policy, policy_blob = _policy(store, head, previous)
    return IndexSnapshot(
        head=head_hex,
        contracts=contracts,
        capsules=capsules,
        tags=tags,
        idempotency=idempotency,
        built_at=time.time(),
        policy=policy,
        policy_blob=policy_blob,
    )
