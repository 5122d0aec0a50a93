"""The OpenAPI document: every door, their security scheme, headers, media types and error shapes.

FastAPI derives paths and bodies from the routes; this adds what it cannot see: the bearer
scheme every route but the probes needs, ``X-Tenant-ID`` and ``X-Idempotency-Key``,
each family's error responses (plain text for contracts, problem+json for capsules), the
media types of answers that are not JSON, and the Confluent-compatible door, which is an
app of its own mounted under ``/ccompat``: its document is merged in under that prefix, so
every route it gains appears here too. A bounded schemathesis run
(``tests/api/test_generated_requests.py``) holds the server to this document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.routing import Mount

from registry.api.errors import CAPSULES_PREFIX, PROBLEM_JSON
from registry.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from registry.auth.principal import TENANT_HEADER

#: Answered without a token (the probes and metrics; see ``registry.ops.probes``).
OPEN_PATHS = ("/healthz", "/health", "/livez", "/readyz", "/metrics")
CCOMPAT_PREFIX = "/ccompat"
_TEXT = {"text/plain": {"schema": {"type": "string"}}}
#: Answers whose media type FastAPI cannot see (the routes build their responses themselves).
MEDIA: dict[tuple[str, str], dict[str, Any]] = {
    ("/health", "200"): {"application/json": {"schema": {"type": "object"}}},
    ("/healthz", "200"): _TEXT,
    ("/livez", "200"): _TEXT,
    ("/metrics", "200"): {
        "text/plain": {"schema": {"type": "string", "description": "Prometheus text format"}},
        "application/openmetrics-text": {"schema": {"type": "string", "description": "OpenMetrics"}},
    },
    ("/readyz", "503"): {"application/json": {"schema": {"type": "object"}}},
    ("/registry/contracts/{name}/changelog", "200"): {"text/markdown": {"schema": {"type": "string"}}},
    ("/registry/contracts/{name}/{version}/schema", "200"): {
        "application/schema+json": {"schema": {}},
        "application/json": {"schema": {}},
    },
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 7807 problem details, as the old capsule service answered errors.",
    "required": ["type", "title", "status", "detail", "instance", "trace_id"],
    "properties": {
        "type": {"type": "string", "format": "uri", "example": "urn:registry:problem:capsule.schema"},
        "title": {"type": "string", "example": "Unprocessable Entity"},
        "status": {"type": "integer", "example": 422},
        "detail": {"type": "string"},
        "instance": {"type": "string", "example": "/api/v1/capsules"},
        "trace_id": {"type": "string"},
        "hint": {"type": "string", "description": "what to do about it"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationProblem"}},
        "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationProblem"}},
    },
}
VALIDATION_PROBLEM: dict[str, Any] = {
    "type": "object",
    "required": ["code", "message", "path"],
    "properties": {
        "code": {"type": "string", "example": "capsule.tool_not_allowed"},
        "message": {"type": "string"},
        "path": {
            "type": "string",
            "description": "JSONPath into the document",
            "example": "$.spec.steps[0].tool",
        },
        "file": {"type": "string"},
    },
}
TEXT_ERROR: dict[str, Any] = {
    "type": "string",
    "description": "The old demon-registry's plain-text error message.",
    "example": "Contract ritual.started version 1.0.0 already exists",
}

CONTRACT_ERRORS = {
    "400": "Malformed body, invalid name, version or schema",
    "401": "Missing Authorization header / Invalid token: …",
    "403": "Insufficient permissions: contracts:read|contracts:write scope required; or a read-only server",
    "404": "Contract not found: <name> v<version>",
    "409": "Contract <name> version <v> already exists; or a change its version does not allow",
    "408": "The body did not arrive in full in time (REGISTRY_BODY_TIMEOUT)",
    "413": "Body or schema too large, deep or complex",
    "503": "The store is busy: try again",
}
CAPSULE_ERRORS = {
    "400": "Malformed body or parameters",
    "401": "Missing or invalid token",
    "403": "Missing role, or a tenant the token does not grant",
    "404": "No such capsule in this tenant, or one the caller may not see",
    "409": "Already exists, content already published, deleted, or a stale If-Match",
    "408": "The body did not arrive in full in time (REGISTRY_BODY_TIMEOUT)",
    "413": "Body over 10 MiB",
    "422": "The document breaks the rules or the limits (see errors), or an idempotency key reused "
    "for another body",
    "503": "The store is busy: try again",
}


def _header(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": False,
        "schema": {"type": "string"},
        "description": description,
    }


def _decorate(path: str, method: str, op: dict[str, Any], schemes: list[str]) -> None:
    capsules = path.startswith(CAPSULES_PREFIX.rstrip("/"))
    op["security"] = [{name: []} for name in schemes]
    params = op.setdefault("parameters", [])
    names = {p.get("name", "").lower() for p in params}
    if capsules and TENANT_HEADER.lower() not in names:
        params.append(_header(TENANT_HEADER, "the tenant to act for; optional when the token grants one"))
    idempotent = method == "post" and path.endswith(("capsules", "versions", "contracts"))
    if idempotent and IDEMPOTENCY_HEADER.lower() not in names:
        params.append(_header(IDEMPOTENCY_HEADER, "replays of the same request get the first answer"))
    errors = CAPSULE_ERRORS if capsules else CONTRACT_ERRORS
    content = (
        {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        if capsules
        else {"text/plain": {"schema": {"$ref": "#/components/schemas/TextError"}}}
    )
    responses = op.setdefault("responses", {})
    if not capsules:
        responses.pop("422", None)  # the old registry answered malformed bodies 400
    for status, text in errors.items():
        responses[status] = {"description": text, "content": content}
    if idempotent and not capsules:  # a reused key is 422 in both families
        responses["422"] = {"description": "an X-Idempotency-Key reused for another body", "content": content}


def _media(doc: dict[str, Any]) -> None:
    for (path, status), content in MEDIA.items():
        op = doc.get("paths", {}).get(path, {}).get("get")
        if op is not None:
            response = op.setdefault("responses", {}).setdefault(status, {"description": status})
            response["content"] = content


CCOMPAT_MEDIA = "application/vnd.schemaregistry.v1+json"
CCOMPAT_ERROR: dict[str, Any] = {
    "type": "object",
    "description": "Confluent Schema Registry's error body.",
    "required": ["error_code", "message"],
    "properties": {"error_code": {"type": "integer", "example": 40401}, "message": {"type": "string"}},
}
CCOMPAT_ERRORS = {
    "400": "Malformed request",
    "401": "Missing or invalid token",
    "403": "A scope the token lacks, or a read-only server",
    "404": "No such subject, version or schema (40401, 40402, 40403)",
    "409": "Incompatible with an earlier schema",
    "408": "The body did not arrive in full in time (REGISTRY_BODY_TIMEOUT)",
    "413": "Body over 10 MiB",
    "422": "Invalid schema, version or body (42201, 42202, 422)",
    "503": "The store is busy: try again",
}


def _ccompat(op: dict[str, Any]) -> None:
    """A Confluent-compatible operation: its answers in Confluent's media type, with its errors."""
    responses = op.setdefault("responses", {})
    for response in responses.values():
        content = response.get("content")
        if content:
            response["content"] = {CCOMPAT_MEDIA: next(iter(content.values()))}
    error = {CCOMPAT_MEDIA: {"schema": {"$ref": "#/components/schemas/CcompatError"}}}
    for status, text in CCOMPAT_ERRORS.items():
        responses[status] = {"description": text, "content": error}


