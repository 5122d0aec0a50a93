"""The store's health, for operators: what ``/readyz`` and ``registry verify`` know.

The index's age and last refresh come from the live index; pending events from the events
outbox in the store, read without writing to it; untagged versions from the same reading of
``main`` that ``registry verify`` makes. Names of untagged versions are shown only where the
caller could read them (contracts with ``contracts:read``, a tenant's capsules to its admins);
the rest are counted.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from registry.api.ui.contract_pages import Page
from registry.api.ui.site import Site, url
from registry.auth.principal import ADMIN, READ_SCOPE, Principal
from registry.events.outbox import FILE_NAME as OUTBOX_FILE
from registry.gate.accepted import accepted, untagged
from registry.ops.probes import readiness
from registry.paths import area, capsule_tenant


def pending_events(store_path: Path) -> int | None:
    """Events in the outbox waiting for NATS; None when this store has no outbox (events off)."""
    path = store_path / OUTBOX_FILE
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2.0)
        try:
            return int(db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return None


def _may_read(principal: Principal, tag_name: str) -> bool:
    if area(tag_name) == "contract":
        return principal.has_scope(READ_SCOPE)
    owner = capsule_tenant(tag_name)
    return principal.has_role(ADMIN) and owner is not None and principal.may_access_tenant(owner)


def health_page(site: Site, principal: Principal) -> Page:
    config = site.door.config
    ready, facts = readiness(config.index, config.store_path)
    snapshot = site.snapshot()
    store = site.store()
    head = store.head()
    missing: list[str] = []
    if head is not None:
        view = accepted(store)
        missing = [p.version.tag_name for p in view.pending] + [
            v.tag_name for v in untagged(store, head, view)
        ]
    shown = sorted(t for t in missing if _may_read(principal, t))
    checked_at = getattr(config.index, "checked_at", None)
    return Page(
        "health.html",
        "Store health",
        {
            "ready": ready,
            "facts": facts,
            "snapshot": snapshot,
            "contracts": len(snapshot.contracts),
            "capsules": len(snapshot.capsules),
            "built_at": snapshot.built_at or None,
            "checked_at": checked_at,
            "refresh_age": time.time() - checked_at if checked_at else None,
            "main_head": str(head) if head is not None else None,
            "pending_events": pending_events(config.store_path),
            "untagged": shown,
            "untagged_hidden": len(missing) - len(shown),
            "tags": len(snapshot.tags),
            "url": url,
        },
    )
