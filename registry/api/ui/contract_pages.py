"""The contract pages: the searchable list, a contract with its history, one version, two compared.

Reading contracts needs the ``contracts:read`` scope, as in the API. Everything comes from
the index's snapshot of one request; the linter, the verifier and the changelog are the
domain's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from registry.api.contract_views import find, find_version
from registry.api.ui.compare import compare
from registry.api.ui.schema_html import render_schema
from registry.api.ui.site import Site, url
from registry.api.ui.verification import offline_commands
from registry.auth.principal import READ_SCOPE, Principal
from registry.errors import InvalidInput
from registry.git.refs import TAG_PREFIX
from registry.index.snapshot import ContractEntry, ContractVersionEntry
from registry.lint import CompatReport, check
from registry.validate.dialects import in_dialect

#: Longest search the list takes (the API's bound for ``q``).
MAX_QUERY = 256


@dataclass(frozen=True)
class Page:
    """A page to render; with a ``cache_key``, the same for every caller allowed to see it."""

    template: str
    title: str
    context: dict[str, Any]
    cache_key: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class Row:
    name: str
    latest: str
    description: str | None
    deprecated: bool
    sunset: str | None
    mode: str
    versions: int


def _matches(contract: ContractEntry, words: list[str]) -> bool:
    text = f"{contract.name} {contract.latest.description or ''}".casefold()
    return all(w in text for w in words)


def contract_list(site: Site, principal: Principal, q: str | None) -> Page:
    """Every contract (or those matching every word of ``q``), by name."""
    principal.require_scope(READ_SCOPE)
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        raise InvalidInput(f"the search is {len(q)} characters long", hint=f"search with at most {MAX_QUERY}")
    snapshot = site.snapshot()
    policy = site.policy(snapshot)
    words = q.casefold().split()
    modes: dict[str | None, str] = {}
    rows = []
    for name in sorted(snapshot.contracts):
        contract = snapshot.contracts[name]
        if contract.versions and (not words or _matches(contract, words)):
            latest = contract.latest
            if contract.compatibility not in modes:
                modes[contract.compatibility] = str(policy.lint_settings(contract.compatibility, None)[0])
            rows.append(
                Row(name, latest.version, latest.description, contract.deprecated, contract.sunset,
                    modes[contract.compatibility], len(contract.versions))
            )  # fmt: skip
    total = sum(1 for c in snapshot.contracts.values() if c.versions)
    # The whole list is the same for every reader until the index changes: rendered once.
    key = None if q else ("contracts.html", snapshot.head, snapshot.built_at)
    return Page("contracts.html", "Contracts", {"rows": rows, "q": q, "total": total, "url": url}, key)


def _history(site: Site, contract: ContractEntry, policy_key: tuple[str, str, str]) -> list[dict[str, Any]]:
    """Each version newest first with the linter's report against the one before (the changelog),
    each schema read in the store's dialect."""
    mode, lint_policy, dialect = policy_key
    schemas = [in_dialect(json.loads(v.schema_text), dialect) for v in contract.versions]
    entries: list[dict[str, Any]] = []
    for i, v in enumerate(contract.versions):
        report: CompatReport | None = None
        previous = contract.versions[i - 1] if i else None
        if previous is not None:
            report = check([(previous.version, schemas[i - 1])], schemas[i], mode=mode, policy=lint_policy)
        entries.append({"version": v, "previous": previous, "report": report})
    return list(reversed(entries))


def contract_page(site: Site, principal: Principal, name: str) -> Page:
    """A contract: what main says of it, every version with its signature, the latest schema,
    its WIT and descriptor, and its changelog."""
    principal.require_scope(READ_SCOPE)
    snapshot = site.snapshot()
    contract = find(snapshot, name)
    policy = site.policy(snapshot)
    mode, lint_policy = policy.lint_settings(contract.compatibility, contract.policy)
    store = site.store()
    versions = [
        {
            "entry": v,
            "author": site.author(v.commit),
            "verified": site.verifications.of(store, v.tag_ref, v.tag_id, snapshot.head),
        }
        for v in reversed(contract.versions)
    ]
    settings = (str(mode), str(lint_policy), policy.default_dialect)
    key = ("changelog", contract.name, contract.versions[-1].tag_id, *settings)
    history = site.kept(key, lambda: _history(site, contract, settings))
    latest = contract.latest
    return Page(
        "contract.html",
        contract.name,
        {
            "contract": contract,
            "latest": latest,
            "mode": str(mode),
            "policy": str(lint_policy),
            "versions": versions,
            "history": history,
            "schema": render_schema(
                json.loads(latest.schema_text), contract_link=site.contract_link(snapshot)
            ),
            "url": url,
        },
    )


def version_page(site: Site, principal: Principal, name: str, version: str) -> Page:
    """One version: its schema, WIT, descriptor, digest, signature, and how to check it offline."""
    principal.require_scope(READ_SCOPE)
    snapshot = site.snapshot()
    contract, found = find_version(snapshot, name, version)
    policy = site.policy(snapshot)
    verified = site.verifications.of(site.store(), found.tag_ref, found.tag_id, snapshot.head)
    tag_name = found.tag_ref.removeprefix(TAG_PREFIX)
    return Page(
        "version.html",
        f"{contract.name} {found.version}",
        {
            "contract": contract,
            "v": found,
            "author": site.author(found.commit),
            "verified": verified,
            "tag_name": tag_name,
            "commands": offline_commands(policy, tag_name),
            "schema": render_schema(
                json.loads(found.schema_text), contract_link=site.contract_link(snapshot)
            ),
            "url": url,
        },
    )


def _pick(contract: ContractEntry, text: str | None, default: ContractVersionEntry) -> ContractVersionEntry:
    if not text:
        return default
    found = contract.version(text)
    if found is None:
        raise InvalidInput(
            f"contract {contract.name} has no version {text!r}",
            hint="pick two of its versions: " + ", ".join(v.version for v in contract.versions),
        )
    return found


def compare_page(site: Site, principal: Principal, name: str, old: str | None, new: str | None) -> Page:
    """Two versions compared (by default the one before the latest, and the latest)."""
    principal.require_scope(READ_SCOPE)
    snapshot = site.snapshot()
    contract = find(snapshot, name)
    ordered = contract.versions
    new_v = _pick(contract, new, ordered[-1])
    old_v = _pick(contract, old, ordered[-2] if len(ordered) > 1 else ordered[-1])
    policy = site.policy(snapshot)
    mode, lint_policy = policy.lint_settings(contract.compatibility, contract.policy)
    dialect = policy.default_dialect
    key = ("compare", old_v.tag_id, new_v.tag_id, str(mode), str(lint_policy), dialect)
    result = site.kept(key, lambda: compare(old_v, new_v, mode, lint_policy, dialect=dialect))
    return Page(
        "compare.html",
        f"{contract.name}: {old_v.version} → {new_v.version}",
        {"contract": contract, "c": result, "url": url},
    )
