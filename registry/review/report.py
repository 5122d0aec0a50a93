"""Pull-request review: what the gate would say about BASE..HEAD, as a report for reviewers.

The verdict is the gate's own (``evaluate``), so a review that passes is a push that
lands; the report renders the same findings the linter and the hooks print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pygit2

from registry.errors import InvalidInput
from registry.gate.evaluate import evaluate
from registry.gate.examples import MigrationResult
from registry.gate.verdict import Verdict
from registry.git.store import Store
from registry.lint import render_json, render_markdown
from registry.lint.render import workflow_command
from registry.review.freshness import require_fresh_tags
from registry.text import printable, printable_lines


@dataclass(frozen=True)
class Review:
    base: str
    head: str
    verdict: Verdict


def _commit(store: Store, rev: str) -> pygit2.Oid:
    try:
        return store.repo.revparse_single(rev).peel(pygit2.Commit).id
    except (KeyError, ValueError, pygit2.GitError):
        raise InvalidInput(
            f"unknown revision {rev!r}",
            hint="fetch the base branch first (actions/checkout with fetch-depth: 0) or name a commit",
        ) from None


def review(store: Store, base: str, head: str) -> Review:
    """Judge HEAD against its merge-base with BASE, as the gate would judge a push to main.

    Commit signatures are not part of a review: a pull request's commits are usually
    signed when they land, not while they are discussed.
    """
    head_id = _commit(store, head)
    base_id = store.repo.merge_base(_commit(store, base), head_id) or _commit(store, base)
    require_fresh_tags(store, base_id)  # stale tags would give a wrong verdict: refuse instead
    verdict = evaluate(store, base_id, head_id, check_signatures=False)
    return Review(str(base_id), str(head_id), verdict)


def review_json(r: Review) -> dict[str, Any]:
    v = r.verdict
    return {
        "accepted": v.accepted,
        "base": r.base,
        "head": r.head,
        "problems": [{**p.as_dict(), "file": p.file, "severity": p.severity} for p in v.problems],
        "contracts": [
            {
                "name": c.name,
                "version": c.version,
                "previous": c.previous,
                "newVersion": c.new_version,
                "deleted": c.deleted,
                "lint": render_json(c.report, c.verdict) if c.report else None,
                "migrations": [m.as_dict() for m in c.migrations],
            }
            for c in v.contracts
        ],
        "capsules": [
            {
                "tenant": c.tenant,
                "name": c.name,
                "version": c.version,
                "contentHash": c.content_hash,
                "deleted": c.deleted,
            }
            for c in v.capsules
        ],
        "versions": [v.tag_name for v in v.versions],
    }


# Markdown's inline punctuation, escaped with a backslash so pushed text stays text
# (CommonMark 0.31, section 2.4: any ASCII punctuation may be backslash-escaped).
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|&~!"})


def _md(text: object) -> str:
    """Pushed text as Markdown prose: one printable line, its punctuation inert."""
    return printable(text).translate(_MD_SPECIAL)


def _code(text: object) -> str:
    """Pushed text as a Markdown code span, fenced by more backticks than it holds.

    Backslashes do not escape inside a code span (CommonMark 0.31, section 6.1), so the
    fence is what keeps a backtick in the text from ending the span early.
    """
    body = printable(text)
    fence = "`" * (max(map(len, re.findall("`+", body)), default=0) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def _code_cell(text: object) -> str:
    """A code span in a table cell: a pipe ends a cell even inside a code span (GFM 0.29, 4.10)."""
    return _code(text).replace("|", "\\|")


def review_markdown(r: Review) -> str:
    """The review as Markdown; every pushed name and message is escaped where it is placed."""
    v = r.verdict
    status = (
        "✅ the registry would accept this change"
        if v.accepted
        else "❌ the registry would refuse this change"
    )
    lines = [f"# Registry review: {status}", "", f"`{r.base[:12]}` → `{r.head[:12]}`", ""]
    if v.errors:
        lines += ["## Problems to fix", ""]
        lines += [
            f"- ✗ **{_md(p.file or '(push)')}**: {_md(p.message)} ({_code(p.code)}"
            f"{'' if p.path == '$' else f' at {_code(p.path)}'})"
            for p in v.errors
        ]
        lines.append("")
    if v.warnings:
        lines += ["## Warnings", ""]
        lines += [
            f"- ! **{_md(p.file or '(push)')}**: {_md(p.message)} ({_code(p.code)})" for p in v.warnings
        ]
        lines.append("")
    if v.versions:
        lines += ["## New versions (tagged when this lands on main)", ""]
        lines += [f"- {_code(nv.tag_name)}" for nv in v.versions]
        lines.append("")
    for c in v.contracts:
        head = f"## Contract {_code(c.name)}"
        if c.deleted:
            lines += [head, "", "Deleted in this change.", ""]
            continue
        span = _md(f"{c.previous} → {c.version}" if c.previous and c.previous != c.version else c.version)
        lines += [head + f": {span}", ""]
        if c.report is None:
            lines += ["First version: nothing to compare with." if c.new_version else "No new version.", ""]
            continue
        lint = render_markdown(c.report, c.verdict).replace("## Schema compatibility", "### Compatibility")
        lines += [printable_lines(lint)]
        lines += _migrations(c.migrations)
    if v.capsules:
        lines += ["## Capsules", "", "| capsule | new version | content hash |", "| --- | --- | --- |"]
        for k in v.capsules:
            version = (
                "deleted" if k.deleted else (str(k.version) if k.version else "none (unchanged content)")
            )
            capsule, digest = _code_cell(f"{k.tenant}/{k.name}"), _code_cell((k.content_hash or "")[:16])
            lines.append(f"| {capsule} | {version} | {digest} |")
        lines.append("")
    if not (v.problems or v.contracts or v.capsules):
        lines += ["No contract or capsule changes.", ""]
    return "\n".join(lines)


def _migrations(results: tuple[MigrationResult, ...]) -> list[str]:
    """The migration rules' dry run, one row per example carried across."""
    if not results:
        return []
    lines = ["### Migration rules, dry run on the examples", ""]
    lines += ["| direction | example | from → to | result |", "| --- | --- | --- | --- |"]
    for m in results:
        mark = "✓" if m.ok else "✗"
        lines.append(
            f"| {m.direction} | {_code_cell(m.example)} | {_md(m.source)} → {_md(m.target)} "
            f"| {mark} {_md(m.detail)} |"
        )
    return [*lines, ""]


def review_github(r: Review) -> str:
    """GitHub workflow commands: an annotation per problem, a notice per new version."""
    out = []
    for p in r.verdict.problems:
        level = "error" if p.severity == "error" else "warning"
        file = p.file if p.file and not p.file.startswith(("commit ", "refs/")) else None
        where = printable(file) if file else None
        out.append(workflow_command(level, printable(p.code), printable(p.message), where))
    out += [workflow_command("notice", "new version", printable(nv.tag_name)) for nv in r.verdict.versions]
    return "\n".join(out) + ("\n" if out else "")
