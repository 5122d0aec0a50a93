"""``POST /registry/contracts/{name}/compatibility``: the gate's compatibility verdict, without publishing.

The proposed schema is read as the gate reads ``schema.json`` (same limits, same
metaschema check, the store's ``default_dialect`` for a schema without ``$schema``, as for
the published versions) and compared, with the linter, against the published versions the
gate would compare it with: the version below it, or, in a ``*_TRANSITIVE`` mode, every
version below it in its release line (all of them when the store's semver policy is off).
The answer is the linter's JSON report (``registry lint compare --format json``) plus
what a client needs to choose its version.
"""

from __future__ import annotations

import json
from typing import Any

from registry.errors import InvalidInput, ValidationFailed, VersionExists
from registry.gate.policy import StorePolicy
from registry.index.snapshot import ContractEntry, ContractVersionEntry
from registry.lint import check, render_json, version_verdict
from registry.lint.wit import WitFiles, with_wit
from registry.model import ContractVersion
from registry.validate import load_json, validate_json_schema, validate_wit


def schema_text(value: Any) -> str:
    """The schema file's text from a request's ``jsonSchema``: a string as sent, an object as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | bool):
        return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    raise InvalidInput(
        "jsonSchema is required: a JSON Schema, as a string or as a JSON object",
        hint='send {"jsonSchema": "{\\"type\\": \\"object\\"}"} or {"jsonSchema": {"type": "object"}}',
    )


def read_schema(text: str, policy: StorePolicy) -> Any:
    """The schema as the gate reads it (in the store's dialect), or the problems the gate
    would refuse ``schema.json`` with."""
    limits = policy.limits
    try:
        schema = load_json(
            text.encode(), limits=limits, max_bytes=limits.max_schema_bytes, path_hint="jsonSchema"
        )
    except ValidationFailed as exc:
        raise ValidationFailed(exc.problems, message=f"jsonSchema is not valid JSON: {exc.message}") from None
    schema = policy.in_dialect(schema)
    problems = [p for p in validate_json_schema(schema) if p.severity == "error"]
    if problems:
        found = "; ".join(p.render() for p in problems[:10])
        raise ValidationFailed(problems, message=f"jsonSchema is not a valid JSON Schema: {found}")
    return schema


def _line(v: ContractVersion) -> tuple[int, ...]:
    # A release line: the major version, or 0.minor before 1.0.0 (SemVer 2.0.0 item 4).
    return (v.major,) if v.major > 0 else (0, v.minor)


def _compared(
    lower: list[ContractVersionEntry], proposed: ContractVersion | None, transitive: bool, semver: bool
) -> list[ContractVersionEntry]:
    if not transitive or not lower:
        return lower[-1:]
    if not semver:
        return lower
    line = _line(proposed) if proposed is not None else _line(lower[-1].order)
    same = [v for v in lower if _line(v.order) == line]
    return same if lower[-1] in same else [*same, lower[-1]]


def compatibility(
    name: str,
    contract: ContractEntry | None,
    schema: Any,
    *,
    version: str | None,
    mode: str | None,
    lint_policy: str | None,
    policy: StorePolicy,
    wit: str | None = None,
) -> dict[str, Any]:
    """The linter's verdict on ``schema`` (and ``wit``, when sent) as the next version of ``name``."""
    published = list(contract.versions) if contract is not None else []
    m, p = policy.lint_settings(
        mode or (contract.compatibility if contract else None),
        lint_policy or (contract.policy if contract else None),
    )
    proposed = ContractVersion.parse(version) if version is not None else None
    if proposed is not None and any(v.order == proposed for v in published):
        raise VersionExists(
            f"Contract {name} version {version} already exists",
            hint="published versions never change: propose a higher version",
        )
    lower = [v for v in published if proposed is None or v.order < proposed]
    compared = _compared(lower, proposed, m.transitive, policy.semver_policy)
    history = [(v.version, policy.in_dialect(json.loads(v.schema_text))) for v in compared]
    report = check(history, schema, mode=m, policy=p)
    if wit is not None:
        report = with_wit(
            report, [(v.version, published_wit(v)) for v in compared], _read_wit(wit, published, policy)
        )
    base = lower[-1].version if lower else None
    verdict = version_verdict(base, version, report) if version is not None else None
    body: dict[str, Any] = {"name": name, "against": [v.version for v in compared]}
    body.update(render_json(report, verdict))
    body["latestVersion"] = published[-1].version if published else None
    # The smallest version the changes allow above the latest: what to publish next.
    body["suggestedVersion"] = (
        version_verdict(base, base, report).needed_version if base is not None else (version or "1.0.0")
    )
    return body


def published_wit(v: ContractVersionEntry) -> WitFiles:
    """A published version's WIT file (name → text), as the linter compares it; None without one."""
    return {v.wit_path.rsplit("/", 1)[-1]: v.wit_text or ""} if v.wit_path else None


def _read_wit(text: str, published: list[ContractVersionEntry], policy: StorePolicy) -> WitFiles:
    """The proposed WIT under the latest version's file name, or the problems the gate would refuse."""
    named = [v.wit_path for v in published if v.wit_path]
    name = named[-1].rsplit("/", 1)[-1] if named else "interface.wit"
    if len(text.encode()) > policy.limits.max_file_bytes:
        raise InvalidInput(
            f"wit is larger than {policy.limits.max_file_bytes} bytes", hint="the store's file limit applies"
        )
    problems = [p for p in validate_wit({name: text}) if p.severity == "error"]
    if problems:
        found = "; ".join(p.render() for p in problems[:10])
        raise ValidationFailed(problems, message=f"wit is not a valid WIT package: {found}")
    return {name: text}
