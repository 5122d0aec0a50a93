"""Soft delete and restore of a contract: one signed, gated commit that edits ``contract.yaml``.

A soft delete never removes a file or a tag: the history is the audit trail, and
serializers that hold a deleted version's schema id keep reading it. It marks, in
``contracts/<name>/contract.yaml`` on ``main``, what is hidden from lists and ``latest``:
``deleted: true`` for the whole contract, or ``deleted: ['1.0.0', …]`` for versions.
Restoring removes the mark. The gate judges the commit like any other (the version and
its files are unchanged, so only ``contract.yaml``'s fields are checked).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from registry.errors import NotFound, VersionExists
from registry.git.store import Snapshot, Store
from registry.model import Limits, contract_name
from registry.paths import CONTRACT_META, contract_file
from registry.validate import load_yaml
from registry.write.landing import Door, OnLanded
from registry.write.publish import PublishResult, Writer, publish

#: What ``deleted`` says: True (the whole contract), or the deleted versions as written.
Deleted = bool | tuple[str, ...]


def deleted_of(meta: Mapping[str, Any]) -> Deleted:
    """The ``deleted`` field of a parsed ``contract.yaml``, read leniently (the gate checked it)."""
    value = meta.get("deleted")
    if value is True:
        return True
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _written(value: Deleted) -> bool | list[str] | None:
    if value is True:
        return True
    return sorted(value) if value else None


def set_deleted(
    store: Store,
    name: str,
    change: Deleted,
    *,
    restore: bool,
    writer: Writer,
    door: Door,
    on_landed: OnLanded | None,
) -> PublishResult | None:
    """Mark ``change`` (True: the whole contract; else versions) deleted, or restore it.

    Returns None when ``main`` already says so (nothing to write). Raises ``NotFound`` for
    a contract the store does not hold.
    """
    name = contract_name(name)
    where = contract_file(name, CONTRACT_META)

    def updated(snap: Snapshot) -> tuple[dict[str, Any], Deleted, Deleted]:
        text = snap.read(where)
        if text is None:
            raise NotFound(f"contract {name} is not in the store", hint="check the name")
        meta = load_yaml(text, limits=Limits(), path_hint=where)
        if not isinstance(meta, dict):
            meta = {}
        before = deleted_of(meta)
        if restore:
            after: Deleted = (
                () if change is True or before is True else tuple(v for v in before if v not in change)
            )
        elif change is True or before is True:
            after = True
        else:
            after = tuple(dict.fromkeys((*before, *change)))
        return meta, before, after

    head = store.head()
    _meta, before, after = updated(store.snapshot(head))
    if _written(before) == _written(after):
        return None

    def build(snap: Snapshot) -> Mapping[str, bytes | None]:
        meta, _before, now = updated(snap)
        meta.pop("deleted", None)
        value = _written(now)
        if value is not None:
            meta["deleted"] = value
        return {where: yaml.safe_dump(meta, sort_keys=False, allow_unicode=True).encode()}

    what = "" if change is True else " " + ", ".join(change)
    verb = "restore" if restore else "soft-delete"
    try:
        return publish(
            store,
            build,
            message=f"{verb} contract {name}{what}",
            writer=writer,
            door=door,
            on_landed=on_landed,
        )
    except VersionExists:  # another writer made the same change first: main says so already
        return None
