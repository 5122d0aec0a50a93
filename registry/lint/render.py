"""The same findings rendered for people and machines: text, JSON, Markdown, GitHub, changelog."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from registry.lint.change import Change
from registry.lint.compat import CompatReport
from registry.lint.semver_policy import VersionVerdict
from registry.text import printable


def _others(report: CompatReport) -> list[Change]:
    breaking = set(map(id, report.breaking))
    return [c for c in report.changes if id(c) not in breaking and not c.breaking(report.mode)]


def _version_line(report: CompatReport, verdict: VersionVerdict) -> str:
    if verdict.ok:
        what = "breaking changes" if report.breaking else "the changes"
        return f"✓ Version bump is appropriate for {what}"
    return f"✗ Version bump required: {verdict.reason}"


def render_text(report: CompatReport, verdict: VersionVerdict | None = None) -> str:
    """The old ``contract-linter compare`` output, plus the other changes and the bump needed."""
    lines: list[str] = []
    if report.breaking:
        lines.append("⚠ Breaking changes detected:")
        for n, c in enumerate(report.breaking, 1):
            lines.append(f"  {n}. {printable(c.message)} ({printable(c.path or 'root')})")
            if c.witness_text:
                lines.append(f"     {printable(c.witness_text)}")
    else:
        lines.append("✓ No breaking changes detected")
    others = _others(report)
    if others:
        lines.append("Other changes:")
        lines += [f"  - {printable(c.message)} ({printable(c.path or 'root')})" for c in others]
    lines.append(f"Required bump: {report.required_bump.label} (mode {report.mode}, policy {report.policy})")
    if verdict is not None:
        lines.append(_version_line(report, verdict))
    return "\n".join(lines) + "\n"


def render_json(report: CompatReport, verdict: VersionVerdict | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "compatible": report.compatible,
        "mode": report.mode.value,
        "policy": report.policy.value,
        "changes": [c.as_dict(report.mode) for c in report.changes],
        "breaking": [c.as_dict(report.mode) for c in report.breaking],
        "requiredBump": report.required_bump.label,
        "versionOk": None if verdict is None else verdict.ok,
    }
    if verdict is not None:
        body["version"] = {
            "ok": verdict.ok,
            "required": verdict.required.label,
            "actual": verdict.actual.label,
            "reason": verdict.reason,
            "neededVersion": verdict.needed_version,
        }
    return body


def _cell(text: Any) -> str:
    return printable(str(text).replace("\\", "\\\\").replace("|", "\\|"))


def _code(text: Any) -> str:
    """A Markdown code span around ``text``, fenced past any backticks it holds (CommonMark 6.1)."""
    body = printable(text).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", body)), default=0) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def render_markdown(report: CompatReport, verdict: VersionVerdict | None = None) -> str:
    status = "✅ compatible" if report.compatible else "❌ breaking"
    lines = [
        "## Schema compatibility",
        "",
        f"**{status}** under `{report.mode}` (policy `{report.policy}`); "
        f"required bump: **{report.required_bump.label}**",
    ]
    if verdict is not None:
        lines += ["", _version_line(report, verdict)]
    rows = list(report.breaking) + _others(report)
    if rows:
        lines += ["", "| # | Breaking | Kind | Path | Change |", "| --- | --- | --- | --- | --- |"]
        for n, c in enumerate(rows, 1):
            mark = "yes" if c.breaking(report.mode) or c in report.breaking else "no"
            text = _cell(c.message) + (f" — {_cell(c.witness_text)}" if c.witness_text else "")
            lines.append(f"| {n} | {mark} | `{c.kind}` | {_code(c.path or 'root')} | {text} |")
    else:
        lines += ["", "No changes."]
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(level: str, title: str, message: str, file: str | None = None) -> str:
    """One GitHub Actions workflow command (``::error file=…,title=…::message``), escaped."""
    props = ([f"file={_escape_property(file)}"] if file else []) + [f"title={_escape_property(title)}"]
    return f"::{level} {','.join(props)}::{_escape_data(message)}"


def render_github(
    report: CompatReport, verdict: VersionVerdict | None = None, file: str | None = None
) -> str:
    """GitHub Actions workflow commands: an error per breaking change, a notice per other one."""
    lines = [
        workflow_command(
            "error", f"Breaking change ({c.kind})", printable(f"{c.explain()} ({c.path or 'root'})"), file
        )
        for c in report.breaking
    ]
    lines += [
        workflow_command(
            "notice", f"Compatible change ({c.kind})", printable(f"{c.message} ({c.path or 'root'})"), file
        )
        for c in _others(report)
    ]
    if verdict is not None and not verdict.ok:
        lines.append(workflow_command("error", "Version bump required", printable(verdict.reason), file))
    return "\n".join(lines) + ("\n" if lines else "")


def render_changelog(entries: Sequence[tuple[str, str | None, CompatReport]], *, title: str) -> str:
    """A Markdown changelog; ``entries`` are (version, previous version, report), newest first."""
    lines = [f"# {title}", ""]
    for version, previous, report in entries:
        lines.append(f"## {version}")
        lines.append("")
        if previous is None:
            lines += ["First version.", ""]
            continue
        verdict = "compatible" if report.compatible else "**breaking**"
        lines += [
            f"Compared with {previous}: {verdict} under `{report.mode}`, "
            f"needs a {report.required_bump.label} bump.",
            "",
        ]
        if not report.changes and not report.breaking:
            lines += ["No schema changes.", ""]
            continue
        if report.breaking:
            lines += ["### Breaking", ""]
            lines += [
                f"- {printable(c.message)} ({_code(c.path or 'root')})"
                + (f"; {printable(c.witness_text)}" if c.witness_text else "")
                for c in report.breaking
            ]
            lines.append("")
        others = _others(report)
        if others:
            lines += ["### Changes", ""]
            lines += [f"- {printable(c.message)} ({_code(c.path or 'root')})" for c in others]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
