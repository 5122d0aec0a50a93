"""Which lifecycle events a new index snapshot means, given what was already told.

The index is where every change shows, whichever door made it (CLI, HTTP, ``git push``,
repair, another process), so events are found by comparing a snapshot with :class:`Told`:
what earlier events (or the first start's baseline) already said. Told is kept with the
outbox, so after a restart only what changed while the server was away is told.

- a version tag not told yet: ``contract.version.published`` or ``capsule.version.published``
  (from the tag: its id makes the event's);
- a contract now ``deprecated`` that was not: ``contract.deprecated``;
- a contract (or some of its versions) now soft-deleted in ``contract.yaml`` that was
  not: ``contract.deleted``; deleted before and not now (re-registered): ``contract.restored``;
- a capsule whose metadata changed: ``capsule.deleted`` when its status became
  ``DELETED``, else ``capsule.updated`` (a new capsule is told by its first version).

A change on ``main`` gets the id of the commit that made it: the newest commit of ``main``
whose first parent had other content at the item's file. Several changes of one item
between two refreshes are told as one, as of the last of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from registry.events.cloudevents import DEFAULT_SOURCE, CloudEvent, EventType
from registry.git.refs import TAG_PREFIX, version_of_ref
from registry.index.snapshot import (
    CapsuleEntry,
    CapsuleVersionEntry,
    ContractEntry,
    ContractVersionEntry,
    IndexSnapshot,
)
from registry.paths import CAPSULE_META, CONTRACT_META, capsule_dir, contract_dir, in_dir

DELETED = "DELETED"
DEPRECATED, ACTIVE = "deprecated", "active"
SOFT_DELETED, WHOLE = "deleted", "*"
#: The capsule fields whose change is told as ``capsule.updated``, in the state's order.
CAPSULE_FIELDS = ("status", "visibility", "description", "tags", "owner")


class History(Protocol):
    """What change detection asks of ``main``'s history (``history.py`` reads it from git)."""

    def change_of(self, head: str, path: str) -> tuple[str, datetime]:
        """The commit (and its time) that last changed ``path`` on ``main`` up to ``head``."""
        ...

    def behind(self, head: str, than: str) -> bool:
        """Whether ``head`` is a strict ancestor of ``than`` (a snapshot older than told)."""
        ...


@dataclass
class Told:
    """What has been told: version tags, contracts' deprecation, capsules' metadata, as of ``head``."""

    head: str | None = None
    tags: set[str] = field(default_factory=set)
    contracts: dict[str, str] = field(default_factory=dict)  # name -> deprecated | active
    capsules: dict[str, str] = field(default_factory=dict)  # capsule id -> state (JSON)


@dataclass(frozen=True)
class Detection:
    """The events a snapshot means, and the new told state of each item it touched."""

    events: tuple[CloudEvent, ...]
    head: str | None
    tags: tuple[str, ...]  # tag refs told now (with or without an event)
    contracts: Mapping[str, str]
    capsules: Mapping[str, str]

    def changed(self, told: Told) -> bool:
        """Whether recording this detection would change ``told`` (or queue an event)."""
        return bool(self.events or self.tags or self.contracts or self.capsules) or (
            self.head is not None and self.head != told.head
        )


def capsule_state(entry: CapsuleEntry) -> str:
    """The told form of a capsule's metadata: a JSON list of :data:`CAPSULE_FIELDS`."""
    return json.dumps([entry.status, entry.visibility, entry.description, list(entry.tags), entry.owner])


def contract_state(entry: ContractEntry) -> str:
    """``deprecated`` or ``active``, then what is soft-deleted: ``deleted *`` (all), ``deleted 1.0.0,…``."""
    state = DEPRECATED if entry.deprecated else ACTIVE
    if entry.deleted:
        return f"{state} {SOFT_DELETED} {WHOLE}"
    if entry.deleted_versions:
        return f"{state} {SOFT_DELETED} {','.join(sorted(entry.deleted_versions))}"
    return state


