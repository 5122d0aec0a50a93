"""Compositions, content models, tuples, required and recursion, judged by instance semantics.

Every named pair in :mod:`lint.groups` is checked in both directions and under both
policies, and the instances it names are checked with ``jsonschema``: a verdict of
"breaking" comes with an instance that really breaks, so the verdicts are facts.
"""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import validators
from lint.groups import ALL, NONE, Verdict

from registry.lint import Mode, Policy, check


def valid(schema: Any, instance: Any) -> bool:
    kind = validators.validator_for(schema, default=validators.Draft202012Validator)
    return kind(schema).is_valid(instance)


def expected(case: Verdict, policy: Policy) -> tuple[bool, bool]:
    if policy is Policy.LENIENT and case.lenient is not None:
        return case.lenient
    return case.backward, case.forward


def compatible(old: Any, new: Any, mode: Mode, policy: Policy) -> bool:
    return check([("1", old)], new, mode=mode, policy=policy, witness_budget=0).compatible


@pytest.mark.parametrize("policy", list(Policy))
@pytest.mark.parametrize("name", sorted(ALL))
def test_verdict_both_ways(name: str, policy: Policy) -> None:
    case = ALL[name]
    backward, forward = expected(case, policy)
    assert compatible(case.old, case.new, Mode.BACKWARD, policy) is backward
    assert compatible(case.old, case.new, Mode.FORWARD, policy) is forward
    # The same pair read the other way round swaps the two directions.
    assert compatible(case.new, case.old, Mode.FORWARD, policy) is backward
    assert compatible(case.new, case.old, Mode.BACKWARD, policy) is forward


@pytest.mark.parametrize("name", sorted(ALL))
def test_named_instances_prove_each_break(name: str) -> None:
    case = ALL[name]
    assert (case.lost is NONE) is case.backward, "a BACKWARD break needs an instance, a compatible pair none"
    assert (case.gained is NONE) is case.forward
    if case.lost is not NONE:
        assert valid(case.old, case.lost) and not valid(case.new, case.lost)
    if case.gained is not NONE:
        assert valid(case.new, case.gained) and not valid(case.old, case.gained)


@pytest.mark.parametrize("name", sorted(n for n, c in ALL.items() if not (c.backward and c.forward)))
def test_witnesses_of_breaks_are_real(name: str) -> None:
    case = ALL[name]
    report = check([("1", case.old)], case.new, mode=Mode.FULL, policy=Policy.STRICT, witness_budget=1.0)
    assert report.breaking
    found = [c.witness for c in report.breaking if c.witness is not None and c.witness.found]
    assert found, [c.explain() for c in report.breaking]
    for witness in found:
        accepting, rejecting = (
            (case.old, case.new) if witness.direction == "backward" else (case.new, case.old)
        )
        assert valid(accepting, witness.instance) and not valid(rejecting, witness.instance)


def test_one_of_overlap_names_the_branches() -> None:
    report = check([("1", {"oneOf": [{"type": "null"}]})], {"oneOf": [{}, {}]}, witness_budget=0)
    (change,) = report.breaking
    assert "oneOf branches 0 and 1 may both match" in change.message


def test_moved_branch_says_where_it_was() -> None:
    old = {"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 5}]}
    new = {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]}
    (change,) = check([("1", old)], new, witness_budget=0).breaking
    assert change.path == "/anyOf/0/maxLength"
    assert change.message.endswith("(was anyOf branch 1)")


def test_switched_keyword_says_which_branch_went_where() -> None:
    report = check(
        [("1", {"oneOf": [{"type": "string"}, {"type": "number"}]})],
        {"anyOf": [{"type": "number"}, {"type": "string"}]},
    )
    (change,) = report.changes
    assert "oneOf became anyOf" in change.message
    assert "old oneOf branch 0 → new anyOf branch 1" in change.message
