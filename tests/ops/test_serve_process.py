"""Operations of a real ``registry serve``: metrics that add up over workers and count pushes,
JSON logs on stderr that never hold the token, spans exported at shutdown."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ops.otlp import OtlpReceiver
from ops.served import Served, start_serve, token
from prometheus_client.parser import text_string_to_metric_families
from support import git

from registry.git.store import Store

pytestmark = pytest.mark.git

RITUAL = "contracts/ritual.started"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def serve(tmp_path: Path, example_store: Store) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(*extra: str, env: dict[str, str] | None = None) -> Served:
        served = start_serve(Path(example_store.path), tmp_path / "serve.log", *extra, env=env)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


def scrape(served: Served) -> Samples:
    answer = served.get("/metrics")
    assert answer.status_code == 200
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def push(tmp_path: Path, store: Store, version: str) -> bool:
    """Push a new optional property as ``version``; whether the push was accepted."""
    work = tmp_path / f"work-{version}"
    git("clone", "-q", f"file://{store.path}", str(work))
    doc = json.loads((work / RITUAL / "schema.json").read_text())
    doc["properties"][f"note{version.replace('.', '')}"] = {"type": "string"}
    (work / RITUAL / "schema.json").write_text(json.dumps(doc, indent=2))
    meta = work / RITUAL / "contract.yaml"
    meta.write_text(meta.read_text().replace("version: 1.0.0", f"version: {version}"))
    git("commit", "-qam", f"ritual.started {version}", cwd=work)
    return git("push", "origin", "HEAD:main", cwd=work, check=False).returncode == 0


def test_with_two_workers_every_scrape_adds_up_every_process(
    tmp_path: Path, example_store: Store, serve: Callable[..., Served]
) -> None:
    metrics_dir = tmp_path / "metrics"
    served = serve("--workers", "2", env={"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)})
    for _ in range(20):
        assert served.get("/registry/contracts/ritual.started").status_code == 200
    assert not push(tmp_path, example_store, "1.0.0")  # refused: published content never changes
    assert push(tmp_path, example_store, "1.1.0")
    route = {"method": "GET", "route": "/registry/contracts/{name}", "status": "200"}
    scrapes = [scrape(served) for _ in range(6)]  # whichever worker answers
    for samples in scrapes:
        assert value(samples, "registry_http_requests_total", **route) == 20
        assert value(samples, "registry_publishes_total", door="push", outcome="refused") == 1
        assert value(samples, "registry_publishes_total", door="push", outcome="published") == 1
        assert value(samples, "registry_gate_duration_seconds_count", door="push", verdict="refused") == 1
        assert value(samples, "registry_gate_refusals_total", door="push", rule="version.immutable") == 1
        assert value(samples, "registry_index_versions", kind="contract") == 4
        assert value(samples, "registry_index_age_seconds") >= 0
    pids = {re.sub(r"\D", "", p.name) for p in metrics_dir.glob("counter_*.db")}
    assert len(pids) >= 3  # the parent (the gate) and both workers wrote their samples


def test_one_process_counts_pushes_and_their_landings(
    tmp_path: Path, example_store: Store, serve: Callable[..., Served]
) -> None:
    served = serve()
    before = scrape(served)
    assert push(tmp_path, example_store, "1.1.0")
    after = scrape(served)
    moved = {
        name: value(after, name, **labels) - value(before, name, **labels)
        for name, labels in [
            ("registry_publishes_total", {"door": "push", "outcome": "published"}),
            ("registry_versions_landed_total", {"door": "push", "kind": "contract"}),
            ("registry_gate_duration_seconds_count", {"door": "push", "verdict": "accepted"}),
            ("registry_index_refresh_duration_seconds_count", {}),
        ]
    }
    assert moved["registry_publishes_total"] == moved["registry_versions_landed_total"] == 1
    assert moved["registry_gate_duration_seconds_count"] == 1
    assert moved["registry_index_refresh_duration_seconds_count"] >= 1


def test_the_log_is_json_lines_without_the_token(serve: Callable[..., Served]) -> None:
    secret = token("contracts:read", sub="log-reader")
    served = serve()
    headers = {"Authorization": f"Bearer {secret}", "X-Request-ID": "from-the-client"}
    assert served.get("/registry/contracts?jwt=" + secret, headers=headers).status_code == 200
    assert (
        served.get("/registry/contracts", headers={"Authorization": f"Bearer {secret}x"}).status_code == 401
    )
    assert served.stop() == 0
    text = served.log_path.read_text()
    lines = [json.loads(line) for line in text.splitlines()]  # every line is JSON
    requests = [line for line in lines if line["logger"] == "registry.access"]
    assert [(r["status"], r.get("subject")) for r in requests] == [(200, "log-reader"), (401, None)]
    assert requests[0]["request_id"] == "from-the-client" and re.fullmatch(
        r"[0-9a-f]{32}", requests[0]["trace_id"]
    )
    assert secret not in text and secret.split(".")[2] not in text


def test_spans_of_requests_and_pushes_are_exported_by_the_time_it_stops(
    tmp_path: Path, example_store: Store, serve: Callable[..., Served]
) -> None:
    receiver = OtlpReceiver().start()
    try:
        served = serve(
            env={"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_SERVICE_NAME": "registry-test"}
        )
        answer = served.get("/registry/contracts/ritual.started")
        assert push(tmp_path, example_store, "1.1.0")
        assert served.stop() == 0
    finally:
        receiver.stop()
    [request] = receiver.named("GET /registry/contracts/{name}")
    assert request.trace_id == answer.headers["x-trace-id"]
    [gate] = receiver.named("gate")
    assert gate.attributes == {"registry.door": "push", "registry.verdict": "accepted"}
    assert receiver.named("index.refresh")
