"""Each change kind is reported where it happens, with its compatibility both ways."""

from __future__ import annotations

import pytest
from lint.schemas import CASES, SAME

from registry.lint import ChangeKind, Mode, diff
from registry.lint.kinds import RULES, Nature


@pytest.mark.parametrize("name", sorted(CASES))
def test_change_kind_is_reported_with_its_path_and_compatibility(name: str) -> None:
    case = CASES[name]
    changes = diff(case.old, case.new, policy=case.policy)
    found = [(c.kind, c.path) for c in changes]
    match = [c for c in changes if c.kind is case.kind and c.path == case.path]
    assert match, f"{name}: expected {case.kind} at {case.path!r}, got {found}"
    change = match[0]
    assert (change.backward, change.forward) == (case.backward, case.forward), change.message


@pytest.mark.parametrize("name", sorted(CASES))
def test_reverse_change_swaps_backward_and_forward(name: str) -> None:
    case = CASES[name]
    there = diff(case.old, case.new, policy=case.policy)
    back = diff(case.new, case.old, policy=case.policy)
    assert all(c.backward for c in there) == all(c.forward for c in back)
    assert all(c.forward for c in there) == all(c.backward for c in back)


def test_every_change_kind_has_a_fixture() -> None:
    covered = {case.kind for case in CASES.values()}
    assert set(ChangeKind) - covered == set()


def test_rules_agree_with_fixtures_where_they_are_fixed() -> None:
    for name, case in CASES.items():
        rule = RULES[case.kind]
        if rule.nature is Nature.DEPENDS or name.endswith("_inner_widened"):
            continue
        assert (rule.backward, rule.forward) == (case.backward, case.forward), name


@pytest.mark.parametrize("name", sorted(SAME))
def test_same_meaning_is_no_change(name: str) -> None:
    old, new = SAME[name]
    assert diff(old, new) == []
    assert diff(new, old) == []


def test_gate_message_names_the_required_property() -> None:
    case = CASES["required_removed"]
    (change,) = diff(case.old, case.new)
    assert change.message == "property 'runId' removed from required"
    assert change.breaking(Mode.FORWARD) and not change.breaking(Mode.BACKWARD)


def test_type_change_message_names_the_property() -> None:
    case = CASES["age_to_string"]
    messages = [c.message for c in diff(case.old, case.new)]
    assert "property 'age' type changed from integer to string" in messages


def test_nested_property_paths_point_into_the_new_schema() -> None:
    old = {"properties": {"a": {"properties": {"b": {"type": "integer"}}}}}
    new = {"properties": {"a": {"properties": {"b": {"type": "string"}}}}}
    (change,) = diff(old, new)
    assert change.path == "/properties/a/properties/b/type"
    assert change.message.startswith("property 'a.b' ")


def test_pointer_tokens_are_escaped() -> None:
    (change,) = diff(
        {"properties": {"a/b": {"type": "string"}}}, {"properties": {"a/b": {"type": "integer"}}}
    )
    assert change.path == "/properties/a~1b/type"


def test_order_is_deterministic() -> None:
    case = CASES["age_to_string"]
    first = diff(case.old, case.new)
    assert [c.as_dict(Mode.BACKWARD) for c in first] == [
        c.as_dict(Mode.BACKWARD) for c in diff(case.old, case.new)
    ]


def test_const_true_and_one_differ() -> None:
    (change,) = diff({"const": True}, {"const": 1})
    assert change.kind is ChangeKind.ENUM_CHANGED


def test_as_dict_has_the_documented_fields() -> None:
    case = CASES["age_to_string"]
    change = next(c for c in diff(case.old, case.new) if c.kind is ChangeKind.TYPE_CHANGED)
    body = change.as_dict(Mode.BACKWARD)
    assert body == {
        "kind": "type_changed",
        "path": "/properties/age/type",
        "breaking": True,
        "message": "property 'age' type changed from integer to string",
        "old": "integer",
        "new": "string",
        "backward": False,
        "forward": False,
        "witness": None,
        "witnessText": None,
    }
