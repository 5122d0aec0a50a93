"""The gate's rules for one contract: valid documents, references, the version and its compatibility."""

from __future__ import annotations

import json
from typing import Any

import pygit2

from registry.errors import InvalidName, LimitExceeded
from registry.gate.bundle import bundled, tree_reader
from registry.gate.examples import MigrationResult, check_examples, dry_run_migrations
from registry.gate.published import contract_version
from registry.gate.verdict import Context, ContractChange
from registry.git.store import Snapshot, Store
from registry.lint import Bump, Change, CompatReport, Mode, Policy, VersionVerdict, check, version_verdict
from registry.lint.rule_changes import diff_rules, with_rule_changes
from registry.lint.semver_policy import bump_between
from registry.lint.wit import WitFiles, wit_files, with_wit
from registry.model import ContractVersion
from registry.paths import (
    CONTRACT_META,
    EXAMPLES,
    SCHEMA,
    contract_dir,
    contract_file,
    example_file,
    in_dir,
    ref_contract,
    schema_ref,
)
from registry.problems import Code, Problem
from registry.validate import ContractDoc, external_refs, read_contract


def _line(v: ContractVersion) -> tuple[int, ...]:
    # A release line: the major version, or 0.minor before 1.0.0 (SemVer 2.0.0 item 4).
    return (v.major,) if v.major > 0 else (0, v.minor)


def _parse_version(text: str) -> ContractVersion | None:
    try:
        return ContractVersion.parse(text)
    except InvalidName:
        return None


def _published_schema(ctx: Context, name: str, commit: pygit2.Oid) -> Any:
    """A published version's schema as the gate reads the proposal: in the store's dialect."""
    text = ctx.store.snapshot(commit).read(contract_file(name, SCHEMA))
    return ctx.policy.in_dialect(json.loads(text)) if text is not None else {}


def _read(ctx: Context, name: str, files: dict[str, bytes]) -> tuple[ContractDoc | None, list[Problem]]:
    """A contract directory read with the store's limits, its schema in the store's dialect."""
    return read_contract(name, files, limits=ctx.policy.limits, default_dialect=ctx.policy.default_dialect)


def contract_files(snapshot: Snapshot, name: str) -> dict[str, bytes]:
    """A contract directory's files by relative name, its examples as ``examples/<file>``."""
    where = contract_dir(name)
    files = snapshot.files(where)
    examples = snapshot.files(in_dir(where, EXAMPLES))
    files.update({example_file(file): data for file, data in examples.items()})
    return files


def _published_doc(ctx: Context, name: str, commit: pygit2.Oid) -> ContractDoc | None:
    return _read(ctx, name, contract_files(ctx.store.snapshot(commit), name))[0]


def judge_contract(ctx: Context, name: str) -> None:
    where = contract_dir(name)
    published = ctx.accepted.contract(name)
    if not ctx.new.is_dir(where):
        if published:
            ctx.problem(
                Code.CONTRACT_DELETED,
                f"published contracts are never deleted ({len(published)} version(s) exist); "
                "set 'deprecated: true' and a 'sunset' date in contract.yaml instead",
                where,
            )
        ctx.contracts.append(ContractChange(name, None, None, False, deleted=True))
        return
    if [d for d in ctx.new.subdirs(where) if d != EXAMPLES]:
        ctx.problem(
            Code.LAYOUT_PATH,
            f"a contract directory holds files and an {EXAMPLES}/ directory, no other sub-directories",
            where,
        )
    doc, problems = _read(ctx, name, contract_files(ctx.new, name))
    ctx.problems.extend(problems)
    if doc is None:
        return
    ctx.problems.extend(check_examples(doc))
    _refs(ctx, name, doc.schema)
    version = doc.version
    by_version = {v: p for p in published if (v := _parse_version(p.version)) is not None}
    new_version = contract_version(doc)
    digest = new_version.digest
    mode, lint_policy = ctx.policy.lint_settings(doc.compatibility, doc.policy)
    lower = sorted(v for v in by_version if v < version)
    if version in by_version:
        same = by_version[version]
        if same.digest != digest or _files_differ(ctx, name, same.commit, doc):
            # Say which version the edit needs: its changes against the published content.
            report = _check(ctx, name, by_version, [version], doc, mode, lint_policy)
            top = max(v for v in by_version if _line(v) == _line(version))
            needed = version_verdict(top.text, version.text, report).needed_version if report else None
            ctx.problem(
                Code.VERSION_IMMUTABLE,
                f"version {version.text} is published and its content never changes; "
                f"this change needs version {needed or 'a new version'}: set it in contract.yaml",
                in_dir(where, CONTRACT_META),
                "$.version",
            )
            ctx.contracts.append(ContractChange(name, version.text, version.text, False, report))
        else:
            ctx.contracts.append(ContractChange(name, version.text, version.text, False))
        return
    same_line = [v for v in by_version if _line(v) == _line(version)]
    if same_line and version < max(same_line):
        top = max(same_line)
        ctx.problem(
            Code.VERSION_ORDER,
            f"version {version.text} is below {top.text}, the latest published in its release line; "
            f"versions only grow: use a version above {top.text}",
            in_dir(where, CONTRACT_META),
            "$.version",
        )
        return
    base = lower[-1] if lower else None
    compared = lower[-1:]
    if mode.transitive:
        # With the semver policy, transitive checks stop at the release line: a major bump starts afresh.
        line = [v for v in lower if _line(v) == _line(version)] if ctx.policy.semver_policy else lower
        compared = sorted(set(line) | set(lower[-1:]))
    report = _check(ctx, name, by_version, compared, doc, mode, lint_policy)
    migrations: tuple[MigrationResult, ...] = ()
    if report is not None and base is not None:
        report, migrations = _rules_against(ctx, doc, by_version[base].commit, report, mode, base)
    verdict = version_verdict(base.text if base else None, version.text, report) if report else None
    _judge(ctx, where, version, report, verdict, mode)
    ctx.contracts.append(
        ContractChange(
            name, version.text, base.text if base else None, True, report, verdict, migrations=migrations
        )
    )
    ctx.versions.append(new_version)


