"""A contract's whole history as a Markdown changelog, from its published versions."""

from __future__ import annotations

import json
from typing import Any

from registry.errors import NotFound
from registry.gate.policy import policy_at
from registry.gate.published import contract_versions
from registry.git.store import Store
from registry.lint import CompatReport, check, render_changelog
from registry.lint.rule_changes import diff_rules, with_rule_changes
from registry.lint.wit import WitFiles, wit_files, with_wit
from registry.model import contract_name
from registry.paths import CONTRACT_META, SCHEMA, contract_dir, contract_file
from registry.validate import load_yaml


def contract_changelog(store: Store, name: str) -> str:
    """Every published version of ``name``, newest first, with the changes from the one before."""
    name = contract_name(name)
    published = contract_versions(store, name)
    if not published:
        raise NotFound(f"contract {name} has no published versions", hint="list contracts with 'git tag -l'")
    policy = policy_at(store, store.head())
    schemas: list[Any] = []
    rules: list[Any] = []
    wits: list[WitFiles] = []
    for p in published:
        snap = store.snapshot(p.commit)
        text = snap.read(contract_file(name, SCHEMA))
        schemas.append(policy.in_dialect(json.loads(text)) if text else {})
        version_meta = load_yaml(snap.read(contract_file(name, CONTRACT_META)) or b"", limits=policy.limits)
        rules.append(version_meta.get("rules") if isinstance(version_meta, dict) else None)
        wits.append(wit_files(snap.files(contract_dir(name))))
    meta_text = store.snapshot(published[-1].commit).read(contract_file(name, CONTRACT_META)) or b""
    meta = load_yaml(meta_text, limits=policy.limits) or {}
    mode, lint_policy = policy.lint_settings(meta.get("compatibility"), meta.get("policy"))
    entries: list[tuple[str, str | None, CompatReport]] = []
    for i, p in enumerate(published):
        if i == 0:
            entries.append((p.version, None, check([], schemas[0], mode=mode, policy=lint_policy)))
        else:
            prev = published[i - 1]
            report = check([(prev.version, schemas[i - 1])], schemas[i], mode=mode, policy=lint_policy)
            report = with_rule_changes(report, diff_rules(rules[i - 1], rules[i]), mode)
            report = with_wit(report, [(prev.version, wits[i - 1])], wits[i])
            entries.append((p.version, prev.version, report))
    return render_changelog(list(reversed(entries)), title=f"Changelog: {name}")
