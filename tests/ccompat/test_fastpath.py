"""The door's fast path answers exactly as its routes do: bodies, refusals, soft deletes."""

from __future__ import annotations

from ccompat.conftest import PREFIX, READ, SECRET, WRITE, bearer, proposal, stored_schema, with_note
from starlette.testclient import TestClient

from registry.api.ccompat.fastpath import CcompatFastPath
from registry.auth.tokens import mint
from registry.git.store import Store

H = bearer(READ)
ADMIN = {"Authorization": f"Bearer {mint(SECRET, sub='ops', scopes=[READ, WRITE], roles=['admin'])}"}


def test_the_fast_path_is_in_front_of_the_app(client: TestClient) -> None:
    stack, app = [], client.app.middleware_stack  # type: ignore[attr-defined]
    while app is not None:
        stack.append(type(app))
        app = getattr(app, "app", None)
    assert CcompatFastPath in stack


def test_fast_answers_are_the_routes_answers(client: TestClient) -> None:
    for fast, routed in (
        ("/schemas/ids/3", "/schemas/ids/3?subject=ritual.started"),
        (
            "/subjects/ritual.started/versions/1?deleted=false",
            "/subjects/ritual.started/versions/1?deleted=true",
        ),
        ("/schemas/ids/99", "/schemas/ids/99?format=x"),
        ("/subjects/ritual.started/versions/7", "/subjects/ritual.started/versions/7?deleted=true"),
        ("/subjects/no.such/versions/1", "/subjects/no.such/versions/1?deleted=True"),
    ):
        a, b = client.get(PREFIX + fast, headers=H), client.get(PREFIX + routed, headers=H)
        assert (a.status_code, a.content, a.headers["content-type"]) == (
            b.status_code,
            b.content,
            b.headers["content-type"],
        ), fast
    assert client.get(PREFIX + "/schemas/ids/99", headers=H).json()["error_code"] == 40403


def test_the_fast_path_refuses_callers_in_the_doors_words(client: TestClient) -> None:
    missing = client.get(PREFIX + "/schemas/ids/1")
    assert (missing.status_code, missing.json()["error_code"]) == (401, 40101)
    assert missing.headers["www-authenticate"] == "Bearer"
    no_scope = client.get(PREFIX + "/schemas/ids/1", headers=bearer())
    assert (no_scope.status_code, no_scope.json()["error_code"]) == (403, 40301)


def test_a_new_snapshot_is_seen_at_once(client: TestClient, example_store: Store) -> None:
    assert client.get(PREFIX + "/schemas/ids/4", headers=H).status_code == 404
    body = proposal(with_note(stored_schema(example_store, "ritual.started")))
    assert (
        client.post(PREFIX + "/subjects/ritual.started/versions", headers=ADMIN, json=body).status_code == 200
    )
    assert client.get(PREFIX + "/schemas/ids/4", headers=H).status_code == 200
    assert client.get(PREFIX + "/subjects/ritual.started/versions/2", headers=H).json()["id"] == 4
    assert client.delete(PREFIX + "/subjects/ritual.started/versions/2", headers=ADMIN).status_code == 200
    gone = client.get(PREFIX + "/subjects/ritual.started/versions/2", headers=H)
    assert (gone.status_code, gone.json()["error_code"]) == (404, 40402)
    assert client.get(PREFIX + "/schemas/ids/4", headers=H).status_code == 200  # ids keep resolving
