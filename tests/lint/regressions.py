"""Named counterexamples: pairs once called compatible that are not, each with its witness.

Every false "compatible" ever found (by hand or by the oracle in test_lint_oracle.py) is
kept here as ``(old, new, instance, direction)``: ``instance`` is valid under the side the
direction keeps (old for BACKWARD) and rejected by the other, so the pair must break it.
"""

from __future__ import annotations

from typing import Any, Literal

Direction = Literal["backward", "forward"]
DRAFT7 = "http://json-schema.org/draft-07/schema#"

REGRESSIONS: dict[str, tuple[Any, Any, Any, Direction]] = {
    # An allOf branch that evaluated "b" is gone: unevaluatedProperties now rejects it.
    "unevaluated_properties_lose_an_evaluating_branch": (
        {"properties": {"a": True}, "allOf": [{"properties": {"b": True}}], "unevaluatedProperties": False},
        {"properties": {"a": True}, "unevaluatedProperties": False},
        {"b": 1},
        "backward",
    ),
    # A property added below allOf is now evaluated: the old schema rejected it as unevaluated.
    "unevaluated_properties_gain_an_evaluated_name": (
        {"allOf": [{"properties": {"a": True}}], "unevaluatedProperties": False},
        {"allOf": [{"properties": {"a": True, "b": {}}}], "unevaluatedProperties": False},
        {"b": 1},
        "forward",
    ),
    # contains widened beside maxContains: two items match now, one was the most allowed.
    "contains_widened_beside_max_contains": (
        {"type": "array", "contains": {"const": 1}, "maxContains": 1},
        {"type": "array", "contains": {}, "maxContains": 1},
        [1, 2],
        "backward",
    ),
    # The dynamic anchor's schema changed; the $dynamicRef text did not.
    "dynamic_ref_target_changed": (
        {"$defs": {"n": {"$dynamicAnchor": "t", "type": "string"}}, "$dynamicRef": "#t"},
        {"$defs": {"n": {"$dynamicAnchor": "t", "type": "integer"}}, "$dynamicRef": "#t"},
        "x",
        "backward",
    ),
    # A pattern also applies to declared properties: "a" must now be a string as well.
    "pattern_property_added_over_a_declared_property": (
        {
            "type": "object",
            "properties": {"a": {"type": "integer"}},
            "additionalProperties": {"type": "string"},
        },
        {
            "type": "object",
            "properties": {"a": {"type": "integer"}},
            "patternProperties": {"^a": {"type": "string"}},
            "additionalProperties": {"type": "string"},
        },
        {"a": 1},
        "backward",
    ),
    # Draft 7 ignores keywords beside $ref: the old maxLength meant nothing, the new one counts.
    "draft7_sibling_of_ref_was_ignored": (
        {
            "$schema": DRAFT7,
            "definitions": {"A": {"type": "string"}},
            "$ref": "#/definitions/A",
            "maxLength": 1,
        },
        {
            "$schema": DRAFT7,
            "definitions": {"A": {"type": "string"}},
            "allOf": [{"$ref": "#/definitions/A"}],
            "maxLength": 1,
        },
        "abc",
        "backward",
    ),
}

# Found by the oracle (seed 1): minContains 0 → absent (1) tightens, read inside ``not``.
_D = {"d": {"const": "", "propertyNames": {"pattern": "^a"}}}
_NOT = {
    "contains": {"then": True},
    "unevaluatedProperties": {"$ref": "#/$defs/d", "dependentRequired": {"c": ["ab"]}},
}
REGRESSIONS["min_contains_zero_to_default_one_under_not"] = (
    {"$defs": _D, "minimum": 0, "not": {**_NOT, "minContains": 0}},
    {"$defs": _D, "minimum": 0, "not": {**_NOT, "minContains": 1}},
    [],
    "forward",
)
REGRESSIONS["min_contains_zero_removed"] = (
    {"type": "array", "contains": {"type": "string"}, "minContains": 0},
    {"type": "array", "contains": {"type": "string"}},
    [],
    "backward",
)

# Found by the oracle (seed 1005): a pattern removed beside unevaluatedProperties hands its
# names to unevaluatedProperties, not to "anything"; read under ``not``, that widened.
_UNEVAL = {"anyOf": [True, {"type": "boolean"}, {"type": "number"}], "exclusiveMaximum": -1}
REGRESSIONS["pattern_removed_beside_unevaluated_properties_under_not"] = (
    {"not": {"patternProperties": {".*": {"minimum": 2}}, "unevaluatedProperties": _UNEVAL}},
    {"not": {"unevaluatedProperties": _UNEVAL}},
    {"ab": "2024-01-02", "b": 2},
    "forward",
)

