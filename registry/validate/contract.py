"""``contracts/<name>/contract.yaml``: what a contract is called, its version and its policy."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from registry.errors import InvalidName
from registry.lint.modes import Mode, Policy
from registry.model import ContractVersion, contract_name
from registry.problems import Code, Problem
from registry.validate.fields import FLAG, TEXT, Codes, Rule, Table, check_table, one_line, one_of
from registry.validate.rules import METADATA_FIELDS, RULES_FIELDS, check_rules

#: Compatibility modes, with Confluent Schema Registry's meaning.
COMPATIBILITY_MODES = tuple(m.value for m in Mode)
#: The linter's policies: ``strict`` reads an added property of an open object as breaking.
POLICIES = tuple(p.value for p in Policy)

# RFC 3339 section 5.6: full-date, or date-time with a time offset.
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2}))?$")
# A plain file name beside contract.yaml: no directories, no hidden files.
_FILE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")


def _name(value: Any) -> str | None:
    try:
        contract_name(value)
    except InvalidName as exc:
        return one_line(exc)
    return None


def _version(value: Any) -> str | None:
    try:
        ContractVersion.parse(value)
    except InvalidName as exc:
        return one_line(exc)
    return None


def _sunset(value: Any) -> str | None:
    if isinstance(value, date | datetime):
        return None
    if isinstance(value, str) and _RFC3339.match(value):
        try:
            datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
            return None
        except ValueError:
            pass
    return f"must be an RFC 3339 date or date-time such as 2026-01-31 or 2026-01-31T00:00:00Z, got {value!r}"


#: At most this many versions listed as deleted (the list is bounded like every field).
MAX_DELETED_VERSIONS = 1000


def _deleted(value: Any) -> str | None:
    """``deleted``: ``true`` (the whole contract is soft-deleted) or a list of its deleted versions."""
    if isinstance(value, bool):
        return None
    if len(value) > MAX_DELETED_VERSIONS:
        return f"must list at most {MAX_DELETED_VERSIONS} versions, got {len(value)}"
    for item in value:
        if not isinstance(item, str):
            return f"must be true, false or a list of version strings such as ['1.0.0'], got {item!r}"
        problem = _version(item)
        if problem is not None:
            return problem
    if len(set(value)) != len(value):
        return "must list each deleted version once"
    return None


def _file(suffix: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or not _FILE_NAME.match(value) or ".." in value:
            return f"must be a file name beside contract.yaml (no '/' or '..'), got {value!r}"
        if not value.endswith(suffix) or value == suffix:
            return f"must name a {suffix} file, got {value!r}"
        return None

    return check


CONTRACT_FIELDS = Table(
    {
        "name": Rule(str, "a string", _name),
        "version": Rule(str, "a string such as '1.0.0' (quote it in YAML)", _version),
        "description": TEXT,
        "compatibility": Rule(str, "a string", one_of(COMPATIBILITY_MODES)),
        "policy": Rule(str, "a string", one_of(POLICIES)),
        "deprecated": FLAG,
        "sunset": Rule((str, date, datetime), "a date", _sunset),
        # Soft delete (the Confluent-compatible door's DELETE): hidden from lists and latest,
        # still served by id and version; the history keeps everything.
        "deleted": Rule((bool, list), "true, false or a list of versions", _deleted),
        "wit": Rule(str, "a file name", _file(".wit")),
        "descriptor": Rule(str, "a file name", _file(".json")),
        "metadata": METADATA_FIELDS,
        "rules": RULES_FIELDS,
    },
    required=("name", "version"),
    what="a mapping of fields, such as 'name: ritual.started'",
)
_CODES = Codes(
    type=Code.CONTRACT_FIELD,
    required=Code.CONTRACT_REQUIRED,
    unknown=Code.CONTRACT_UNKNOWN_KEY,
    value=Code.CONTRACT_FIELD,
)


def validate_contract_meta(doc: Any) -> list[Problem]:
    """Every problem of a parsed ``contract.yaml``; each field's rule is in ``CONTRACT_FIELDS``.

    ``name`` and ``version`` are required; the other fields may be absent or null.
    Unknown keys are refused, naming the allowed ones, so a typo never goes unnoticed.
    """
    if not isinstance(doc, dict):
        return [Problem(Code.CONTRACT_TYPE, f"contract.yaml must be {CONTRACT_FIELDS.what}")]
    problems = check_table(doc, CONTRACT_FIELDS, _CODES)
    if doc.get("rules") is not None and not any(p.path.startswith("$.rules") for p in problems):
        problems += check_rules(doc["rules"])
    return problems
