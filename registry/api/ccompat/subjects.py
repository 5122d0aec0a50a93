"""What the Confluent-compatible door decides about a proposed schema, without any HTTP.

- :func:`read_proposal` reads a request body (``{"schema": "…", "schemaType": "JSON"}``)
  as the gate reads ``schema.json``: the same limits, the same metaschema check, in the
  store's ``default_dialect`` when the schema names no ``$schema`` (as :func:`compare`
  reads it and every published version). The text is kept as sent: it is what is published.
- :func:`same_schema` finds a published version with the same schema. Schemas are the
  same when they are the same JSON value (RFC 8259: object member order and whitespace
  do not matter), which is what Confluent's clients expect from a re-registration.
- :func:`plan` is what registering would publish: the linter's report against the
  versions the gate will compare with, and the smallest version the semver policy
  allows (the latest plus the bump the changes need). A schema that breaks the
  subject's compatibility mode is refused here, as Confluent refuses it (409): a Kafka
  producer's ``auto.register.schemas`` never publishes a breaking change, even where
  the store's semver policy would allow it with a major version. That stays a decision
  for a person, through a reviewed ``git push`` or ``registry publish``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from registry.api.ccompat.data_contract import read_data_contract
from registry.api.ccompat.errors import INVALID_SCHEMA, CcompatError
from registry.errors import RegistryError
from registry.gate.policy import StorePolicy
from registry.index.schema_ids import NumberedVersion
from registry.index.snapshot import ContractEntry, ContractVersionEntry
from registry.lint import Change, CompatReport, Mode, Policy, check, version_verdict
from registry.lint.rule_changes import diff_rules, with_rule_changes
from registry.model import ContractVersion
from registry.validate import load_json, validate_json_schema

SCHEMA_TYPE = "JSON"
#: What Confluent's API reads a request without ``schemaType`` as.
DEFAULT_TYPE = "AVRO"
FIRST_VERSION = "1.0.0"


@dataclass(frozen=True)
class Proposal:
    """A schema sent by a client: its text as sent, and its parsed value."""

    text: str
    schema: Any
    metadata: dict[str, Any] | None = None  # None: not sent (a new version inherits the latest's)
    rules: dict[str, Any] | None = None

    @property
    def canonical(self) -> str:
        return canonical(self.schema)


def canonical(schema: Any) -> str:
    """One text per JSON value: sorted members, no whitespace."""
    return json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@functools.lru_cache(maxsize=4096)
def stored_canonical(text: str) -> str:
    """The canonical text of a published ``schema.json`` (read once per schema per process)."""
    return canonical(json.loads(text))


def read_proposal(body: Any, policy: StorePolicy) -> Proposal:
    """The schema of a register, lookup or compatibility request, or 42201 saying what is wrong."""
    if not isinstance(body, dict):
        raise CcompatError.invalid_schema('the request body must be a JSON object: {"schema": "…"}')
    # Confluent reads a missing schemaType as AVRO; so does this door, and refuses it by name.
    kind = body.get("schemaType", DEFAULT_TYPE)
    if not isinstance(kind, str) or kind.upper() != SCHEMA_TYPE:
        shown = str(kind)[:40] if kind is not None else "AVRO"
        raise CcompatError(
            422,
            INVALID_SCHEMA,
            f'Only JSON Schema is served (schemaType {shown}): send "schemaType": "JSON" with a JSON Schema',
        )
    text = body.get("schema")
    if not isinstance(text, str) or not text.strip():
        raise CcompatError.invalid_schema('"schema" must be the schema as a JSON string')
    limits = policy.limits
    try:
        schema = load_json(
            text.encode(), limits=limits, max_bytes=limits.max_schema_bytes, path_hint="schema"
        )
    except RegistryError as exc:
        raise CcompatError.invalid_schema(exc.message) from None
    errors = [p for p in validate_json_schema(policy.in_dialect(schema)) if p.severity == "error"]
    if errors:
        raise CcompatError.invalid_schema("; ".join(p.render() for p in errors[:10]))
    metadata, rules = read_data_contract(body)
    return Proposal(text, schema, metadata, rules)


def same_schema(versions: Sequence[NumberedVersion], proposal: Proposal) -> NumberedVersion | None:
    """The newest published version whose schema is the same JSON value as the proposal's."""
    wanted = proposal.canonical
    for numbered in reversed(versions):
        entry = numbered.entry
        if stored_canonical(entry.schema_text) != wanted:
            continue
        if proposal.metadata is not None and proposal.metadata != entry.metadata:
            continue
        if proposal.rules is not None and proposal.rules != entry.rules:
            continue
        return numbered
    return None


