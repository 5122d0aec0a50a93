"""The capsules API's bodies, in the old Anumate service's snake_case shapes, and who may see what.

A capsule belongs to one tenant: another tenant's capsule is never found (404), whatever
the caller's role. Within the tenant, a ``PRIVATE`` capsule is visible to its owner and to
admins only, and is just as absent (404) to everyone else.
"""

from __future__ import annotations

import math
from typing import Any

from registry.api.contract_views import rfc3339
from registry.auth.principal import ADMIN, Principal
from registry.errors import NotFound
from registry.index.snapshot import CapsuleEntry, CapsuleVersionEntry, IndexSnapshot

API = "/api/v1/capsules"
PRIVATE, DELETED = "PRIVATE", "DELETED"
MAX_PAGE_SIZE = 100


def capsule(c: CapsuleEntry) -> dict[str, Any]:
    """A capsule: ``{id, name, description, tags, owner, visibility, status, latest_version,
    created_at, updated_at, etag}``."""
    return {
        "id": c.id,
        "name": c.name,
        "description": c.description,
        "tags": list(c.tags),
        "owner": c.owner,
        "visibility": c.visibility,
        "status": c.status,
        "latest_version": c.latest_version,
        "created_at": rfc3339(c.created_at),
        "updated_at": rfc3339(c.updated_at),
        "etag": c.etag,
    }


def uri(v: CapsuleVersionEntry) -> str:
    """Where a version lives: its path in this API (the same on every server of the store)."""
    return f"{API}/{v.capsule_id}/versions/{v.version}"


def published(v: CapsuleVersionEntry) -> dict[str, Any]:
    """The answer to a create or publish (201): ``{capsule_id, version, content_hash, signature,
    uri, created_at}``."""
    return {
        "capsule_id": v.capsule_id,
        "version": v.version,
        "content_hash": v.content_hash,
        "signature": v.signature,
        "uri": uri(v),
        "created_at": rfc3339(v.created_at),
    }


def version_summary(v: CapsuleVersionEntry, created_by: str | None) -> dict[str, Any]:
    """One entry of a capsule's version list."""
    return {
        "version": v.version,
        "content_hash": v.content_hash,
        "signature": v.signature,
        "uri": uri(v),
        "created_at": rfc3339(v.created_at),
        "created_by": created_by,
    }


def version_detail(v: CapsuleVersionEntry, created_by: str | None) -> dict[str, Any]:
    """One version with its document: the YAML as stored and the parsed document."""
    return {
        "capsule_id": v.capsule_id,
        **version_summary(v, created_by),
        "yaml": v.text,
        "document": dict(v.document),
    }


def visible(c: CapsuleEntry, principal: Principal, tenant: str) -> bool:
    if c.tenant != tenant:
        return False
    return c.visibility != PRIVATE or principal.has_role(ADMIN) or c.owner == principal.subject


def find(snapshot: IndexSnapshot, capsule_id: str, principal: Principal, tenant: str) -> CapsuleEntry:
    """A capsule the caller may see, or 404 (the same 404 whether it is absent or hidden)."""
    c = snapshot.capsules.get(capsule_id)
    if c is None or not visible(c, principal, tenant):
        raise NotFound(f"Capsule {capsule_id} not found")
    return c


def find_version(c: CapsuleEntry, version: str) -> CapsuleVersionEntry:
    found = next((v for v in c.versions if str(v.version) == version), None)
    if found is None:
        raise NotFound(f"Capsule {c.id} has no version {version}")
    return found


def by_commit(snapshot: IndexSnapshot, tenant: str, commit: str) -> CapsuleVersionEntry | None:
    """The capsule version ``commit`` published for ``tenant`` (an idempotent replay's answer)."""
    for c in snapshot.capsules.values():
        if c.tenant == tenant:
            for v in c.versions:
                if v.commit == commit:
                    return v
    return None


def _matches(c: CapsuleEntry, q: str) -> bool:
    q = q.casefold()
    return (
        q in c.name.casefold()
        or q in (c.description or "").casefold()
        or any(q in t.casefold() for t in c.tags)
    )


def listing(
    snapshot: IndexSnapshot,
    principal: Principal,
    tenant: str,
    *,
    q: str | None,
    status: str | None,
    page: int,
    page_size: int,
) -> dict[str, Any]:
    """The tenant's capsules the caller may see, newest first (then by name), one page of them.

    Without ``status``, deleted capsules are left out; ``status=DELETED`` lists only them.
    """
    wanted = status.upper() if status else None
    items = [
        c
        for c in snapshot.capsules.values()
        if visible(c, principal, tenant)
        and (c.status == wanted if wanted else c.status != DELETED)
        and (not q or _matches(c, q))
    ]
    items.sort(key=lambda c: c.name)
    items.sort(key=lambda c: c.created_at, reverse=True)  # stable: same second, by name
    start = (page - 1) * page_size
    return {
        "items": [capsule(c) for c in items[start : start + page_size]],
        "pagination": {
            "page": page,
            "page_size": page_size,
            "total_items": len(items),
            "total_pages": math.ceil(len(items) / page_size),
        },
    }
