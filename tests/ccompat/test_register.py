"""Registering through the Confluent-compatible API: a gated, signed publish of the smallest version."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from ccompat.conftest import (
    PREFIX,
    READ,
    WRITE,
    bearer,
    proposal,
    stored_schema,
    with_integer_ritual_id,
    with_note,
    without_required_run_id,
)
from starlette.testclient import TestClient
from support import verify_with_git

from registry.errors import BreakingChange
from registry.git.store import Store
from registry.write.publish import ContractInput, Writer, publish_contract

H = bearer(READ, WRITE)
REGISTER = PREFIX + "/subjects/{}/versions"


def contract_yaml(store: Store) -> dict[str, object]:
    text = store.snapshot(store.head()).read("contracts/ritual.started/contract.yaml")
    assert text is not None
    return yaml.safe_load(text)


def test_a_compatible_schema_becomes_the_next_minor_version_signed_and_tagged(
    client: TestClient, example_store: Store, allowed_signers: Path
) -> None:
    schema = with_note(stored_schema(example_store, "ritual.started"))
    response = client.post(REGISTER.format("ritual.started"), headers=H, json=proposal(schema))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["version"]) == (4, 2)
    assert body["metadata"] == {"properties": {"version": "1.1.0", "major": "1"}}
    tag = "contracts/ritual.started/1.1.0"
    assert verify_with_git(example_store, allowed_signers, "tag", tag).returncode == 0
    assert verify_with_git(example_store, allowed_signers, "commit", "main").returncode == 0
    meta = contract_yaml(example_store)
    # The rest of the contract stays as it was: description, mode, WIT and descriptor.
    assert meta == {
        "name": "ritual.started",
        "version": "1.1.0",
        "description": "A ritual run has started.",
        "compatibility": "FULL",
        "policy": "lenient",
        "wit": "ritual.wit",
        "descriptor": "descriptor.json",
    }
    assert stored_schema(example_store, "ritual.started") == schema
    # Read-your-write: the new version is served at once.
    assert client.get(PREFIX + "/schemas/ids/4/versions", headers=H).json() == [
        {"subject": "ritual.started", "version": 2}
    ]


def test_the_commit_credits_the_caller(client: TestClient, example_store: Store) -> None:
    schema = with_note(stored_schema(example_store, "ritual.started"))
    client.post(REGISTER.format("ritual.started"), headers=H, json=proposal(schema))
    commit = example_store.repo[example_store.head()]
    assert commit.author.name == "kafka-app"
    assert "publish contract ritual.started 1.1.0" in commit.message


def test_an_annotation_change_is_a_patch(client: TestClient, example_store: Store) -> None:
    schema = stored_schema(example_store, "ritual.started")
    schema["description"] = "Emitted once, when a ritual run starts."
    response = client.post(REGISTER.format("ritual.started"), headers=H, json=proposal(schema))
    assert response.json()["metadata"]["properties"]["version"] == "1.0.1"


def test_a_published_schema_answers_its_id_and_writes_nothing(
    client: TestClient, example_store: Store
) -> None:
    head = example_store.head()
    text = json.dumps(stored_schema(example_store, "ritual.started"))  # other whitespace, same value
    response = client.post(REGISTER.format("ritual.started"), headers=H, json=proposal(text))
    assert (response.status_code, response.json()["id"], response.json()["version"]) == (200, 3, 1)
    assert example_store.head() == head


@pytest.mark.parametrize("change", [with_integer_ritual_id, without_required_run_id])
def test_an_incompatible_schema_is_409_and_the_gate_agrees(
    client: TestClient, example_store: Store, writer: Writer, change: object
) -> None:
    schema = change(stored_schema(example_store, "ritual.started"))  # type: ignore[operator]
    head = example_store.head()
    check = client.post(
        PREFIX + "/compatibility/subjects/ritual.started/versions/latest?verbose=true",
        headers=H,
        json=proposal(schema),
    )
    assert check.json()["is_compatible"] is False
    assert check.json()["messages"]
    response = client.post(REGISTER.format("ritual.started"), headers=H, json=proposal(schema))
    assert response.status_code == 409
    assert response.json()["error_code"] == 409
    assert check.json()["messages"][0].split(" [")[0] in response.json()["message"]
    assert example_store.head() == head
    # The gate refuses the same schema as the version the door would have to publish.
    with pytest.raises(BreakingChange):
        publish_contract(
            example_store,
            ContractInput("ritual.started", "1.1.0", json.dumps(schema)),
            writer=writer,
            door="cli",
        )


def test_compatibility_against_one_version_and_against_all(client: TestClient, example_store: Store) -> None:
    good = proposal(with_note(stored_schema(example_store, "ritual.started")))
    for path in ("/versions/1", "/versions/latest", "/versions"):
        response = client.post(PREFIX + "/compatibility/subjects/ritual.started" + path, headers=H, json=good)
        assert response.json() == {"is_compatible": True}, path
    verbose = client.post(
        PREFIX + "/compatibility/subjects/ritual.started/versions?verbose=True", headers=H, json=good
    )
    assert verbose.json() == {"is_compatible": True, "messages": []}
    missing = client.post(PREFIX + "/compatibility/subjects/ritual.started/versions/9", headers=H, json=good)
    assert (missing.status_code, missing.json()["error_code"]) == (404, 40402)
    unknown = client.post(PREFIX + "/compatibility/subjects/no.such/versions/latest", headers=H, json=good)
    assert (unknown.status_code, unknown.json()["error_code"]) == (404, 40401)
    fresh = client.post(PREFIX + "/compatibility/subjects/no.such/versions", headers=H, json=good)
    assert fresh.json() == {"is_compatible": True}  # nothing to break yet


def test_a_new_subject_is_a_new_contract_at_1_0_0(client: TestClient, example_store: Store) -> None:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ritual.finished",
        "type": "object",
    }
    response = client.post(REGISTER.format("ritual.finished"), headers=H, json=proposal(schema))
    assert response.status_code == 200, response.text
    assert (response.json()["id"], response.json()["version"]) == (4, 1)
    assert response.json()["metadata"]["properties"]["version"] == "1.0.0"
    assert "ritual.finished" in client.get(PREFIX + "/subjects", headers=H).json()


def test_a_subject_that_cannot_be_a_contract_name_is_42208(client: TestClient) -> None:
    response = client.post(REGISTER.format("Not A Name"), headers=H, json=proposal({"type": "object"}))
    assert (response.status_code, response.json()["error_code"]) == (422, 42208)


def test_an_invalid_schema_is_not_published(client: TestClient, example_store: Store) -> None:
    head = example_store.head()
    response = client.post(REGISTER.format("ritual.started"), headers=H, json=proposal({"type": "strin"}))
    assert (response.status_code, response.json()["error_code"]) == (422, 42201)
    assert example_store.head() == head


def test_ids_cannot_be_chosen(client: TestClient, example_store: Store) -> None:
    schema = with_note(stored_schema(example_store, "ritual.started"))
    response = client.post(REGISTER.format("ritual.started"), headers=H, json=proposal(schema, id=100))
    assert (response.status_code, response.json()["error_code"]) == (422, 42205)


def test_a_read_only_server_refuses_new_schemas_with_42205(
    read_only_client: TestClient, example_store: Store
) -> None:
    schema = stored_schema(example_store, "ritual.started")
    known = read_only_client.post(REGISTER.format("ritual.started"), headers=H, json=proposal(schema))
    assert known.json()["id"] == 3  # nothing to write: the published schema's id
    new = read_only_client.post(
        REGISTER.format("ritual.started"), headers=H, json=proposal(with_note(schema))
    )
    assert (new.status_code, new.json()["error_code"]) == (422, 42205)
    assert "read-only" in new.json()["message"]


def test_a_version_published_meanwhile_is_planned_around(
    client: TestClient, example_store: Store, writer: Writer
) -> None:
    """Another door publishes 1.1.0 unseen by the index; the registration lands as 1.2.0 on top of it."""
    base = stored_schema(example_store, "ritual.started")
    other = with_note(base)
    publish_contract(
        example_store, ContractInput("ritual.started", "1.1.0", json.dumps(other)), writer=writer, door="cli"
    )
    mine = copy.deepcopy(other)
    mine["properties"]["source"] = {"type": "string"}  # one more optional property: a minor bump
    response = client.post(REGISTER.format("ritual.started"), headers=H, json=proposal(mine))
    assert response.status_code == 200, response.text
    assert response.json()["metadata"]["properties"]["version"] == "1.2.0"
    assert response.json()["version"] == 3


def test_a_malformed_rule_set_is_refused_not_dropped(client: TestClient, example_store: Store) -> None:
    head = example_store.head()
    schema = with_note(stored_schema(example_store, "ritual.started"))
    body = proposal(schema, ruleSet={"properties": {"owner": "ada"}})
    response = client.post(REGISTER.format("ritual.started"), headers=H, json=body)
    assert (response.status_code, response.json()["error_code"]) == (422, 42201)
    assert "unknown field 'properties'" in response.json()["message"]
    assert example_store.head() == head
