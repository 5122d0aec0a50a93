"""Garbage in is never a 500: hostile bodies, paths and headers get the family's refusal (or, when
they are in fact valid, such as a recursive schema, an answer)."""

from __future__ import annotations

import pytest
from api.helpers import HELLO, bearer, capsule_headers
from starlette.testclient import TestClient

from registry.gate.published import capsule_id
from registry.git.store import Store

HELLO_ID = capsule_id("acme", "hello-world")
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(20)
)


def deep(n: int) -> str:
    return "[" * n + "]" * n


BODIES: list[tuple[str, str, bytes]] = [
    ("POST", "/registry/contracts", b"{nope"),
    ("POST", "/registry/contracts", b"[]"),
    ("POST", "/registry/contracts", b"null"),
    ("POST", "/registry/contracts", deep(100_000).encode()),
    (
        "POST",
        "/registry/contracts",
        b'{"name": "x", "version": "1.0.0", "jsonSchema": "' + deep(5000).encode() + b'"}',
    ),
    (
        "POST",
        "/registry/contracts",
        b'{"name": "x", "version": "1.0.0", "jsonSchema": '
        b'{"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/a"}}}}',
    ),
    (
        "POST",
        "/registry/contracts",
        b'{"name": "x", "version": "1.0.0", "jsonSchema": {"pattern": "(a+)+$"}}',
    ),
    (
        "POST",
        "/registry/contracts",
        b'{"name": "x", "version": "1.0.0", "jsonSchema": "{\\"a\\": 1e999999}"}',
    ),
    (
        "POST",
        "/registry/contracts",
        '{"name": "\u202ex\u0000", "version": "1.0.0", "jsonSchema": "{}"}'.encode(),
    ),
    ("POST", "/registry/contracts", b'{"name": "x", "version": "1.0.0\\n", "jsonSchema": "{}"}'),
    ("POST", "/registry/contracts/ritual.started/compatibility", b'{"jsonSchema": 5}'),
    ("POST", "/registry/contracts/ritual.started/compatibility", b'{"jsonSchema": "{}", "mode": "SIDEWAYS"}'),
    ("POST", "/registry/contracts/ritual.started/compatibility", b'{"jsonSchema": "{}", "version": "\xff"}'),
    ("POST", "/registry/contracts/..%2F..%2Fetc/compatibility", b'{"jsonSchema": "{}"}'),
    ("POST", "/api/v1/capsules", b'{"yaml": "' + BOMB.replace("\n", "\\n").encode() + b'"}'),
    ("POST", "/api/v1/capsules", b'{"yaml": "' + (b"- " * 10_000) + b'x"}'),
    ("POST", "/api/v1/capsules", b'{"yaml": "!!python/object/apply:os.system [\\"true\\"]"}'),
    ("POST", "/api/v1/capsules", b'{"yaml": "a: b", "document": {"a": 1}}'),
    ("POST", "/api/v1/capsules", b'{"document": {"metadata": {"name": "../../x"}}}'),
    ("POST", "/api/v1/capsules", b'{"yaml": 5}'),
    ("POST", f"/api/v1/capsules/{HELLO_ID}/lint".encode().decode(), b'{"yaml": "\\u0000"}'),
    ("PATCH", f"/api/v1/capsules/{HELLO_ID}", b'{"status": "GONE"}'),
    ("PATCH", f"/api/v1/capsules/{HELLO_ID}", b'{"tags": "notalist"}'),
]


@pytest.mark.parametrize(("method", "path", "body"), BODIES)
def test_hostile_bodies_are_refused_without_a_500(
    client: TestClient, example_store: Store, method: str, path: str, body: bytes
) -> None:
    if path.startswith("/api/v1/capsules/"):
        client.post("/api/v1/capsules", json={"yaml": HELLO}, headers=capsule_headers(role="admin"))
    head = example_store.head()
    headers = {
        **capsule_headers(role="admin"),
        **bearer(roles=("admin",)),
        "Content-Type": "application/json",
    }
    r = client.request(method, path, content=body, headers=headers)
    assert r.status_code < 500, (r.status_code, r.text[:500])
    if r.status_code >= 400:
        assert example_store.head() == head


PATHS = [
    "/registry/contracts/..%2F..%2Fetc%2Fpasswd/1.0.0",
    "/registry/contracts/%2e%2e/%2e%2e",
    "/registry/contracts/ritual.started/..%2F..%2F..",
    "/registry/contracts/ritual.started/%00/schema",
    "/registry/contracts/\u00e9\u00e8\u202e/1.0.0",
    "/registry/contracts/" + "a" * 5000,
    "/registry/contracts/ritual.started/" + "9" * 5000,
    "/api/v1/capsules/..%2F..%2Fregistry.yaml",
    "/api/v1/capsules/%00",
    f"/api/v1/capsules/{HELLO_ID}/versions/-1",
    f"/api/v1/capsules/{HELLO_ID}/versions/1e9",
    f"/api/v1/capsules/{HELLO_ID}/versions/\u0661",
    "/api/v1/capsules?page=-1",
    "/api/v1/capsules?page_size=abc",
    "/api/v1/capsules?page=99999999999999999999999",
    "/api/v1/capsules?q=" + "%FF" * 300,
    "/nowhere/at/all",
]


@pytest.mark.parametrize("path", PATHS)
def test_hostile_paths_are_4xx(client: TestClient, path: str) -> None:
    r = client.get(path, headers={**capsule_headers(), **bearer()})
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer " + "a" * 20_000},
        {"Authorization": "Bearer a.b.c"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."},
        {**capsule_headers(), "X-Tenant-ID": "ACME!"},
        {**capsule_headers(), "X-Tenant-ID": "a" * 500},
        {**capsule_headers(), "If-None-Match": "\x7f" * 100},
    ],
)
def test_hostile_headers_are_4xx_or_ignored(client: TestClient, headers: dict[str, str]) -> None:
    for path in ("/registry/contracts/ritual.started/1.0.0", "/api/v1/capsules"):
        r = client.get(path, headers=headers)
        assert r.status_code < 500, (path, r.status_code, r.text[:300])


def test_a_body_over_the_limit_is_413_in_either_shape(client: TestClient) -> None:
    big = b'{"name": "x", "jsonSchema": "' + b"a" * (11 << 20) + b'"}'
    contracts = client.post(
        "/registry/contracts", content=big, headers={**bearer(), "Content-Type": "application/json"}
    )
    assert contracts.status_code == 413 and contracts.text.startswith("Request body exceeds maximum size")
    capsules = client.post(
        "/api/v1/capsules", content=big, headers={**capsule_headers(), "Content-Type": "application/json"}
    )
    assert capsules.status_code == 413
    assert capsules.headers["content-type"] == "application/problem+json"


def test_a_streamed_body_over_the_limit_is_413(client: TestClient) -> None:
    def chunks():
        for _ in range(12):
            yield b"a" * (1 << 20)

    r = client.post(
        "/registry/contracts", content=chunks(), headers={**bearer(), "Content-Type": "application/json"}
    )
    assert r.status_code == 413


def test_a_write_of_a_mangled_capsule_id_is_404(client: TestClient) -> None:
    r = client.post("/api/v1/capsules/not-an-id/versions", json={"yaml": HELLO}, headers=capsule_headers())
    assert r.status_code == 404
