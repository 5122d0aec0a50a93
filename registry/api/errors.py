"""The HTTP door's one mapping from a refusal to a status and a body, for both API families.

Every failure reaches the client through the handlers installed here: a ``RegistryError``
from the domain or the door, FastAPI's own request validation, Starlette's HTTP errors
(unknown path, wrong method) and, as a last resort, any other exception (a bug: 500 with
no detail). The status follows the error code's outcome, from one table. The body
follows the API family the request went to:

- contracts (``/registry/…``, the old demon-registry): ``text/plain``, the message alone,
  so the old texts (``Contract x version 1.0.0 already exists``) reach old clients as
  they were; a client that asks for ``application/problem+json`` gets the capsules' shape;
- capsules (``/api/v1/…``, the old Anumate service): RFC 7807 ``application/problem+json``
  ``{type, title, status, detail, instance, trace_id}``, with the validation problems under
  ``errors`` (and ``warnings``).
"""

from __future__ import annotations

import json
import logging
import secrets
from enum import Enum
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from registry.api.allow import allowed_methods
from registry.errors import InvalidInput, NotFound, RegistryError
from registry.problems import Code, Outcome, Problem

log = logging.getLogger("registry.api")

CAPSULES_PREFIX = "/api/v1/"
PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE = "urn:registry:problem:"
#: Every refusal names its code here too, so a client of the plain-text family (such as
#: ``registry publish --registry-endpoint``) can tell bad input from a refusal.
CODE_HEADER = "X-Registry-Code"


class Family(Enum):
    """The two API families, each with the error shape its old clients read."""

    CONTRACTS = "contracts"
    CAPSULES = "capsules"


def family_of(path: str) -> Family:
    return Family.CAPSULES if path.startswith(CAPSULES_PREFIX) else Family.CONTRACTS


#: The status of each outcome (docs/problems.md, "outcome" table). The family differences:
#: the old demon-registry answered every body it could not accept with 400 and one too
#: large with 413, where the old capsule service said 422 for any document it refused.
STATUS: dict[Outcome, int] = {
    Outcome.BAD_INPUT: 400,
    Outcome.INVALID: 422,
    Outcome.CONFLICT: 409,
    Outcome.BREAKING: 409,
    Outcome.UNAUTHENTICATED: 401,
    Outcome.FORBIDDEN: 403,
    Outcome.LIMIT: 422,
    Outcome.NOT_FOUND: 404,
    Outcome.UNAVAILABLE: 503,
}
CONTRACTS_STATUS: dict[Outcome, int] = {**STATUS, Outcome.INVALID: 400, Outcome.LIMIT: 413}
#: Codes whose status is not their outcome's: a reused idempotency key is 422 in both
#: families (draft-ietf-httpapi-idempotency-key-header, section 2.7).
CODE_STATUS: dict[Code, int] = {Code.REQUEST_KEY_REUSED: 422}


def status_of(error: RegistryError, family: Family) -> int:
    """The HTTP status of a refusal: by code where the table says so, else by outcome."""
    if error.code in CODE_STATUS:
        return CODE_STATUS[error.code]
    table = CONTRACTS_STATUS if family is Family.CONTRACTS else STATUS
    return table.get(error.code.outcome, 400)


def trace_id(request: Request) -> str:
    """The request's trace id: W3C ``traceparent``'s, else ``X-Request-ID``, else a new one."""
    cached = getattr(request.state, "trace_id", None)
    if cached:
        return str(cached)
    parent = request.headers.get("traceparent", "")
    parts = parent.split("-")
    if len(parts) == 4 and len(parts[1]) == 32 and all(c in "0123456789abcdef" for c in parts[1]):
        found = parts[1]
    else:
        given = request.headers.get("x-request-id", "")
        found = given if 0 < len(given) <= 128 and given.isascii() and given.isprintable() else ""
        found = found or secrets.token_hex(16)
    request.state.trace_id = found
    return found


def _problems(problems: tuple[Problem, ...], severity: str) -> list[dict[str, Any]]:
    out = []
    for p in problems:
        if p.severity == severity:
            item: dict[str, Any] = {"code": str(p.code), "message": p.message, "path": p.path}
            item.update({k: v for k, v in (("file", p.file), ("keyword", p.keyword)) if v})
            out.append(item)
    return out