def _deleted_of(state: str | None) -> frozenset[str]:
    """What a told state says is soft-deleted: versions, or ``*`` for the whole contract."""
    parts = (state or "").split(" ")
    return frozenset(parts[2].split(",")) if len(parts) == 3 and parts[1] == SOFT_DELETED else frozenset()


def baseline(snapshot: IndexSnapshot) -> Detection:
    """Everything in ``snapshot`` marked as told, without an event: the first start's state."""
    return Detection(
        (),
        snapshot.head,
        tuple(snapshot.tags),
        {name: contract_state(c) for name, c in snapshot.contracts.items()},
        {cid: capsule_state(c) for cid, c in snapshot.capsules.items()},
    )


def detect(
    told: Told,
    snapshot: IndexSnapshot,
    *,
    history: History,
    previous: IndexSnapshot | None = None,
    source: str = DEFAULT_SOURCE,
) -> Detection:
    """The events ``snapshot`` means beyond ``told``.

    ``previous`` (the snapshot last given, when the caller has it) lets entries the index
    kept unchanged (the same objects) be skipped without a look.
    """
    events: list[CloudEvent] = []
    new_tags = sorted(snapshot.tags.keys() - told.tags)
    for ref in new_tags:
        event = _version_event(snapshot, ref, snapshot.tags[ref], source)
        if event is not None:
            events.append(event)
    contracts: dict[str, str] = {}
    capsules: dict[str, str] = {}
    stale = snapshot.head is None or (
        told.head is not None and told.head != snapshot.head and history.behind(snapshot.head, told.head)
    )
    if not stale:
        assert snapshot.head is not None
        for name, entry in snapshot.contracts.items():
            if previous is not None and previous.contracts.get(name) is entry:
                continue
            state = contract_state(entry)
            before = told.contracts.get(name)
            if state == before:
                continue
            contracts[name] = state
            if before is not None:
                events += _contract_changed(entry, before, state, snapshot.head, history, source)
        for cid, capsule in snapshot.capsules.items():
            if previous is not None and previous.capsules.get(cid) is capsule:
                continue
            state = capsule_state(capsule)
            before = told.capsules.get(cid)
            if state == before:
                continue
            capsules[cid] = state
            if before is not None:
                events.append(_capsule_changed(capsule, before, snapshot.head, history, source))
    head = snapshot.head if not stale else None
    return Detection(tuple(events), head, tuple(new_tags), contracts, capsules)


def _version_event(snapshot: IndexSnapshot, ref: str, tag_id: str, source: str) -> CloudEvent | None:
    tag = version_of_ref(ref)
    if tag is None:
        return None
    item = tag[0]
    if item.tenant is None:
        contract = snapshot.contracts.get(item.name)
        entry = next((v for v in contract.versions if v.tag_ref == ref), None) if contract else None
        return _contract_published(entry, tag_id, source) if entry else None
    for capsule in _capsules_named(snapshot, item.tenant, item.name):
        found = next((v for v in capsule.versions if v.tag_ref == ref), None)
        if found is not None:
            return _capsule_published(capsule, found, tag_id, source)
    return None


def _capsules_named(snapshot: IndexSnapshot, tenant: str, name: str) -> list[CapsuleEntry]:
    from registry.gate.published import capsule_id

    entry = snapshot.capsules.get(capsule_id(tenant, name))
    if entry is not None:
        return [entry]
    return [c for c in snapshot.capsules.values() if (c.tenant, c.name) == (tenant, name)]


def _tag_name(ref: str) -> str:
    return ref.removeprefix(TAG_PREFIX)


def _contract_published(entry: ContractVersionEntry, tag_id: str, source: str) -> CloudEvent:
    tag = _tag_name(entry.tag_ref)
    data: dict[str, Any] = {
        "name": entry.name,
        "version": entry.version,
        "digest": entry.digest,
        "description": entry.description,
        "created_at": _time(entry.created_at),
        "commit": entry.commit,
        "tag": tag,
    }
    return CloudEvent.of(
        EventType.CONTRACT_VERSION_PUBLISHED, subject=tag, origin=tag_id, time=entry.created_at, data=data,
        source=source,
    )  # fmt: skip


