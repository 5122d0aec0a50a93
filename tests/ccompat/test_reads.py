"""Reading contracts through the Confluent-compatible API: every read endpoint and its errors."""

from __future__ import annotations

import json

import pytest
from ccompat.conftest import MEDIA_TYPE, PREFIX, READ, bearer, proposal, stored_schema, with_note
from starlette.testclient import TestClient

from registry.git.store import Store
from registry.index.live import LiveIndex
from registry.write.publish import ContractInput, Writer, publish_contract

H = bearer(READ)


def get(client: TestClient, path: str, **kwargs: object) -> object:
    response = client.get(PREFIX + path, headers=H, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    return response.json()


def refused(client: TestClient, method: str, path: str, status: int, code: int, **kwargs: object) -> str:
    kwargs.setdefault("headers", H)
    response = client.request(method, PREFIX + path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    body = response.json()
    assert set(body) == {"error_code", "message"}
    assert body["error_code"] == code
    return str(body["message"])


def test_subjects_are_the_contract_names(client: TestClient) -> None:
    assert get(client, "/subjects") == ["approval.granted", "graph.commit.created", "ritual.started"]
    assert get(client, "/subjects", params={"subjectPrefix": "ritual."}) == ["ritual.started"]
    assert get(client, "/subjects", params={"offset": 1, "limit": 1}) == ["graph.commit.created"]
    assert get(client, "/subjects", params={"deletedOnly": "true"}) == []


def test_a_subject_lists_its_versions_from_one(client: TestClient) -> None:
    assert get(client, "/subjects/ritual.started/versions") == [1]
    refused(client, "GET", "/subjects/no.such/versions", 404, 40401)


@pytest.mark.parametrize("version", ["1", "latest", "-1"])
def test_a_version_carries_id_schema_type_and_semver_metadata(
    client: TestClient, example_store: Store, version: str
) -> None:
    body = get(client, f"/subjects/ritual.started/versions/{version}")
    text = example_store.snapshot(example_store.head()).read("contracts/ritual.started/schema.json")
    assert body == {
        "subject": "ritual.started",
        "version": 1,
        "id": 3,
        "schemaType": "JSON",
        "schema": text.decode() if text else None,
        "metadata": {"properties": {"version": "1.0.0", "major": "1"}},
    }


def test_the_schema_alone_is_the_stored_file(client: TestClient, example_store: Store) -> None:
    text = example_store.snapshot(example_store.head()).read("contracts/ritual.started/schema.json")
    for path in ("/subjects/ritual.started/versions/1/schema", "/schemas/ids/3/schema"):
        response = client.get(PREFIX + path, headers=H)
        assert response.status_code == 200
        assert response.content == text


@pytest.mark.parametrize(
    ("version", "status", "code"), [("2", 404, 40402), ("0", 422, 42202), ("x", 422, 42202)]
)
def test_a_missing_or_malformed_version_is_refused(
    client: TestClient, version: str, status: int, code: int
) -> None:
    refused(client, "GET", f"/subjects/ritual.started/versions/{version}", status, code)
    refused(client, "GET", f"/subjects/no.such/versions/{version}", 404, 40401)


def test_schema_ids_name_one_version_of_one_subject(client: TestClient) -> None:
    assert get(client, "/schemas/ids/1")["schemaType"] == "JSON"  # type: ignore[index]
    assert get(client, "/schemas/ids/1/subjects") == ["approval.granted"]
    assert get(client, "/schemas/ids/3/versions") == [{"subject": "ritual.started", "version": 1}]
    assert get(client, "/schemas/ids/3", params={"subject": "ritual.started"})["metadata"] == {  # type: ignore[index]
        "properties": {"version": "1.0.0", "major": "1"}
    }
    for missing in ("4", "0", "-1", "x"):
        refused(client, "GET", f"/schemas/ids/{missing}", 404, 40403)
        refused(client, "GET", f"/schemas/ids/{missing}/subjects", 404, 40403)


def test_only_json_schemas_are_served(client: TestClient) -> None:
    assert get(client, "/schemas/types") == ["JSON"]
    # Without schemaType, Confluent reads Avro: refused by name, not by a metaschema error.
    for body, kind in (
        ({"schema": '{"type": "record"}'}, "AVRO"),
        ({"schema": "{}", "schemaType": "PROTOBUF"}, "PROTOBUF"),
    ):
        message = refused(client, "POST", "/subjects/ritual.started", 422, 42201, json=body)
        assert message.startswith(f"Only JSON Schema is served (schemaType {kind})"), message


def test_the_whole_read_surface_answers(client: TestClient) -> None:
    assert get(client, "/contexts") == ["."]
    every = get(client, "/schemas")
    assert [(s["id"], s["subject"], s["version"]) for s in every] == [  # type: ignore[index, union-attr]
        (1, "approval.granted", 1),
        (2, "graph.commit.created", 1),
        (3, "ritual.started", 1),
    ]
    assert [s["id"] for s in get(client, "/schemas", params={"subjectPrefix": "ritual"})] == [3]  # type: ignore[index, union-attr]
    assert [s["id"] for s in get(client, "/schemas", params={"offset": 1, "limit": 1})] == [2]  # type: ignore[index, union-attr]
    assert len(get(client, "/schemas", params={"latestOnly": "true", "deleted": "true"})) == 3  # type: ignore[arg-type]
    assert json.loads(client.get(PREFIX + "/subjects/ritual.started/versions/1/schema", headers=H).text)[
        "title"
    ]
    assert get(client, "/config/ritual.started", params={"defaultToGlobal": "true"}) == {
        "compatibilityLevel": "FULL"
    }
    found = client.post(
        PREFIX + "/subjects/approval.granted?normalize=true&deleted=true",
        headers=H,
        json=proposal(client.get(PREFIX + "/schemas/ids/1/schema", headers=H).text),
    )
    assert (found.status_code, found.json()["id"]) == (200, 1)


def test_lookup_finds_the_same_json_value_however_it_is_written(
    client: TestClient, example_store: Store
) -> None:
    schema = stored_schema(example_store, "ritual.started")
    reordered = json.dumps(dict(reversed(list(schema.items()))), indent=4)
    response = client.post(PREFIX + "/subjects/ritual.started", headers=H, json=proposal(reordered))
    assert response.status_code == 200, response.text
    assert (response.json()["id"], response.json()["version"]) == (3, 1)
    schema["title"] = "something else"
    refused(client, "POST", "/subjects/ritual.started", 404, 40403, json=proposal(schema))
    refused(client, "POST", "/subjects/no.such", 404, 40401, json=proposal(schema))


def test_the_vendor_media_type_is_accepted(client: TestClient, example_store: Store) -> None:
    body = json.dumps(proposal(stored_schema(example_store, "ritual.started")))
    headers = {**H, "Content-Type": MEDIA_TYPE, "Accept": MEDIA_TYPE}
    response = client.post(PREFIX + "/subjects/ritual.started", headers=headers, content=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == MEDIA_TYPE


@pytest.mark.parametrize(
    "body",
    [
        {"schema": "{not json"},
        {"schema": json.dumps({"type": 5})},
        {"schema": "{}", "schemaType": "AVRO"},
        {"schema": "{}", "schemaType": "JSON", "references": [{"name": "x", "subject": ""}]},
        {"schemaType": "JSON"},
        ["not", "an", "object"],
    ],
    ids=["not-json", "not-a-json-schema", "avro", "references", "no-schema", "not-an-object"],
)
def test_an_invalid_schema_is_42201(client: TestClient, body: object) -> None:
    refused(client, "POST", "/subjects/ritual.started", 422, 42201, json=body)
    refused(client, "POST", "/compatibility/subjects/ritual.started/versions/latest", 422, 42201, json=body)


def test_a_body_that_is_not_json_is_400(client: TestClient) -> None:
    headers = {**H, "Content-Type": MEDIA_TYPE}
    refused(client, "POST", "/subjects/ritual.started", 400, 400, content=b"{", headers=headers)


def test_config_is_the_mode_git_sets(client: TestClient) -> None:
    assert get(client, "/config") == {"compatibilityLevel": "BACKWARD"}  # registry.yaml
    assert get(client, "/config/ritual.started") == {"compatibilityLevel": "FULL"}  # its contract.yaml
    assert get(client, "/config/graph.commit.created") == {"compatibilityLevel": "BACKWARD_TRANSITIVE"}
    # A subject not yet registered gets what registry.yaml gives a new contract.
    assert get(client, "/config/not.yet.registered") == {"compatibilityLevel": "BACKWARD"}


def test_what_git_decides_cannot_be_changed_over_this_api(client: TestClient) -> None:
    from ccompat.conftest import WRITE

    w = bearer(READ, WRITE)
    message = refused(
        client, "PUT", "/config/ritual.started", 422, 42205, headers=w, json={"compatibility": "NONE"}
    )
    assert "contract.yaml" in message
    refused(client, "PUT", "/config", 422, 42205, headers=w, json={"compatibility": "NONE"})
    refused(client, "PUT", "/mode", 422, 42205, headers=w, json={"mode": "READONLY"})
    # Deleting needs the admin role (tests/ccompat/test_delete.py has the rest).
    refused(client, "DELETE", "/subjects/ritual.started", 403, 40301, headers=w)


def test_mode_says_whether_this_server_can_write(client: TestClient, read_only_client: TestClient) -> None:
    assert get(client, "/mode") == {"mode": "READWRITE"}
    assert get(client, "/mode/ritual.started") == {"mode": "READWRITE"}
    assert get(read_only_client, "/mode") == {"mode": "READONLY"}


def test_latest_with_metadata_pins_a_release_line(client: TestClient) -> None:
    body = get(client, "/subjects/ritual.started/metadata", params={"key": "major", "value": "1"})
    assert body["metadata"]["properties"]["version"] == "1.0.0"  # type: ignore[index]
    refused(client, "GET", "/subjects/ritual.started/metadata?key=major&value=2", 404, 40402)


def test_unknown_paths_and_methods_answer_in_confluent_shape(client: TestClient) -> None:
    assert refused(client, "GET", "/nothing/here", 404, 404) == "HTTP 404 Not Found"
    refused(client, "PATCH", "/subjects", 405, 405)


def test_the_other_apis_keep_their_own_shapes(client: TestClient) -> None:
    assert client.get("/healthz").text == "OK"
    response = client.get("/registry/contracts/no.such", headers=H)
    assert response.status_code == 404
    assert not response.headers["content-type"].startswith(MEDIA_TYPE)


def test_latest_is_the_highest_semver_version_not_the_last_published(
    client: TestClient, example_store: Store, index: LiveIndex, writer: Writer
) -> None:
    ritual = stored_schema(example_store, "ritual.started")
    breaking = {**ritual, "required": [*ritual["required"], "tenant"]}
    for version, schema in (("2.0.0", breaking), ("1.1.0", with_note(ritual))):
        publish_contract(
            example_store,
            ContractInput("ritual.started", version, json.dumps(schema)),
            writer=writer,
            door="cli",
        )
    index.refresh()
    assert get(client, "/subjects/ritual.started/versions") == [1, 2, 3]
    latest = get(client, "/subjects/ritual.started/versions/latest")
    assert (latest["version"], latest["metadata"]["properties"]["version"]) == (2, "2.0.0")  # type: ignore[index]
    assert get(client, "/subjects/ritual.started/versions/3")["metadata"]["properties"]["version"] == "1.1.0"  # type: ignore[index]


def test_the_root_and_references_answer_empty(client: TestClient) -> None:
    assert get(client, "/") == {}
    assert (
        get(client, "/subjects/ritual.started/versions/1/referencedby") == []
    )  # contracts have no referrers here
    refused(client, "GET", "/subjects/ritual.started/versions/2/referencedby", 404, 40402)
