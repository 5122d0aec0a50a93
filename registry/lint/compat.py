"""Compatibility checks of a proposed schema against a contract's published history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from registry.lint.change import Change
from registry.lint.diff import diff, diff_against
from registry.lint.modes import Mode, Policy
from registry.lint.refs import Document
from registry.lint.semver_policy import Bump, required_bump


@dataclass(frozen=True)
class CompatReport:
    mode: Mode
    policy: Policy
    changes: tuple[Change, ...]  # against the latest published version
    breaking: tuple[Change, ...]  # that break the mode, against every version checked
    compatible: bool
    required_bump: Bump


def check(
    history: Sequence[tuple[str, Any]],
    proposed: Any,
    *,
    mode: Mode = Mode.BACKWARD,
    policy: Policy = Policy.LENIENT,
    witness_budget: float = 0.2,
) -> CompatReport:
    """Check ``proposed`` against ``history`` (published ``(version, schema)``, oldest first).

    Non-transitive modes compare with the latest version only; ``*_TRANSITIVE`` modes with
    every one, and a change that breaks an older version says which in its message. ``NONE``
    is always compatible, but the changes are still listed. With no history, there is
    nothing to break and nothing changed.

    Each breaking change carries a witness (:attr:`Change.witness`): an instance that the
    old schema accepts and the new one rejects (FORWARD: the reverse), searched for within
    ``witness_budget`` seconds in all; 0 skips the search.
    """
    mode, policy = Mode.parse(mode), Policy.parse(policy)
    if not history:
        return CompatReport(mode, policy, (), (), True, Bump.NONE)
    latest = history[-1][1]
    changes = list(diff(latest, proposed, policy=policy))
    found = [(latest, n, c) for n, c in enumerate(changes) if c.breaking(mode)]
    older: list[tuple[Any, Change]] = []
    if mode.transitive:
        indexed = Document(proposed)
        for version, schema in reversed(history[:-1]):
            for change in diff_against(schema, indexed, policy=policy):
                if change.breaking(mode):
                    older.append(
                        (schema, replace(change, message=f"{change.message} (against version {version})"))
                    )
    if witness_budget > 0 and (found or older):
        from registry.lint.witness import witnessed  # jsonschema only when something breaks

        searches = [(schema, changes[n]) for schema, n, _ in found] + older
        proven = witnessed(searches, proposed, mode, budget=witness_budget)
        for (_, n, _), change in zip(found, proven, strict=False):
            changes[n] = change
        older = [(schema, change) for (schema, _), change in zip(older, proven[len(found) :], strict=True)]
    breaking = [changes[n] for _, n, _ in found] + [change for _, change in older]
    bump = Bump.MAJOR if breaking else required_bump(changes, mode)
    return CompatReport(mode, policy, tuple(changes), tuple(breaking), not breaking, bump)
