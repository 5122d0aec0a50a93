"""Every request: its ids returned, one JSON log line without secrets, and its metrics."""

from __future__ import annotations

import json
import re

from ops.conftest import LogLines, token
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE}-00f067aa0ba902b7-01"
READ, WRITE = "contracts:read", "contracts:write"
SCHEMA = json.dumps({"type": "object", "properties": {"id": {"type": "string"}}})


def scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of ``/metrics``, read with prometheus-client's own parser."""
    answer = client.get("/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def sample(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_a_request_id_is_honoured_and_returned_and_made_when_missing(client: TestClient) -> None:
    given = client.get("/livez", headers={"X-Request-ID": "req-42"})
    assert given.headers["x-request-id"] == "req-42"
    made = client.get("/livez")
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    unsafe = client.get("/livez", headers={"X-Request-ID": "x" * 500})
    assert unsafe.headers["x-request-id"] != "x" * 500


def test_the_trace_id_of_traceparent_is_the_problem_bodys_and_the_logs(
    client: TestClient, logs: LogLines
) -> None:
    headers = {"Authorization": f"Bearer {token(READ, roles=('viewer',), tenants=('acme',))}",
               "X-Tenant-ID": "acme", "traceparent": TRACEPARENT}  # fmt: skip
    missing = client.get("/api/v1/capsules/00000000-0000-0000-0000-000000000000", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["trace_id"] == TRACE == missing.headers["x-trace-id"]
    [line] = [r for r in logs.requests() if r["status"] == 404]
    assert line["trace_id"] == TRACE and line["route"] == "/api/v1/capsules/{capsule_id}"


def test_without_traceparent_one_new_trace_id_serves_header_body_and_log(
    client: TestClient, logs: LogLines
) -> None:
    missing = client.get("/api/v1/capsules/nope")
    assert missing.status_code == 401
    trace = missing.headers["x-trace-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", trace) and missing.json()["trace_id"] == trace
    assert [r["trace_id"] for r in logs.requests()] == [trace]


def test_one_json_line_per_request_with_route_status_latency_and_subject(
    client: TestClient, logs: LogLines
) -> None:
    auth = {"Authorization": f"Bearer {token(READ, sub='ada@example.org')}", "X-Request-ID": "r-1"}
    assert client.get("/registry/contracts/ritual.started/1.0.0", headers=auth).status_code == 200
    assert client.get("/registry/contracts/no.such/1.0.0", headers=auth).status_code == 404
    assert client.get("/not/a/route?token=abc").status_code == 404
    client.get("/readyz")  # probes are counted, not logged
    lines = logs.requests()
    assert [(r["method"], r["route"], r["status"]) for r in lines] == [
        ("GET", "/registry/contracts/{name}/{version}", 200),
        ("GET", "/registry/contracts/{name}/{version}", 404),
        ("GET", "unmatched", 404),
    ]
    first = lines[0]
    assert first["request_id"] == "r-1" and first["subject"] == "ada@example.org"
    assert first["path"] == "/registry/contracts/ritual.started/1.0.0" and first["duration_ms"] >= 0
    assert first["level"] == "info" and first["ts"].endswith("Z")
    assert lines[2]["path"] == "/not/a/route"  # never the query string
    assert "subject" not in lines[2]


def test_no_token_secret_or_key_reaches_the_log(client: TestClient, logs: LogLines) -> None:
    good = token(READ, WRITE, sub="writer")
    bad = good[:-4] + "AAAA"  # a forged signature: refused, and still never logged
    for value in (good, bad):
        client.get("/registry/contracts", headers={"Authorization": f"Bearer {value}"})
        client.get(f"/registry/contracts?access_token={value}", headers={"X-Request-ID": f"Bearer {value}"})
        client.post(
            "/registry/contracts",
            headers={"Authorization": f"Bearer {value}"},
            json={"name": "log.probe", "version": "1.0.0", "jsonSchema": SCHEMA, "description": value},
        )
    import logging

    logging.getLogger("registry.test").warning("a careless line: Authorization: Bearer %s", good)
    text = logs.text
    assert len(logs.requests()) == 6
    assert all(json.loads(line) for line in text.splitlines())
    for secret in (good, bad, good.split(".")[1], good.split(".")[2], bad.split(".")[2]):
        assert secret not in text
    assert "[redacted]" in text


def test_metrics_count_requests_by_route_and_status(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {token(READ)}"}
    before = scrape(client)
    for _ in range(3):
        client.get("/registry/contracts/ritual.started", headers=auth)
    client.get("/registry/contracts/ritual.started")
    after = scrape(client)
    route = {"method": "GET", "route": "/registry/contracts/{name}"}
    total = "registry_http_requests_total"
    assert sample(after, total, **route, status="200") - sample(before, total, **route, status="200") == 3
    assert sample(after, total, **route, status="401") - sample(before, total, **route, status="401") == 1
    count = "registry_http_request_duration_seconds_count"
    assert sample(after, count, **route) - sample(before, count, **route) == 4
    assert sample(after, "registry_index_versions", kind="contract") >= 3
    assert sample(after, "registry_index_versions", kind="capsule") >= 4
    assert 0 <= sample(after, "registry_index_age_seconds") < 600
    assert sample(after, "registry_index_last_refresh_timestamp_seconds") > 0


def test_metrics_count_publishes_by_outcome_and_refusals_by_rule(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {token(READ, WRITE)}"}
    before = scrape(client)
    body = {"name": "metrics.event", "version": "1.0.0", "jsonSchema": SCHEMA}
    assert client.post("/registry/contracts", headers=auth, json=body).status_code == 201
    assert client.post("/registry/contracts", headers=auth, json=body).status_code == 409
    breaking = {**body, "version": "1.1.0", "jsonSchema": json.dumps({"type": "string"})}
    refused = client.post("/registry/contracts", headers=auth, json=breaking)
    assert refused.status_code in (400, 409), refused.text
    after = scrape(client)

    def moved(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert moved("registry_publishes_total", door="http", outcome="published") == 1
    assert moved("registry_publishes_total", door="http", outcome="refused") == 2
    assert moved("registry_versions_landed_total", door="http", kind="contract") == 1
    assert moved("registry_gate_refusals_total", door="http", rule="version.exists") == 1
    assert moved("registry_gate_refusals_total", door="http", rule="version.breaking") == 1
    assert moved("registry_publish_duration_seconds_count", door="http") == 3
    assert moved("registry_index_versions", kind="contract") == 1
