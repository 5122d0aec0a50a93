"""Rule changes are changes: a condition added narrows, removed widens, changed breaks both ways;
migration rules and a rule's documentation are notes. Shown by `registry lint compare` and the changelog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from support import registry_cli

from registry.lint import Bump, Mode, check
from registry.lint.rule_changes import RULE_KINDS, RuleKind, diff_rules, with_rule_changes

COND = {"name": "short", "kind": "CONDITION", "mode": "WRITE", "type": "CEL", "expr": "size(message.a) < 9"}
MASK = {"name": "mask", "kind": "TRANSFORM", "mode": "WRITE", "type": "CEL", "expr": "message"}
MIGRATE = {"name": "up", "kind": "TRANSFORM", "mode": "UPGRADE", "type": "JSONATA", "expr": "$"}

CASES = {
    RuleKind.CONDITION_RULE_ADDED: (None, {"domainRules": [COND]}),
    RuleKind.CONDITION_RULE_REMOVED: ({"domainRules": [COND]}, None),
    RuleKind.CONDITION_RULE_CHANGED: ({"domainRules": [COND]}, {"domainRules": [{**COND, "expr": "true"}]}),
    RuleKind.TRANSFORM_RULE_ADDED: (None, {"domainRules": [MASK]}),
    RuleKind.TRANSFORM_RULE_REMOVED: ({"domainRules": [MASK]}, {}),
    RuleKind.TRANSFORM_RULE_CHANGED: ({"domainRules": [MASK]}, {"domainRules": [{**MASK, "mode": "READ"}]}),
    RuleKind.MIGRATION_RULE_ADDED: (None, {"migrationRules": [MIGRATE]}),
    RuleKind.MIGRATION_RULE_REMOVED: ({"migrationRules": [MIGRATE]}, None),
    RuleKind.MIGRATION_RULE_CHANGED: (
        {"migrationRules": [MIGRATE]},
        {"migrationRules": [{**MIGRATE, "expr": "a"}]},
    ),
    RuleKind.RULE_NOTE_CHANGED: ({"domainRules": [COND]}, {"domainRules": [{**COND, "doc": "why"}]}),
}


def test_every_rule_kind_has_a_case() -> None:
    assert set(CASES) == set(RuleKind)


@pytest.mark.parametrize("kind", list(RuleKind), ids=lambda k: k.value)
def test_a_rule_change_is_reported_with_its_compatibility(kind: RuleKind) -> None:
    old, new = CASES[kind]
    (change,) = diff_rules(old, new)
    assert change.kind is kind
    assert (change.backward, change.forward) == (RULE_KINDS[kind].backward, RULE_KINDS[kind].forward)


def test_a_disabled_rule_is_no_rule() -> None:
    (change,) = diff_rules({"domainRules": [COND]}, {"domainRules": [{**COND, "disabled": True}]})
    assert change.kind is RuleKind.CONDITION_RULE_REMOVED


def test_a_condition_added_needs_a_major_bump_under_backward_and_a_minor_under_forward() -> None:
    schema = {"type": "object"}
    changes = diff_rules(None, {"domainRules": [COND]})
    backward = with_rule_changes(
        check([("1.0.0", schema)], schema, mode=Mode.BACKWARD), changes, Mode.BACKWARD
    )
    forward = with_rule_changes(check([("1.0.0", schema)], schema, mode=Mode.FORWARD), changes, Mode.FORWARD)
    assert (backward.compatible, backward.required_bump) == (False, Bump.MAJOR)
    assert (forward.compatible, forward.required_bump) == (True, Bump.MINOR)


def test_lint_compare_shows_rule_changes_between_two_contract_files(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object"}))
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(yaml.safe_dump({"name": "x", "version": "1.0.0"}))
    new.write_text(yaml.safe_dump({"name": "x", "version": "1.1.0", "rules": {"domainRules": [COND]}}))
    args = ["lint", "compare", "--current", str(schema), "--proposed", str(schema)]
    out = registry_cli(*args, "--current-contract", str(old), "--proposed-contract", str(new))
    assert out.returncode == 1, out.stderr
    assert "WRITE condition rule 'short' added" in out.stdout
    assert "contract.yaml#/rules/domainRules/short" in out.stdout


def test_lint_compare_refuses_a_contract_file_with_a_bad_rule(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object"}))
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        yaml.safe_dump({"name": "x", "version": "1.0.0", "rules": {"domainRules": [{**COND, "expr": "("}]}})
    )
    args = ["lint", "compare", "--current", str(schema), "--proposed", str(schema)]
    out = registry_cli(*args, "--current-contract", str(bad), "--proposed-contract", str(bad))
    assert out.returncode == 2
    assert "rule 'short': CEL syntax error" in out.stderr