def problem_body(request: Request, status: int, error: RegistryError) -> dict[str, Any]:
    """The RFC 7807 body of a refusal, with its problems under ``errors`` and ``warnings``."""
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPE}{error.code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": error.message,
        "instance": request.url.path,
        "trace_id": trace_id(request),
    }
    if error.hint:
        body["hint"] = error.hint
    if error.problems:
        body["errors"] = _problems(error.problems, "error")
        body["warnings"] = _problems(error.problems, "warning")
    return body


def render(request: Request, error: RegistryError, *, status: int | None = None) -> Response:
    """A refusal in the shape of the family the request went to."""
    family = family_of(request.url.path)
    status = status or status_of(error, family)
    headers = {CODE_HEADER: str(error.code)}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if family is Family.CONTRACTS and PROBLEM_JSON not in request.headers.get("accept", ""):
        return Response(error.message, status, headers, media_type="text/plain; charset=utf-8")
    content = json.dumps(problem_body(request, status, error), ensure_ascii=False).encode()
    headers["X-Trace-ID"] = trace_id(request)
    return Response(content, status, headers, media_type=PROBLEM_JSON)


async def _registry_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RegistryError)
    return render(request, exc)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    path = "$"
    for p in parts:
        path += f"[{p}]" if isinstance(p, int) else f".{p}"
    return path


async def _request_invalid(request: Request, exc: Exception) -> Response:
    """FastAPI's own validation of bodies and parameters, said as ``input.invalid`` problems."""
    assert isinstance(exc, RequestValidationError)
    problems = []
    in_body = False
    for item in exc.errors()[:50]:
        loc = tuple(item.get("loc", ()))
        in_body = in_body or loc[:1] == ("body",)
        if item.get("type") == "json_invalid":  # loc is ("body", offset)
            reason = str((item.get("ctx") or {}).get("error", "not JSON"))[:200]
            offset = loc[1] if len(loc) > 1 else 0
            problems.append(Problem(Code.INPUT_INVALID, f"{reason} at offset {offset}", "$"))
            continue
        where = _field_path(loc)
        message = str(item.get("msg", "invalid"))[:300]
        problems.append(Problem(Code.INPUT_INVALID, f"{where}: {message}", where))
    summary = "; ".join(p.message for p in problems[:5]) or "the request is malformed"
    # The old demon-registry's words for a body it could not read.
    text = f"Invalid JSON payload: {summary}" if in_body else f"Invalid request: {summary}"
    error = InvalidInput(text, problems=problems)
    return render(request, error, status=400)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's errors (no such route, method not allowed) in the family's shape."""
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path.startswith("/ccompat/"):
        # A path the mount could not match (a newline in a segment): still the Confluent door's shape.
        from registry.api.ccompat.errors import CcompatError
        from registry.api.ccompat.errors import render as ccompat_render

        status = exc.status_code
        return ccompat_render(CcompatError(status, status, f"HTTP {status} {HTTPStatus(status).phrase}"))
    if exc.status_code == 404:
        error: RegistryError = NotFound(f"Not found: {request.url.path}"[:500])
    else:
        error = InvalidInput(str(exc.detail)[:500])
    response = render(request, error, status=exc.status_code)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    if exc.status_code == 405 and (allow := allowed_methods(request)):
        response.headers["Allow"] = allow
    return response


async def _internal_error(request: Request, exc: Exception) -> Response:
    """A bug: logged with its trace id, answered 500 without details."""
    tid = trace_id(request)
    log.exception("internal error (trace_id %s) on %s %s", tid, request.method, request.url.path)
    error = RegistryError(f"internal error; quote trace id {tid} when reporting it")
    return render(request, error, status=500)


def install(app: FastAPI) -> None:
    """Register the door's handlers: one per kind of exception, found by walking its classes."""
    app.add_exception_handler(RegistryError, _registry_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)


class Stale(RegistryError):
    """``If-Match`` names a state that is no longer current: read again, then retry."""

    code = Code.REQUEST_STALE


class KeyReused(RegistryError):
    """An ``X-Idempotency-Key`` already answered a different request."""

    code = Code.REQUEST_KEY_REUSED


class ReadOnly(RegistryError):
    """A write to a server that holds no registry key."""

    code = Code.REQUEST_READ_ONLY


class Deleted(RegistryError):
    """A write to a soft-deleted capsule, which takes no new versions until it is restored."""

    code = Code.CAPSULE_DELETED