def _capsule_published(
    capsule: CapsuleEntry, entry: CapsuleVersionEntry, tag_id: str, source: str
) -> CloudEvent:
    tag = _tag_name(entry.tag_ref)
    data = {
        "capsule_id": entry.capsule_id,
        "tenant": entry.tenant,
        "name": entry.name,
        "version": entry.version,
        "content_hash": entry.content_hash,
        "signature": entry.signature,
        "created_at": _time(entry.created_at),
        "commit": entry.commit,
        "tag": tag,
    }
    return CloudEvent.of(
        EventType.CAPSULE_VERSION_PUBLISHED, subject=tag, origin=tag_id, time=entry.created_at, data=data,
        source=source, tenant=capsule.tenant,
    )  # fmt: skip


def _deprecated(entry: ContractEntry, head: str, history: History, source: str) -> CloudEvent:
    where = contract_dir(entry.name)
    commit, when = history.change_of(head, in_dir(where, CONTRACT_META))
    data = {
        "name": entry.name,
        "sunset": entry.sunset,
        "latest_version": entry.latest.version if entry.versions else None,
        "commit": commit,
    }
    return CloudEvent.of(
        EventType.CONTRACT_DEPRECATED, subject=where, origin=commit, time=when, data=data, source=source
    )


def _contract_changed(
    entry: ContractEntry, before: str, state: str, head: str, history: History, source: str
) -> list[CloudEvent]:
    """The events of a contract whose told state changed: deprecated, deleted, restored."""
    events = []
    if state.startswith(DEPRECATED) and not before.startswith(DEPRECATED):
        events.append(_deprecated(entry, head, history, source))
    was, now = _deleted_of(before), _deleted_of(state)
    if now - was:
        events.append(_deletion(EventType.CONTRACT_DELETED, entry, now, head, history, source))
    if was - now and WHOLE not in now:  # versions folded into a whole-contract delete are not restored
        events.append(_deletion(EventType.CONTRACT_RESTORED, entry, was - now, head, history, source))
    return events


def _deletion(
    type_: EventType, entry: ContractEntry, which: frozenset[str], head: str, history: History, source: str
) -> CloudEvent:
    """``contract.deleted`` or ``contract.restored``: the whole contract (``versions`` null) or versions."""
    where = contract_dir(entry.name)
    commit, when = history.change_of(head, in_dir(where, CONTRACT_META))
    data = {
        "name": entry.name,
        "versions": None if WHOLE in which else sorted(which),
        "latest_version": entry.latest.version if entry.versions else None,
        "commit": commit,
    }
    return CloudEvent.of(type_, subject=where, origin=commit, time=when, data=data, source=source)


def _capsule_changed(
    capsule: CapsuleEntry, before: str, head: str, history: History, source: str
) -> CloudEvent:
    where = capsule_dir(capsule.tenant, capsule.name)
    commit, when = history.change_of(head, in_dir(where, CAPSULE_META))
    old = dict(zip(CAPSULE_FIELDS, json.loads(before), strict=False))
    new = dict(zip(CAPSULE_FIELDS, json.loads(capsule_state(capsule)), strict=False))
    deleted = new["status"] == DELETED and old.get("status") != DELETED
    data: dict[str, Any] = {
        "capsule_id": capsule.id,
        "tenant": capsule.tenant,
        "name": capsule.name,
        **new,
        "latest_version": capsule.latest_version,
        "etag": capsule.etag,
        "commit": commit,
    }
    if not deleted:
        data["changed"] = [f for f in CAPSULE_FIELDS if old.get(f) != new[f]]
    type_ = EventType.CAPSULE_DELETED if deleted else EventType.CAPSULE_UPDATED
    return CloudEvent.of(
        type_, subject=where, origin=commit, time=when, data=data, source=source, tenant=capsule.tenant
    )


def _time(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
