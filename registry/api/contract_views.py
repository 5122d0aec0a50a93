"""The contracts API's bodies, in the old demon-registry's camelCase shapes, from index entries.

Field names and order are the old service's: a bundle is ``name, version, description,
createdAt, jsonSchema, witPath, descriptorPath, digest``, ``jsonSchema`` being the schema
file's text and ``digest`` the old rule's SHA-256 over the first six fields
(``registry/digest.py``). Times are RFC 3339 UTC with a ``Z``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from registry.api.compatibility import published_wit
from registry.errors import NotFound
from registry.gate.policy import StorePolicy
from registry.index.snapshot import ContractEntry, ContractVersionEntry, IndexSnapshot
from registry.lint import CompatReport, check, render_changelog
from registry.lint.rule_changes import diff_rules, with_rule_changes
from registry.lint.wit import with_wit


def rfc3339(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def bundle(v: ContractVersionEntry) -> dict[str, Any]:
    """One version as the old registry returned it from ``GET /registry/contracts/{name}/{version}``."""
    return {
        "name": v.name,
        "version": v.version,
        "description": v.description,
        "createdAt": rfc3339(v.created_at),
        "jsonSchema": v.schema_text,
        "witPath": v.wit_path,
        "descriptorPath": v.descriptor_path,
        "digest": v.digest,
        **data_contract(v),
    }


def data_contract(v: ContractVersionEntry) -> dict[str, Any]:
    """``metadata`` and ``rules``, for a version that has them (the old shape stays as it was)."""
    fields = {"metadata": v.metadata, "rules": v.rules}
    return {k: value for k, value in fields.items() if value is not None}


def summary(v: ContractVersionEntry) -> dict[str, Any]:
    """One entry of ``GET /registry/contracts``: the old list's fields."""
    return {
        "name": v.name,
        "version": v.version,
        "description": v.description,
        "createdAt": rfc3339(v.created_at),
    }


def created(v: ContractVersionEntry) -> dict[str, Any]:
    """The answer to ``POST /registry/contracts``, as the old registry gave it (201)."""
    return {
        "status": "created",
        "name": v.name,
        "version": v.version,
        "digest": v.digest,
        "createdAt": rfc3339(v.created_at),
    }


def listing(snapshot: IndexSnapshot) -> dict[str, Any]:
    """Every published version of every contract, by name, then oldest version first."""
    items = [summary(v) for name in sorted(snapshot.contracts) for v in snapshot.contracts[name].versions]
    return {"contracts": items}


def versions(contract: ContractEntry) -> dict[str, Any]:
    """A contract's versions, oldest first, with what ``main`` says of it now."""
    return {
        "name": contract.name,
        "latest": contract.latest.version,
        "deprecated": contract.deprecated,
        "sunset": contract.sunset,
        "compatibility": contract.compatibility,
        "versions": [
            {
                "version": v.version,
                "description": v.description,
                "createdAt": rfc3339(v.created_at),
                "digest": v.digest,
            }
            for v in contract.versions
        ],
    }


def find(snapshot: IndexSnapshot, name: str) -> ContractEntry:
    """A contract by name; 404 in the old registry's words when the index holds no version of it."""
    contract = snapshot.contracts.get(name)
    if contract is None or not contract.versions:
        raise NotFound(f"Contract not found: {name}")
    return contract


def find_version(
    snapshot: IndexSnapshot, name: str, version: str
) -> tuple[ContractEntry, ContractVersionEntry]:
    contract = snapshot.contracts.get(name)
    found = contract.version(version) if contract is not None else None
    if contract is None or found is None:
        raise NotFound(f"Contract not found: {name} v{version}")
    return contract, found


def by_commit(snapshot: IndexSnapshot, name: str, commit: str) -> ContractVersionEntry | None:
    """The version of ``name`` that ``commit`` published (an idempotent replay's answer)."""
    contract = snapshot.contracts.get(name)
    if contract is None:
        return None
    return next((v for v in contract.versions if v.commit == commit), None)


def changelog(contract: ContractEntry, policy: StorePolicy) -> str:
    """Markdown: every version newest first, with the changes from the one before it.

    The same rendering as ``registry changelog``, from the index's copies of the schemas and WIT.
    """
    mode, lint_policy = policy.lint_settings(contract.compatibility, contract.policy)
    schemas = [policy.in_dialect(json.loads(v.schema_text)) for v in contract.versions]
    entries: list[tuple[str, str | None, CompatReport]] = []
    for i, v in enumerate(contract.versions):
        if i == 0:
            entries.append((v.version, None, check([], schemas[0], mode=mode, policy=lint_policy)))
            continue
        prev = contract.versions[i - 1]
        report = check([(prev.version, schemas[i - 1])], schemas[i], mode=mode, policy=lint_policy)
        report = with_rule_changes(report, diff_rules(prev.rules, v.rules), mode)
        report = with_wit(report, [(prev.version, published_wit(prev))], published_wit(v))
        entries.append((v.version, prev.version, report))
    return render_changelog(list(reversed(entries)), title=f"Changelog: {contract.name}")
