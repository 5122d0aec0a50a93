"""The gate: the one policy that decides whether ``main`` may move from one commit to another.

The pre-receive hook, ``registry publish``, the API's publish endpoints and
``registry review`` all call :func:`evaluate`. It reports every problem at once, and the
versions the change introduces, so that whoever passes the gate tags exactly those.
Its cost follows the size of the change: it reads only the directories that differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pygit2

from registry.digest import capsule_content_hash
from registry.errors import InvalidName, RegistryError
from registry.gate.policy import POLICY_FILE, StorePolicy, parse_policy, policy_at
from registry.gate.published import (
    NewVersion,
    capsule_id,
    capsule_versions,
    contract_version,
    contract_versions,
)
from registry.git.store import Snapshot, Store
from registry.lint import CompatReport, Mode, Policy, VersionVerdict, check, version_verdict
from registry.model import ContractVersion, capsule_name, contract_name, tenant
from registry.problems import Code, Problem
from registry.trust.signers import check_commit_signers
from registry.validate import external_refs, load_yaml, read_capsule, read_contract


@dataclass(frozen=True)
class ContractChange:
    """What a change does to one contract, for the review report."""

    name: str
    version: str | None
    previous: str | None
    new_version: bool
    report: CompatReport | None = None
    verdict: VersionVerdict | None = None
    deleted: bool = False


@dataclass(frozen=True)
class CapsuleChange:
    tenant: str
    name: str
    version: int | None
    content_hash: str | None
    deleted: bool = False
    duplicate_of: int | None = None


@dataclass(frozen=True)
class Verdict:
    problems: tuple[Problem, ...] = ()
    versions: tuple[NewVersion, ...] = ()
    contracts: tuple[ContractChange, ...] = ()
    capsules: tuple[CapsuleChange, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def accepted(self) -> bool:
        return not self.errors


@dataclass
class _Units:
    contracts: set[str] = field(default_factory=set)
    capsules: set[tuple[str, str]] = field(default_factory=set)
    policy_changed: bool = False
    problems: list[Problem] = field(default_factory=list)


def _layout(paths: list[str]) -> _Units:
    """Group changed paths into the contracts and capsules they belong to."""
    units = _Units()
    for path in paths:
        parts = path.split("/")
        if path == POLICY_FILE:
            units.policy_changed = True
        elif parts[0] == "contracts":
            if len(parts) != 3:
                units.problems.append(
                    Problem(
                        Code.LAYOUT_PATH,
                        "contract files live directly in contracts/<name>/ "
                        "(contract.yaml, schema.json, and the wit/descriptor files it names)",
                        file=path,
                    )
                )
                continue
            try:
                contract_name(parts[1])
            except InvalidName as exc:
                units.problems.append(Problem(Code.NAME_INVALID, exc.diagnostics(), file=path))
                continue
            units.contracts.add(parts[1])
        elif parts[0] == "capsules":
            if len(parts) != 4:
                units.problems.append(
                    Problem(
                        Code.LAYOUT_PATH,
                        "capsule files live in capsules/<tenant>/<name>/ (capsule.yaml, meta.yaml)",
                        file=path,
                    )
                )
                continue
            try:
                tenant(parts[1])
                capsule_name(parts[2])
            except InvalidName as exc:
                units.problems.append(Problem(Code.NAME_INVALID, exc.diagnostics(), file=path))
                continue
            units.capsules.add((parts[1], parts[2]))
    return units


def _line(v: ContractVersion) -> tuple[int, ...]:
    # A release line: the major version, or 0.minor before 1.0.0 (SemVer 2.0.0 item 4).
    return (v.major,) if v.major > 0 else (0, v.minor)


def _parse_version(text: str) -> ContractVersion | None:
    try:
        return ContractVersion.parse(text)
    except InvalidName:
        return None


def _published_schema(store: Store, name: str, commit: pygit2.Oid) -> Any:
    text = store.snapshot(commit).read(f"contracts/{name}/schema.json")
    return json.loads(text) if text is not None else {}


class _Evaluation:
    def __init__(self, store: Store, new: Snapshot, policy: StorePolicy) -> None:
        self.store, self.new, self.policy = store, new, policy
        self.problems: list[Problem] = []
        self.versions: list[NewVersion] = []
        self.contracts: list[ContractChange] = []
        self.capsules: list[CapsuleChange] = []

    def problem(self, code: Code, message: str, file: str, path: str = "$") -> None:
        self.problems.append(Problem(code, message, path, file=file))

    # -- contracts ---------------------------------------------------------------

    def contract(self, name: str) -> None:
        where = f"contracts/{name}"
        published = contract_versions(self.store, name)
        if not self.new.is_dir(where):
            if published:
                self.problem(
                    Code.CONTRACT_DELETED,
                    f"published contracts are never deleted ({len(published)} version(s) exist); "
                    "set 'deprecated: true' and a 'sunset' date in contract.yaml instead",
                    where,
                )
            self.contracts.append(ContractChange(name, None, None, False, deleted=True))
            return
        if self.new.subdirs(where):
            self.problem(Code.LAYOUT_PATH, "contract directories hold files only, no sub-directories", where)
        doc, problems = read_contract(name, self.new.files(where), limits=self.policy.limits)
        self.problems.extend(problems)
        if doc is None:
            return
        self._refs(name, doc.schema)
        version = doc.version
        by_version = {v: p for p in published if (v := _parse_version(p.version)) is not None}
        new_version = contract_version(doc)
        digest = new_version.digest
        mode = Mode.parse(doc.compatibility or self.policy.default_compatibility)
        lint_policy = Policy.parse(doc.policy or self.policy.default_policy)
        lower = sorted(v for v in by_version if v < version)
        if version in by_version:
            same = by_version[version]
            if same.digest != digest or self._files_differ(name, same.commit, doc):
                # Say which version the edit needs: its changes against the published content.
                report = self._check(name, by_version, [version], doc.schema, mode, lint_policy)
                top = max(v for v in by_version if _line(v) == _line(version))
                needed = version_verdict(top.text, version.text, report).needed_version if report else None
                self.problem(
                    Code.VERSION_IMMUTABLE,
                    f"version {version.text} is published and its content never changes; "
                    f"this change needs version {needed or 'a new version'}: set it in contract.yaml",
                    f"{where}/contract.yaml",
                    "$.version",
                )
                self.contracts.append(ContractChange(name, version.text, version.text, False, report))
            else:
                self.contracts.append(ContractChange(name, version.text, version.text, False))
            return
        same_line = [v for v in by_version if _line(v) == _line(version)]
        if same_line and version < max(same_line):
            top = max(same_line)
            self.problem(
                Code.VERSION_ORDER,
                f"version {version.text} is below {top.text}, the latest published in its release line; "
                f"versions only grow: use a version above {top.text}",
                f"{where}/contract.yaml",
                "$.version",
            )
            return
        base = lower[-1] if lower else None
        compared = lower[-1:]
        if mode.transitive:
            # With the semver policy, transitive checks stop at the release line: a major bump starts afresh.
            line = [v for v in lower if _line(v) == _line(version)] if self.policy.semver_policy else lower
            compared = sorted(set(line) | set(lower[-1:]))
        report = self._check(name, by_version, compared, doc.schema, mode, lint_policy)
        verdict = version_verdict(base.text if base else None, version.text, report) if report else None
        self._judge(where, version, report, verdict, mode)
        self.contracts.append(
            ContractChange(name, version.text, base.text if base else None, True, report, verdict)
        )
        self.versions.append(new_version)

    def _judge(
        self,
        where: str,
        version: ContractVersion,
        report: CompatReport | None,
        verdict: VersionVerdict | None,
        mode: Mode,
    ) -> None:
        if report is None:
            return
        file = f"{where}/contract.yaml"
        if self.policy.semver_policy:
            if verdict is not None and not verdict.ok:
                if report.breaking:
                    first = report.breaking[0].message
                    more = f" and {len(report.breaking) - 1} more" if len(report.breaking) > 1 else ""
                    need = verdict.needed_version or "a major bump"
                    self.problem(
                        Code.VERSION_BREAKING,
                        f"breaking change ({first}{more}) needs version {need}, got {version.text}",
                        file,
                        "$.version",
                    )
                else:
                    self.problem(Code.VERSION_BUMP, verdict.reason, file, "$.version")
        elif not report.compatible:
            first = report.breaking[0].message if report.breaking else "incompatible change"
            self.problem(
                Code.VERSION_INCOMPATIBLE,
                f"{first} is not allowed in compatibility mode {mode.value}; make the change compatible "
                "or change 'compatibility' in contract.yaml",
                file,
            )

    def _check(
        self,
        name: str,
        by_version: dict[ContractVersion, Any],
        versions: list[ContractVersion],
        schema: Any,
        mode: Mode,
        lint_policy: Policy,
    ) -> CompatReport | None:
        """The linter's report against ``versions`` (oldest first); None for a first version."""
        if not versions:
            return None
        history = [(v.text, _published_schema(self.store, name, by_version[v].commit)) for v in versions]
        return check(history, schema, mode=mode, policy=lint_policy)

    def _files_differ(self, name: str, commit: pygit2.Oid, doc: Any) -> bool:
        old = self.store.snapshot(commit).files(f"contracts/{name}")
        if not old:
            return True
        mine = {"schema.json": doc.schema_text.encode()}
        if doc.wit:
            mine[doc.wit] = (doc.wit_text or "").encode()
        if doc.descriptor:
            mine[doc.descriptor] = (doc.descriptor_text or "").encode()
        return any(old.get(f) != data for f, data in mine.items())

    def _refs(self, name: str, schema: Any) -> None:
        for ref in external_refs(schema):
            target = ref.split("#", 1)[0]
            parts = target.split("/")
            if len(parts) == 3 and parts[0] == ".." and parts[2] == "schema.json":
                if self.new.read(f"contracts/{parts[1]}/schema.json") is None:
                    self.problem(
                        Code.CONTRACT_REF_UNRESOLVED,
                        f"$ref {ref!r} names contract {parts[1]!r}, which the store does not hold; "
                        "publish it first or fix the reference",
                        f"contracts/{name}/schema.json",
                    )
                continue
            self.problem(
                Code.CONTRACT_REF_EXTERNAL,
                f"$ref {ref!r} points outside the store; the registry resolves no network references: "
                "reference another contract as '../<name>/schema.json#/…' or copy the schema into $defs",
                f"contracts/{name}/schema.json",
            )

    # -- capsules ----------------------------------------------------------------

    def capsule(self, tenant_id: str, name: str) -> None:
        where = f"capsules/{tenant_id}/{name}"
        published = capsule_versions(self.store, tenant_id, name)
        if not self.new.is_dir(where):
            if published:
                self.problem(
                    Code.CAPSULE_DELETED,
                    f"published capsules are never deleted ({len(published)} version(s) exist); "
                    "set 'status: DELETED' in meta.yaml for a soft delete",
                    where,
                )
            self.capsules.append(CapsuleChange(tenant_id, name, None, None, deleted=True))
            return
        doc, problems = read_capsule(tenant_id, name, self.new.files(where), limits=self.policy.limits)
        self.problems.extend(problems)
        if doc is None:
            return
        expected_id = capsule_id(tenant_id, name)
        if doc.meta.get("id") not in (None, expected_id):
            self.problem(
                Code.CAPSULE_ID,
                f"meta.yaml id must be {expected_id} (derived from tenant and name), or left out",
                f"{where}/meta.yaml",
                "$.id",
            )
        content_hash = capsule_content_hash(doc.document)
        earlier = {p.digest: int(p.version) for p in published}
        latest = published[-1] if published else None
        if latest is not None and latest.digest == content_hash:
            self.capsules.append(CapsuleChange(tenant_id, name, None, content_hash))
            return
        if content_hash in earlier:
            self.problem(
                Code.CAPSULE_CONTENT_PUBLISHED,
                f"Content already published as version {earlier[content_hash]}; change the capsule "
                "or leave it as it is",
                f"{where}/capsule.yaml",
            )
            self.capsules.append(
                CapsuleChange(tenant_id, name, None, content_hash, duplicate_of=earlier[content_hash])
            )
            return
        number = (int(latest.version) if latest else 0) + 1
        self.capsules.append(CapsuleChange(tenant_id, name, number, content_hash))
        self.versions.append(NewVersion("capsule", where, str(number), content_hash))

    def policy_file(self) -> None:
        text = self.new.read(POLICY_FILE)
        if text is None:
            self.problem(Code.POLICY_DELETED, "registry.yaml cannot be deleted; edit it instead", POLICY_FILE)
            return
        try:
            doc = load_yaml(text, limits=self.policy.limits, path_hint=POLICY_FILE)
        except RegistryError as exc:
            problems = getattr(exc, "problems", ())
            self.problems.extend(p.at(POLICY_FILE) for p in problems)
            return
        _, problems = parse_policy(doc)
        self.problems.extend(problems)


def evaluate(
    store: Store,
    old: pygit2.Oid | None,
    new: pygit2.Oid,
    *,
    policy: StorePolicy | None = None,
    check_signatures: bool = True,
) -> Verdict:
    """Decide whether ``main`` may move from ``old`` to ``new``.

    The policy in force is the one at ``old``: a change to ``registry.yaml`` applies
    from the next update on, and must itself be signed by an admin when signatures are
    required. Every problem is collected; none stops the others from being found.
    """
    policy = policy or policy_at(store, old)
    old_snap, new_snap = store.snapshot(old), store.snapshot(new)
    units = _layout(new_snap.changed_paths(old_snap))
    ev = _Evaluation(store, new_snap, policy)
    ev.problems.extend(units.problems)
    if units.policy_changed or old is None:
        ev.policy_file()
    for name in sorted(units.contracts):
        ev.contract(name)
    for tenant_id, name in sorted(units.capsules):
        ev.capsule(tenant_id, name)
    if check_signatures and policy.require_signed_commits:
        ev.problems.extend(check_commit_signers(store, old, new, policy.signers))
    return Verdict(tuple(ev.problems), tuple(ev.versions), tuple(ev.contracts), tuple(ev.capsules))
