"""The bodies of the Confluent-compatible door, in the field names Confluent's clients read.

``schemaType`` is always present: Confluent leaves it out for Avro, and its clients read
a missing one as ``AVRO``. The contract's SemVer version travels in ``metadata`` (a
schema's metadata properties in Confluent's data contracts), with its major version, so
a client can pin a release line with ``use.latest.with.metadata={"major": "1"}``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from starlette.responses import Response

from registry.api.ccompat.errors import MEDIA_TYPE
from registry.api.ccompat.references import Reference
from registry.api.ccompat.subjects import SCHEMA_TYPE
from registry.index.schema_ids import NumberedVersion
from registry.lint import CompatReport


class ErrorBody(BaseModel):
    """A refusal, as Confluent's clients read it."""

    error_code: int
    message: str


def metadata(numbered: NumberedVersion) -> dict[str, Any]:
    """The contract's own metadata, its properties joined by the version and its major."""
    entry = numbered.entry
    own = entry.metadata or {}
    body: dict[str, Any] = {k: own[k] for k in ("tags", "sensitive") if k in own}
    properties = {**own.get("properties", {}), "version": entry.version, "major": str(entry.order.major)}
    return {**body, "properties": properties}


def with_rule_set(body: dict[str, Any], numbered: NumberedVersion) -> dict[str, Any]:
    """``ruleSet`` where Confluent sends it, for a version whose contract.yaml has rules."""
    rules = numbered.entry.rules
    if rules:
        body["ruleSet"] = {
            group: rules[group] for group in ("domainRules", "migrationRules") if group in rules
        }
    return body


def _with_references(body: dict[str, Any], references: Sequence[Reference]) -> dict[str, Any]:
    if references:
        body["references"] = [r.body() for r in references]
    return body


def schema_body(numbered: NumberedVersion, references: Sequence[Reference] = ()) -> dict[str, Any]:
    """``GET /schemas/ids/{id}``."""
    body = {"schemaType": SCHEMA_TYPE, "schema": numbered.entry.schema_text}
    body = {**_with_references(body, references), "metadata": metadata(numbered)}
    return with_rule_set(body, numbered)


def version_body(numbered: NumberedVersion, references: Sequence[Reference] = ()) -> dict[str, Any]:
    """``GET /subjects/{s}/versions/{v}``, a lookup's and a registration's answer."""
    body = {
        "subject": numbered.subject,
        "version": numbered.subject_version,
        "id": numbered.schema_id,
        "schemaType": SCHEMA_TYPE,
        "schema": numbered.entry.schema_text,
    }
    body = {**_with_references(body, references), "metadata": metadata(numbered)}
    return with_rule_set(body, numbered)


def compatibility_body(report: CompatReport, verbose: bool, messages: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {"is_compatible": report.compatible}
    if verbose:
        body["messages"] = messages
    return body


def respond(body: Any, status: int = 200) -> Response:
    """A JSON body in Confluent's media type."""
    return Response(json.dumps(body, ensure_ascii=False).encode(), status, media_type=MEDIA_TYPE)


def raw_schema(numbered: NumberedVersion) -> Response:
    """``…/schema``: the stored ``schema.json`` itself, as Confluent sends the unescaped schema."""
    return Response(numbered.entry.schema_text.encode(), 200, media_type=MEDIA_TYPE)
