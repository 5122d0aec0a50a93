"""Metadata and rule sets on the Confluent-compatible door and the contracts API: returned where
Confluent returns them, and stored in contract.yaml (through the gate) when a registration sends them."""

from __future__ import annotations

import json

import yaml
from ccompat.conftest import PREFIX, READ, WRITE, bearer, proposal
from starlette.testclient import TestClient

from registry.git.store import Store

H = bearer(READ, WRITE)
SCHEMA = {"type": "object", "properties": {"greet": {"type": "string"}}, "required": ["greet"]}
RULE = {
    "name": "greetShort",
    "kind": "CONDITION",
    "mode": "WRITE",
    "type": "CEL",
    "expr": "size(message.greet) <= 64",
    "doc": None,
    "tags": [],
    "params": {},
    "onSuccess": None,
    "onFailure": "ERROR",
    "disabled": False,
}
METADATA = {"properties": {"owner": "team-greet"}, "tags": {"$.greet": ["PII"]}, "sensitive": ["greet"]}


def register(client: TestClient, subject: str, **extra: object):
    return client.post(f"{PREFIX}/subjects/{subject}/versions", json=proposal(SCHEMA, **extra), headers=H)


def test_a_registration_stores_metadata_and_rules_in_contract_yaml(
    client: TestClient, example_store: Store
) -> None:
    out = register(client, "greeting", metadata=METADATA, ruleSet={"domainRules": [RULE]})
    assert out.status_code == 200, out.text
    text = example_store.snapshot(example_store.head()).read("contracts/greeting/contract.yaml")
    stored = yaml.safe_load(text)
    # Client nulls and empty lists are dropped: contract.yaml holds what was said.
    assert stored["rules"] == {
        "domainRules": [{k: v for k, v in RULE.items() if v not in (None, [], {})} | {"disabled": False}]
    }
    assert stored["metadata"] == METADATA
    version = client.get(f"{PREFIX}/subjects/greeting/versions/latest", headers=H).json()
    assert version["ruleSet"]["domainRules"][0]["expr"] == "size(message.greet) <= 64"
    assert version["metadata"]["properties"] == {"owner": "team-greet", "version": "1.0.0", "major": "1"}
    assert version["metadata"]["tags"] == {"$.greet": ["PII"]}
    by_id = client.get(f"{PREFIX}/schemas/ids/{out.json()['id']}", headers=H).json()
    assert by_id["ruleSet"] == version["ruleSet"]
    bundle = client.get("/registry/contracts/greeting/1.0.0", headers=H).json()
    assert bundle["rules"]["domainRules"][0]["name"] == "greetShort"
    assert bundle["metadata"] == METADATA


def test_registering_the_same_schema_and_rules_again_finds_the_version(client: TestClient) -> None:
    first = register(client, "greeting", ruleSet={"domainRules": [RULE]})
    again = register(client, "greeting", ruleSet={"domainRules": [RULE]})
    assert first.status_code == again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_a_bad_rule_in_a_registration_is_refused_naming_it(client: TestClient, example_store: Store) -> None:
    head = example_store.head()
    bad = {**RULE, "expr": "size(message.greet) <="}
    out = register(client, "greeting", ruleSet={"domainRules": [bad]})
    assert out.status_code == 422
    body = out.json()
    assert body["error_code"] == 42201
    assert "rule 'greetShort': CEL syntax error" in body["message"]
    assert "$.ruleSet.domainRules[0].expr" in body["message"]
    assert example_store.head() == head


def test_versions_without_rules_keep_the_old_shapes(client: TestClient) -> None:
    bundle = client.get("/registry/contracts/ritual.started/1.0.0", headers=H).json()
    assert "rules" not in bundle and "metadata" not in bundle
    version = client.get(f"{PREFIX}/subjects/ritual.started/versions/latest", headers=H).json()
    assert "ruleSet" not in version
    assert json.loads(version["schema"])["title"] == "ritual.started"