def lint_settings(entry: ContractEntry | None, policy: StorePolicy) -> tuple[Mode, Policy]:
    """The subject's mode and lint policy: ``contract.yaml``'s own, else ``registry.yaml``'s."""
    if entry is None:
        return policy.lint_settings(None, None)
    return policy.lint_settings(entry.compatibility, entry.policy)


def _line(v: ContractVersion) -> tuple[int, ...]:
    # A release line: the major version, or 0.minor before 1.0.0 (SemVer 2.0.0 item 4).
    return (v.major,) if v.major > 0 else (0, v.minor)


def compared(
    versions: Sequence[ContractVersionEntry], proposed: ContractVersion, mode: Mode, policy: StorePolicy
) -> list[ContractVersionEntry]:
    """The published versions the gate compares ``proposed`` with (``registry.gate.contracts``):
    the one below it; in a ``*_TRANSITIVE`` mode every one below it in its release line
    (all of them when the semver policy is off)."""
    lower = sorted((v for v in versions if v.order < proposed), key=lambda v: v.order)
    if not mode.transitive or not lower:
        return lower[-1:]
    if not policy.semver_policy:
        return lower
    same = [v for v in lower if _line(v.order) == _line(proposed)]
    return same if lower[-1] in same else [*same, lower[-1]]


#: Inlines the contracts a schema refers to, as the tree of a version (None: ``main``) holds them.
Bundler = Callable[[ContractVersionEntry | None, Any], Any]


def compare(
    history: Sequence[ContractVersionEntry],
    proposal: Proposal,
    mode: Mode,
    lint: Policy,
    bundle: Bundler | None = None,
    *,
    policy: StorePolicy,
) -> CompatReport:
    """The linter's report on the proposal against ``history`` (oldest first), every schema
    read in the store's dialect; with ``bundle``, references to other contracts are compared
    by what they mean, as the gate compares them."""
    old = [(v.version, policy.in_dialect(json.loads(v.schema_text))) for v in history]
    new = policy.in_dialect(proposal.schema)
    if bundle is not None:
        old = [(name, bundle(v, schema)) for (name, schema), v in zip(old, history, strict=True)]
        new = bundle(None, new)
    return check(old, new, mode=mode, policy=lint)


def messages(report: CompatReport) -> list[str]:
    """What ``verbose=true`` shows: each break with its witness, kind and place."""
    return [_message(c) for c in report.breaking]


def _message(change: Change) -> str:
    where = change.path or "/"
    return f"{change.explain()} [{change.kind.value} at {where}]"


@dataclass(frozen=True)
class Plan:
    """What registering a new schema publishes: a version, judged against ``against``."""

    version: str
    report: CompatReport
    against: tuple[ContractVersionEntry, ...]

    @property
    def compatible(self) -> bool:
        return self.report.compatible


def plan(
    entry: ContractEntry | None, proposal: Proposal, policy: StorePolicy, bundle: Bundler | None = None
) -> Plan:
    """The version registering ``proposal`` would publish, and the linter's report on it.

    The version is the smallest the semver policy allows above the latest (what
    ``version_verdict`` names as needed); the report is against the versions the gate
    will compare that version with, so a compatible plan is one the gate accepts.
    """
    mode, lint = lint_settings(entry, policy)
    if entry is None or not entry.versions:
        return Plan(FIRST_VERSION, check([], policy.in_dialect(proposal.schema), mode=mode, policy=lint), ())
    latest = entry.latest
    rules = diff_rules(latest.rules, proposal.rules if proposal.rules is not None else latest.rules)
    report = with_rule_changes(compare([latest], proposal, mode, lint, bundle, policy=policy), rules, mode)
    version = _smallest_above(latest, report)
    history = compared(entry.versions, ContractVersion.parse(version), mode, policy)
    if [v.version for v in history] != [latest.version]:
        report = with_rule_changes(compare(history, proposal, mode, lint, bundle, policy=policy), rules, mode)
        version = _smallest_above(latest, report)
    return Plan(version, report, tuple(history))


def _smallest_above(latest: ContractVersionEntry, report: CompatReport) -> str:
    needed = version_verdict(latest.version, latest.version, report).needed_version
    assert needed is not None  # a version is never above itself, so a next one is always named
    return needed
