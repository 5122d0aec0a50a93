"""Who may call the Confluent-compatible API: the same JWT as the rest of the API, as Bearer."""

from __future__ import annotations

import pytest
from ccompat.conftest import (
    MEDIA_TYPE,
    PREFIX,
    READ,
    SECRET,
    WRITE,
    bearer,
    proposal,
    stored_schema,
    with_note,
)
from starlette.testclient import TestClient

from registry.auth.tokens import mint
from registry.git.store import Store


def error(response: object) -> tuple[int, int]:
    assert response.headers["content-type"] == MEDIA_TYPE  # type: ignore[attr-defined]
    return response.status_code, response.json()["error_code"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": "Bearer " + mint("another-secret-" + "x" * 40, sub="app", scopes=[READ])},
        {"Authorization": "Bearer " + mint(SECRET, sub="app", scopes=[READ], ttl=60, now=0)},
    ],
    ids=["missing", "basic", "malformed", "wrong-secret", "expired"],
)
def test_no_valid_token_is_40101(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(PREFIX + "/subjects", headers=headers)
    assert error(response) == (401, 40101)
    assert response.headers["www-authenticate"] == "Bearer"


def test_reading_needs_the_read_scope(client: TestClient) -> None:
    assert error(client.get(PREFIX + "/subjects", headers=bearer(WRITE))) == (403, 40301)
    assert error(client.get(PREFIX + "/schemas/ids/1", headers=bearer())) == (403, 40301)
    assert client.get(PREFIX + "/subjects", headers=bearer(READ)).status_code == 200


def test_registering_needs_the_write_scope(client: TestClient, example_store: Store) -> None:
    body = proposal(with_note(stored_schema(example_store, "ritual.started")))
    head = example_store.head()
    response = client.post(PREFIX + "/subjects/ritual.started/versions", headers=bearer(READ), json=body)
    assert error(response) == (403, 40301)
    assert "contracts:write" in response.json()["message"]
    assert example_store.head() == head


def test_headers_a_confluent_client_adds_are_ignored(client: TestClient) -> None:
    headers = {
        **bearer(READ),
        "target-sr-cluster": "lsrc-123",
        "Confluent-Identity-Pool-Id": "pool-1",
        "Confluent-Accept-Unknown-Properties": "true",
        "Confluent-Client-Version": "python/2.16.1",
    }
    assert client.get(PREFIX + "/subjects/ritual.started/versions", headers=headers).json() == [1]
