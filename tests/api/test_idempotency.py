"""``X-Idempotency-Key``: a replay gets the first answer, from the store's history, in any process."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from api.helpers import HELLO, SCHEMA, Server, bearer, capsule_headers, hello
from starlette.testclient import TestClient

from registry.gate.published import capsule_id
from registry.git.store import Store

CONTRACT = {"name": "my-contract", "version": "1.0.0", "description": "My contract", "jsonSchema": SCHEMA}
HELLO_ID = capsule_id("acme", "hello-world")


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "X-Idempotency-Key": key}


def test_a_replayed_publish_gets_the_first_answer_and_writes_nothing(
    client: TestClient, example_store: Store
) -> None:
    first = client.post("/registry/contracts", json=CONTRACT, headers=keyed(bearer(), "k-1"))
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    head = example_store.head()
    message = example_store.repo[head].message
    assert "Idempotency-Key: _contracts/k-1\n" in message and "Idempotency-Request: " in message
    again = client.post("/registry/contracts", json=CONTRACT, headers=keyed(bearer(), "k-1"))
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    assert example_store.head() == head
    # without the key, the same request is a second publish, refused as the old registry did
    assert client.post("/registry/contracts", json=CONTRACT, headers=bearer()).status_code == 409


def test_a_key_reused_for_another_request_is_422(client: TestClient, example_store: Store) -> None:
    assert (
        client.post("/registry/contracts", json=CONTRACT, headers=keyed(bearer(), "k-2")).status_code == 201
    )
    head = example_store.head()
    other = {**CONTRACT, "version": "1.1.0"}
    r = client.post("/registry/contracts", json=other, headers=keyed(bearer(), "k-2"))
    assert r.status_code == 422
    assert r.headers["x-registry-code"] == "request.key_reused"
    assert "already used for a different request" in r.text
    assert example_store.head() == head
    capsule = client.post("/api/v1/capsules", json={"yaml": HELLO}, headers=keyed(capsule_headers(), "k-2"))
    assert capsule.status_code == 201  # another scope: contracts and each tenant have their own keys


def test_capsule_replays_are_rebuilt_from_the_index_after_later_versions(client: TestClient) -> None:
    create = client.post("/api/v1/capsules", json={"yaml": HELLO}, headers=keyed(capsule_headers(), "c-1"))
    assert create.status_code == 201
    url = f"/api/v1/capsules/{HELLO_ID}/versions"
    body = {"yaml": hello(("Simple", "Plain"))}
    v2 = client.post(url, json=body, headers=keyed(capsule_headers(), "v-2"))
    v3 = client.post(url, json={"yaml": hello(("Simple", "Tiny"))}, headers=capsule_headers())
    assert (v2.json()["version"], v3.json()["version"]) == (2, 3)
    replay = client.post(url, json=body, headers=keyed(capsule_headers(), "v-2"))
    assert (replay.status_code, replay.content) == (201, v2.content)
    assert replay.headers["location"] == v2.headers["location"]
    first = client.post("/api/v1/capsules", json={"yaml": HELLO}, headers=keyed(capsule_headers(), "c-1"))
    assert first.content == create.content
    reused = client.post(
        url, json={"yaml": hello(("Simple", "Other"))}, headers=keyed(capsule_headers(), "v-2")
    )
    assert reused.status_code == 422
    assert reused.json()["type"] == "urn:registry:problem:request.key_reused"


def test_keys_are_scoped_to_the_tenant(client: TestClient) -> None:
    acme = client.post("/api/v1/capsules", json={"yaml": HELLO}, headers=keyed(capsule_headers(), "same"))
    globex = client.post(
        "/api/v1/capsules", json={"yaml": HELLO}, headers=keyed(capsule_headers(tenant="globex"), "same")
    )
    assert acme.status_code == globex.status_code == 201
    assert acme.json()["capsule_id"] != globex.json()["capsule_id"]
    assert "idempotent-replayed" not in globex.headers


@pytest.mark.parametrize("idem_key", ["", "has space", "x" * 256, "del\x7f"])
def test_malformed_keys_are_400(client: TestClient, idem_key: str) -> None:
    r = client.post("/registry/contracts", json=CONTRACT, headers=keyed(bearer(), idem_key))
    assert r.status_code == 400, r.text


@pytest.mark.slow
def test_replays_survive_a_restart_and_reach_any_server_of_the_store(
    server: Callable[[], Server], example_store: Store
) -> None:
    first_server = server()
    first = httpx.post(
        f"{first_server.url}/registry/contracts", json=CONTRACT, headers=keyed(bearer(), "r-1")
    )
    created = httpx.post(
        f"{first_server.url}/api/v1/capsules", json={"yaml": HELLO}, headers=keyed(capsule_headers(), "r-2")
    )
    assert first.status_code == created.status_code == 201
    first_server.stop()
    head = example_store.head()
    second_server = server()
    again = httpx.post(
        f"{second_server.url}/registry/contracts", json=CONTRACT, headers=keyed(bearer(), "r-1")
    )
    assert (again.status_code, again.content) == (201, first.content)
    assert again.headers["idempotent-replayed"] == "true"
    replayed = httpx.post(
        f"{second_server.url}/api/v1/capsules", json={"yaml": HELLO}, headers=keyed(capsule_headers(), "r-2")
    )
    assert (replayed.status_code, replayed.content) == (201, created.content)
    other = httpx.post(
        f"{second_server.url}/registry/contracts",
        json={**CONTRACT, "version": "2.0.0"},
        headers=keyed(bearer(), "r-1"),
    )
    assert other.status_code == 422
    assert example_store.head() == head
