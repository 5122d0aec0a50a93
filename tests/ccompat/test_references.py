"""Schema references both ways: registered with ``references``, stored as git refs, served back."""

from __future__ import annotations

import json

from ccompat.conftest import PREFIX, READ, SECRET, WRITE, proposal
from starlette.testclient import TestClient

from registry.auth.tokens import mint
from registry.git.store import Store
from registry.write.publish import ContractInput, Writer, publish_contract

H = {"Authorization": f"Bearer {mint(SECRET, sub='ops', scopes=[READ, WRITE], roles=['admin'])}"}
ADDRESS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "address",
    "type": "object",
    "properties": {"street": {"$ref": "#/$defs/street"}},
    "$defs": {"street": {"type": "string", "maxLength": 200}},
}
CUSTOMER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "customer",
    "type": "object",
    "properties": {"home": {"$ref": "address.json"}, "street": {"$ref": "address.json#/$defs/street"}},
}
REFS = [{"name": "address.json", "subject": "address", "version": 1}]


def register(client: TestClient, subject: str, schema: object, **extra: object) -> dict[str, object]:
    response = client.post(f"{PREFIX}/subjects/{subject}/versions", headers=H, json=proposal(schema, **extra))  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_registration_with_references_refers_in_git_and_is_served_with_them(
    client: TestClient, example_store: Store
) -> None:
    address = register(client, "address", ADDRESS)
    customer = register(client, "customer", CUSTOMER, references=REFS)
    stored = json.loads(example_store.snapshot(example_store.head()).read("contracts/customer/schema.json"))
    assert stored["properties"] == {
        "home": {"$ref": "../address/schema.json"},
        "street": {"$ref": "../address/schema.json#/$defs/street"},
    }
    served = [{"name": "../address/schema.json", "subject": "address", "version": 1}]
    assert customer["references"] == served
    by_id = client.get(f"{PREFIX}/schemas/ids/{customer['id']}", headers=H).json()
    assert by_id["references"] == served
    assert client.get(f"{PREFIX}/subjects/address/versions/1/referencedby", headers=H).json() == [
        customer["id"]
    ]
    assert "references" not in client.get(f"{PREFIX}/schemas/ids/{address['id']}", headers=H).json()
    # Registering the same again finds it; so does a lookup.
    assert register(client, "customer", CUSTOMER, references=REFS)["id"] == customer["id"]
    found = client.post(f"{PREFIX}/subjects/customer", headers=H, json=proposal(CUSTOMER, references=REFS))
    assert found.json()["id"] == customer["id"]
    # A referenced version stays: deleting it is refused, naming the referrers.
    refused = client.delete(f"{PREFIX}/subjects/address", headers=H)
    assert (refused.status_code, refused.json()["error_code"]) == (422, 42206), refused.text
    assert str(customer["id"]) in refused.json()["message"]


def test_a_reference_must_name_the_latest_version_of_a_known_subject(client: TestClient) -> None:
    register(client, "address", ADDRESS)
    wider = {**ADDRESS, "properties": {**ADDRESS["properties"], "city": {"type": "string"}}}  # type: ignore[dict-item]
    register(client, "address", wider)
    old = client.post(
        f"{PREFIX}/subjects/customer/versions", headers=H, json=proposal(CUSTOMER, references=REFS)
    )
    assert (old.status_code, old.json()["error_code"]) == (422, 42201)
    assert "latest version (2)" in old.json()["message"]
    missing = [{"name": "x.json", "subject": "no.such", "version": 1}]
    unknown = client.post(
        f"{PREFIX}/subjects/customer/versions", headers=H, json=proposal(CUSTOMER, references=missing)
    )
    assert (unknown.status_code, unknown.json()["error_code"]) == (404, 40401)
    bad = client.post(
        f"{PREFIX}/subjects/customer/versions", headers=H, json=proposal(CUSTOMER, references=["x"])
    )
    assert (bad.status_code, bad.json()["error_code"]) == (422, 42201)


def test_the_doors_compatibility_follows_references_as_the_gate_does(
    client: TestClient, example_store: Store, writer: Writer
) -> None:
    register(client, "address", ADDRESS)
    register(client, "customer", CUSTOMER, references=REFS)
    narrower = json.loads(json.dumps(ADDRESS))
    narrower["$defs"]["street"]["maxLength"] = 10
    publish_contract(
        example_store, ContractInput("address", "2.0.0", json.dumps(narrower)), writer=writer, door="cli"
    )
    client.app.state.config.index.refresh()  # type: ignore[attr-defined]
    noted = {**CUSTOMER, "properties": {**CUSTOMER["properties"], "note": {"type": "string"}}}  # type: ignore[dict-item]
    latest = [{"name": "address.json", "subject": "address", "version": 2}]
    check = client.post(
        f"{PREFIX}/compatibility/subjects/customer/versions/latest?verbose=true",
        headers=H,
        json=proposal(noted, references=latest),
    )
    assert check.status_code == 200, check.text
    assert check.json()["is_compatible"] is False  # what "home.street" accepts narrowed
    refused = client.post(
        f"{PREFIX}/subjects/customer/versions", headers=H, json=proposal(noted, references=latest)
    )
    assert (refused.status_code, refused.json()["error_code"]) == (409, 409)
