"""Per request: its ids, one JSON log line, its metrics and its span.

:class:`RequestTelemetry` is plain ASGI middleware (no ``BaseHTTPMiddleware``: it never
buffers a body, and sits on every request, so it is kept cheap). For every HTTP request it

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
import random
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from registry.ops import tracing
from registry.ops.logs import ACCESS_LOGGER, redact
from registry.ops.metrics import metrics

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REQUEST_ID = "x-request-id"
#: Methods counted by name; any other is counted as ``OTHER``, so odd requests cannot grow the metrics.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER = "OTHER"
UNMATCHED = "unmatched"
MAX_REQUEST_ID = 128

access = logging.getLogger(ACCESS_LOGGER)


def request_id_from(given: str | None) -> str:
    """The caller's request id when it is safe to log and echo, else a new one."""
    if given and len(given) <= MAX_REQUEST_ID and given.isascii() and given.isprintable():
        return given
    return new_id()


def new_id() -> str:
    """128 random bits in hex: a request id, or a W3C trace id (never all zeros)."""
    return f"{random.getrandbits(128) or 1:032x}"


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


class RequestTelemetry:
    """ASGI middleware: ids, the request log line, request metrics and the request span."""

    def __init__(self, app: ASGIApp, *, skip: frozenset[str] = frozenset()) -> None:
        self.app = app
        #: Paths answered without a log line (the probes a load balancer polls); still counted.
        self.skip = skip
        #: The metric children of each (method, route, status), made once: labelling is not free.
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if not tracing.enabled():
            await self._serve(scope, receive, send, headers, None)
            return
        method, path = scope.get("method", "GET"), scope.get("path", "")
        attributes = {"http.request.method": method, "url.path": path}
        with tracing.server_span(f"{method} {path}", headers, attributes) as span:
            await self._serve(scope, receive, send, headers, span)

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[str, str], span: Any
    ) -> None:
        started = time.perf_counter()
        given = headers.get(REQUEST_ID)
        request_id = request_id_from(given)
        trace_id = (
            tracing.trace_id_of(span) or tracing.parse_traceparent(headers.get("traceparent")) or new_id()
        )
        method = scope.get("method", "GET")
        if method not in METHODS:
            method = OTHER
        path = scope.get("path", "")
        state = scope.get("state")
        if state is None:
            state = scope["state"] = {}
        state["request_id"] = request_id
        state["trace_id"] = trace_id
        ids = [(b"x-request-id", request_id.encode()), (b"x-trace-id", trace_id.encode())]
        status = 500

        async def send_with_ids(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                given = message.get("headers", ())
                if any(k.lower() in _IDS for k, _ in given):  # the app set one itself: keep the app's
                    names = {k.lower() for k, _ in given}
                    message["headers"] = [*given, *((k, v) for k, v in ids if k not in names)]
                else:
                    message["headers"] = [*given, *ids]
            await send(message)

        m = metrics()
        m.in_flight.inc()
        try:
            await self.app(scope, receive, send_with_ids)
        finally:
            elapsed = time.perf_counter() - started
            m.in_flight.dec()
            route = route_of(scope)
            counted = self._children.get((method, route, status))
            if counted is None:
                counted = (m.requests.labels(method, route, str(status)), m.latency.labels(method, route))
                self._children[(method, route, status)] = counted
            counted[0].inc()
            counted[1].observe(elapsed)
            if span is not None:
                span.update_name(f"{method} {route}")
                tracing.set_attributes(span, {"http.route": route, "http.response.status_code": status})
                if status >= 500:
                    tracing.set_error(span, f"HTTP {status}")
            if path not in self.skip and access.isEnabledFor(logging.INFO):
                # Only what the client chose is redacted: an id made here is hex already.
                rid = redact(request_id) if request_id == given else request_id
                _log(rid, trace_id, method, route, path, status, elapsed, scope, headers)


#: The request headers the middleware reads (never Authorization).
_WANTED = frozenset({b"x-request-id", b"traceparent", b"tracestate", b"x-tenant-id"})
_IDS = frozenset({b"x-request-id", b"x-trace-id"})


def _headers(scope: Scope) -> dict[str, str]:
    """The few request headers the middleware reads, decoded; never Authorization."""
    out: dict[str, str] = {}
    for key, value in scope.get("headers", ()):
        k = key.lower()
        if k in _WANTED:
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
    """The request's log line; the record is made directly (no caller lookup: it is always here).

    ``request_id`` comes redacted; the path, subject and tenant (the client chose them) are
    redacted here, once; the rest is ours.
    """
    fields: dict[str, Any] = {
        "request_id": request_id,
        "trace_id": trace_id,
        "method": method,
        "route": route,
        "path": redact(path),
        "status": status,
        "duration_ms": round(elapsed * 1000, 3),
    }
    subject = subject_of(scope)
    if subject is not None:
        fields["subject"] = redact(subject)
    tenant = headers.get("x-tenant-id")
    if tenant:
        fields["tenant"] = redact(tenant[:64])
    record = access.makeRecord(access.name, logging.INFO, __file__, 0, "request", (), None)
    record.fields = fields
    access.handle(record)
