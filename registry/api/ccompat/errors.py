"""The Confluent-compatible door's refusals: ``{"error_code": …, "message": …}`` bodies.

Confluent's serializers read ``error_code`` to tell a missing subject (40401) from a
missing version (40402) or schema (40403), an incompatible schema (409) from an invalid
one (42201), and retry on 5xx statuses (moving to the next URL of ``schema.registry.url``).
So this door answers every failure in that shape, its own and the domain's alike:
:func:`error_of` maps a ``RegistryError`` once, by its code's outcome, and
:func:`install` puts one handler per kind of exception on the door's app (the app is
mounted on its own, so nothing of the other API families' shapes leaks in).
"""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from registry.api.allow import allowed_methods
from registry.errors import RegistryError
from registry.problems import Code, Outcome

log = logging.getLogger("registry.api.ccompat")

#: The media type of Confluent's API, version 1; clients also accept plain JSON.
MEDIA_TYPE = "application/vnd.schemaregistry.v1+json"

# Confluent Schema Registry's error codes (io.confluent.kafka.schemaregistry.rest.exceptions.Errors).
UNAUTHORIZED = 40101
FORBIDDEN = 40301
SUBJECT_NOT_FOUND = 40401
VERSION_NOT_FOUND = 40402
SCHEMA_NOT_FOUND = 40403
INCOMPATIBLE_SCHEMA = 409
INVALID_SCHEMA = 42201
INVALID_VERSION = 42202
OPERATION_NOT_PERMITTED = 42205
REFERENCE_EXISTS = 42206
INVALID_SUBJECT = 42208
STORE_ERROR = 50001
OPERATION_TIMEOUT = 50002


class CcompatError(Exception):
    """A refusal in Confluent's terms: an HTTP status and an ``error_code``."""

    def __init__(self, status: int, error_code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.message = message

    @classmethod
    def subject_not_found(cls, subject: str) -> CcompatError:
        return cls(404, SUBJECT_NOT_FOUND, f"Subject '{subject}' not found.")

    @classmethod
    def version_not_found(cls, subject: str, version: int | str) -> CcompatError:
        return cls(404, VERSION_NOT_FOUND, f"Version {version} not found in subject '{subject}'.")

    @classmethod
    def schema_not_found(cls, schema_id: int | None = None) -> CcompatError:
        text = "Schema not found" if schema_id is None else f"Schema {schema_id} not found"
        return cls(404, SCHEMA_NOT_FOUND, text)

    @classmethod
    def invalid_version(cls, version: str) -> CcompatError:
        return cls(
            422,
            INVALID_VERSION,
            f"The specified version '{version}' is not a valid version id. Allowed values are between "
            '[1, 2^31-1] and the string "latest"',
        )

    @classmethod
    def invalid_schema(cls, message: str) -> CcompatError:
        return cls(422, INVALID_SCHEMA, f"Invalid schema: {message}")

    @classmethod
    def incompatible(cls, message: str) -> CcompatError:
        return cls(409, INCOMPATIBLE_SCHEMA, message)

    @classmethod
    def not_permitted(cls, message: str) -> CcompatError:
        return cls(422, OPERATION_NOT_PERMITTED, message)

    def body(self) -> dict[str, object]:
        return {"error_code": self.error_code, "message": self.message}


def error_of(error: RegistryError) -> CcompatError:
    """The Confluent refusal of a domain or door error, by its code's outcome."""
    message = error.diagnostics().replace("\n  hint:", ";")
    code, outcome = error.code, error.code.outcome
    if code is Code.REQUEST_READ_ONLY:
        return CcompatError.not_permitted(message)
    if code is Code.NAME_INVALID:
        return CcompatError(422, INVALID_SUBJECT, message)
    if code is Code.STORE_BUSY:
        return CcompatError(500, OPERATION_TIMEOUT, message)
    table: dict[Outcome, tuple[int, int]] = {
        Outcome.UNAUTHENTICATED: (401, UNAUTHORIZED),
        Outcome.FORBIDDEN: (403, FORBIDDEN),
        Outcome.BREAKING: (409, INCOMPATIBLE_SCHEMA),
        Outcome.CONFLICT: (409, INCOMPATIBLE_SCHEMA),
        Outcome.INVALID: (422, INVALID_SCHEMA),
        Outcome.LIMIT: (422, INVALID_SCHEMA),
        Outcome.BAD_INPUT: (422, INVALID_SCHEMA),
        Outcome.NOT_FOUND: (404, 404),
        Outcome.UNAVAILABLE: (500, STORE_ERROR),
    }
    status, error_code = table.get(outcome, (500, STORE_ERROR))
    return CcompatError(status, error_code, message)


def render(error: CcompatError, headers: dict[str, str] | None = None) -> Response:
    headers = dict(headers or {})
    if error.status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    content = json.dumps(error.body(), ensure_ascii=False).encode()
    return Response(content, error.status, headers, media_type=MEDIA_TYPE)


async def _ccompat_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CcompatError)
    return render(exc)


async def _registry_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RegistryError)
    return render(error_of(exc))


async def _request_invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    message = f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid request"))
    return render(CcompatError(422, 422, message[:500]))


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths and methods, as Confluent's server says them (``HTTP 404 Not Found``)."""
    assert isinstance(exc, StarletteHTTPException)
    phrase = {404: "Not Found", 405: "Method Not Allowed"}.get(exc.status_code, str(exc.detail))
    error = CcompatError(exc.status_code, exc.status_code, f"HTTP {exc.status_code} {phrase}")
    headers = dict(exc.headers or {})
    if exc.status_code == 405 and (allow := allowed_methods(request)):
        headers["Allow"] = allow
    return render(error, headers)


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s %s", request.method, request.url.path)
    return render(CcompatError(500, 500, "Internal Server Error"))


def install(app: FastAPI) -> None:
    """Every failure of the door's app answers ``{error_code, message}``."""
    app.add_exception_handler(CcompatError, _ccompat_error)
    app.add_exception_handler(RegistryError, _registry_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
