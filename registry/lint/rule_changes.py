"""Changes to a contract's data-contract rules, judged like changes to its schema.

A domain rule is part of what a message must satisfy, so adding a CONDITION narrows
what producers may write (compatible FORWARD, breaking BACKWARD, like a new bound),
removing one widens, and changing its expression does both. A TRANSFORM rewrites
messages, so any change to one breaks both ways. Migration rules say how to carry a
message across versions and constrain no message: their changes are notes for the
changelog. A rule's documentation, actions and disabled flag are compared too: a
disabled rule is no rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum
from typing import Any

from registry.lint.change import Change
from registry.lint.compat import CompatReport
from registry.lint.kinds import Nature, Rule
from registry.lint.modes import Mode
from registry.lint.semver_policy import Bump, required_bump

_NARROWING = Rule(False, True, Nature.NARROWING)
_WIDENING = Rule(True, False, Nature.WIDENING)
_CHANGE = Rule(False, False, Nature.CHANGE)
_NOTE = Rule(True, True, Nature.ANNOTATION)

# What makes two rules the same rule in effect; the rest (doc, actions) is a note.
_EFFECT = ("kind", "type", "mode", "expr", "tags", "params")


class RuleKind(StrEnum):
    CONDITION_RULE_ADDED = "condition_rule_added"
    CONDITION_RULE_REMOVED = "condition_rule_removed"
    CONDITION_RULE_CHANGED = "condition_rule_changed"
    TRANSFORM_RULE_ADDED = "transform_rule_added"
    TRANSFORM_RULE_REMOVED = "transform_rule_removed"
    TRANSFORM_RULE_CHANGED = "transform_rule_changed"
    MIGRATION_RULE_ADDED = "migration_rule_added"
    MIGRATION_RULE_REMOVED = "migration_rule_removed"
    MIGRATION_RULE_CHANGED = "migration_rule_changed"
    RULE_NOTE_CHANGED = "rule_note_changed"

    @property
    def rule(self) -> Rule:
        return RULE_KINDS[self]


K = RuleKind
RULE_KINDS: dict[RuleKind, Rule] = {
    K.CONDITION_RULE_ADDED: _NARROWING,
    K.CONDITION_RULE_REMOVED: _WIDENING,
    K.CONDITION_RULE_CHANGED: _CHANGE,
    K.TRANSFORM_RULE_ADDED: _CHANGE,
    K.TRANSFORM_RULE_REMOVED: _CHANGE,
    K.TRANSFORM_RULE_CHANGED: _CHANGE,
    K.MIGRATION_RULE_ADDED: _NOTE,
    K.MIGRATION_RULE_REMOVED: _NOTE,
    K.MIGRATION_RULE_CHANGED: _NOTE,
    K.RULE_NOTE_CHANGED: _NOTE,
}
del K


def _rules(rules: Any, group: str) -> dict[str, dict[str, Any]]:
    items = rules.get(group) if isinstance(rules, dict) else None
    if not isinstance(items, list):
        return {}
    return {
        str(r["name"]): r
        for r in items
        if isinstance(r, dict) and "name" in r and r.get("disabled") is not True
    }


def _kind(group: str, rule: dict[str, Any], what: str) -> RuleKind:
    family = "MIGRATION" if group == "migrationRules" else str(rule.get("kind", "CONDITION"))
    family = family if family in ("CONDITION", "TRANSFORM", "MIGRATION") else "CONDITION"
    return RuleKind[f"{family}_RULE_{what}"]


def _change(kind: RuleKind, path: str, old: Any, new: Any, message: str) -> Change:
    rule = kind.rule
    return Change(kind, path, old, new, bool(rule.backward), bool(rule.forward), message)  # type: ignore[arg-type]


def diff_rules(old: Any, new: Any) -> list[Change]:
    """Every change between two ``rules`` mappings (``None`` is no rules), by rule name."""
    changes: list[Change] = []
    for group in ("domainRules", "migrationRules"):
        before, after = _rules(old, group), _rules(new, group)
        for name in sorted(before.keys() | after.keys()):
            path = f"contract.yaml#/rules/{group}/{name}"
            a, b = before.get(name), after.get(name)
            if a is None and b is not None:
                kind = _kind(group, b, "ADDED")
                changes.append(_change(kind, path, None, b.get("expr"), f"{_what(group, b)} {name!r} added"))
            elif b is None and a is not None:
                kind = _kind(group, a, "REMOVED")
                changes.append(
                    _change(kind, path, a.get("expr"), None, f"{_what(group, a)} {name!r} removed")
                )
            elif a is not None and b is not None and a != b:
                if any(a.get(f) != b.get(f) for f in _EFFECT):
                    kind = _kind(group, b, "CHANGED")
                    message = f"{_what(group, b)} {name!r} changed"
                else:
                    kind, message = (
                        RuleKind.RULE_NOTE_CHANGED,
                        f"rule {name!r}: documentation or actions changed",
                    )
                changes.append(_change(kind, path, a.get("expr"), b.get("expr"), message))
    return changes


def _what(group: str, rule: dict[str, Any]) -> str:
    if group == "migrationRules":
        return f"{rule.get('mode', 'UPGRADE')} migration rule"
    return f"{rule.get('mode', 'WRITE')} {str(rule.get('kind', 'CONDITION')).lower()} rule"


def with_rule_changes(report: CompatReport, changes: Sequence[Change], mode: Mode) -> CompatReport:
    """``report`` with the rule changes added: they break the mode, or need their bump, like any change."""
    if not changes:
        return report
    breaking = [c for c in changes if c.breaking(mode)]
    everything = (*report.changes, *changes)
    all_breaking = (*report.breaking, *breaking)
    bump = Bump.MAJOR if all_breaking else required_bump(everything, mode)
    return replace(
        report, changes=everything, breaking=all_breaking, compatible=not all_breaking, required_bump=bump
    )
