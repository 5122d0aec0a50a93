"""Soft delete over the Confluent-compatible door: a signed commit marking ``deleted`` in contract.yaml."""

from __future__ import annotations

import json
from pathlib import Path

from ccompat.conftest import PREFIX, READ, SECRET, WRITE, proposal, stored_schema, with_note
from starlette.testclient import TestClient
from support import verify_with_git

from registry.auth.tokens import mint
from registry.git.store import Store

H = {"Authorization": f"Bearer {mint(SECRET, sub='kafka-app', scopes=[READ])}"}
ADMIN = {"Authorization": f"Bearer {mint(SECRET, sub='ops', scopes=[READ, WRITE], roles=['admin'])}"}
EDITOR = {"Authorization": f"Bearer {mint(SECRET, sub='dev', scopes=[READ, WRITE], roles=['editor'])}"}


def get(client: TestClient, path: str, status: int = 200, **params: str) -> object:
    response = client.get(PREFIX + path, headers=H, params=params)
    assert response.status_code == status, response.text
    return response.json()


def contract_yaml(store: Store, name: str) -> str:
    text = store.snapshot(store.head()).read(f"contracts/{name}/contract.yaml")
    assert text is not None
    return text.decode()


def test_a_soft_deleted_subject_leaves_the_lists_and_keeps_its_ids(
    client: TestClient, example_store: Store, allowed_signers: Path
) -> None:
    head = example_store.head()
    response = client.delete(PREFIX + "/subjects/ritual.started", headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.json() == [1]
    assert "deleted: true" in contract_yaml(example_store, "ritual.started")
    commit = example_store.head()
    assert commit != head
    assert verify_with_git(example_store, allowed_signers, "commit", "main").returncode == 0
    assert "ritual.started" not in get(client, "/subjects")  # type: ignore[operator]
    assert "ritual.started" in get(client, "/subjects", deleted="true")  # type: ignore[operator]
    assert get(client, "/subjects", deletedOnly="true") == ["ritual.started"]
    assert get(client, "/subjects/ritual.started/versions", 404)["error_code"] == 40401  # type: ignore[index]
    assert get(client, "/subjects/ritual.started/versions", deleted="true") == [1]
    assert get(client, "/subjects/ritual.started/versions/latest", 404)["error_code"] == 40401  # type: ignore[index]
    assert get(client, "/subjects/ritual.started/versions/1", deleted="true")["id"] == 3  # type: ignore[index]
    assert get(client, "/schemas/ids/3")["schemaType"] == "JSON"  # type: ignore[index]
    assert [s["subject"] for s in get(client, "/schemas")] == ["approval.granted", "graph.commit.created"]  # type: ignore[index, union-attr]


def test_registering_a_deleted_schema_again_restores_it(client: TestClient, example_store: Store) -> None:
    assert client.delete(PREFIX + "/subjects/ritual.started", headers=ADMIN).status_code == 200
    body = proposal(stored_schema(example_store, "ritual.started"))
    response = client.post(PREFIX + "/subjects/ritual.started/versions", headers=ADMIN, json=body)
    assert response.status_code == 200, response.text
    assert response.json()["id"] == 3
    assert "deleted" not in contract_yaml(example_store, "ritual.started")
    assert get(client, "/subjects/ritual.started/versions") == [1]


def test_a_version_can_be_soft_deleted_alone(client: TestClient, example_store: Store) -> None:
    body = proposal(with_note(stored_schema(example_store, "ritual.started")))
    assert (
        client.post(PREFIX + "/subjects/ritual.started/versions", headers=ADMIN, json=body).status_code == 200
    )
    response = client.delete(PREFIX + "/subjects/ritual.started/versions/2", headers=ADMIN)
    assert response.status_code == 200, response.text
    assert response.json() == 2
    assert "- 1.1.0" in contract_yaml(example_store, "ritual.started")
    assert get(client, "/subjects/ritual.started/versions") == [1]
    assert get(client, "/subjects/ritual.started/versions", deleted="true") == [1, 2]
    assert get(client, "/subjects/ritual.started/versions", deletedOnly="true") == [2]
    assert get(client, "/subjects/ritual.started/versions/latest")["version"] == 1  # type: ignore[index]
    assert get(client, "/subjects/ritual.started/versions/2", 404)["error_code"] == 40402  # type: ignore[index]
    looked = client.post(PREFIX + "/subjects/ritual.started", headers=H, json=body)
    assert looked.status_code == 404
    looked = client.post(PREFIX + "/subjects/ritual.started?deleted=true", headers=H, json=body)
    assert looked.json()["version"] == 2


def test_permanent_deletes_and_non_admins_are_refused(client: TestClient, example_store: Store) -> None:
    head = example_store.head()
    for path in ("/subjects/ritual.started", "/subjects/ritual.started/versions/1"):
        response = client.delete(PREFIX + path + "?permanent=true", headers=ADMIN)
        assert response.status_code == 422
        assert response.json()["error_code"] == 42205
        assert "audit trail" in response.json()["message"]
        response = client.delete(PREFIX + path, headers=EDITOR)
        assert (response.status_code, response.json()["error_code"]) == (403, 40301)
    missing = client.delete(PREFIX + "/subjects/no.such", headers=ADMIN)
    assert (missing.status_code, missing.json()["error_code"]) == (404, 40401)
    assert example_store.head() == head


def test_a_deleted_list_in_contract_yaml_must_name_versions() -> None:
    from registry.validate.contract import validate_contract_meta

    ok = {"name": "a.b", "version": "1.0.0"}
    assert validate_contract_meta({**ok, "deleted": True}) == []
    assert validate_contract_meta({**ok, "deleted": ["1.0.0"]}) == []
    problems = validate_contract_meta({**ok, "deleted": [1]})
    assert problems and "list of version strings" in problems[0].message
    assert validate_contract_meta({**ok, "deleted": "yes"})
    assert json.dumps(validate_contract_meta({**ok, "deleted": ["1.0.0", "1.0.0"]})[0].message)
