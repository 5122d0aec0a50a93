"""One dialect rule: a schema without ``$schema`` is read as 2020-12 by the linter and by every
door that validates it, and a draft 7 tuple there is refused with the ``$schema`` to add."""

from __future__ import annotations

import json
from pathlib import Path

from support import registry_cli

from registry.lint import diff
from registry.validate import validate_json_schema

TUPLE = {"type": "array", "items": [{"type": "string"}]}
DRAFT7 = "http://json-schema.org/draft-07/schema#"


def test_a_tuple_items_array_without_schema_is_refused_with_the_schema_to_add() -> None:
    (problem,) = validate_json_schema(TUPLE)
    assert problem.rule == "schema.metaschema[items]" and problem.path == "$.items"
    assert f'"$schema": "{DRAFT7}"' in problem.message and "prefixItems" in problem.message


def test_a_tuple_under_a_declared_2020_12_is_refused_naming_draft_7() -> None:
    (problem,) = validate_json_schema({"$schema": "https://json-schema.org/draft/2020-12/schema", **TUPLE})
    assert "$schema names draft 2020-12" in problem.message and f'"$schema": "{DRAFT7}"' in problem.message
    assert "no $schema says otherwise" not in problem.message


def test_the_same_tuple_under_draft_7_is_valid() -> None:
    assert validate_json_schema({"$schema": DRAFT7, **TUPLE}) == []


def test_a_nested_tuple_is_named_where_it_is() -> None:
    (problem,) = validate_json_schema({"properties": {"pair": TUPLE}})
    assert problem.path == "$.properties.pair.items"


def test_lint_compare_refuses_it_with_the_hint(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(TUPLE))
    new.write_text(json.dumps({"type": "array", "prefixItems": [{"type": "string"}]}))
    out = registry_cli("lint", "compare", "--current", str(old), "--proposed", str(new))
    assert out.returncode == 2
    assert f'add "$schema": "{DRAFT7}"' in out.stderr and "internal error" not in out.stderr


def test_the_linter_reads_ref_siblings_by_the_declared_draft() -> None:
    defs = {"A": {"type": "string"}}
    old = {"definitions": defs, "$ref": "#/definitions/A", "maxLength": 1}
    new = {"definitions": defs, "$ref": "#/definitions/A"}
    # 2020-12 (no $schema): the sibling applies, so dropping it widens.
    assert [c.kind.value for c in diff(old, new)] == ["max_length_loosened"]
    # Draft 7: keywords beside $ref are ignored, so nothing changed.
    assert diff({"$schema": DRAFT7, **old}, {"$schema": DRAFT7, **new}) == []


def test_lint_compare_reads_schemas_in_the_default_dialect_given(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(TUPLE))
    new.write_text(json.dumps({"type": "array", "items": [{"type": "integer"}]}))
    args = ["lint", "compare", "--current", str(old), "--proposed", str(new), "--format", "json"]
    out = registry_cli(*args, "--default-dialect", "draft-07")
    assert out.returncode == 1, out.stderr
    assert [c["kind"] for c in json.loads(out.stdout)["breaking"]] == ["type_changed"]
    unknown = registry_cli(*args, "--default-dialect", "draft-99")
    assert unknown.returncode == 2 and "use one of 2020-12" in unknown.stderr
