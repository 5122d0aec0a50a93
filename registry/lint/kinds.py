"""Every kind of change the diff engine reports, with its compatibility as data.

Each kind has a stable code (its value) and a rule: whether a change of that kind is
compatible under BACKWARD (the new schema still accepts everything the old one accepted)
and under FORWARD (the old schema accepts everything the new one accepts). A rule of
``None`` means "it depends on the subschemas compared"; the engine then works it out
for that change (for example a property added to a partially open object) and the
:class:`~registry.lint.change.Change` carries the answer.

Narrowing (tightening) is backward-incompatible and forward-compatible; widening the
reverse; a change that is neither (a different pattern, a different type) breaks both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Nature(StrEnum):
    """What a change does to the set of accepted instances."""

    ANNOTATION = "annotation"  # nothing: documentation only
    WIDENING = "widening"  # accepts more
    NARROWING = "narrowing"  # accepts less
    CHANGE = "change"  # accepts something else
    DEPENDS = "depends"  # decided per change from the subschemas compared


@dataclass(frozen=True)
class Rule:
    backward: bool | None
    forward: bool | None
    nature: Nature


_ANNOTATION = Rule(True, True, Nature.ANNOTATION)
_WIDENING = Rule(True, False, Nature.WIDENING)
_NARROWING = Rule(False, True, Nature.NARROWING)
_CHANGE = Rule(False, False, Nature.CHANGE)
_DEPENDS = Rule(None, None, Nature.DEPENDS)


class ChangeKind(StrEnum):
    # Annotations and identifiers (2020-12 validation section 9; core section 8.2).
    ANNOTATION_ADDED = "annotation_added"
    ANNOTATION_REMOVED = "annotation_removed"
    ANNOTATION_CHANGED = "annotation_changed"
    # Whole schemas: ``false`` accepts nothing (2020-12 core section 4.3.2).
    SCHEMA_CLOSED = "schema_closed"
    SCHEMA_OPENED = "schema_opened"
    # type
    TYPE_NARROWED = "type_narrowed"
    TYPE_WIDENED = "type_widened"
    TYPE_CHANGED = "type_changed"
    # enum / const
    ENUM_ADDED = "enum_added"
    ENUM_REMOVED = "enum_removed"
    ENUM_VALUES_ADDED = "enum_values_added"
    ENUM_VALUES_REMOVED = "enum_values_removed"
    ENUM_CHANGED = "enum_changed"
    # numbers
    MINIMUM_TIGHTENED = "minimum_tightened"
    MINIMUM_LOOSENED = "minimum_loosened"
    MAXIMUM_TIGHTENED = "maximum_tightened"
    MAXIMUM_LOOSENED = "maximum_loosened"
    MULTIPLE_OF_TIGHTENED = "multiple_of_tightened"
    MULTIPLE_OF_LOOSENED = "multiple_of_loosened"
    MULTIPLE_OF_CHANGED = "multiple_of_changed"
    # strings
    MIN_LENGTH_TIGHTENED = "min_length_tightened"
    MIN_LENGTH_LOOSENED = "min_length_loosened"
    MAX_LENGTH_TIGHTENED = "max_length_tightened"
    MAX_LENGTH_LOOSENED = "max_length_loosened"
    PATTERN_ADDED = "pattern_added"
    PATTERN_REMOVED = "pattern_removed"
    PATTERN_CHANGED = "pattern_changed"
    FORMAT_ADDED = "format_added"
    FORMAT_REMOVED = "format_removed"
    FORMAT_CHANGED = "format_changed"
    # objects
    PROPERTY_ADDED = "property_added"
    PROPERTY_ADDED_TO_CLOSED_MODEL = "property_added_to_closed_model"
    PROPERTY_ADDED_TO_PARTIALLY_OPEN_MODEL = "property_added_to_partially_open_model"
    PROPERTY_REMOVED = "property_removed"
    PROPERTY_REMOVED_FROM_CLOSED_MODEL = "property_removed_from_closed_model"
    PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_MODEL = "property_removed_from_partially_open_model"
    REQUIRED_ADDED = "required_added"
    REQUIRED_REMOVED = "required_removed"
    CONTENT_MODEL_CLOSED = "content_model_closed"
    CONTENT_MODEL_OPENED = "content_model_opened"
    PATTERN_PROPERTY_ADDED = "pattern_property_added"
    PATTERN_PROPERTY_REMOVED = "pattern_property_removed"
    DEPENDENT_REQUIRED_ADDED = "dependent_required_added"
    DEPENDENT_REQUIRED_REMOVED = "dependent_required_removed"
    DEPENDENT_SCHEMA_ADDED = "dependent_schema_added"
    DEPENDENT_SCHEMA_REMOVED = "dependent_schema_removed"
    MIN_PROPERTIES_TIGHTENED = "min_properties_tightened"
    MIN_PROPERTIES_LOOSENED = "min_properties_loosened"
    MAX_PROPERTIES_TIGHTENED = "max_properties_tightened"
    MAX_PROPERTIES_LOOSENED = "max_properties_loosened"
    # arrays
    PREFIX_ITEM_ADDED = "prefix_item_added"
    PREFIX_ITEM_REMOVED = "prefix_item_removed"
    TUPLE_CLOSED = "tuple_closed"
    TUPLE_OPENED = "tuple_opened"
    MIN_ITEMS_TIGHTENED = "min_items_tightened"
    MIN_ITEMS_LOOSENED = "min_items_loosened"
    MAX_ITEMS_TIGHTENED = "max_items_tightened"
    MAX_ITEMS_LOOSENED = "max_items_loosened"
    UNIQUE_ITEMS_ADDED = "unique_items_added"
    UNIQUE_ITEMS_REMOVED = "unique_items_removed"
    CONTAINS_ADDED = "contains_added"
    CONTAINS_REMOVED = "contains_removed"
    MIN_CONTAINS_TIGHTENED = "min_contains_tightened"
    MIN_CONTAINS_LOOSENED = "min_contains_loosened"
    MAX_CONTAINS_TIGHTENED = "max_contains_tightened"
    MAX_CONTAINS_LOOSENED = "max_contains_loosened"
    # combinators
    ALL_OF_BRANCH_ADDED = "all_of_branch_added"
    ALL_OF_BRANCH_REMOVED = "all_of_branch_removed"
    ANY_OF_ADDED = "any_of_added"
    ANY_OF_REMOVED = "any_of_removed"
    ANY_OF_BRANCH_ADDED = "any_of_branch_added"
    ANY_OF_BRANCH_REMOVED = "any_of_branch_removed"
    ONE_OF_ADDED = "one_of_added"
    ONE_OF_REMOVED = "one_of_removed"
    ONE_OF_BRANCH_ADDED = "one_of_branch_added"
    ONE_OF_BRANCH_REMOVED = "one_of_branch_removed"
    ONE_OF_BRANCHES_OVERLAP = "one_of_branches_overlap"
    COMBINATOR_CHANGED = "combinator_changed"
    NOT_ADDED = "not_added"
    NOT_REMOVED = "not_removed"
    CONDITION_ADDED = "condition_added"
    CONDITION_REMOVED = "condition_removed"
    CONDITION_CHANGED = "condition_changed"
    # references and everything else
    REF_CHANGED = "ref_changed"
    KEYWORD_CHANGED = "keyword_changed"
    # A change the engine could not prove compatible (registry/lint/proven.py says which
    # shapes those are): breaking in every direction it could not prove.
    UNPROVEN = "unproven"

    @property
    def rule(self) -> Rule:
        return RULES[self]


def _bounds(prefix: str) -> dict[ChangeKind, Rule]:
    """A bound that can move: tightening narrows, loosening widens (adding one tightens)."""
    return {
        ChangeKind[f"{prefix}_TIGHTENED"]: _NARROWING,
        ChangeKind[f"{prefix}_LOOSENED"]: _WIDENING,
    }


K = ChangeKind
RULES: dict[ChangeKind, Rule] = {
    K.ANNOTATION_ADDED: _ANNOTATION,
    K.ANNOTATION_REMOVED: _ANNOTATION,
    K.ANNOTATION_CHANGED: _ANNOTATION,
    K.SCHEMA_CLOSED: _NARROWING,
    K.SCHEMA_OPENED: _WIDENING,
    K.TYPE_NARROWED: _NARROWING,
    K.TYPE_WIDENED: _WIDENING,
    K.TYPE_CHANGED: _CHANGE,
    K.ENUM_ADDED: _NARROWING,
    K.ENUM_REMOVED: _WIDENING,
    K.ENUM_VALUES_ADDED: _WIDENING,
    K.ENUM_VALUES_REMOVED: _NARROWING,
    K.ENUM_CHANGED: _CHANGE,
    **_bounds("MINIMUM"),
    **_bounds("MAXIMUM"),
    **_bounds("MULTIPLE_OF"),
    K.MULTIPLE_OF_CHANGED: _CHANGE,
    **_bounds("MIN_LENGTH"),
    **_bounds("MAX_LENGTH"),
    K.PATTERN_ADDED: _NARROWING,
    K.PATTERN_REMOVED: _WIDENING,
    K.PATTERN_CHANGED: _CHANGE,
    K.FORMAT_ADDED: _NARROWING,
    K.FORMAT_REMOVED: _WIDENING,
    K.FORMAT_CHANGED: _CHANGE,
    K.PROPERTY_ADDED: _DEPENDS,
    K.PROPERTY_ADDED_TO_CLOSED_MODEL: _WIDENING,
    K.PROPERTY_ADDED_TO_PARTIALLY_OPEN_MODEL: _DEPENDS,
    K.PROPERTY_REMOVED: _DEPENDS,
    K.PROPERTY_REMOVED_FROM_CLOSED_MODEL: _NARROWING,
    K.PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_MODEL: _DEPENDS,
    K.REQUIRED_ADDED: _NARROWING,
    K.REQUIRED_REMOVED: _WIDENING,
    K.CONTENT_MODEL_CLOSED: _NARROWING,
    K.CONTENT_MODEL_OPENED: _WIDENING,
    K.PATTERN_PROPERTY_ADDED: _DEPENDS,
    K.PATTERN_PROPERTY_REMOVED: _DEPENDS,
    K.DEPENDENT_REQUIRED_ADDED: _NARROWING,
    K.DEPENDENT_REQUIRED_REMOVED: _WIDENING,
    K.DEPENDENT_SCHEMA_ADDED: _DEPENDS,
    K.DEPENDENT_SCHEMA_REMOVED: _DEPENDS,
    **_bounds("MIN_PROPERTIES"),
    **_bounds("MAX_PROPERTIES"),
    K.PREFIX_ITEM_ADDED: _DEPENDS,
    K.PREFIX_ITEM_REMOVED: _DEPENDS,
    K.TUPLE_CLOSED: _NARROWING,
    K.TUPLE_OPENED: _WIDENING,
    **_bounds("MIN_ITEMS"),
    **_bounds("MAX_ITEMS"),
    K.UNIQUE_ITEMS_ADDED: _NARROWING,
    K.UNIQUE_ITEMS_REMOVED: _WIDENING,
    K.CONTAINS_ADDED: _NARROWING,
    K.CONTAINS_REMOVED: _WIDENING,
    **_bounds("MIN_CONTAINS"),
    **_bounds("MAX_CONTAINS"),
    K.ALL_OF_BRANCH_ADDED: _DEPENDS,
    K.ALL_OF_BRANCH_REMOVED: _DEPENDS,
    K.ANY_OF_ADDED: _DEPENDS,
    K.ANY_OF_REMOVED: _DEPENDS,
    K.ANY_OF_BRANCH_ADDED: _DEPENDS,
    K.ANY_OF_BRANCH_REMOVED: _DEPENDS,
    K.ONE_OF_ADDED: _DEPENDS,
    K.ONE_OF_REMOVED: _DEPENDS,
    K.ONE_OF_BRANCH_ADDED: _DEPENDS,
    K.ONE_OF_BRANCH_REMOVED: _DEPENDS,
    # Two oneOf branches that may now both match: such an instance is rejected.
    K.ONE_OF_BRANCHES_OVERLAP: _DEPENDS,
    # anyOf became oneOf, allOf became anyOf …: decided by the instances each accepts.
    K.COMBINATOR_CHANGED: _DEPENDS,
    K.NOT_ADDED: _DEPENDS,
    K.NOT_REMOVED: _DEPENDS,
    K.CONDITION_ADDED: _DEPENDS,
    K.CONDITION_REMOVED: _DEPENDS,
    K.CONDITION_CHANGED: _CHANGE,
    K.REF_CHANGED: _CHANGE,
    K.KEYWORD_CHANGED: _CHANGE,
    K.UNPROVEN: _DEPENDS,
}
del K

assert set(RULES) == set(ChangeKind), "every change kind needs a rule"
