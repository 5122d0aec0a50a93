"""Named schema pairs for the groups the linter judges by instance sets (issue "The linter, exact").

Each ``Verdict`` gives BACKWARD and FORWARD compatibility of ``old`` → ``new`` under both
policies (the same, unless ``lenient`` says otherwise) and, for each direction that breaks,
an instance that proves it: ``lost`` is accepted by ``old`` and rejected by ``new``;
``gained`` the reverse. The tests check the verdicts and the instances with ``jsonschema``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NONE: Any = object()  # no instance given (the direction is compatible)


@dataclass(frozen=True)
class Verdict:
    old: Any
    new: Any
    backward: bool
    forward: bool
    lost: Any = NONE  # old accepts, new rejects: proves BACKWARD breaks
    gained: Any = NONE  # new accepts, old rejects: proves FORWARD breaks
    lenient: tuple[bool, bool] | None = None  # (backward, forward) under lenient, when different


S = {"type": "string"}
N = {"type": "number"}
I = {"type": "integer"}  # noqa: E741
NULL = {"type": "null"}


def prop(schema: Any, **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": {"v": schema}, **extra}


COMPOSITIONS: dict[str, Verdict] = {
    # A composition of one schema is that schema, whichever the keyword.
    "all_of_one_is_the_schema": Verdict(prop(S), prop({"allOf": [S]}), True, True),
    "any_of_one_is_the_schema": Verdict(prop({"anyOf": [S]}), prop(S), True, True),
    "one_of_one_to_all_of_one": Verdict({"oneOf": [S]}, {"allOf": [S]}, True, True),
    "duplicates_in_all_of": Verdict(prop({"allOf": [S]}), prop({"allOf": [S, S]}), True, True),
    "duplicates_in_any_of": Verdict({"anyOf": [S, N]}, {"anyOf": [S, N, S]}, True, True),
    # oneOf → anyOf of the same branches only widens (and here not at all: they are disjoint).
    "one_of_to_any_of_disjoint": Verdict({"oneOf": [S, N]}, {"anyOf": [S, N]}, True, True),
    # With overlapping branches, anyOf accepts what matched both: 1 is integer and number.
    "one_of_to_any_of_overlapping": Verdict({"oneOf": [I, N]}, {"anyOf": [I, N]}, True, False, gained=1),
    "all_of_to_any_of": Verdict(
        {"allOf": [S, {"maxLength": 3}]}, {"anyOf": [S, {"maxLength": 3}]}, True, False, gained="long"
    ),
    "any_of_branch_added": Verdict({"anyOf": [S, NULL]}, {"anyOf": [S, NULL, N]}, True, False, gained=1),
    "any_of_branch_removed": Verdict({"anyOf": [S, NULL, N]}, {"anyOf": [S, NULL]}, False, True, lost=1),
    # A plain schema → anyOf holding a branch that accepts all it did.
    "plain_to_any_of_with_it": Verdict(prop(S), prop({"anyOf": [N, S]}), True, False, gained={"v": 1}),
    "plain_to_any_of_without_it": Verdict(S, {"anyOf": [N, NULL]}, False, False, lost="a", gained=1),
    # oneOf: exclusivity counts.
    "plain_to_one_of_disjoint": Verdict(
        {"type": "string", "maxLength": 3}, {"oneOf": [N, S]}, True, False, gained=1
    ),
    "plain_to_one_of_overlapping": Verdict(
        S, {"oneOf": [S, {"maxLength": 5}]}, False, False, lost="a", gained=1
    ),
    "null_to_two_open_branches": Verdict({"oneOf": [NULL]}, {"oneOf": [{}, {}]}, False, True, lost=None),
    "one_of_branch_added_disjoint": Verdict(
        {"oneOf": [S, NULL]}, {"oneOf": [S, NULL, N]}, True, False, gained=1
    ),
    "one_of_branch_added_overlapping": Verdict(
        {"oneOf": [S, NULL]}, {"oneOf": [S, NULL, {"minLength": 2}]}, False, False, lost="ab", gained=1
    ),
    "one_of_branch_widened_disjoint": Verdict(
        {"oneOf": [{"type": "string", "maxLength": 2}, N]}, {"oneOf": [S, N]}, True, False, gained="abc"
    ),
    "one_of_branch_widened_into_another": Verdict(
        {"oneOf": [I, {"type": "string"}]},
        {"oneOf": [I, {"type": ["string", "number"]}]},
        False,
        False,
        lost=1,
        gained=1.5,
    ),
    # A tagged union: a required discriminator with distinct consts keeps branches apart.
    "one_of_tagged_branch_added": Verdict(
        {"oneOf": [{"type": "object", "required": ["k"], "properties": {"k": {"const": "a"}}}]},
        {
            "oneOf": [
                {"type": "object", "required": ["k"], "properties": {"k": {"const": "a"}}},
                {"type": "object", "required": ["k"], "properties": {"k": {"const": "b"}, "x": I}},
            ]
        },
        True,
        False,
        gained={"k": "b"},
    ),
    "one_of_untagged_object_added": Verdict(
        {"oneOf": [{"type": "object", "required": ["k"], "properties": {"k": {"const": "a"}}}]},
        {
            "oneOf": [
                {"type": "object", "required": ["k"], "properties": {"k": {"const": "a"}}},
                {"type": "object", "properties": {"x": I}},
            ]
        },
        False,
        False,
        lost={"k": "a"},
        gained={},
    ),
    # An allOf that accepts nothing cannot lose an instance.
    "empty_all_of_to_any_of": Verdict({"allOf": [N, S]}, {"anyOf": [S]}, True, False, gained="a"),
    # A composed schema of one member whose criteria change is judged like the member.
    "singleton_criteria_narrowed": Verdict(
        {"oneOf": [{"type": "string", "maxLength": 5}]},
        {"allOf": [{"type": "string", "maxLength": 3}]},
        False,
        True,
        lost="abcd",
    ),
}

GROUPS: dict[str, Verdict] = {
    # Partially open content models: a property moved into a catch-all that still accepts it.
    "property_into_additional_one_of": Verdict(
        {"properties": {"a": S, "b": S}, "additionalProperties": False},
        {"properties": {"a": S}, "additionalProperties": {"oneOf": [NULL, S]}},
        True,
        False,
        gained={"c": None},
    ),
    "property_into_pattern_properties": Verdict(
        {"properties": {"a": S, "x1": I}, "additionalProperties": False},
        {"properties": {"a": S}, "patternProperties": {"^x": I}, "additionalProperties": False},
        True,
        False,
        gained={"x2": 1},
    ),
    "property_into_narrower_catch_all": Verdict(
        {"properties": {"a": S, "b": N}, "additionalProperties": S},
        {"properties": {"a": S}, "additionalProperties": S},
        False,
        False,
        lost={"b": 1},
        gained={"b": "x"},
    ),
    "property_added_to_open_model": Verdict(
        {"properties": {"a": S}},
        {"properties": {"a": S, "b": N}},
        False,
        True,
        lost={"b": "x"},
        lenient=(True, True),
    ),
    # additionalItems only counts beside an array-form items (draft 2019-09 and before).
    "additional_items_without_tuple": Verdict(
        {"additionalItems": True}, {"additionalItems": False}, True, True
    ),
    "additional_items_closed_tuple": Verdict(
        {"$schema": "http://json-schema.org/draft-07/schema#", "items": [S], "additionalItems": True},
        {"$schema": "http://json-schema.org/draft-07/schema#", "items": [S], "additionalItems": False},
        False,
        True,
        lost=["a", 1],
    ),
    # unevaluatedItems beside prefixItems is the schema for the rest of the tuple.
    "unevaluated_rest_item_added_same": Verdict(
        {"prefixItems": [S, N], "unevaluatedItems": S},
        {"prefixItems": [S, N, S], "unevaluatedItems": S},
        True,
        True,
    ),
    "unevaluated_rest_item_removed_differs": Verdict(
        {"prefixItems": [S, N, N], "unevaluatedItems": S},
        {"prefixItems": [S, N], "unevaluatedItems": S},
        False,
        False,
        lost=["a", 1, 2],
        gained=["a", 1, "b"],
    ),
    # A rewritten required array: what was required no longer is, and something else is.
    "required_rewritten": Verdict(
        {"properties": {"foo": S}, "required": ["foo"]},
        {"properties": {"foo": S}, "required": ["bar"]},
        False,
        False,
        lost={"foo": "x"},
        gained={"bar": 1},
    ),
}


def recursive(leaf: Any) -> dict[str, Any]:
    """A tree whose nodes hold a value and children, through a recursive reference."""
    return {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {
                    "value": leaf,
                    "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                },
            }
        },
        "$ref": "#/$defs/node",
    }


def mutual(leaf: Any) -> dict[str, Any]:
    """Two definitions that refer to each other; only the second holds the leaf."""
    return {
        "$defs": {
            "a": {"type": "object", "properties": {"b": {"$ref": "#/$defs/b"}}},
            "b": {"type": "object", "properties": {"a": {"$ref": "#/$defs/a"}, "leaf": leaf}},
        },
        "$ref": "#/$defs/a",
    }


RECURSION: dict[str, Verdict] = {
    "recursive_leaf_narrowed": Verdict(
        recursive(N), recursive(I), False, True, lost={"children": [{"value": 1.5}]}
    ),
    "recursive_leaf_widened": Verdict(recursive(I), recursive(N), True, False, gained={"value": 0.5}),
    "mutual_leaf_narrowed": Verdict(
        mutual(S), mutual({"type": "string", "maxLength": 1}), False, True, lost={"b": {"leaf": "ab"}}
    ),
    "mutual_unchanged_spelling": Verdict(mutual(S), mutual({"allOf": [S]}), True, True),
}

ALL = {**COMPOSITIONS, **GROUPS, **RECURSION}
