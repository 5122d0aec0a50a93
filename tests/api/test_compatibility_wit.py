"""``POST /registry/contracts/{name}/compatibility`` judges a proposed WIT interface too."""

from __future__ import annotations

import json

from api.helpers import bearer
from starlette.testclient import TestClient

from registry.git.store import Store

URL = "/registry/contracts/ritual.started/compatibility"
STARTED = "  started: func(event: ritual-started) -> result<_, string>;\n"


def published(store: Store, name: str) -> str:
    return (store.snapshot(store.head()).read(f"contracts/ritual.started/{name}") or b"").decode()


def test_a_removed_wit_function_is_a_break_naming_it(client: TestClient, example_store: Store) -> None:
    schema = json.loads(published(example_store, "schema.json"))
    wit = published(example_store, "ritual.wit").replace(STARTED, "")
    r = client.post(URL, json={"jsonSchema": schema, "wit": wit, "version": "1.1.0"}, headers=bearer())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["compatible"] is False and body["suggestedVersion"] == "2.0.0"
    [change] = body["breaking"]
    assert change["message"] == "WIT function 'events.started' removed"
    assert change["kind"] == "wit_function_removed" and change["importers"] is False
    assert "calling `events.started(" in change["witnessText"]


def test_only_a_comment_needs_a_patch(client: TestClient, example_store: Store) -> None:
    schema = json.loads(published(example_store, "schema.json"))
    wit = published(example_store, "ritual.wit").replace(STARTED, "  // once per run\n" + STARTED)
    r = client.post(URL, json={"jsonSchema": schema, "wit": wit}, headers=bearer())
    assert r.json()["compatible"] is True and r.json()["suggestedVersion"] == "1.0.1"


def test_wit_that_does_not_parse_is_refused_like_the_gate_refuses_it(
    client: TestClient, example_store: Store
) -> None:
    schema = json.loads(published(example_store, "schema.json"))
    wit = published(example_store, "ritual.wit").replace("u64", "u64z")
    r = client.post(URL, json={"jsonSchema": schema, "wit": wit}, headers=bearer())
    assert r.status_code == 400 and "u64z" in r.text
