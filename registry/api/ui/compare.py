"""Two versions of a contract compared: the linter's findings and a side-by-side diff of the schemas.

The findings are the gate's own (:func:`registry.lint.check` under the contract's mode and
policy, each schema read in the store's dialect), each with the instance that shows a break;
the required bump and the verdict on the version step are
:func:`registry.lint.version_verdict`'s. The text diff is of both
schemas indented alike, so a reformatting alone shows no change; long unchanged runs are
folded so a large schema stays readable.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from registry.api.ui.schema_html import pretty
from registry.index.snapshot import ContractVersionEntry
from registry.lint import (
    Change,
    CompatReport,
    Mode,
    Policy,
    VersionVerdict,
    check,
    required_bump,
    version_verdict,
)
from registry.validate.dialects import in_dialect

#: Unchanged lines kept around each change; longer unchanged runs are folded.
CONTEXT = 3


@dataclass(frozen=True)
class Finding:
    kind: str
    pointer: str
    message: str
    breaking: bool
    example: str | None  # the witness instance as JSON, when one was found
    example_text: str  # what the witness shows, in words ("" when the change breaks nothing)
    bump: str  # the version bump this change alone needs: major, minor or patch


@dataclass(frozen=True)
class DiffRow:
    """One row of the side-by-side diff; ``tag`` is difflib's (equal, replace, delete, insert) or fold."""

    tag: str
    left_no: int | None
    left: str | None
    right_no: int | None
    right: str | None


@dataclass(frozen=True)
class Comparison:
    old: ContractVersionEntry
    new: ContractVersionEntry
    mode: Mode
    policy: Policy
    findings: tuple[Finding, ...]
    report: CompatReport
    verdict: VersionVerdict | None  # None when ``new`` is not the later version
    rows: tuple[DiffRow, ...]

    @property
    def breaking(self) -> int:
        return sum(f.breaking for f in self.findings)


def _finding(change: Change, mode: Mode) -> Finding:
    witness = change.witness
    example = None
    if witness is not None and witness.found:
        example = json.dumps(witness.instance, indent=2, ensure_ascii=False)
    return Finding(
        kind=change.kind.value,
        pointer=change.path or "/",
        message=change.message,
        breaking=change.breaking(mode),
        example=example,
        example_text=change.witness_text,
        bump=required_bump((change,), mode).label,
    )


def compare(
    old: ContractVersionEntry, new: ContractVersionEntry, mode: Mode, policy: Policy, *, dialect: str
) -> Comparison:
    """What changed from ``old`` to ``new``, judged as the gate judges a step between them
    (``dialect``: the store's ``default_dialect``, for a schema without ``$schema``)."""
    old_schema: Any = in_dialect(json.loads(old.schema_text), dialect)
    new_schema: Any = in_dialect(json.loads(new.schema_text), dialect)
    report = check([(old.version, old_schema)], new_schema, mode=mode, policy=policy)
    findings = tuple(_finding(c, report.mode) for c in report.changes)
    verdict = version_verdict(old.version, new.version, report) if new.order > old.order else None
    rows = side_by_side(pretty(old.schema_text), pretty(new.schema_text))
    return Comparison(old, new, report.mode, report.policy, findings, report, verdict, rows)


def side_by_side(left: str, right: str, *, context: int = CONTEXT) -> tuple[DiffRow, ...]:
    """Rows pairing the lines of ``left`` and ``right``; unchanged runs beyond ``context`` folded."""
    a, b = left.splitlines(), right.splitlines()
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            n = i2 - i1
            keep_head = context if rows else 0
            keep_tail = context if i2 < len(a) or j2 < len(b) else 0
            if n > keep_head + keep_tail + 1:
                rows += [
                    DiffRow("equal", i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k]) for k in range(keep_head)
                ]
                rows.append(DiffRow("fold", None, f"{n - keep_head - keep_tail} unchanged lines", None, None))
                rows += [
                    DiffRow("equal", i2 - k + 1, a[i2 - k], j2 - k + 1, b[j2 - k])
                    for k in range(keep_tail, 0, -1)
                ]
            else:
                rows += [DiffRow("equal", i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k]) for k in range(n)]
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            li, rj = i1 + k, j1 + k
            rows.append(
                DiffRow(
                    tag,
                    li + 1 if li < i2 else None,
                    a[li] if li < i2 else None,
                    rj + 1 if rj < j2 else None,
                    b[rj] if rj < j2 else None,
                )
            )
    return tuple(rows)
