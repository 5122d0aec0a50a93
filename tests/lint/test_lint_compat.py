"""Modes, policies and the transitive check against a contract's history."""

from __future__ import annotations

import pytest
from lint.schemas import BASE, CASES, STR

from registry.cli import exit_status
from registry.errors import InvalidInput
from registry.lint import Bump, Mode, Policy, check

V1 = {"type": "object", "properties": {"a": {"type": "integer"}}}
V2 = {"type": "object", "properties": {"a": {"type": "number"}}}
V3 = {"type": "object", "properties": {"a": {"type": "integer"}}}


@pytest.mark.parametrize(
    ("mode", "compatible"),
    [
        (Mode.BACKWARD, True),
        (Mode.FORWARD, False),
        (Mode.FULL, False),
        (Mode.NONE, True),
    ],
)
def test_widening_is_backward_but_not_forward(mode: Mode, compatible: bool) -> None:
    report = check([("1.0.0", V1)], V2, mode=mode)
    assert report.compatible is compatible
    assert len(report.changes) == 1


def test_none_still_lists_changes() -> None:
    report = check([("1.0.0", V2)], V1, mode=Mode.NONE)
    assert report.compatible and report.changes and not report.breaking
    assert report.required_bump is Bump.MINOR


def test_transitive_checks_every_version_and_names_it() -> None:
    history = [("1.0.0", V2), ("1.1.0", V1)]
    narrowed = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": []}
    assert check(history, narrowed, mode=Mode.BACKWARD).compatible
    report = check(history, V3, mode=Mode.BACKWARD_TRANSITIVE)
    assert not report.compatible
    assert report.changes == ()
    assert "(against version 1.0.0)" in report.breaking[0].message
    assert report.required_bump is Bump.MAJOR


def test_full_transitive_needs_both_ways_against_all() -> None:
    history = [("1", V1), ("2", V1)]
    assert check(history, V1, mode=Mode.FULL_TRANSITIVE).compatible
    assert not check(history, V2, mode=Mode.FULL_TRANSITIVE).compatible
    assert check(history, V2, mode=Mode.BACKWARD_TRANSITIVE).compatible
    assert not check(history, V2, mode=Mode.FORWARD_TRANSITIVE).compatible


def test_first_version_has_nothing_to_break() -> None:
    report = check([], BASE)
    assert report.compatible and report.changes == () and report.required_bump is Bump.NONE


def test_strict_and_lenient_differ_for_an_added_optional_property() -> None:
    new = {**BASE, "properties": {**BASE["properties"], "phone": STR}}
    assert check([("1.0.0", BASE)], new, policy=Policy.LENIENT).compatible
    strict = check([("1.0.0", BASE)], new, policy=Policy.STRICT)
    assert not strict.compatible
    assert check([("1.0.0", BASE)], new, policy=Policy.STRICT, mode=Mode.FORWARD).compatible
    assert strict.breaking[0].path == "/properties/phone"


def test_required_removed_breaks_forward_only() -> None:
    case = CASES["required_removed"]
    assert check([("1", case.old)], case.new, mode=Mode.BACKWARD).compatible
    assert not check([("1", case.old)], case.new, mode="forward").compatible


def test_mode_and_policy_parse_case_insensitively() -> None:
    assert Mode.parse("full_transitive") is Mode.FULL_TRANSITIVE
    assert Policy.parse("STRICT") is Policy.STRICT


def test_unknown_mode_names_the_allowed_values() -> None:
    with pytest.raises(InvalidInput) as err:
        Mode.parse("sideways")
    assert "BACKWARD_TRANSITIVE" in err.value.diagnostics()
    assert exit_status(err.value) == 2
    with pytest.raises(InvalidInput) as err:
        Policy.parse("loose")
    assert "lenient, strict" in err.value.diagnostics()
