"""Named schema pairs, one (at least) per change kind, and pairs that must show no change.

Each ``Case`` says which change the engine must report for ``old`` → ``new``: its kind,
its JSON pointer (into the new schema) and its compatibility under BACKWARD and FORWARD.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry.lint import ChangeKind as K
from registry.lint import Policy


@dataclass(frozen=True)
class Case:
    old: Any
    new: Any
    kind: K
    path: str
    backward: bool
    forward: bool
    policy: Policy = Policy.LENIENT


def obj(props: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props or {}, **extra}


STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
BASE = obj(
    {"name": STR, "age": {"type": "integer", "minimum": 0}, "email": STR},
    required=["name", "age"],
)

CASES: dict[str, Case] = {
    # annotations
    "description_added": Case(
        STR, {**STR, "description": "x"}, K.ANNOTATION_ADDED, "/description", True, True
    ),
    "title_removed": Case({**STR, "title": "T"}, STR, K.ANNOTATION_REMOVED, "/title", True, True),
    "default_changed": Case(
        {**INT, "default": 1}, {**INT, "default": 2}, K.ANNOTATION_CHANGED, "/default", True, True
    ),
    "deprecated_added": Case(
        obj({"a": STR}),
        obj({"a": {**STR, "deprecated": True}}),
        K.ANNOTATION_ADDED,
        "/properties/a/deprecated",
        True,
        True,
    ),
    # whole schemas
    "property_made_false": Case(
        obj({"a": {}}), obj({"a": False}), K.SCHEMA_CLOSED, "/properties/a", False, True
    ),
    "property_made_true": Case(
        obj({"a": False}), obj({"a": STR}), K.SCHEMA_OPENED, "/properties/a", True, False
    ),
    # type
    "null_removed": Case({"type": ["string", "null"]}, STR, K.TYPE_NARROWED, "/type", False, True),
    "null_added": Case(STR, {"type": ["string", "null"]}, K.TYPE_WIDENED, "/type", True, False),
    "integer_to_number": Case(INT, {"type": "number"}, K.TYPE_WIDENED, "/type", True, False),
    "number_to_integer": Case({"type": "number"}, INT, K.TYPE_NARROWED, "/type", False, True),
    "age_to_string": Case(
        BASE,
        obj({"name": STR, "age": STR, "email": STR}, required=["name", "age"]),
        K.TYPE_CHANGED,
        "/properties/age/type",
        False,
        False,
    ),
    "type_added": Case({}, STR, K.TYPE_NARROWED, "/type", False, True),
    # enum / const
    "enum_added": Case(STR, {**STR, "enum": ["a"]}, K.ENUM_ADDED, "/enum", False, True),
    "enum_removed": Case({**STR, "enum": ["a"]}, STR, K.ENUM_REMOVED, "/enum", True, False),
    "enum_value_added": Case(
        {"enum": ["a"]}, {"enum": ["a", "b"]}, K.ENUM_VALUES_ADDED, "/enum", True, False
    ),
    "enum_value_removed": Case(
        {"enum": ["a", "b"]}, {"enum": ["a"]}, K.ENUM_VALUES_REMOVED, "/enum", False, True
    ),
    "const_changed": Case({"const": "a"}, {"const": "b"}, K.ENUM_CHANGED, "/const", False, False),
    "const_to_enum": Case({"const": "a"}, {"enum": ["a", "b"]}, K.ENUM_VALUES_ADDED, "/enum", True, False),
    # numbers
    "minimum_raised": Case({"minimum": 0}, {"minimum": 1}, K.MINIMUM_TIGHTENED, "/minimum", False, True),
    "minimum_to_exclusive": Case(
        {"minimum": 0}, {"exclusiveMinimum": 0}, K.MINIMUM_TIGHTENED, "/exclusiveMinimum", False, True
    ),
    "exclusive_to_minimum": Case(
        {"exclusiveMinimum": 0}, {"minimum": 0}, K.MINIMUM_LOOSENED, "/minimum", True, False
    ),
    "maximum_added": Case(INT, {**INT, "maximum": 10}, K.MAXIMUM_TIGHTENED, "/maximum", False, True),
    "draft4_exclusive_maximum_dropped": Case(
        {"maximum": 10, "exclusiveMaximum": True},
        {"maximum": 10},
        K.MAXIMUM_LOOSENED,
        "/maximum",
        True,
        False,
    ),
    "maximum_removed": Case({"maximum": 10}, {}, K.MAXIMUM_LOOSENED, "/maximum", True, False),
    "multiple_of_tightened": Case(
        {"multipleOf": 2}, {"multipleOf": 4}, K.MULTIPLE_OF_TIGHTENED, "/multipleOf", False, True
    ),
    "multiple_of_loosened": Case(
        {"multipleOf": 0.5}, {"multipleOf": 0.1}, K.MULTIPLE_OF_LOOSENED, "/multipleOf", True, False
    ),
    "multiple_of_changed": Case(
        {"multipleOf": 2}, {"multipleOf": 3}, K.MULTIPLE_OF_CHANGED, "/multipleOf", False, False
    ),
    # strings
    "min_length_raised": Case(
        {"minLength": 1}, {"minLength": 2}, K.MIN_LENGTH_TIGHTENED, "/minLength", False, True
    ),
    "min_length_removed": Case({"minLength": 1}, {}, K.MIN_LENGTH_LOOSENED, "/minLength", True, False),
    "max_length_lowered": Case(
        {"maxLength": 10}, {"maxLength": 5}, K.MAX_LENGTH_TIGHTENED, "/maxLength", False, True
    ),
    "max_length_raised": Case(
        {"maxLength": 5}, {"maxLength": 10}, K.MAX_LENGTH_LOOSENED, "/maxLength", True, False
    ),
    "pattern_added": Case(STR, {**STR, "pattern": "^a"}, K.PATTERN_ADDED, "/pattern", False, True),
    "pattern_removed": Case({**STR, "pattern": "^a"}, STR, K.PATTERN_REMOVED, "/pattern", True, False),
    "pattern_changed": Case(
        {"pattern": "^a"}, {"pattern": "^b"}, K.PATTERN_CHANGED, "/pattern", False, False
    ),
    "format_added": Case(STR, {**STR, "format": "email"}, K.FORMAT_ADDED, "/format", False, True),
    "format_removed": Case({"format": "email"}, {}, K.FORMAT_REMOVED, "/format", True, False),
    "format_changed": Case({"format": "email"}, {"format": "uri"}, K.FORMAT_CHANGED, "/format", False, False),
    # objects: properties and the content model
    "optional_added_lenient": Case(
        BASE,
        {**BASE, "properties": {**BASE["properties"], "phone": STR}},
        K.PROPERTY_ADDED,
        "/properties/phone",
        True,
        True,
    ),
    "optional_added_strict": Case(
        BASE,
        {**BASE, "properties": {**BASE["properties"], "phone": STR}},
        K.PROPERTY_ADDED,
        "/properties/phone",
        False,
        True,
        Policy.STRICT,
    ),
    "any_added_strict": Case(
        obj({"a": STR}),
        obj({"a": STR, "b": {}}),
        K.PROPERTY_ADDED,
        "/properties/b",
        True,
        True,
        Policy.STRICT,
    ),
    "added_to_closed": Case(
        obj({"a": STR}, additionalProperties=False),
        obj({"a": STR, "b": STR}, additionalProperties=False),
        K.PROPERTY_ADDED_TO_CLOSED_MODEL,
        "/properties/b",
        True,
        False,
    ),
    "added_to_partially_open": Case(
        obj({"a": STR}, additionalProperties=STR),
        obj({"a": STR, "b": {**STR, "maxLength": 3}}, additionalProperties=STR),
        K.PROPERTY_ADDED_TO_PARTIALLY_OPEN_MODEL,
        "/properties/b",
        False,
        True,
    ),
    "added_matching_pattern": Case(
        obj({}, patternProperties={"^x_": STR}, additionalProperties=False),
        obj({"x_a": STR}, patternProperties={"^x_": STR}, additionalProperties=False),
        K.PROPERTY_ADDED_TO_PARTIALLY_OPEN_MODEL,
        "/properties/x_a",
        True,
        True,
    ),
    "removed_lenient": Case(
        obj({"a": STR, "b": STR}), obj({"a": STR}), K.PROPERTY_REMOVED, "/properties/b", True, True
    ),
    "removed_strict": Case(
        obj({"a": STR, "b": STR}),
        obj({"a": STR}),
        K.PROPERTY_REMOVED,
        "/properties/b",
        True,
        False,
        Policy.STRICT,
    ),
    "removed_from_closed": Case(
        obj({"a": STR, "b": STR}, additionalProperties=False),
        obj({"a": STR}, additionalProperties=False),
        K.PROPERTY_REMOVED_FROM_CLOSED_MODEL,
        "/properties/b",
        False,
        True,
    ),
    "removed_from_partially_open": Case(
        obj({"b": {**STR, "maxLength": 3}}, additionalProperties=STR),
        obj({}, additionalProperties=STR),
        K.PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_MODEL,
        "/properties/b",
        True,
        False,
    ),
    "required_added": Case(
        obj({"a": STR}), obj({"a": STR}, required=["a"]), K.REQUIRED_ADDED, "/required", False, True
    ),
    "required_removed": Case(
        obj({"runId": STR}, required=["runId"]),
        obj({"runId": STR}),
        K.REQUIRED_REMOVED,
        "/required",
        True,
        False,
    ),
    "closed": Case(
        obj({"a": STR}),
        obj({"a": STR}, additionalProperties=False),
        K.CONTENT_MODEL_CLOSED,
        "/additionalProperties",
        False,
        True,
    ),
    "opened": Case(
        obj({"a": STR}, additionalProperties=False),
        obj({"a": STR}),
        K.CONTENT_MODEL_OPENED,
        "/additionalProperties",
        True,
        False,
    ),
    "unevaluated_closed": Case(
        obj({"a": STR}),
        obj({"a": STR}, unevaluatedProperties=False),
        K.CONTENT_MODEL_CLOSED,
        "/unevaluatedProperties",
        False,
        True,
    ),
    "additional_schema_narrowed": Case(
        {"additionalProperties": {"type": "number"}},
        {"additionalProperties": INT},
        K.TYPE_NARROWED,
        "/additionalProperties/type",
        False,
        True,
    ),
    "pattern_property_added": Case(
        obj({}, additionalProperties=False),
        obj({}, patternProperties={"^x_": STR}, additionalProperties=False),
        K.PATTERN_PROPERTY_ADDED,
        "/patternProperties/^x_",
        True,
        False,
    ),
    "pattern_property_removed": Case(
        obj({}, patternProperties={"^x_": STR}, additionalProperties=False),
        obj({}, additionalProperties=False),
        K.PATTERN_PROPERTY_REMOVED,
        "/patternProperties/^x_",
        False,
        True,
    ),
    "pattern_property_narrowed": Case(
        {"patternProperties": {"^x_": STR}},
        {"patternProperties": {"^x_": {**STR, "maxLength": 2}}},
        K.MAX_LENGTH_TIGHTENED,
        "/patternProperties/^x_/maxLength",
        False,
        True,
    ),
    "property_names_narrowed": Case(
        {"propertyNames": {"maxLength": 8}},
        {"propertyNames": {"maxLength": 4}},
        K.MAX_LENGTH_TIGHTENED,
        "/propertyNames/maxLength",
        False,
        True,
    ),
    "property_names_added": Case(
        {}, {"propertyNames": {"pattern": "^[a-z]+$"}}, K.PATTERN_ADDED, "/propertyNames/pattern", False, True
    ),
    "dependent_required_added": Case(
        {},
        {"dependentRequired": {"card": ["billing"]}},
        K.DEPENDENT_REQUIRED_ADDED,
        "/dependentRequired/card",
        False,
        True,
    ),
    "dependent_required_removed": Case(
        {"dependentRequired": {"card": ["billing"]}},
        {},
        K.DEPENDENT_REQUIRED_REMOVED,
        "/dependentRequired/card",
        True,
        False,
    ),
    "draft7_dependencies_array_added": Case(
        {"dependencies": {"card": []}},
        {"dependencies": {"card": ["billing"]}},
        K.DEPENDENT_REQUIRED_ADDED,
        "/dependencies/card",
        False,
        True,
    ),
    "dependent_schema_added": Case(
        {},
        {"dependentSchemas": {"card": {"required": ["billing"]}}},
        K.DEPENDENT_SCHEMA_ADDED,
        "/dependentSchemas/card",
        False,
        True,
    ),
    "dependent_schema_removed": Case(
        {"dependencies": {"card": {"required": ["billing"]}}},
        {},
        K.DEPENDENT_SCHEMA_REMOVED,
        "/dependentSchemas/card",
        True,
        False,
    ),
    "dependent_schema_narrowed": Case(
        {"dependentSchemas": {"card": {"maxProperties": 5}}},
        {"dependentSchemas": {"card": {"maxProperties": 3}}},
        K.MAX_PROPERTIES_TIGHTENED,
        "/dependentSchemas/card/maxProperties",
        False,
        True,
    ),
    "min_properties_raised": Case(
        {}, {"minProperties": 1}, K.MIN_PROPERTIES_TIGHTENED, "/minProperties", False, True
    ),
    "min_properties_lowered": Case(
        {"minProperties": 2}, {"minProperties": 1}, K.MIN_PROPERTIES_LOOSENED, "/minProperties", True, False
    ),
    "max_properties_lowered": Case(
        {"maxProperties": 2}, {"maxProperties": 1}, K.MAX_PROPERTIES_TIGHTENED, "/maxProperties", False, True
    ),
    "max_properties_removed": Case(
        {"maxProperties": 2}, {}, K.MAX_PROPERTIES_LOOSENED, "/maxProperties", True, False
    ),
    # arrays
    "items_narrowed": Case(
        {"items": {"type": "number"}}, {"items": INT}, K.TYPE_NARROWED, "/items/type", False, True
    ),
    "items_added": Case(
        {"type": "array"}, {"type": "array", "items": STR}, K.TYPE_NARROWED, "/items/type", False, True
    ),
    "prefix_item_added": Case(
        {"prefixItems": [STR]},
        {"prefixItems": [STR, INT]},
        K.PREFIX_ITEM_ADDED,
        "/prefixItems/1",
        False,
        True,
    ),
    "prefix_item_added_closed": Case(
        {"prefixItems": [STR], "items": False},
        {"prefixItems": [STR, INT], "items": False},
        K.PREFIX_ITEM_ADDED,
        "/prefixItems/1",
        True,
        False,
    ),
    "prefix_item_removed": Case(
        {"prefixItems": [STR, INT]},
        {"prefixItems": [STR]},
        K.PREFIX_ITEM_REMOVED,
        "/prefixItems/1",
        True,
        False,
    ),
    "prefix_item_changed": Case(
        {"prefixItems": [STR, INT]},
        {"prefixItems": [STR, STR]},
        K.TYPE_CHANGED,
        "/prefixItems/1/type",
        False,
        False,
    ),
    "tuple_closed": Case(
        {"prefixItems": [STR]}, {"prefixItems": [STR], "items": False}, K.TUPLE_CLOSED, "/items", False, True
    ),
    "draft7_tuple_opened": Case(
        {"items": [STR], "additionalItems": False},
        {"items": [STR]},
        K.TUPLE_OPENED,
        "/additionalItems",
        True,
        False,
    ),
    "unevaluated_items_closed": Case(
        {"allOf": [{"prefixItems": [STR]}, {"minItems": 1}]},
        {"allOf": [{"prefixItems": [STR]}, {"minItems": 1}], "unevaluatedItems": False},
        K.TUPLE_CLOSED,
        "/unevaluatedItems",
        False,
        True,
    ),
    "min_items_raised": Case(
        {"minItems": 1}, {"minItems": 2}, K.MIN_ITEMS_TIGHTENED, "/minItems", False, True
    ),
    "min_items_lowered": Case({"minItems": 1}, {}, K.MIN_ITEMS_LOOSENED, "/minItems", True, False),
    "max_items_lowered": Case(
        {"maxItems": 3}, {"maxItems": 2}, K.MAX_ITEMS_TIGHTENED, "/maxItems", False, True
    ),
    "max_items_raised": Case(
        {"maxItems": 3}, {"maxItems": 4}, K.MAX_ITEMS_LOOSENED, "/maxItems", True, False
    ),
    "unique_items_added": Case({}, {"uniqueItems": True}, K.UNIQUE_ITEMS_ADDED, "/uniqueItems", False, True),
    "unique_items_removed": Case(
        {"uniqueItems": True}, {"uniqueItems": False}, K.UNIQUE_ITEMS_REMOVED, "/uniqueItems", True, False
    ),
    "contains_added": Case({}, {"contains": STR}, K.CONTAINS_ADDED, "/contains", False, True),
    "contains_removed": Case({"contains": STR}, {}, K.CONTAINS_REMOVED, "/contains", True, False),
    "contains_narrowed": Case(
        {"contains": {"type": "number"}}, {"contains": INT}, K.TYPE_NARROWED, "/contains/type", False, True
    ),
    "min_contains_raised": Case(
        {"contains": STR},
        {"contains": STR, "minContains": 2},
        K.MIN_CONTAINS_TIGHTENED,
        "/minContains",
        False,
        True,
    ),
    "min_contains_lowered": Case(
        {"contains": STR, "minContains": 2},
        {"contains": STR},
        K.MIN_CONTAINS_LOOSENED,
        "/minContains",
        True,
        False,
    ),
    "max_contains_added": Case(
        {"contains": STR},
        {"contains": STR, "maxContains": 2},
        K.MAX_CONTAINS_TIGHTENED,
        "/maxContains",
        False,
        True,
    ),
    "max_contains_raised": Case(
        {"contains": STR, "maxContains": 2},
        {"contains": STR, "maxContains": 3},
        K.MAX_CONTAINS_LOOSENED,
        "/maxContains",
        True,
        False,
    ),
    # combinators
    "all_of_branch_added": Case(
        {"allOf": [{"required": ["b"]}, {"maxProperties": 3}]},
        {"allOf": [{"required": ["b"]}, {"required": ["a"]}, {"maxProperties": 3}]},
        K.ALL_OF_BRANCH_ADDED,
        "/allOf/1",
        False,
        True,
    ),
    # Members that set the same keyword differently cannot be read as one schema.
    "all_of_branch_removed": Case(
        {"allOf": [{"required": ["a"]}, {"required": ["b"]}, {"maxProperties": 3}]},
        {"allOf": [{"required": ["b"]}, {"maxProperties": 3}]},
        K.ALL_OF_BRANCH_REMOVED,
        "/allOf/0",
        True,
        False,
    ),
    "all_of_branch_edited": Case(
        {"allOf": [{"required": ["a"]}, {"maxProperties": 3}, {"maxProperties": 4}]},
        {"allOf": [{"maxProperties": 2}, {"maxProperties": 4}, {"required": ["a"]}]},
        K.MAX_PROPERTIES_TIGHTENED,
        "/allOf/0/maxProperties",
        False,
        True,
    ),
    "any_of_added": Case({}, {"anyOf": [STR, INT]}, K.ANY_OF_ADDED, "/anyOf", False, True),
    "any_of_removed": Case({"anyOf": [STR, INT]}, {}, K.ANY_OF_REMOVED, "/anyOf", True, False),
    "any_of_branch_added": Case(
        {"anyOf": [STR, BOOL]}, {"anyOf": [STR, INT, BOOL]}, K.ANY_OF_BRANCH_ADDED, "/anyOf/1", True, False
    ),
    "any_of_branch_removed": Case(
        {"anyOf": [STR, INT, BOOL]}, {"anyOf": [INT, BOOL]}, K.ANY_OF_BRANCH_REMOVED, "/anyOf/0", False, True
    ),
    # A branch whose instances another branch accepts is no loss.
    "any_of_branch_removed_covered": Case(
        {"anyOf": [STR, {"type": "string", "maxLength": 3}, INT]},
        {"anyOf": [STR, INT]},
        K.ANY_OF_BRANCH_REMOVED,
        "/anyOf/1",
        True,
        True,
    ),
    "any_of_branch_narrowed": Case(
        {"anyOf": [INT, {"type": "string", "maxLength": 5}]},
        {"anyOf": [{"type": "string", "maxLength": 3}, INT]},
        K.MAX_LENGTH_TIGHTENED,
        "/anyOf/0/maxLength",
        False,
        True,
    ),
    "one_of_added": Case({}, {"oneOf": [STR, INT]}, K.ONE_OF_ADDED, "/oneOf", False, True),
    "one_of_removed": Case({"oneOf": [STR, INT]}, {}, K.ONE_OF_REMOVED, "/oneOf", True, False),
    "one_of_branch_added": Case(
        {"oneOf": [STR, BOOL]}, {"oneOf": [STR, INT, BOOL]}, K.ONE_OF_BRANCH_ADDED, "/oneOf/1", True, False
    ),
    "one_of_branch_removed": Case(
        {"oneOf": [STR, INT, BOOL]}, {"oneOf": [STR, BOOL]}, K.ONE_OF_BRANCH_REMOVED, "/oneOf/1", False, True
    ),
    # {} overlaps "string": a string now matches two branches and fails oneOf.
    "one_of_branches_overlap": Case(
        {"oneOf": [STR, INT]}, {"oneOf": [STR, INT, {}]}, K.ONE_OF_BRANCHES_OVERLAP, "/oneOf/2", False, True
    ),
    "one_of_to_any_of": Case(
        {"oneOf": [STR, INT]}, {"anyOf": [INT, STR]}, K.COMBINATOR_CHANGED, "/anyOf", True, True
    ),
    "not_added": Case({}, {"not": {"type": "null"}}, K.NOT_ADDED, "/not", False, True),
    "not_removed": Case({"not": {"type": "null"}}, {}, K.NOT_REMOVED, "/not", True, False),
    "not_inner_widened": Case(
        {"not": {"type": "string", "maxLength": 3}},
        {"not": {"type": "string", "maxLength": 5}},
        K.MAX_LENGTH_LOOSENED,
        "/not/maxLength",
        False,
        True,
    ),
    "condition_added": Case(
        {}, {"if": {"required": ["a"]}, "then": {"required": ["b"]}}, K.CONDITION_ADDED, "/if", False, True
    ),
    "condition_removed": Case(
        {"if": {"required": ["a"]}, "then": {"required": ["b"]}}, {}, K.CONDITION_REMOVED, "/if", True, False
    ),
    "condition_changed": Case(
        {"if": {"required": ["a"]}, "then": {"required": ["b"]}},
        {"if": {"required": ["c"]}, "then": {"required": ["b"]}},
        K.CONDITION_CHANGED,
        "/if",
        False,
        False,
    ),
    "then_narrowed": Case(
        {"if": {"required": ["a"]}, "then": {"maxProperties": 4}},
        {"if": {"required": ["a"]}, "then": {"maxProperties": 3}},
        K.MAX_PROPERTIES_TIGHTENED,
        "/then/maxProperties",
        False,
        True,
    ),
    # references and unknown keywords
    "ref_target_narrowed": Case(
        {"properties": {"a": {"$ref": "#/$defs/A"}}, "$defs": {"A": {"type": "number"}}},
        {"properties": {"a": {"$ref": "#/$defs/A"}}, "$defs": {"A": INT}},
        K.TYPE_NARROWED,
        "/$defs/A/type",
        False,
        True,
    ),
    "external_ref_changed": Case(
        {"$ref": "https://example.com/a.json"},
        {"$ref": "https://example.com/b.json"},
        K.REF_CHANGED,
        "/$ref",
        False,
        False,
    ),
    "unknown_keyword_changed": Case({"x-kind": 1}, {"x-kind": 2}, K.UNPROVEN, "/x-kind", False, False),
    "unknown_keyword_added": Case({}, {"x-kind": 2}, K.UNPROVEN, "/x-kind", False, False),
    "not_a_schema": Case(
        {"properties": {"a": 5}}, {"properties": {"a": 6}}, K.KEYWORD_CHANGED, "/properties/a", False, False
    ),
}

_ADDRESS = obj({"street": STR, "zip": {**STR, "pattern": "^[0-9]{5}$"}}, required=["street"])

# Pairs that say the same thing in other words: the engine must report nothing.
SAME: dict[str, tuple[Any, Any]] = {
    "integer_exclusive_bound_as_inclusive": (
        {"type": "integer", "exclusiveMinimum": 0, "maximum": 9.5},
        {"type": "integer", "minimum": 1, "exclusiveMaximum": 10},
    ),
    "pattern_matching_every_string_dropped": ({"type": "string", "pattern": ".*"}, {"type": "string"}),
    # multipleOf and integer: an integral factor admits integers only (validation 6.2.1, 6.1.1)
    "integer_as_number_multiple_of_one": ({"type": "integer"}, {"type": "number", "multipleOf": 1}),
    "multiple_of_one_beside_integer": ({"type": "integer"}, {"type": "integer", "multipleOf": 1}),
    "multiple_of_half_beside_integer": ({"type": "integer"}, {"type": "integer", "multipleOf": 0.5}),
    "integer_multiple_of_fraction_as_its_numerator": (
        {"type": "integer", "multipleOf": 2.5},
        {"type": "integer", "multipleOf": 5},
    ),
    "number_multiple_of_two_is_integer": (
        {"type": "number", "multipleOf": 2},
        {"type": "integer", "multipleOf": 2},
    ),
    "multiple_of_one_makes_integer_bounds": (
        {"type": "number", "multipleOf": 1, "exclusiveMinimum": 0},
        {"type": "integer", "minimum": 1},
    ),
    "multiple_of_one_in_a_type_list": (
        {"type": ["integer", "string"]},
        {"type": ["number", "string"], "multipleOf": 1},
    ),
    # const/enum and the types their values have
    "const_implies_its_type": ({"const": "a"}, {"type": "string", "const": "a"}),
    "enum_of_integers_implies_integer": ({"enum": [1, 2]}, {"type": "integer", "enum": [1, 2]}),
    "enum_of_integers_beside_number": ({"enum": [1, 2]}, {"type": "number", "enum": [1, 2]}),
    "enum_of_numbers_implies_number": ({"enum": [1, 2.5]}, {"type": "number", "enum": [1, 2.5]}),
    "enum_of_mixed_values_implies_their_types": (
        {"enum": ["a", None, 1.5]},
        {"type": ["string", "null", "number", "boolean"], "enum": ["a", None, 1.5]},
    ),
    "const_integral_float_beside_integer": ({"const": 1.0}, {"type": "integer", "const": 1}),
    "null_type_as_const": ({"type": "null"}, {"const": None}),
    "boolean_type_as_enum": ({"type": "boolean"}, {"enum": [False, True]}),
    "boolean_or_null_as_enum": ({"type": ["boolean", "null"]}, {"enum": [True, None, False]}),
    "enum_value_outside_the_type_is_dead": (
        {"type": "string", "enum": ["a", 1]},
        {"type": "string", "enum": ["a"]},
    ),
    "type_widened_beside_an_enum_its_values_meet": (
        {"type": "string", "enum": ["a"]},
        {"type": ["string", "integer"], "enum": ["a"]},
    ),
    "enum_value_outside_multiple_of_one_is_dead": (
        {"type": "number", "multipleOf": 1, "enum": [1, 1.5]},
        {"type": "integer", "enum": [1]},
    ),
    # propertyNames and closed objects (core 10.3.2.3-10.3.2.4)
    "property_names_enum_closes_the_object": (
        {"properties": {"a": STR}, "additionalProperties": False},
        {"properties": {"a": STR}, "propertyNames": {"enum": ["a"]}},
    ),
    "property_names_const_beside_a_catch_all": (
        {"properties": {"a": STR}, "additionalProperties": False},
        {"properties": {"a": STR}, "additionalProperties": INT, "propertyNames": {"const": "a"}},
    ),
    "property_names_enum_beside_a_closed_object": (
        {"properties": {"a": STR}, "additionalProperties": False},
        {"properties": {"a": STR}, "additionalProperties": False, "propertyNames": {"enum": ["a", "b"]}},
    ),
    "property_names_max_length_every_name_meets": (
        {"properties": {"a": STR, "bb": INT}, "additionalProperties": False},
        {
            "properties": {"a": STR, "bb": INT},
            "additionalProperties": False,
            "propertyNames": {"maxLength": 2},
        },
    ),
    "property_names_pattern_every_name_meets": (
        {"properties": {"a": STR, "b": INT}, "additionalProperties": False},
        {
            "properties": {"a": STR, "b": INT},
            "additionalProperties": False,
            "propertyNames": {"type": "string", "pattern": "^[a-z]+$"},
        },
    ),
    "property_names_excluding_a_declared_property": (
        {"properties": {"a": STR}, "additionalProperties": False},
        {"properties": {"a": STR, "b": INT}, "additionalProperties": False, "propertyNames": {"const": "a"}},
    ),
    "defs_refactor": (
        obj({"home": _ADDRESS, "work": _ADDRESS}),
        {
            **obj({"home": {"$ref": "#/$defs/address"}, "work": {"$ref": "#/$defs/address"}}),
            "$defs": {"address": _ADDRESS},
        },
    ),
    "definitions_to_defs": (
        {"$ref": "#/definitions/a", "definitions": {"a": STR}},
        {"$ref": "#/$defs/b", "$defs": {"b": STR}},
    ),
    "anchor_ref": (
        {"$ref": "#/$defs/a", "$defs": {"a": STR}},
        {"$ref": "#name", "$defs": {"a": {**STR, "$anchor": "name"}}},
    ),
    "true_and_empty": (True, {}),
    "false_and_not_empty": (False, {"not": {}}),
    "enum_reordered": ({"enum": ["a", "b", 1]}, {"enum": [1.0, "b", "a"]}),
    "const_as_enum": ({"const": "a"}, {"enum": ["a"]}),
    "any_of_reordered": ({"anyOf": [STR, INT]}, {"anyOf": [INT, STR]}),
    "draft7_tuple_spelling": (
        {"items": [STR, INT], "additionalItems": False},
        {"prefixItems": [STR, INT], "items": False},
    ),
    "number_and_integer_is_number": ({"type": ["number", "integer"]}, {"type": "number"}),
    "minimum_zero_length": ({"minLength": 0}, {}),
    "required_reordered": (
        obj({"a": STR, "b": STR}, required=["a", "b"]),
        obj({"a": STR, "b": STR}, required=["b", "a"]),
    ),
}

DRAFT4 = "http://json-schema.org/draft-04/schema#"
# A tagged object whose tag is always "a": a condition on the tag is decided by it.
TAGGED = {"type": "object", "properties": {"kind": {"const": "a"}}, "required": ["kind"]}
IS_A = {"properties": {"kind": {"const": "a"}}}
IS_B = {"properties": {"kind": {"const": "b"}}, "required": ["kind"]}

# Pairs whose new schema accepts strictly more: BACKWARD holds, FORWARD breaks.
WIDER: dict[str, tuple[Any, Any]] = {
    "integer_to_number_multiple_of_half": ({"type": "integer"}, {"type": "number", "multipleOf": 0.5}),
    "multiple_of_one_to_half": ({"type": "number", "multipleOf": 1}, {"type": "number", "multipleOf": 0.5}),
    "multiple_of_one_dropped": ({"type": "number", "multipleOf": 1}, {"type": "number"}),
    "type_widened_to_a_dead_enum_value": (
        {"type": "string", "enum": ["a", 1]},
        {"type": ["string", "integer"], "enum": ["a", 1]},
    ),
    "closed_object_names_no_longer_limited": (
        {
            "properties": {"a": STR, "bb": INT},
            "additionalProperties": False,
            "propertyNames": {"maxLength": 1},
        },
        {"properties": {"a": STR, "bb": INT}, "additionalProperties": False},
    ),
    "property_names_enum_gains_a_declared_name": (
        {"properties": {"a": STR, "b": INT}, "propertyNames": {"enum": ["a"]}},
        {"properties": {"a": STR, "b": INT}, "propertyNames": {"enum": ["a", "b"]}},
    ),
    "else_dropped_under_a_condition_the_tag_may_miss": (
        {
            "type": "object",
            "properties": {"kind": {"enum": ["a", "b"]}},
            "if": IS_A,
            "else": {"required": ["y"]},
        },
        {"type": "object", "properties": {"kind": {"enum": ["a", "b"]}}},
    ),
}

# Pairs whose changes lie where no instance reaches: nothing breaks either way.
HARMLESS: dict[str, tuple[Any, Any]] = {
    "else_changed_under_a_condition_always_met": (
        {**TAGGED, "if": IS_A, "then": {"required": ["x"]}, "else": {"required": ["y"]}},
        {**TAGGED, "if": IS_A, "then": {"required": ["x"]}, "else": {"required": ["z"]}},
    ),
    "else_added_under_a_condition_always_met": (
        {**TAGGED, "if": IS_A, "then": {"required": ["x"]}},
        {**TAGGED, "if": IS_A, "then": {"required": ["x"]}, "else": False},
    ),
    "then_changed_under_a_condition_never_met": (
        {**TAGGED, "if": IS_B, "then": {"required": ["x"]}},
        {**TAGGED, "if": IS_B, "then": {"required": ["x", "y"]}},
    ),
    "then_changed_under_an_untagged_condition_never_met": (
        {**TAGGED, "if": {"properties": {"kind": {"enum": ["b", "c"]}}}, "then": False},
        {**TAGGED, "if": {"properties": {"kind": {"enum": ["b", "c"]}}}, "then": {"required": ["x"]}},
    ),
    "condition_added_whose_branch_is_never_taken": (
        TAGGED,
        {**TAGGED, "if": IS_A, "else": {"required": ["y"]}},
    ),
    "condition_removed_whose_branch_was_never_taken": (
        {**TAGGED, "if": IS_B, "then": False},
        TAGGED,
    ),
}

# Pairs that would be equivalent in a later draft, with the truth (BACKWARD, FORWARD) in
# the draft they name: draft 4 has no ``const`` or ``propertyNames``, and 1.0 is not an
# integer there (draft 4 core 3.5), though it is a multiple of 1.
IN_DRAFT_4: dict[str, tuple[Any, Any, tuple[bool, bool]]] = {
    "integer_to_number_multiple_of_one": (
        {"$schema": DRAFT4, "type": "integer"},
        {"$schema": DRAFT4, "type": "number", "multipleOf": 1},
        (True, False),
    ),
    "type_added_beside_const": (
        {"$schema": DRAFT4, "const": "a"},
        {"$schema": DRAFT4, "type": "string", "const": "a"},
        (False, True),
    ),
    "property_names_beside_a_closed_object_dropped": (
        {"$schema": DRAFT4, "properties": {"a": STR}, "additionalProperties": False},
        {"$schema": DRAFT4, "properties": {"a": STR}, "propertyNames": {"enum": ["a"]}},
        (True, False),
    ),
}

# A linked list: a recursive schema through ``$defs``.
NODE = {
    "$defs": {
        "node": {
            "type": "object",
            "properties": {"value": INT, "next": {"$ref": "#/$defs/node"}},
            "required": ["value"],
        }
    },
    "$ref": "#/$defs/node",
}
# The same list written with a root self-reference.
NODE_ROOT = {
    "type": "object",
    "properties": {"value": INT, "next": {"$ref": "#"}},
    "required": ["value"],
}
