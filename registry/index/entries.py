"""One index entry from the objects that say it: a version from its tag and tagged files,
a contract or capsule from its versions and what ``main`` says of it now."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from registry.errors import InvalidName
from registry.gate.published import capsule_id
from registry.index.objects import ObjectReader
from registry.index.snapshot import (
    CapsuleEntry,
    CapsuleVersionEntry,
    ContractEntry,
    ContractVersionEntry,
)
from registry.model import ContractVersion
from registry.paths import (
    CAPSULE_DOC,
    CAPSULE_META,
    CONTRACT_META,
    SCHEMA,
    capsule_dir,
    contract_dir,
    contract_file,
    in_dir,
)

_ORDERS: dict[str, ContractVersion | None] = {}


def version_order(text: str) -> ContractVersion | None:
    """A version's SemVer precedence (kept by text: the same few versions repeat)."""
    if text not in _ORDERS:
        try:
            _ORDERS[text] = ContractVersion.parse(text)
        except InvalidName:
            _ORDERS[text] = None
    return _ORDERS[text]


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def contract_version(
    reader: ObjectReader, name: str, version: str, ref: str, tag_id: str
) -> ContractVersionEntry | None:
    """A contract version as its tag and the tagged ``contracts/<name>/`` say; None when the
    tag or its files cannot be read (``registry verify`` reports such a version)."""
    order = version_order(version)
    tag = reader.tag(tag_id)
    if order is None or tag is None:
        return None
    where = contract_dir(name)
    tree = reader.tree(tag.commit, where)
    meta_blob = reader.blob_id(tree, CONTRACT_META) if tree is not None else None
    schema_blob = reader.blob_id(tree, SCHEMA) if tree is not None else None
    if tree is None or meta_blob is None or schema_blob is None:
        return None
    meta = reader.yaml(meta_blob, keep=False)
    meta = meta if isinstance(meta, dict) else {}
    wit, descriptor = _str(meta.get("wit")), _str(meta.get("descriptor"))
    wit_blob = reader.blob_id(tree, wit) if wit else None
    descriptor_blob = reader.blob_id(tree, descriptor) if descriptor else None
    return ContractVersionEntry(
        name=name,
        version=version,
        order=order,
        description=_str(meta.get("description")),
        schema_text=reader.text(schema_blob),
        wit_path=in_dir(where, wit) if wit else None,
        wit_text=reader.text(wit_blob) if wit_blob is not None else None,
        descriptor_path=in_dir(where, descriptor) if descriptor else None,
        descriptor_text=reader.text(descriptor_blob) if descriptor_blob is not None else None,
        digest=tag.fields.get("digest", ""),
        created_at=tag.created_at,
        commit=reader.intern(tag.commit),
        tag_ref=ref,
        tag_id=tag_id,
        metadata=_dict(meta.get("metadata")),
        rules=_dict(meta.get("rules")),
    )


def _dict(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) and value else None


def contract_main(reader: ObjectReader, head: str | None, name: str) -> dict[str, Any]:
    """``contract.yaml`` as ``main`` holds it now (empty when the contract is not there)."""
    if head is None:
        return {}
    blob = reader.entry_id(head, contract_file(name, CONTRACT_META))
    meta = reader.yaml(blob) if blob is not None else None
    return meta if isinstance(meta, dict) else {}


def contract_entry(
    name: str, versions: Sequence[ContractVersionEntry], main: Mapping[str, Any]
) -> ContractEntry:
    sunset = main.get("sunset")
    return ContractEntry(
        name=name,
        versions=tuple(sorted(versions, key=lambda v: v.order)),
        deprecated=main.get("deprecated") is True,
        sunset=sunset if isinstance(sunset, str) else None,
        compatibility=_str(main.get("compatibility")),
        policy=_str(main.get("policy")),
        deleted=main.get("deleted") is True,
        deleted_versions=_deleted_versions(main.get("deleted")),
    )


def _deleted_versions(value: Any) -> frozenset[str]:
    """The versions ``deleted: [...]`` lists (the gate checked they are version strings)."""
    if not isinstance(value, list):
        return frozenset()
    return frozenset(v for v in value if isinstance(v, str))


def capsule_version(
    reader: ObjectReader, tenant: str, name: str, number: int, ref: str, tag_id: str
) -> CapsuleVersionEntry | None:
    """A capsule version as its tag and the tagged ``capsule.yaml`` say."""
    tag = reader.tag(tag_id)
    if tag is None:
        return None
    tree = reader.tree(tag.commit, capsule_dir(tenant, name))
    blob = reader.blob_id(tree, CAPSULE_DOC) if tree is not None else None
    document = reader.yaml(blob) if blob is not None else None
    if not isinstance(document, dict):
        return None
    return CapsuleVersionEntry(
        capsule_id=capsule_id(tenant, name),
        tenant=tenant,
        name=name,
        version=number,
        content_hash=tag.fields.get("content-hash", ""),
        signature=tag.fields.get("signature", ""),
        created_at=tag.created_at,
        commit=reader.intern(tag.commit),
        tag_ref=ref,
        tag_id=tag_id,
        document=document,
        text=reader.text(blob),
    )


def capsule_main(reader: ObjectReader, head: str | None, tenant: str, name: str) -> dict[str, Any] | None:
    """``meta.yaml`` as ``main`` holds it now: {} when absent, None when the capsule's
    directory is gone from ``main``."""
    where = capsule_dir(tenant, name)
    if head is None or reader.entry_id(head, where) is None:
        return None
    blob = reader.entry_id(head, in_dir(where, CAPSULE_META))
    meta = reader.yaml(blob) if blob is not None else {}
    return meta if isinstance(meta, dict) else {}


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def capsule_entry(
    tenant: str,
    name: str,
    versions: Sequence[CapsuleVersionEntry],
    meta: Mapping[str, Any] | None,
    changed_at: datetime,
) -> CapsuleEntry:
    """A capsule from its versions (oldest first) and ``meta.yaml`` on ``main``.

    ``description`` and ``tags`` fall back to the newest document's ``metadata``; a
    capsule whose directory left ``main`` reads as ``DELETED``. ``updated_at`` is the
    later of the directory's last change on ``main`` and the newest version's tag.
    """
    ordered = tuple(sorted(versions, key=lambda v: v.version))
    latest = ordered[-1]
    metadata = latest.document.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    main = meta or {}
    description = _str(main.get("description"))
    if description is None:
        description = _str(metadata.get("description"))
    tags = _strings(main.get("tags"))
    if tags is None:
        tags = _strings(metadata.get("tags")) or ()
    visibility = _str(main.get("visibility")) or "PUBLIC"
    status = "DELETED" if meta is None else (_str(main.get("status")) or "ACTIVE")
    updated_at = max(changed_at, latest.created_at)
    ident = capsule_id(tenant, name)
    fingerprint = json.dumps(
        [
            ident,
            description,
            tags,
            _str(main.get("owner")),
            visibility,
            status,
            latest.version,
            latest.content_hash,
            updated_at.isoformat(),
        ],
        separators=(",", ":"),
    )
    return CapsuleEntry(
        id=ident,
        tenant=tenant,
        name=name,
        description=description,
        tags=tags,
        owner=_str(main.get("owner")),
        visibility=visibility,
        status=status,
        versions=ordered,
        created_at=ordered[0].created_at,
        updated_at=updated_at,
        etag=hashlib.sha256(fingerprint.encode()).hexdigest()[:32],
    )
