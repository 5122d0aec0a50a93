"""Every named counterexample stays fixed: the pair breaks, and the witness is real."""

from __future__ import annotations

import pytest
from lint.regressions import REGRESSIONS

from registry.lint import Mode, Policy, check
from registry.lint.witness import Judge


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_a_known_counterexample_is_not_called_compatible(name: str) -> None:
    old, new, instance, direction = REGRESSIONS[name]
    keeps, loses = (old, new) if direction == "backward" else (new, old)
    assert Judge(keeps).accepts(instance) is True and Judge(loses).accepts(instance) is False
    mode = Mode.BACKWARD if direction == "backward" else Mode.FORWARD
    for policy in Policy:
        report = check([("1", old)], new, mode=mode, policy=policy, witness_budget=0)
        assert not report.compatible, (policy, [c.message for c in report.changes])


def test_an_unproven_change_says_so() -> None:
    old, new, _, _ = REGRESSIONS["dynamic_ref_target_changed"]
    (change,) = check([("1", old)], new, witness_budget=0).breaking
    assert change.kind.value == "unproven"
    assert change.message.startswith("could not prove this change compatible: ")
