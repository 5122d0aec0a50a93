"""Schemas that say the same, or more, in other words are not reported as breaking.

Each pair is also checked against instances (the oracle's judge, under the schema's own
draft), so a fixture cannot claim an equivalence the validators do not share.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from lint.oracle import Draw, Result, check_pair
from lint.schemas import HARMLESS, IN_DRAFT_4, SAME, WIDER

from registry.lint import ChangeKind, Mode, Policy, check, diff
from registry.lint.change import collapse


def _verdict(old: Any, new: Any) -> tuple[bool, bool]:
    return collapse(diff(old, new, policy=Policy.STRICT))


def _instances() -> list[Any]:
    draw = Draw(random.Random(7))
    return [draw.instance() for _ in range(300)] + [
        1.0,
        2.5,
        {"kind": "a"},
        {"kind": "b"},
        {"a": "x", "b": 1},
    ]


def _no_counterexample(old: Any, new: Any) -> None:
    result = Result()
    check_pair(old, new, _instances(), result)
    check_pair(new, old, _instances(), result)
    assert result.counterexamples == []


@pytest.mark.parametrize("name", sorted(SAME))
def test_same_meaning_holds_for_the_validators(name: str) -> None:
    _no_counterexample(*SAME[name])


@pytest.mark.parametrize("name", sorted(WIDER))
def test_a_wider_schema_keeps_backward_and_breaks_forward_with_a_witness(name: str) -> None:
    old, new = WIDER[name]
    assert _verdict(old, new) == (True, False)
    assert _verdict(new, old) == (False, True)
    _no_counterexample(old, new)
    report = check([("1.0.0", old)], new, mode=Mode.FORWARD, policy=Policy.STRICT, witness_budget=1.0)
    assert report.breaking and all(c.witness is not None and c.witness.found for c in report.breaking)


@pytest.mark.parametrize("name", sorted(HARMLESS))
def test_a_change_no_instance_reaches_breaks_nothing(name: str) -> None:
    old, new = HARMLESS[name]
    assert _verdict(old, new) == (True, True)
    assert _verdict(new, old) == (True, True)
    _no_counterexample(old, new)


@pytest.mark.parametrize("name", sorted(IN_DRAFT_4))
def test_draft_4_keeps_its_own_reading(name: str) -> None:
    old, new, truth = IN_DRAFT_4[name]
    found = _verdict(old, new)
    assert found != (True, True)
    assert all(truth[n] or not found[n] for n in range(2)), f"{found} claims more than {truth}"
    _no_counterexample(old, new)


def test_a_condition_the_tag_may_miss_still_weighs_else() -> None:
    old = {
        "type": "object",
        "properties": {"kind": {"enum": ["a", "b"]}},
        "if": {"properties": {"kind": {"const": "a"}}},
    }
    narrowed = {**old, "else": {"required": ["y"]}}
    assert _verdict(old, narrowed) == (False, True)


def test_then_still_counts_under_a_condition_always_met() -> None:
    tagged = {"type": "object", "properties": {"kind": {"const": "a"}}, "required": ["kind"]}
    cond = {"if": {"properties": {"kind": {"const": "a"}}}}
    assert _verdict({**tagged, **cond, "then": {}}, {**tagged, **cond, "then": {"required": ["x"]}}) == (
        False,
        True,
    )


def test_a_property_names_pattern_that_does_not_compile_is_not_read() -> None:
    closed = {"properties": {"a": {}}, "additionalProperties": False}
    (change,) = diff({**closed, "propertyNames": {"pattern": "(("}}, closed)
    assert change.kind is ChangeKind.PATTERN_REMOVED


def test_a_name_property_names_rejects_is_named_in_the_message() -> None:
    old = {"properties": {"a": {}, "b": {}}, "propertyNames": {"enum": ["a"]}}
    (change,) = diff(old, {**old, "propertyNames": {"enum": ["a", "b"]}})
    assert change.message == "property 'b' now allowed: propertyNames no longer rejects it"
    assert (change.backward, change.forward) == (True, False)


def test_additional_properties_true_added_below_unevaluated_properties_only_widens() -> None:
    sees = {"properties": {"b": False}}
    old = {"dependentSchemas": {"c": {}}, "unevaluatedProperties": sees}
    new = {"dependentSchemas": {"c": {"additionalProperties": True}}, "unevaluatedProperties": sees}
    assert _verdict(old, new) == (True, False)
    assert _verdict(new, old) == (False, True)
    _no_counterexample(old, new)
