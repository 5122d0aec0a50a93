"""References are compared by what they mean, and recursion through them terminates."""

from __future__ import annotations

import copy
import sys

from lint.schemas import NODE, NODE_ROOT

from registry.lint import ChangeKind, Mode, check, diff


def test_recursive_schema_is_equal_to_itself() -> None:
    assert diff(NODE, copy.deepcopy(NODE)) == []


def test_recursive_schema_change_is_found_once_at_its_definition() -> None:
    new = copy.deepcopy(NODE)
    new["$defs"]["node"]["properties"]["value"] = {"type": "number"}
    changes = diff(NODE, new)
    assert [(c.kind, c.path) for c in changes] == [
        (ChangeKind.TYPE_WIDENED, "/$defs/node/properties/value/type")
    ]


def test_two_spellings_of_a_recursive_schema_compare_equal() -> None:
    assert diff(NODE, NODE_ROOT) == []
    assert diff(NODE_ROOT, NODE) == []


def test_recursion_against_an_open_schema_terminates() -> None:
    changes = diff(NODE, True)
    assert changes and all(c.backward for c in changes)
    assert not check([("1.0.0", True)], NODE).compatible


def test_mutually_recursive_definitions_terminate() -> None:
    old = {
        "$defs": {
            "a": {"properties": {"b": {"$ref": "#/$defs/b"}, "n": {"type": "integer"}}},
            "b": {"properties": {"a": {"$ref": "#/$defs/a"}}},
        },
        "$ref": "#/$defs/a",
    }
    new = copy.deepcopy(old)
    new["$defs"]["a"]["properties"]["n"] = {"type": "string"}
    assert [c.kind for c in diff(old, new)] == [ChangeKind.TYPE_CHANGED]


def test_self_referencing_ref_does_not_loop() -> None:
    odd = {"$defs": {"x": {"$ref": "#/$defs/x"}}, "$ref": "#/$defs/x"}
    assert diff(odd, odd) == []


def test_ref_with_sibling_keywords_applies_both() -> None:
    old = {"$defs": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/s"}}}
    new = {"$defs": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/s", "maxLength": 3}}}
    (change,) = diff(old, new)
    assert change.kind is ChangeKind.MAX_LENGTH_TIGHTENED
    assert change.breaking(Mode.BACKWARD)


def test_inlining_a_definition_is_no_change() -> None:
    inline = {
        "type": "object",
        "properties": {"a": {"type": "object", "properties": {"x": {"type": "string"}}}},
    }
    by_ref = {
        "type": "object",
        "properties": {"a": {"$ref": "#/$defs/A", "description": "the a"}},
        "$defs": {"A": {"type": "object", "properties": {"x": {"type": "string"}}}},
    }
    assert [c.kind for c in diff(inline, by_ref)] == [ChangeKind.ANNOTATION_ADDED]
    assert check([("1.0.0", inline)], by_ref, mode=Mode.FULL).compatible


def test_ref_into_items_by_pointer() -> None:
    old = {"items": {"type": "integer"}, "properties": {"first": {"$ref": "#/items"}}}
    new = {"items": {"type": "integer"}, "properties": {"first": {"type": "integer"}}}
    assert diff(old, new) == []


def test_recursion_that_does_not_settle_in_its_rounds_is_unproven_not_compatible(monkeypatch) -> None:
    # With one round allowed, the recursive pair's first answer rests on an assumption (no
    # change below) that the round itself contradicts: that answer is not a proof.
    engine = sys.modules[diff.__module__]

    new = copy.deepcopy(NODE)
    new["$defs"]["node"]["properties"]["value"] = {"type": "number"}
    monkeypatch.setattr(engine, "MAX_ROUNDS", 1)
    changes = diff(NODE, new)
    unproven = [c for c in changes if c.kind is ChangeKind.UNPROVEN]
    assert len(unproven) == 1 and not unproven[0].backward and not unproven[0].forward
    assert "did not settle in 1 rounds" in unproven[0].message
    assert not check([("1.0.0", NODE)], new, mode=Mode.BACKWARD).compatible
    monkeypatch.undo()
    assert not [c for c in diff(NODE, new) if c.kind is ChangeKind.UNPROVEN]  # settles in the default rounds
