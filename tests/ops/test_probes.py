"""Probes: alive at once, ready only with a first snapshot and a readable store."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi import FastAPI
from starlette.testclient import TestClient

from registry.git.store import Store
from registry.index.snapshot import IndexSnapshot
from registry.ops.probes import router


class NoSnapshotYet:
    snapshot: IndexSnapshot | None = None


def test_liveness_probes_answer_while_the_process_serves(client: TestClient) -> None:
    assert client.get("/healthz").text == "OK"
    assert client.get("/livez").text == "OK"
    health = client.get("/health")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert health.headers["cache-control"] == "no-store"


def test_ready_reports_the_index_the_store_and_the_age_of_the_last_refresh(
    client: TestClient, example_store: Store
) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["store"] == {"readable": True}
    assert body["index"]["loaded"] and body["index"]["head"] == str(example_store.head())
    assert body["index"]["versions"] > 0 and 0 <= body["index"]["age_seconds"] < 60


def test_not_ready_before_the_first_snapshot(example_store: Store) -> None:
    app = FastAPI()
    app.include_router(router(NoSnapshotYet(), Path(example_store.path)))
    answer = TestClient(app).get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["index"] == {"loaded": False, "head": None, "versions": 0, "age_seconds": None}


def test_not_ready_when_the_store_cannot_be_read(client: TestClient, example_store: Store) -> None:
    shutil.rmtree(Path(example_store.path) / "objects")
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["store"]["readable"] is False and answer.json()["store"]["error"]


def test_the_probes_are_in_the_openapi_document_once_each(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]  # a second /healthz would warn: an error here
    assert {"/health", "/healthz", "/livez", "/readyz", "/metrics"} <= set(paths)
