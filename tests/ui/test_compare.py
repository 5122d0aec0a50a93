"""Two versions compared: the linter's findings with their verdicts, examples and bump, and a
side-by-side text diff that pairs lines and folds what did not change."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from registry.api.ui.compare import compare, side_by_side
from registry.index.snapshot import ContractVersionEntry
from registry.lint import Mode, Policy
from registry.model import ContractVersion
from registry.validate.dialects import DEFAULT_DIALECT


def entry(version: str, schema: dict[str, Any]) -> ContractVersionEntry:
    return ContractVersionEntry(
        name="c", version=version, order=ContractVersion.parse(version), description=None,
        schema_text=json.dumps(schema), wit_path=None, wit_text=None, descriptor_path=None,
        descriptor_text=None, digest="d", created_at=datetime(2026, 1, 1, tzinfo=UTC), commit="0" * 40,
        tag_ref=f"refs/tags/contracts/c/{version}", tag_id=version,
    )  # fmt: skip


OLD = {"type": "object", "properties": {"age": {"type": "integer"}}, "required": ["age"]}
NEW = {"type": "object", "properties": {"age": {"type": "string"}}, "required": ["age"]}


def test_a_break_comes_with_its_kind_pointer_example_and_bump() -> None:
    c = compare(
        entry("1.0.0", OLD), entry("1.1.0", NEW), Mode.BACKWARD, Policy.LENIENT, dialect=DEFAULT_DIALECT
    )
    (finding,) = [f for f in c.findings if f.breaking]
    assert finding.kind == "type_changed" and finding.pointer == "/properties/age/type"
    assert finding.bump == "major"
    assert finding.example is not None and json.loads(finding.example) == {"age": 0}
    assert c.report.required_bump.label == "major"
    assert c.verdict is not None and not c.verdict.ok and "2.0.0" in c.verdict.reason


def test_no_verdict_on_a_step_backwards_and_none_needed_for_the_same_schema() -> None:
    assert (
        compare(
            entry("2.0.0", NEW), entry("1.0.0", OLD), Mode.BACKWARD, Policy.LENIENT, dialect=DEFAULT_DIALECT
        ).verdict
        is None
    )
    same = compare(
        entry("1.0.0", OLD), entry("1.0.1", OLD), Mode.BACKWARD, Policy.LENIENT, dialect=DEFAULT_DIALECT
    )
    assert same.findings == () and same.breaking == 0


def test_the_diff_pairs_changed_lines_and_folds_long_unchanged_runs() -> None:
    left = "\n".join(f"line {i}" for i in range(40))
    right = left.replace("line 20", "line twenty")
    rows = side_by_side(left, right, context=3)
    changed = [r for r in rows if r.tag == "replace"]
    assert [(r.left_no, r.left, r.right_no, r.right) for r in changed] == [(21, "line 20", 21, "line twenty")]
    folds = [r for r in rows if r.tag == "fold"]
    assert [f.left for f in folds] == ["17 unchanged lines", "16 unchanged lines"]
    kept = [r.left_no for r in rows if r.tag == "equal"]
    assert kept == [18, 19, 20, 22, 23, 24]


def test_an_insertion_and_a_deletion_leave_the_other_side_empty() -> None:
    rows = side_by_side("a\nb\n", "a\nb\nc\n")
    assert rows[-1].tag == "insert" and rows[-1].left is None and rows[-1].right == "c"
    rows = side_by_side("a\nb\nc\n", "a\nc\n")
    assert next(r for r in rows if r.tag == "delete").right is None


def test_each_finding_says_the_bump_it_needs_alone() -> None:
    described = {**OLD, "description": "a person"}
    widened = {**OLD, "properties": {"age": {"type": "integer"}, "name": {"type": "string"}}}
    c = compare(
        entry("1.0.0", OLD), entry("1.0.1", described), Mode.BACKWARD, Policy.LENIENT, dialect=DEFAULT_DIALECT
    )
    assert [f.bump for f in c.findings] == ["patch"]
    c = compare(
        entry("1.0.0", OLD), entry("1.1.0", widened), Mode.BACKWARD, Policy.LENIENT, dialect=DEFAULT_DIALECT
    )
    assert [f.bump for f in c.findings] == ["minor"]
