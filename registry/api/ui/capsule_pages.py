"""The capsule pages: the caller's tenants and their capsules, and one capsule with its step graph.

The API's rules decide what a caller sees, through the API's own functions: only the
tenants the token grants (all of them for ``*``), and within a tenant a ``PRIVATE`` capsule
only for its owner and admins. A capsule the caller may not see is "not found", exactly
as absent.
"""

from __future__ import annotations

from typing import Any

from registry.api.capsule_checks import verify
from registry.api.capsule_views import find_version, visible
from registry.api.ui.contract_pages import MAX_QUERY, Page
from registry.api.ui.graph import NODE_H, NODE_W, step_graph
from registry.api.ui.site import Site, url
from registry.api.ui.verification import offline_commands
from registry.auth.principal import ANY_TENANT, VIEWER, Principal
from registry.errors import InvalidInput, NotFound
from registry.git.refs import TAG_PREFIX
from registry.index.snapshot import CapsuleEntry, IndexSnapshot


def tenants_of(principal: Principal, snapshot: IndexSnapshot) -> list[str]:
    """The tenants the caller reaches: those its token names, or every one in the store for ``*``."""
    if ANY_TENANT in principal.tenants:
        return sorted({c.tenant for c in snapshot.capsules.values()})
    return sorted(principal.tenants)


def _matches(c: CapsuleEntry, words: list[str]) -> bool:
    text = " ".join([c.name, c.description or "", *c.tags]).casefold()
    return all(w in text for w in words)


def capsule_list(site: Site, principal: Principal, tenant: str | None, q: str | None) -> Page:
    """The capsules the caller may see, per tenant, by name; ``tenant`` narrows to one."""
    principal.require_role(VIEWER)
    snapshot = site.snapshot()
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        raise InvalidInput(f"the search is {len(q)} characters long", hint=f"search with at most {MAX_QUERY}")
    reachable = tenants_of(principal, snapshot)
    if tenant and not principal.may_access_tenant(tenant):
        principal.tenant_for(tenant)  # the API's refusal (403) for a tenant the token does not grant
    shown = [tenant] if tenant else reachable
    words = q.casefold().split()
    groups = []
    for t in shown:
        items = sorted(
            (
                c
                for c in snapshot.capsules.values()
                if visible(c, principal, t) and (not words or _matches(c, words))
            ),
            key=lambda c: c.name,
        )
        groups.append({"tenant": t, "capsules": items})
    return Page(
        "capsules.html",
        "Capsules",
        {"groups": groups, "tenants": reachable, "tenant": tenant or "", "q": q, "url": url},
    )


def _find(snapshot: IndexSnapshot, principal: Principal, capsule_id: str) -> CapsuleEntry:
    c = snapshot.capsules.get(capsule_id)
    if c is None or not principal.may_access_tenant(c.tenant) or not visible(c, principal, c.tenant):
        raise NotFound(f"Capsule {capsule_id} not found")
    return c


def capsule_page(site: Site, principal: Principal, capsule_id: str, version: str | None) -> Page:
    """A capsule: its metadata, its versions with their signatures, and one version's document,
    step graph, content hash and verification."""
    principal.require_role(VIEWER)
    snapshot = site.snapshot()
    c = _find(snapshot, principal, capsule_id)
    if not c.versions:
        raise NotFound(f"Capsule {capsule_id} has no version")
    shown = find_version(c, version) if version else c.versions[-1]
    policy = site.policy(snapshot)
    store = site.store()
    check: dict[str, Any] = site.kept(
        ("capsule-verify", shown.tag_id, snapshot.head),
        lambda: verify(store, shown, policy, site.door.config.key),
    )
    versions = [
        {
            "entry": v,
            "author": site.author(v.commit),
            "verified": site.verifications.of(store, v.tag_ref, v.tag_id, snapshot.head),
        }
        for v in reversed(c.versions)
    ]
    tag_name = shown.tag_ref.removeprefix(TAG_PREFIX)
    return Page(
        "capsule.html",
        f"{c.tenant}/{c.name}",
        {
            "c": c,
            "v": shown,
            "versions": versions,
            "check": check,
            "graph": step_graph(shown.document),
            "node_w": NODE_W,
            "node_h": NODE_H,
            "tag_name": tag_name,
            "commands": offline_commands(policy, tag_name),
            "url": url,
        },
    )
