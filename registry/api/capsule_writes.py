"""Capsule writes over HTTP: create, publish a version, change metadata, soft delete.

Each is one ``publish()`` through the gate, built by a small builder that reads the head
it is given, so a write racing another is rebuilt and judged again. Metadata changes
(``PATCH``, ``DELETE``) change ``meta.yaml`` alone, so they publish no version. With
``If-Match``, a change is built only while the capsule's files are still what the caller
saw; otherwise it is refused as stale (409), however late the other write landed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import yaml

from registry.api.errors import Stale
from registry.errors import InvalidInput, NothingToPublish, VersionExists
from registry.gate.published import capsule_id
from registry.gate.verdict import Verdict
from registry.git.store import Snapshot, Store
from registry.model import Limits, capsule_name
from registry.paths import CAPSULE_DOC, CAPSULE_META, capsule_dir, in_dir
from registry.validate import load_yaml
from registry.write.publish import PublishResult, Writer, publish
from registry.write.publisher import Publisher

VISIBILITY = {"private": "PRIVATE", "org": "INTERNAL", "internal": "INTERNAL", "public": "PUBLIC"}
STATUS = {"active": "ACTIVE", "deprecated": "DEPRECATED", "deleted": "DELETED"}
META_FIELDS = ("id", "description", "tags", "owner", "visibility", "status")


def choice(value: str | None, table: Mapping[str, str], field: str) -> str | None:
    """An enum value read case-insensitively, with the old service's spellings (``org``)."""
    if value is None:
        return None
    found = table.get(value.strip().lower())
    if found is None:
        allowed = ", ".join(sorted(set(table.values())))
        raise InvalidInput(f"{field} {value!r} is not one of {allowed}", hint=f"send one of {allowed}")
    return found


def document_text(text: str | None, document: Mapping[str, Any] | None) -> bytes:
    """``capsule.yaml`` from a body: its ``yaml`` text as sent, or its ``document`` as YAML."""
    if (text is None) == (document is None):
        raise InvalidInput(
            "send the capsule either as 'yaml' (its text) or as 'document' (a JSON object), not both",
            hint='for example {"yaml": "apiVersion: anumate.io/v1alpha1\\nkind: Capsule\\n…"}',
        )
    if text is not None:
        return text.encode()
    return yaml.safe_dump(dict(document or {}), sort_keys=False, allow_unicode=True).encode()


def document_name(data: bytes, limits: Limits) -> str:
    """``metadata.name`` of a capsule text, read as the gate reads it."""
    doc = load_yaml(data, limits=limits, path_hint=CAPSULE_DOC)
    metadata = doc.get("metadata") if isinstance(doc, dict) else None
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if not isinstance(name, str):
        raise InvalidInput("the capsule names itself nowhere: metadata.name is missing")
    return capsule_name(name)


def _meta_yaml(meta: Mapping[str, Any]) -> bytes:
    kept = {k: meta[k] for k in META_FIELDS if meta.get(k) is not None}
    return yaml.safe_dump(kept, sort_keys=False, allow_unicode=True).encode()


def _expect_version(where: str) -> Callable[[Verdict], None]:
    def expect(verdict: Verdict) -> None:
        if not any(v.kind == "capsule" and v.key == where for v in verdict.versions):
            raise InvalidInput(f"{where} would publish no version", hint="send a valid, new capsule document")

    return expect


def create(
    publisher: Publisher,
    store: Store,
    tenant: str,
    data: bytes,
    name: str,
    meta: Mapping[str, Any],
    *,
    writer: Writer,
    trailers: Mapping[str, str],
) -> PublishResult:
    """Version 1 of a new capsule, with its ``meta.yaml``; 409 when the capsule exists already."""
    where = capsule_dir(tenant, name)
    full = {**meta, "id": capsule_id(tenant, name), "status": meta.get("status") or "ACTIVE"}

    def build(snap: Snapshot) -> Mapping[str, bytes | None]:
        if snap.is_dir(where):
            raise VersionExists(
                f"Capsule {name} already exists in tenant {tenant}",
                hint=f"publish a new version with POST /api/v1/capsules/{capsule_id(tenant, name)}/versions",
            )
        return {in_dir(where, CAPSULE_DOC): data, in_dir(where, CAPSULE_META): _meta_yaml(full)}

    return publisher.publish(
        store,
        build,
        message=f"create capsule {tenant}/{name}",
        writer=writer,
        trailers=trailers,
        expect=_expect_version(where),
    )


def change_meta(
    publisher: Publisher,
    store: Store,
    tenant: str,
    name: str,
    changes: Mapping[str, Any],
    *,
    seen: Mapping[str, bytes] | None,
    writer: Writer,
    message: str,
) -> PublishResult | None:
    """Change ``meta.yaml`` fields (None when nothing would change).

    ``seen`` is the capsule's files as the caller saw them (``If-Match``): when the head
    holds anything else, the change is refused as stale.
    """
    where = capsule_dir(tenant, name)
    unchanged = False

    def build(snap: Snapshot) -> Mapping[str, bytes | None]:
        nonlocal unchanged
        files = snap.files(where)
        if seen is not None and files != dict(seen):
            raise Stale(
                f"capsule {tenant}/{name} changed since the ETag you sent",
                hint="GET it again and retry with its current ETag in If-Match",
            )
        current = yaml.safe_load(files.get(CAPSULE_META, b"")) or {}
        merged = {**current, **{k: v for k, v in changes.items() if v is not None}}
        new = _meta_yaml(merged)
        unchanged = new == files.get(CAPSULE_META)
        return {} if unchanged else {in_dir(where, CAPSULE_META): new}

    # Measured as one write of the door, a change that changes nothing included.
    with publisher.around(publisher.door):
        try:
            return publish(
                store, build, message=message, writer=writer, door=publisher.door, on_landed=publisher.landed
            )
        except NothingToPublish:
            if unchanged:
                return None
            raise
