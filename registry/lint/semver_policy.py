"""Which version bump a change set needs, and whether a proposed version gives it.

The rule (README, "The linter"; as the old linter had it): a change that breaks the mode needs
a major bump, except from 0.x where a minor bump is enough; any other change that alters
what the schema accepts (an addition, a relaxation, or a tightening the mode allows)
needs a minor bump; annotation-only changes need a patch; no change needs nothing. The
new version must always sort above the old one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

from registry.lint.change import Change
from registry.lint.kinds import Nature
from registry.lint.modes import Mode
from registry.model import ContractVersion

if TYPE_CHECKING:
    from registry.lint.compat import CompatReport


class Bump(IntEnum):
    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


def required_bump(changes: Sequence[Change], mode: Mode) -> Bump:
    """The smallest bump ``changes`` need under ``mode`` (``NONE`` never needs a major)."""
    mode = Mode.parse(mode)
    if not changes:
        return Bump.NONE
    if any(c.breaking(mode) for c in changes):
        return Bump.MAJOR
    if any(c.kind.rule.nature is not Nature.ANNOTATION for c in changes):
        return Bump.MINOR
    return Bump.PATCH


def bump_between(old: ContractVersion, new: ContractVersion) -> Bump:
    """The bump that takes ``old`` to ``new`` (NONE if ``new`` is not above ``old``)."""
    if not new > old:
        return Bump.NONE
    if new.major != old.major:
        return Bump.MAJOR
    if new.minor != old.minor:
        return Bump.MINOR
    return Bump.PATCH  # a higher patch, or a pre-release moving to its release


@dataclass(frozen=True)
class VersionVerdict:
    ok: bool
    required: Bump
    actual: Bump
    reason: str
    needed_version: str | None  # the smallest version that satisfies the rule


def _next(old: ContractVersion, bump: Bump) -> str:
    if bump is Bump.MAJOR:
        return f"{old.major + 1}.0.0"
    if bump is Bump.MINOR:
        return f"{old.major}.{old.minor + 1}.0"
    if old.semver.prerelease:
        return f"{old.major}.{old.minor}.{old.patch}"
    return f"{old.major}.{old.minor}.{old.patch + 1}"


_WHAT = {
    Bump.MAJOR: "breaking changes",
    Bump.MINOR: "changes to what the schema accepts",
    Bump.PATCH: "annotation changes",
    Bump.NONE: "an unchanged schema",
}


def version_verdict(old_version: str | None, new_version: str, report: CompatReport) -> VersionVerdict:
    """Whether going from ``old_version`` to ``new_version`` fits the changes in ``report``.

    The first version (``old_version`` None) is always fine. From 0.x a breaking change
    needs only a minor bump (SemVer 2.0.0 item 4: anything may change before 1.0.0).
    """
    new = ContractVersion.parse(new_version)
    required = report.required_bump
    if old_version is None:
        return VersionVerdict(True, required, Bump.NONE, f"{new.text} is the first version", None)
    old = ContractVersion.parse(old_version)
    actual = bump_between(old, new)
    needed = required
    zero = old.major == 0 and required is Bump.MAJOR
    if zero:
        needed = Bump.MINOR
    what = _WHAT[required]
    if not new > old:
        target = _next(old, max(needed, Bump.PATCH))
        return VersionVerdict(
            False,
            required,
            actual,
            f"version {new.text} must be greater than {old.text}: {old.text} → {target}",
            target,
        )
    if actual < needed:
        target = _next(old, needed)
        on_zero = " on 0.x" if zero else ""
        reason = f"{what} need a {needed.label} version bump{on_zero}: {old.text} → {target}, got {new.text}"
        return VersionVerdict(False, required, actual, reason, target)
    return VersionVerdict(
        True, required, actual, f"{actual.label} bump {old.text} → {new.text} fits {what}", None
    )
