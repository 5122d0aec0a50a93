"""Traces: OpenTelemetry spans when an OTLP endpoint is configured, and nothing otherwise.

OpenTelemetry is an optional extra (``pip install registry[otel]``); it is imported only
by :func:`configure_tracing`, so a server without it pays nothing. Spans cover each HTTP
request (the trace id of the request log and of problem+json bodies is the span's), each
index refresh, each gate run of a push and each publish. The exporter is OTLP over
HTTP/protobuf; the standard ``OTEL_*`` variables the SDK reads (headers, timeouts, batch
sizes) keep working.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("registry.ops")

_state: dict[str, Any] = {"tracer": None, "provider": None}


@dataclass(frozen=True)
class TracingSettings:
    """Where spans go: ``OTEL_EXPORTER_OTLP_ENDPOINT`` (the base URL; ``/v1/traces`` is added)
    or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` (the full URL), and the service's name."""

    endpoint: str | None = None
    traces_endpoint: str | None = None
    service_name: str = "registry"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TracingSettings:
        return cls(
            endpoint=env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or None,
            traces_endpoint=env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or None,
            service_name=env.get("OTEL_SERVICE_NAME") or "registry",
        )

    @property
    def enabled(self) -> bool:
        return bool(self.endpoint or self.traces_endpoint)

    @property
    def url(self) -> str | None:
        if self.traces_endpoint:
            return self.traces_endpoint
        return f"{self.endpoint.rstrip('/')}/v1/traces" if self.endpoint else None


def configure_tracing(settings: TracingSettings) -> bool:
    """Start exporting spans when ``settings`` name an endpoint; whether tracing is on.

    Without the ``otel`` extra installed, says so once in the log and carries on untraced.
    """
    if not settings.enabled or _state["tracer"] is not None:
        return _state["tracer"] is not None
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        log.warning(
            "OTEL_EXPORTER_OTLP_ENDPOINT is set but OpenTelemetry is not installed; "
            "install the extra: pip install 'registry[otel]'"
        )
        return False
    provider = TracerProvider(resource=Resource.create({"service.name": settings.service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.url)))
    _state["provider"] = provider
    _state["tracer"] = provider.get_tracer("registry")
    log.info("tracing to %s", settings.url)
    return True


def shutdown_tracing() -> None:
    """Export the spans still buffered and stop; a graceful shutdown calls it last."""
    provider = _state["provider"]
    _state["tracer"] = _state["provider"] = None
    if provider is not None:
        provider.shutdown()


def enabled() -> bool:
    return _state["tracer"] is not None


@contextlib.contextmanager
def span(name: str, attributes: Mapping[str, Any] | None = None) -> Iterator[Any]:
    """A span named ``name`` around the block, a child of the current one; a no-op untraced.

    Yields the span (or None), so the block may add attributes once it knows them.
    """
    tracer = _state["tracer"]
    if tracer is None:
        yield None
        return
    with tracer.start_as_current_span(name, attributes=dict(attributes or {})) as current:
        yield current


@contextlib.contextmanager
def server_span(name: str, headers: Mapping[str, str], attributes: Mapping[str, Any]) -> Iterator[Any]:
    """The span of one incoming request, continuing the caller's W3C ``traceparent`` if any."""
    tracer = _state["tracer"]
    if tracer is None:
        yield None
        return
    from opentelemetry.propagate import extract
    from opentelemetry.trace import SpanKind

    parent = extract(dict(headers))
    with tracer.start_as_current_span(
        name, context=parent, kind=SpanKind.SERVER, attributes=dict(attributes)
    ) as current:
        yield current


def trace_id_of(current: Any) -> str | None:
    """The 32-hex trace id of a span from :func:`server_span`, or None untraced."""
    if current is None:
        return None
    return format(current.get_span_context().trace_id, "032x")


def set_attributes(current: Any, attributes: Mapping[str, Any]) -> None:
    if current is not None:
        current.set_attributes(dict(attributes))


def set_error(current: Any, description: str) -> None:
    if current is not None:
        from opentelemetry.trace import Status, StatusCode

        current.set_status(Status(StatusCode.ERROR, description))


_HEX = frozenset("0123456789abcdef")


def parse_traceparent(value: str | None) -> str | None:
    """The trace id of a W3C ``traceparent`` header (Trace Context §3.2), None when malformed."""
    if not value:
        return None
    parts = value.strip().split("-")
    if len(parts) < 4 or len(parts[0]) != 2 or parts[0] == "ff":
        return None
    version, trace, parent, flags = parts[:4]
    if version == "00" and len(parts) != 4:
        return None
    if len(trace) != 32 or len(parent) != 16 or len(flags) != 2:
        return None
    if not set(version + trace + parent + flags) <= _HEX or trace == "0" * 32 or parent == "0" * 16:
        return None
    return trace
