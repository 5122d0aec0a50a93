"""Data contracts at the gate, through a real `git push`: rules parsed and proven on examples,
examples valid, migrations dry-run across a breaking change, and rule changes versioned."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import git, refs

from registry.git.store import Store
from registry.review.changelog import contract_changelog
from registry.review.report import review, review_json, review_markdown

pytestmark = pytest.mark.git

GREETING = "contracts/greeting"
SCHEMA_V1 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "greeting",
    "type": "object",
    "required": ["first", "last", "greet"],
    "properties": {
        "first": {"type": "string"},
        "last": {"type": "string"},
        "greet": {"type": "string"},
    },
    "additionalProperties": False,
}
SCHEMA_V2 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "greeting",
    "type": "object",
    "required": ["fullName", "greet"],
    "properties": {"fullName": {"type": "string"}, "greet": {"type": "string"}},
    "additionalProperties": False,
}
SHORT_GREETING = {
    "name": "greetShort",
    "kind": "CONDITION",
    "mode": "WRITE",
    "type": "CEL",
    "expr": "size(message.greet) <= 64",
    "onFailure": "ERROR",
}
UPGRADE = {
    "name": "joinNames",
    "kind": "TRANSFORM",
    "mode": "UPGRADE",
    "type": "JSONATA",
    "expr": '{"fullName": first & " " & last, "greet": greet}',
}
DOWNGRADE = {
    "name": "splitName",
    "kind": "TRANSFORM",
    "mode": "DOWNGRADE",
    "type": "JSONATA",
    "expr": '{"first": $substringBefore(fullName, " "), "last": $substringAfter(fullName, " "), '
    '"greet": greet}',
}
ADA = {"first": "Ada", "last": "Lovelace", "greet": "hello"}


@pytest.fixture
def store(example_store: Store) -> Store:
    return example_store


def write_contract(
    work: Path,
    *,
    version: str = "1.0.0",
    schema: dict[str, Any] = SCHEMA_V1,
    rules: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    examples: dict[str, Any] | None = None,
    compatibility: str = "BACKWARD",
) -> None:
    where = work / GREETING
    where.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {"name": "greeting", "version": version, "compatibility": compatibility}
    if metadata is not None:
        meta["metadata"] = metadata
    if rules is not None:
        meta["rules"] = rules
    (where / "contract.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    (where / "schema.json").write_text(json.dumps(schema, indent=2) + "\n")
    if examples is not None:
        folder = where / "examples"
        if folder.exists():
            for old in folder.iterdir():
                old.unlink()
        folder.mkdir(exist_ok=True)
        for name, instance in examples.items():
            (folder / name).write_text(json.dumps(instance) + "\n")


def push(work: Path, message: str = "change"):
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", message, cwd=work)
    return git("push", "origin", "HEAD:main", cwd=work, check=False)


def test_a_contract_with_metadata_rules_and_examples_lands(store: Store, clone: Path) -> None:
    write_contract(
        clone,
        rules={"domainRules": [SHORT_GREETING]},
        metadata={"properties": {"owner": "team-greet"}, "tags": {"$.last": ["PII"]}, "sensitive": ["last"]},
        examples={"ada.json": ADA},
    )
    out = push(clone)
    assert out.returncode == 0, out.stderr
    assert "refs/tags/contracts/greeting/1.0.0" in refs(store)
    stored = yaml.safe_load(store.snapshot(store.head()).read(f"{GREETING}/contract.yaml"))
    assert stored["rules"]["domainRules"][0]["expr"] == "size(message.greet) <= 64"


BAD_RULES = {
    "unknown kind": ({**SHORT_GREETING, "kind": "CHECK"}, "kind: must be one of CONDITION, TRANSFORM"),
    "kind in the wrong case": ({**SHORT_GREETING, "kind": "condition"}, "write 'CONDITION', not 'condition'"),
    "unknown mode": ({**SHORT_GREETING, "mode": "ALWAYS"}, "mode: must be one of"),
    "migration mode on a domain rule": (
        {**SHORT_GREETING, "mode": "UPGRADE"},
        "rule 'greetShort': mode 'UPGRADE' is not a mode of domainRules",
    ),
    "unknown type": ({**SHORT_GREETING, "type": "LUA"}, "type: must be one of CEL, CEL_FIELD, JSONATA"),
    "unknown onFailure": (
        {**SHORT_GREETING, "onFailure": "PANIC"},
        "onFailure: must be one of NONE, ERROR, DLQ",
    ),
    "unparseable CEL": (
        {**SHORT_GREETING, "expr": "size(message.greet) <= "},
        "rule 'greetShort': CEL syntax error",
    ),
    "missing expr": ({k: v for k, v in SHORT_GREETING.items() if k != "expr"}, "'expr' is required"),
}


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_a_bad_rule_is_refused_naming_the_rule_and_the_fix(store: Store, clone: Path, case: str) -> None:
    rule, expected = BAD_RULES[case]
    before = refs(store)
    write_contract(clone, rules={"domainRules": [rule]}, examples={"ada.json": ADA})
    out = push(clone)
    assert out.returncode != 0
    assert expected in out.stderr, out.stderr
    assert f"{GREETING}/contract.yaml" in out.stderr
    assert "$.rules.domainRules[0]" in out.stderr
    assert refs(store) == before


def test_a_cel_syntax_error_says_where_in_the_expression(store: Store, clone: Path) -> None:
    write_contract(clone, rules={"domainRules": [{**SHORT_GREETING, "expr": "size(message.greet) <= 64 &&"}]})
    out = push(clone)
    assert out.returncode != 0
    assert "rule.syntax" in out.stderr
    assert "at line 1, column 27" in out.stderr, out.stderr


def test_a_jsonata_syntax_error_says_where_in_the_expression(store: Store, clone: Path) -> None:
    broken = {**UPGRADE, "expr": '{"fullName": first & }'}
    write_contract(clone, rules={"migrationRules": [broken]})
    out = push(clone)
    assert out.returncode != 0
    assert "rule 'joinNames': JSONata syntax error" in out.stderr, out.stderr
    assert "column 22" in out.stderr


def test_duplicate_rule_names_are_refused(store: Store, clone: Path) -> None:
    write_contract(clone, rules={"domainRules": [SHORT_GREETING, {**SHORT_GREETING, "expr": "true"}]})
    out = push(clone)
    assert out.returncode != 0
    assert "rule 'greetShort' is defined twice" in out.stderr
    assert "rule.duplicate" in out.stderr


def test_an_example_the_schema_rejects_is_refused_naming_the_example(store: Store, clone: Path) -> None:
    write_contract(clone, examples={"ada.json": ADA, "bad.json": {"first": "Ada", "greet": 3}})
    out = push(clone)
    assert out.returncode != 0
    assert (
        f"{GREETING}/examples/bad.json: example examples/bad.json is not valid against schema.json"
        in out.stderr
    )
    assert "example.invalid" in out.stderr


def test_an_example_that_breaks_a_write_rule_is_refused_naming_both(store: Store, clone: Path) -> None:
    long = {**ADA, "greet": "h" + "e" * 80 + "llo"}
    write_contract(clone, rules={"domainRules": [SHORT_GREETING]}, examples={"long.json": long})
    out = push(clone)
    assert out.returncode != 0
    assert "example examples/long.json breaks WRITE rule 'greetShort'" in out.stderr, out.stderr
    assert "example.rule" in out.stderr


def test_a_rule_that_fails_on_an_example_is_refused(store: Store, clone: Path) -> None:
    rule = {**SHORT_GREETING, "expr": "size(message.nickname) <= 64"}
    write_contract(clone, rules={"domainRules": [rule]}, examples={"ada.json": ADA})
    out = push(clone)
    assert out.returncode != 0
    assert "rule 'greetShort' failed on example examples/ada.json" in out.stderr, out.stderr


def test_the_schemas_own_examples_are_checked_too(store: Store, clone: Path) -> None:
    schema = {**SCHEMA_V1, "examples": [ADA, {"first": "x"}]}
    write_contract(clone, schema=schema)
    out = push(clone)
    assert out.returncode != 0
    assert "example schema.json#/examples/1 is not valid" in out.stderr
    assert "at $.examples[1]" in out.stderr


def land_v1(clone: Path) -> None:
    write_contract(clone, examples={"ada.json": ADA}, compatibility="NONE")
    out = push(clone, "greeting 1.0.0")
    assert out.returncode == 0, out.stderr
    git("fetch", "-q", "--tags", "origin", cwd=clone)  # the review reads published versions from tags


def test_a_breaking_change_with_migrations_is_dry_run_on_the_examples(store: Store, clone: Path) -> None:
    land_v1(clone)
    write_contract(
        clone,
        version="2.0.0",
        schema=SCHEMA_V2,
        rules={"migrationRules": [UPGRADE, DOWNGRADE]},
        examples={"ada2.json": {"fullName": "Grace Hopper", "greet": "hi"}},
        compatibility="NONE",
    )
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", "greeting 2.0.0", cwd=clone)
    report = review(Store.open(clone / ".git"), "origin/main", "HEAD")
    results = review_json(report)["contracts"][0]["migrations"]
    assert [(m["direction"], m["example"], m["ok"]) for m in results] == [
        ("UPGRADE", "examples/ada.json", True),
        ("DOWNGRADE", "examples/ada2.json", True),
    ]
    assert "Migration rules, dry run on the examples" in review_markdown(report)
    out = git("push", "origin", "HEAD:main", cwd=clone, check=False)
    assert out.returncode == 0, out.stderr


def test_a_migration_that_does_not_reach_the_new_schema_is_refused(store: Store, clone: Path) -> None:
    land_v1(clone)
    keeps_names = {**UPGRADE, "expr": '$merge([$, {"fullName": first & " " & last}])'}
    write_contract(
        clone,
        version="2.0.0",
        schema=SCHEMA_V2,
        rules={"migrationRules": [keeps_names]},
        compatibility="NONE",
    )
    before = refs(store)
    out = push(clone)
    assert out.returncode != 0
    assert "UPGRADE of example examples/ada.json from 1.0.0 to 2.0.0 failed" in out.stderr, out.stderr
    assert "rule.migration" in out.stderr
    assert refs(store) == before


def test_adding_a_write_condition_narrows_and_needs_a_major_bump(store: Store, clone: Path) -> None:
    land_v1(clone)
    write_contract(
        clone, version="1.1.0", rules={"domainRules": [SHORT_GREETING]}, examples={"ada.json": ADA}
    )
    out = push(clone)
    assert out.returncode != 0
    assert "WRITE condition rule 'greetShort' added" in out.stderr, out.stderr
    assert "needs version 2.0.0" in out.stderr
    git("reset", "-q", "--hard", "origin/main", cwd=clone)
    write_contract(
        clone, version="2.0.0", rules={"domainRules": [SHORT_GREETING]}, examples={"ada.json": ADA}
    )
    out = push(clone)
    assert out.returncode == 0, out.stderr


def test_a_published_versions_rules_never_change(store: Store, clone: Path) -> None:
    write_contract(clone, rules={"domainRules": [SHORT_GREETING]}, examples={"ada.json": ADA})
    assert push(clone).returncode == 0
    write_contract(
        clone,
        rules={"domainRules": [{**SHORT_GREETING, "expr": "size(message.greet) <= 8"}]},
        examples={"ada.json": ADA},
    )
    out = push(clone)
    assert out.returncode != 0
    assert "version 1.0.0 is published and its content never changes" in out.stderr


def test_the_changelog_shows_rule_changes(store: Store, clone: Path) -> None:
    land_v1(clone)
    write_contract(
        clone, version="2.0.0", rules={"domainRules": [SHORT_GREETING]}, examples={"ada.json": ADA}
    )
    assert push(clone).returncode == 0
    text = contract_changelog(store, "greeting")
    assert "WRITE condition rule 'greetShort' added" in text