def _rules_against(
    ctx: Context,
    doc: ContractDoc,
    commit: pygit2.Oid,
    report: CompatReport,
    mode: Mode,
    base: ContractVersion,
) -> tuple[CompatReport, tuple[MigrationResult, ...]]:
    """Rule changes against the version below, and the migration rules' dry run across a major bump."""
    old = _published_doc(ctx, doc.name, commit)
    if old is None:
        return report, ()
    report = with_rule_changes(report, diff_rules(old.rules, doc.rules), mode)
    if bump_between(base, doc.version) is not Bump.MAJOR and not report.breaking:
        return report, ()
    results, problems = dry_run_migrations(old, doc)
    ctx.problems.extend(problems)
    return report, tuple(results)


def _judge(
    ctx: Context,
    where: str,
    version: ContractVersion,
    report: CompatReport | None,
    verdict: VersionVerdict | None,
    mode: Mode,
) -> None:
    if report is None:
        return
    file = in_dir(where, CONTRACT_META)
    if ctx.policy.semver_policy:
        if verdict is not None and not verdict.ok:
            if report.breaking:
                first = report.breaking[0]
                more = f" and {len(report.breaking) - 1} more" if len(report.breaking) > 1 else ""
                need = verdict.needed_version or "a major bump"
                ctx.problem(
                    Code.VERSION_BREAKING,
                    f"breaking change ({first.message}{more}) needs version {need}, got {version.text}"
                    + _example(first),
                    file,
                    "$.version",
                )
            else:
                ctx.problem(Code.VERSION_BUMP, verdict.reason, file, "$.version")
    elif not report.compatible:
        first = report.breaking[0] if report.breaking else None
        ctx.problem(
            Code.VERSION_INCOMPATIBLE,
            f"{first.message if first else 'incompatible change'} is not allowed in compatibility mode "
            f"{mode.value}; make the change compatible or change 'compatibility' in contract.yaml"
            + (_example(first) if first else ""),
            file,
        )


def _example(change: Change) -> str:
    """The witness of a break, so a reviewer can check it: "; for example … is now rejected"."""
    return f"; {change.witness_text}" if change.witness_text else ""


def _check(
    ctx: Context,
    name: str,
    by_version: dict[ContractVersion, Any],
    versions: list[ContractVersion],
    doc: Any,
    mode: Mode,
    lint_policy: Policy,
) -> CompatReport | None:
    """The linter's report, schema and WIT, against ``versions`` (oldest first); None for a first version."""
    if not versions:
        return None
    # Each side with the contracts it refers to inlined as that side's tree holds them.
    history = []
    for v in versions:
        commit = by_version[v].commit
        old = _published_schema(ctx, name, commit)
        history.append((v.text, bundled(old, tree_reader(ctx.store.snapshot(commit)))))
    try:
        report = check(history, bundled(doc.schema, tree_reader(ctx.new)), mode=mode, policy=lint_policy)
        wit = [(v.text, _published_wit(ctx.store, name, by_version[v].commit)) for v in versions]
        mine: WitFiles = {doc.wit: doc.wit_text or ""} if doc.wit else None
        return with_wit(report, wit, mine)
    except LimitExceeded as exc:
        # A schema too deep, too large or with patterns too slow to judge is refused, never guessed.
        where = contract_file(name, SCHEMA)
        message = f"{exc.message}; {exc.hint}" if exc.hint else exc.message
        ctx.problems.append(Problem(Code.SCHEMA_LIMIT, message, file=where, keyword=exc.rule))
        return None


def _published_wit(store: Store, name: str, commit: pygit2.Oid) -> WitFiles:
    return wit_files(store.snapshot(commit).files(contract_dir(name)))


def _files_differ(ctx: Context, name: str, commit: pygit2.Oid, doc: Any) -> bool:
    old = contract_files(ctx.store.snapshot(commit), name)
    if not old:
        return True
    published = _read(ctx, name, old)[0]
    if published is not None and (published.rules, published.metadata) != (doc.rules, doc.metadata):
        return True  # rules and metadata are part of a version: they change with a new version only
    mine = {SCHEMA: doc.schema_text.encode()}
    if doc.wit:
        mine[doc.wit] = (doc.wit_text or "").encode()
    if doc.descriptor:
        mine[doc.descriptor] = (doc.descriptor_text or "").encode()
    return any(old.get(f) != data for f, data in mine.items())


def _refs(ctx: Context, name: str, schema: Any) -> None:
    for ref in external_refs(schema):
        target = ref.split("#", 1)[0]
        other = ref_contract(target)
        if other is None and target == schema_ref(""):
            other = ""  # a reference into the store that names no contract: not held
        if other is not None:
            if ctx.new.read(contract_file(other, SCHEMA)) is None:
                ctx.problem(
                    Code.CONTRACT_REF_UNRESOLVED,
                    f"$ref {ref!r} names contract {other!r}, which the store does not hold; "
                    "publish it first or fix the reference",
                    contract_file(name, SCHEMA),
                )
            continue
        ctx.problem(
            Code.CONTRACT_REF_EXTERNAL,
            f"$ref {ref!r} points outside the store; the registry resolves no network references: "
            "reference another contract as '../<name>/schema.json#/…' or copy the schema into $defs",
            contract_file(name, SCHEMA),
        )