def _merge_mounted(doc: dict[str, Any], prefix: str, sub: dict[str, Any], schemes: list[str]) -> None:
    """The paths of a mounted app's document, under ``prefix``, with its schemas and the security."""
    for path, item in sub.get("paths", {}).items():
        for op in item.values():
            if isinstance(op, dict):
                op["security"] = [{name: []} for name in schemes]
                op.setdefault("tags", ["confluent-compatible"])
                _ccompat(op)
        doc.setdefault("paths", {})[prefix + path] = item
    theirs = sub.get("components", {}).get("schemas", {})
    doc.setdefault("components", {}).setdefault("schemas", {}).update(
        {k: v for k, v in theirs.items() if k not in doc["components"]["schemas"]}
    )


def install(app: FastAPI, security_schemes: Mapping[str, Mapping[str, str]]) -> None:
    """Replace ``app.openapi`` with one that documents security, headers and errors.

    ``security_schemes`` are the authenticator's (a bearer JWT, and OpenID Connect
    discovery when an issuer is trusted); any of them admits a caller.
    """

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = doc.setdefault("components", {})
        components["securitySchemes"] = {name: dict(scheme) for name, scheme in security_schemes.items()}
        schemas = components.setdefault("schemas", {})
        schemas["Problem"] = PROBLEM_SCHEMA
        schemas["ValidationProblem"] = VALIDATION_PROBLEM
        schemas["TextError"] = TEXT_ERROR
        schemas["CcompatError"] = CCOMPAT_ERROR
        for path, item in doc.get("paths", {}).items():
            if path in OPEN_PATHS:
                continue
            for method, op in item.items():
                _decorate(path, method, op, list(security_schemes))
        _media(doc)
        for route in app.routes:
            if isinstance(route, Mount) and isinstance(route.app, FastAPI) and route.path == CCOMPAT_PREFIX:
                _merge_mounted(doc, route.path, route.app.openapi(), list(security_schemes))
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
