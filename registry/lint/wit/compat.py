"""A contract's WIT judged against its published versions, folded into the linter's report.

The JSON Schema report and the WIT findings become one :class:`~registry.lint.CompatReport`:
one verdict, one required bump, one list of changes, so every door that shows the schema's
findings shows the interface's too. A WIT file that the reference parser cannot resolve on
either side is the finding ``wit_unproven``, which breaks: the linter never calls a change
compatible that it has not proven.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from registry.lint.change import Change
from registry.lint.compat import CompatReport
from registry.lint.modes import Mode
from registry.lint.semver_policy import Bump, required_bump
from registry.lint.wit.calls import with_witness
from registry.lint.wit.change import WitChange, wit_change
from registry.lint.wit.diff import ROOT, diff_wit
from registry.lint.wit.kinds import WitKind
from registry.lint.wit.model import WitPackage
from registry.lint.wit.resolve import WitUnresolved, resolve

#: The WIT files of one version (file name → text), or None when it has none.
WitFiles = Mapping[str, str] | None


def wit_files(files: Mapping[str, bytes]) -> WitFiles:
    """The ``*.wit`` files among a contract directory's files, as text (None if there are none)."""
    found = {n: data.decode("utf-8", "replace") for n, data in files.items() if n.endswith(".wit")}
    return found or None


def compare_wit(old: WitFiles, new: WitFiles, mode: Mode = Mode.BACKWARD) -> list[WitChange]:
    """Every change from ``old`` to ``new``, each break with a call-shape witness."""
    mode = Mode.parse(mode)
    loaded: list[WitPackage | None] = []
    for side, files in (("published", old), ("proposed", new)):
        try:
            loaded.append(resolve(files) if files else None)
        except WitUnresolved as exc:
            message = f"the {side} WIT cannot be compared: {exc.message}"
            return [wit_change(WitKind.UNPROVEN, ROOT, None, None, message)]
    before, after = loaded
    changes = diff_wit(before, after)
    return [with_witness(c, before, after, mode) if c.breaking(mode) else c for c in changes]


def with_wit(
    report: CompatReport, history: Sequence[tuple[str, WitFiles]], proposed: WitFiles
) -> CompatReport:
    """``report`` (the schema's) with the WIT's changes against ``history`` (oldest first) added.

    As for schemas, non-transitive modes compare with the latest version only, and the
    ``*_TRANSITIVE`` ones with every version in ``history``.
    """
    mode = report.mode
    if not history or (proposed is None and all(files is None for _, files in history)):
        return report
    changes: list[Change] = list(compare_wit(history[-1][1], proposed, mode))
    breaking: list[Change] = [c for c in changes if c.breaking(mode)]
    if mode.transitive:
        for version, files in reversed(history[:-1]):
            breaking += [
                replace(c, message=f"{c.message} (against version {version})")
                for c in compare_wit(files, proposed, mode)
                if c.breaking(mode)
            ]
    if not changes and not breaking:
        return report
    all_changes = (*report.changes, *changes)
    all_breaking = (*report.breaking, *breaking)
    bump = Bump.MAJOR if all_breaking else required_bump(all_changes, mode)
    return replace(
        report, changes=all_changes, breaking=all_breaking, compatible=not all_breaking, required_bump=bump
    )
