"""Traces: with an OTLP endpoint, spans for requests, index refreshes and publishes arrive at a real
receiver, and the request's span carries the trace id the client saw."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from ops.conftest import token
from ops.otlp import OtlpReceiver
from starlette.testclient import TestClient

from registry.ops import tracing
from registry.ops.tracing import TracingSettings, configure_tracing, parse_traceparent, shutdown_tracing

TRACE = "0af7651916cd43dd8448eb211c80319c"


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    otlp = OtlpReceiver().start()
    assert configure_tracing(TracingSettings.from_env({"OTEL_EXPORTER_OTLP_ENDPOINT": otlp.endpoint}))
    try:
        yield otlp
    finally:
        shutdown_tracing()
        otlp.stop()


def test_spans_arrive_for_the_request_the_publish_and_the_index_refresh(
    client: TestClient, receiver: OtlpReceiver
) -> None:
    auth = {"Authorization": f"Bearer {token('contracts:read', 'contracts:write')}"}
    body = {"name": "traced.event", "version": "1.0.0", "jsonSchema": json.dumps({"type": "object"})}
    parent = f"00-{TRACE}-b7ad6b7169203331-01"
    published = client.post("/registry/contracts", json=body, headers={**auth, "traceparent": parent})
    assert published.status_code == 201 and published.headers["x-trace-id"] == TRACE
    read = client.get("/registry/contracts/traced.event/1.0.0", headers=auth)
    shutdown_tracing()  # exports what is buffered

    [request] = receiver.named("POST /registry/contracts")
    assert request.trace_id == TRACE and request.parent_id == "b7ad6b7169203331"
    assert request.attributes["http.route"] == "/registry/contracts"
    assert request.attributes["http.response.status_code"] == 201
    [publish] = receiver.named("publish")
    assert publish.trace_id == TRACE and publish.parent_id == request.span_id
    assert publish.attributes == {"registry.door": "http", "registry.outcome": "published"}
    assert any(s.trace_id == TRACE for s in receiver.named("index.refresh"))
    [get] = receiver.named("GET /registry/contracts/{name}/{version}")
    assert get.trace_id == read.headers["x-trace-id"] != TRACE and get.parent_id == ""
    assert receiver.posts and set(receiver.posts) == {"/v1/traces"}


def test_without_an_endpoint_nothing_is_traced() -> None:
    assert not configure_tracing(TracingSettings.from_env({}))
    assert not tracing.enabled()
    with tracing.span("nothing") as span:
        assert span is None


@pytest.mark.parametrize(
    ("header", "trace"),
    [
        (f"00-{TRACE}-b7ad6b7169203331-01", TRACE),
        (f"01-{TRACE}-b7ad6b7169203331-01-future", TRACE),
        (f"00-{TRACE}-b7ad6b7169203331-01-extra", None),
        (f"00-{'0' * 32}-b7ad6b7169203331-01", None),
        (f"00-{TRACE}-{'0' * 16}-01", None),
        (f"ff-{TRACE}-b7ad6b7169203331-01", None),
        (f"00-{TRACE.upper()}-b7ad6b7169203331-01", None),
        ("garbage", None),
        ("", None),
    ],
)
def test_traceparent_is_read_by_the_w3c_rules(header: str, trace: str | None) -> None:
    assert parse_traceparent(header) == trace
