"""Contract schemas are checked against their own dialect's metaschema, and their $refs."""

from __future__ import annotations

from typing import Any

import pytest

from registry.validate import external_refs, validate_json_schema

DRAFT7 = "http://json-schema.org/draft-07/schema#"
DRAFT2020 = "https://json-schema.org/draft/2020-12/schema"

ORDER: dict[str, Any] = {
    "$schema": DRAFT2020,
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}, "customer": {"$ref": "#/$defs/customer"}},
    "$defs": {"customer": {"type": "object", "properties": {"name": {"type": "string"}}}},
}


def codes(schema: Any) -> list[tuple[str, str]]:
    return [(p.rule, p.path) for p in validate_json_schema(schema)]


def test_valid_2020_12_schema() -> None:
    assert validate_json_schema(ORDER) == []


def test_no_dollar_schema_means_2020_12() -> None:
    # prefixItems is 2020-12 only; an array there must be an array of schemas.
    assert codes({"prefixItems": [{"type": "string"}]}) == []
    assert codes({"prefixItems": {"type": "string"}}) == [("schema.metaschema[type]", "$.prefixItems")]


def test_all_metaschema_errors_are_reported_2020_12() -> None:
    schema = {
        "$schema": DRAFT2020,
        "type": "strin",
        "properties": {"a": {"minLength": -1}, "b": {"required": "x"}},
    }
    assert sorted(codes(schema)) == [
        ("schema.metaschema[anyOf]", "$.type"),
        ("schema.metaschema[minimum]", "$.properties.a.minLength"),
        ("schema.metaschema[type]", "$.properties.b.required"),
    ]


def test_all_metaschema_errors_are_reported_draft_07() -> None:
    schema = {"$schema": DRAFT7, "type": "object", "required": [1], "properties": {"a": {"type": 5}}}
    found = codes(schema)
    assert ("schema.metaschema[type]", "$.required[0]") in found
    assert ("schema.metaschema[anyOf]", "$.properties.a.type") in found


def test_dollar_schema_is_respected() -> None:
    # draft-04 spells exclusiveMaximum as a boolean; 2020-12 as a number.
    bound = {"maximum": 5, "exclusiveMaximum": True}
    assert codes({"$schema": "http://json-schema.org/draft-04/schema#", **bound}) == []
    assert codes({"$schema": DRAFT2020, **bound}) == [("schema.metaschema[type]", "$.exclusiveMaximum")]
    assert codes({"$schema": DRAFT7, **bound}) == [("schema.metaschema[type]", "$.exclusiveMaximum")]


def test_unknown_dialect_is_refused() -> None:
    assert codes({"$schema": "https://example.org/my-dialect"}) == [("schema.dialect", '$["$schema"]')]


def test_bad_regex_is_caught() -> None:
    assert codes({"type": "string", "pattern": "(unclosed"}) == [("schema.metaschema[format]", "$.pattern")]


def test_unresolved_local_ref() -> None:
    schema = {
        **ORDER,
        "properties": {"c": {"$ref": "#/$defs/nothing"}, "d": {"items": {"$ref": "#/$defs/customer"}}},
    }
    assert codes(schema) == [("schema.ref_unresolved", '$.properties.c["$ref"]')]


def test_draft_07_definitions_and_anchors_resolve() -> None:
    schema = {
        "$schema": DRAFT7,
        "definitions": {"a": {"$id": "#thing", "type": "string"}, "b~c/d": {"type": "integer"}},
        "properties": {
            "x": {"$ref": "#/definitions/a"},
            "y": {"$ref": "#thing"},
            "z": {"$ref": "#/definitions/b~0c~1d"},
        },
    }
    assert codes(schema) == []


def test_2020_12_anchor_and_root_ref() -> None:
    schema = {"$defs": {"n": {"$anchor": "node", "properties": {"next": {"$ref": "#"}}}}, "$ref": "#node"}
    assert codes(schema) == []
    assert codes({"$ref": "#missing"}) == [("schema.ref_unresolved", '$["$ref"]')]


def test_refs_inside_data_keywords_are_ignored() -> None:
    assert codes({"const": {"$ref": "#/nowhere"}, "examples": [{"$ref": "#/x"}]}) == []


def test_external_refs_are_collected_once() -> None:
    schema = {
        "properties": {
            "a": {"$ref": "ritual.started"},
            "b": {"$ref": "https://schemas.example.org/approval.granted/schema.json#/$defs/principal"},
            "c": {"items": {"$ref": "ritual.started"}},
            "d": {"$ref": "#/properties/a"},
            "e": {"$ref": "inner.json"},
        },
        "$defs": {"inner": {"$id": "inner.json", "type": "string"}},
    }
    assert external_refs(schema) == [
        "ritual.started",
        "https://schemas.example.org/approval.granted/schema.json#/$defs/principal",
    ]


@pytest.mark.parametrize("schema", [True, False, {}])
def test_trivial_schemas(schema: Any) -> None:
    assert validate_json_schema(schema) == []
    assert external_refs(schema) == []


def nested_properties(levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"p": schema}}
    return schema


@pytest.mark.parametrize("levels", [65, 100, 120])
def test_subschemas_nested_past_the_depth_limit_are_refused_naming_it(levels: int) -> None:
    (problem,) = validate_json_schema(nested_properties(levels))
    assert problem.rule == "schema.limit[depth]"
    assert "more than 64 levels" in problem.message and "$defs" in problem.message
    assert problem.path.startswith("$.properties.p.properties.p")


def test_subschemas_at_the_depth_limit_are_fine() -> None:
    assert validate_json_schema(nested_properties(64)) == []