# Found by the release run (seeds 2012, 2013): additionalProperties added or removed beside
# unevaluatedProperties moves the other names from one keyword to the other.
_UNEV = {"enum": [2, 1], "maxProperties": 2}
REGRESSIONS["additional_properties_added_beside_unevaluated_properties"] = (
    {"minItems": 2, "unevaluatedProperties": _UNEV},
    {"additionalProperties": {"maximum": 1}, "minItems": 2, "unevaluatedProperties": _UNEV},
    {"a": {"b": 1.5}, "b": "a", "c": False},
    "forward",
)
REGRESSIONS["additional_properties_removed_beside_unevaluated_properties"] = (
    {
        "additionalProperties": {"pattern": ".*"},
        "unevaluatedProperties": {"maxLength": 3, "minProperties": 1},
    },
    {"unevaluatedProperties": {"maxLength": 3, "minProperties": 1}},
    {"a": [None, ""], "b": "2024-01-02", "c": []},
    "backward",
)

# Found by the last release run (seed 3007): items added inside an anyOf branch evaluates
# every item, so unevaluatedItems beside the anyOf no longer sees them.
_BRANCH = {"dependentSchemas": {"a": {"type": "array"}}, "then": False}
_BESIDE = {"minProperties": 0, "unevaluatedItems": {"minLength": 1, "type": "object"}}
REGRESSIONS["items_added_in_a_branch_beside_unevaluated_items"] = (
    {"allOf": [{"anyOf": [_BRANCH], **_BESIDE}], "required": ["c"]},
    {"allOf": [{"anyOf": [{**_BRANCH, "items": {"exclusiveMinimum": 1}}], **_BESIDE}], "required": ["c"]},
    [[None, "2024-01-02"]],
    "forward",
)

# Found by the release run of 2026-12-07 (seed 20261223): `additionalProperties: {}` asserts
# nothing, yet inside dependentSchemas it evaluates "a"; gone, the unevaluatedProperties
# beside it sees "a", so the `not` around both accepts it now.
_NOT_BESIDE = {"unevaluatedProperties": {"const": True, "minItems": 2}}
REGRESSIONS["vacuous_evaluator_removed_in_dependent_schemas_under_not"] = (
    {
        "$defs": {"d": True},
        "additionalProperties": {"const": False},
        "not": {"dependentSchemas": {"a": {"additionalProperties": {}}}, **_NOT_BESIDE},
        "prefixItems": [{}],
    },
    {
        "$defs": {"d": True},
        "additionalProperties": {"const": False},
        "not": {"dependentSchemas": {"a": {}}, **_NOT_BESIDE},
        "prefixItems": [{}],
    },
    {"a": False},
    "forward",
)
# The same through a reference: the $defs target lost an evaluating keyword.
REGRESSIONS["vacuous_evaluator_removed_behind_a_ref_beside_unevaluated_properties"] = (
    {
        "$defs": {"t": {"additionalProperties": {}}},
        "allOf": [{"$ref": "#/$defs/t"}],
        "unevaluatedProperties": False,
    },
    {"$defs": {"t": {}}, "allOf": [{"$ref": "#/$defs/t"}], "unevaluatedProperties": False},
    {"a": 1},
    "backward",
)
# Found by the oracle (seed 5002): `additionalProperties: true` accepts every value, but
# marks every other name evaluated; dropped in a dependent schema, unevaluatedProperties
# beside it sees those names again.
_SEES = {"properties": {"b": False}}
REGRESSIONS["additional_properties_true_dropped_below_unevaluated_properties"] = (
    {"dependentSchemas": {"c": {"additionalProperties": True}}, "unevaluatedProperties": _SEES},
    {"dependentSchemas": {"c": {}}, "unevaluatedProperties": _SEES},
    {"b": {"b": None}, "c": 1},
    "backward",
)
REGRESSIONS["items_true_added_below_unevaluated_items"] = (
    {"anyOf": [{}], "unevaluatedItems": {"type": "string"}, "minItems": 1},
    {"anyOf": [{"items": True}], "unevaluatedItems": {"type": "string"}, "minItems": 1},
    [1],
    "forward",
)
