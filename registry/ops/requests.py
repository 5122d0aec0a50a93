"""Per request: its ids, one JSON log line, its metrics and its span.

:class:`RequestTelemetry` is plain ASGI middleware (no ``BaseHTTPMiddleware``: it costs
one dict lookup and a timer per request, and never buffers a body). For every HTTP request
it

- takes ``X-Request-ID`` when the caller sent a sane one (printable ASCII, at most 128
  characters), else makes one, and returns it in the answer;
- takes the trace id of a W3C ``traceparent`` (or of the OpenTelemetry span continuing
  it), else makes one, and returns it as ``X-Trace-ID``;
- stores both on ``request.state`` (``request_id``, ``trace_id``) before any route or
  error handler runs, so problem+json bodies carry the same ``trace_id``;
- counts the request by method, route template and status, and times it;
- writes one line to the ``registry.access`` logger: ids, method, route, path (never the
  query string), status, latency, and the caller's subject when the auth layer left a
  principal on ``request.state.principal``.

Unmatched paths are counted under the route ``unmatched``, so scans cannot grow the metrics.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from registry.ops import tracing
from registry.ops.logs import ACCESS_LOGGER
from registry.ops.metrics import metrics

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REQUEST_ID = "x-request-id"
UNMATCHED = "unmatched"
MAX_REQUEST_ID = 128

access = logging.getLogger(ACCESS_LOGGER)


def request_id_from(given: str | None) -> str:
    """The caller's request id when it is safe to log and echo, else a new one."""
    if given and len(given) <= MAX_REQUEST_ID and given.isascii() and given.isprintable():
        return given
    return secrets.token_hex(16)


def route_of(scope: Scope) -> str:
    """The route template that answered (``/registry/contracts/{name}``), or ``unmatched``."""
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not path:
        return UNMATCHED
    return f"{scope.get('root_path', '')}{path}"


def subject_of(scope: Scope) -> str | None:
    """The authenticated caller's subject, when the auth layer stored its principal."""
    state = scope.get("state") or {}
    principal = state.get("principal")
    subject = getattr(principal, "subject", None)
    return str(subject) if subject is not None else None


def current_trace_id(request: Any) -> str | None:
    """The trace id this middleware gave ``request`` (a Starlette request), for error bodies."""
    return getattr(request.state, "trace_id", None)


class RequestTelemetry:
    """ASGI middleware: ids, the request log line, request metrics and the request span."""

    def __init__(self, app: ASGIApp, *, skip: frozenset[str] = frozenset()) -> None:
        self.app = app
        #: Paths answered without a log line (the probes a load balancer polls); still counted.
        self.skip = skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = _headers(scope)
        request_id = request_id_from(headers.get(REQUEST_ID))
        method = scope.get("method", "GET")
        path = scope.get("path", "")
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500
        m = metrics()
        m.in_flight.inc()
        with tracing.server_span(
            f"{method} {path}", headers, {"http.request.method": method, "url.path": path}
        ) as span:
            trace_id = (
                tracing.trace_id_of(span)
                or tracing.parse_traceparent(headers.get("traceparent"))
                or tracing.new_trace_id()
            )
            state["trace_id"] = trace_id
            ids = [(b"x-request-id", request_id.encode()), (b"x-trace-id", trace_id.encode())]

            async def send_with_ids(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    given = {k.lower() for k, _ in message.get("headers", ())}
                    extra = [(k, v) for k, v in ids if k not in given]
                    if extra:
                        message["headers"] = [*message.get("headers", ()), *extra]
                await send(message)

            try:
                await self.app(scope, receive, send_with_ids)
            finally:
                elapsed = time.perf_counter() - started
                route = route_of(scope)
                m.in_flight.dec()
                m.requests.labels(method, route, str(status)).inc()
                m.latency.labels(method, route).observe(elapsed)
                if span is not None:
                    span.update_name(f"{method} {route}")
                    tracing.set_attributes(span, {"http.route": route, "http.response.status_code": status})
                    if status >= 500:
                        tracing.set_error(span, f"HTTP {status}")
                if path not in self.skip:
                    _log(request_id, trace_id, method, route, path, status, elapsed, scope, headers)


def _headers(scope: Scope) -> dict[str, str]:
    """The few request headers the middleware reads, decoded; never Authorization."""
    wanted = {b"x-request-id", b"traceparent", b"tracestate", b"x-tenant-id"}
    out: dict[str, str] = {}
    for key, value in scope.get("headers", ()):
        k = key.lower()
        if k in wanted:
            out[k.decode("latin-1")] = value.decode("latin-1")
    return out


def _log(
    request_id: str,
    trace_id: str,
    method: str,
    route: str,
    path: str,
    status: int,
    elapsed: float,
    scope: Scope,
    headers: dict[str, str],
) -> None:
    if not access.isEnabledFor(logging.INFO):
        return
    fields: dict[str, Any] = {
        "request_id": request_id,
        "trace_id": trace_id,
        "method": method,
        "route": route,
        "path": path,
        "status": status,
        "duration_ms": round(elapsed * 1000, 3),
    }
    subject = subject_of(scope)
    if subject is not None:
        fields["subject"] = subject
    tenant = headers.get("x-tenant-id")
    if tenant:
        fields["tenant"] = tenant[:64]
    access.info("request", extra=fields)
