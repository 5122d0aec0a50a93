"""The capsules API keeps the old Anumate service's shapes: snake_case, problem+json, tenants and roles."""

from __future__ import annotations

import pytest
import yaml
from api.helpers import HELLO, capsule_headers, hello
from starlette.testclient import TestClient

from registry.gate.published import capsule_id
from registry.git.store import Store
from registry.index.live import LiveIndex

API = "/api/v1/capsules"
HELLO_ID = capsule_id("acme", "hello-world")
PUBLISHED_FIELDS = ["capsule_id", "version", "content_hash", "signature", "uri", "created_at"]
CAPSULE_FIELDS = [
    "id", "name", "description", "tags", "owner", "visibility", "status",
    "latest_version", "created_at", "updated_at", "etag",
]  # fmt: skip
PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance", "trace_id"}
INVOICES = capsule_id("acme", "invoice-reminder")  # PRIVATE, owner team-finance
WEEKLY = capsule_id("globex", "weekly-report")


def create(client: TestClient, body: dict[str, object] | None = None, **who: str) -> object:
    return client.post(API, json=body or {"yaml": HELLO}, headers=capsule_headers(**who))


def problem(r: object) -> dict[str, object]:
    assert r.headers["content-type"] == "application/problem+json", r.text  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert set(body) >= PROBLEM_FIELDS
    assert body["status"] == r.status_code  # type: ignore[attr-defined]
    assert body["trace_id"] == r.headers["x-trace-id"]  # type: ignore[attr-defined]
    return body  # type: ignore[no-any-return]


def test_create_answers_201_with_the_old_fields_and_reads_back_at_once(client: TestClient) -> None:
    r = create(client)
    assert r.status_code == 201, r.text
    body = r.json()
    assert list(body) == PUBLISHED_FIELDS
    assert body["capsule_id"] == HELLO_ID and body["version"] == 1
    assert body["uri"] == f"{API}/{HELLO_ID}/versions/1" == r.headers["location"]
    assert len(body["content_hash"]) == 64 and body["signature"]
    got = client.get(f"{API}/{HELLO_ID}", headers=capsule_headers())
    assert got.status_code == 200
    capsule = got.json()
    assert list(capsule) == CAPSULE_FIELDS
    assert (capsule["name"], capsule["owner"], capsule["status"], capsule["latest_version"]) == (
        "hello-world", "ada", "ACTIVE", 1,
    )  # fmt: skip
    assert got.headers["etag"] == f'"{capsule["etag"]}"'
    assert got.headers["cache-control"] == "private, max-age=10"


def test_create_takes_a_document_object_and_the_old_metadata_fields(client: TestClient) -> None:
    body = {"document": yaml.safe_load(HELLO), "name": "hello-world", "description": "Says hello",
            "tags": ["demo"], "visibility": "org", "owner": "team-growth"}  # fmt: skip
    r = create(client, body)
    assert r.status_code == 201, r.text
    capsule = client.get(f"{API}/{HELLO_ID}", headers=capsule_headers()).json()
    assert (capsule["description"], capsule["tags"], capsule["visibility"], capsule["owner"]) == (
        "Says hello", ["demo"], "INTERNAL", "team-growth",
    )  # fmt: skip


def test_creating_an_existing_capsule_is_409_problem_json(client: TestClient) -> None:
    assert create(client).status_code == 201
    again = create(client, {"yaml": hello(("Simple", "Plain"))})
    assert again.status_code == 409
    body = problem(again)
    assert body["type"] == "urn:registry:problem:version.exists"
    assert body["instance"] == API
    assert "already exists" in body["detail"]


def test_an_invalid_document_is_422_with_every_problem_under_errors(
    client: TestClient, example_store: Store
) -> None:
    head = example_store.head()
    r = create(client, {"yaml": hello(("tool: http.request", "tool: email.send"))})
    assert r.status_code == 422
    body = problem(r)
    assert body["errors"] == [
        {"code": "capsule.tool_not_allowed", "message": body["errors"][0]["message"],
         "path": "$.spec.steps[0].tool", "file": "capsules/acme/hello-world/capsule.yaml"},
    ]  # fmt: skip
    assert example_store.head() == head


def test_versions_publish_list_and_read_back(client: TestClient, example_store: Store) -> None:
    assert create(client).status_code == 201
    v2 = client.post(f"{API}/{HELLO_ID}/versions", json={"yaml": hello(("Simple", "Plain"))},
                     headers=capsule_headers(sub="bob"))  # fmt: skip
    assert v2.status_code == 201, v2.text
    assert list(v2.json()) == PUBLISHED_FIELDS and v2.json()["version"] == 2
    same = client.post(f"{API}/{HELLO_ID}/versions", json={"yaml": HELLO}, headers=capsule_headers())
    assert same.status_code == 409
    assert problem(same)["detail"] == "Content already published as version 1"
    versions = client.get(f"{API}/{HELLO_ID}/versions", headers=capsule_headers())
    assert [list(v) for v in versions.json()] == [
        ["version", "content_hash", "signature", "uri", "created_at", "created_by"]
    ] * 2
    assert [(v["version"], v["created_by"]) for v in versions.json()] == [(1, "ada"), (2, "bob")]
    one = client.get(f"{API}/{HELLO_ID}/versions/1", headers=capsule_headers())
    assert one.status_code == 200
    detail = one.json()
    assert detail["yaml"] == HELLO and detail["document"]["metadata"]["name"] == "hello-world"
    assert one.headers["cache-control"] == "private, max-age=31536000, immutable"
    cached = client.get(
        f"{API}/{HELLO_ID}/versions/1", headers={**capsule_headers(), "If-None-Match": one.headers["etag"]}
    )
    assert cached.status_code == 304
    assert client.get(f"{API}/{HELLO_ID}", headers=capsule_headers()).json()["latest_version"] == 2
    assert client.get(f"{API}/{HELLO_ID}/versions/3", headers=capsule_headers()).status_code == 404


def test_a_version_must_name_its_own_capsule(client: TestClient) -> None:
    assert create(client).status_code == 201
    other = hello(("name: hello-world", "name: other-capsule"))
    r = client.post(f"{API}/{HELLO_ID}/versions", json={"yaml": other}, headers=capsule_headers())
    assert r.status_code == 400
    assert "other-capsule" in problem(r)["detail"]


def test_lists_are_the_tenants_visible_capsules_newest_first_in_pages(client: TestClient) -> None:
    assert create(client).status_code == 201
    r = client.get(API, headers=capsule_headers())
    assert r.status_code == 200
    body = r.json()
    assert list(body) == ["items", "pagination"]
    # invoice-reminder is PRIVATE to team-finance; globex's capsules are another tenant's
    assert [c["name"] for c in body["items"]] == ["hello-world", "onboard-customer"]
    assert body["pagination"] == {"page": 1, "page_size": 20, "total_items": 2, "total_pages": 1}
    page2 = client.get(API, params={"page": 2, "page_size": 1}, headers=capsule_headers()).json()
    assert [c["name"] for c in page2["items"]] == ["onboard-customer"]
    assert page2["pagination"] == {"page": 2, "page_size": 1, "total_items": 2, "total_pages": 2}
    found = client.get(API, params={"q": "HELLO"}, headers=capsule_headers()).json()
    assert [c["name"] for c in found["items"]] == ["hello-world"]
    admin = client.get(API, headers=capsule_headers(role="admin")).json()
    assert {c["name"] for c in admin["items"]} == {"hello-world", "onboard-customer", "invoice-reminder"}


@pytest.mark.parametrize("params", [{"page_size": 101}, {"page_size": 0}, {"page": 0}, {"status": "gone"}])
def test_list_parameters_out_of_range_are_400(client: TestClient, params: dict[str, object]) -> None:
    r = client.get(API, params=params, headers=capsule_headers())
    assert r.status_code == 400
    problem(r)


def test_private_capsules_are_the_owners_and_admins_only(client: TestClient) -> None:
    url = f"{API}/{INVOICES}"
    hidden = client.get(url, headers=capsule_headers())
    assert hidden.status_code == 404
    assert problem(hidden)["detail"] == f"Capsule {INVOICES} not found"
    assert client.get(url, headers=capsule_headers(sub="team-finance", role="viewer")).status_code == 200
    assert client.get(url, headers=capsule_headers(role="admin")).status_code == 200
    assert client.get(f"{url}/versions/1", headers=capsule_headers()).status_code == 404


def test_another_tenants_capsule_is_never_found(client: TestClient) -> None:
    for role in ("viewer", "admin"):
        r = client.get(f"{API}/{WEEKLY}", headers=capsule_headers(role=role))
        assert r.status_code == 404
    ok = client.get(f"{API}/{WEEKLY}", headers=capsule_headers(tenant="globex"))
    assert ok.status_code == 200 and ok.json()["name"] == "weekly-report"


def test_a_tenant_the_token_does_not_grant_is_403(client: TestClient) -> None:
    headers = {**capsule_headers(), "X-Tenant-ID": "globex"}
    r = client.get(API, headers=headers)
    assert r.status_code == 403
    assert problem(r)["type"] == "urn:registry:problem:auth.tenant"


def test_roles_viewers_read_editors_write_admins_delete(client: TestClient) -> None:
    refused = create(client, role="viewer")
    assert refused.status_code == 403 and problem(refused)["detail"] == "Role required: editor"
    assert create(client, role="editor").status_code == 201
    delete = client.delete(f"{API}/{HELLO_ID}", headers=capsule_headers(role="editor"))
    assert delete.status_code == 403 and problem(delete)["detail"] == "Role required: admin"


def test_no_token_is_401_problem_json(client: TestClient) -> None:
    r = client.get(API, headers={"X-Tenant-ID": "acme"})
    assert r.status_code == 401
    assert problem(r)["detail"] == "Missing Authorization header"
    assert r.headers["www-authenticate"] == "Bearer"


def test_patch_changes_metadata_only_and_honours_if_match(client: TestClient, example_store: Store) -> None:
    assert create(client).status_code == 201
    url = f"{API}/{HELLO_ID}"
    etag = client.get(url, headers=capsule_headers()).headers["etag"]
    before = example_store.head()
    r = client.patch(
        url, json={"description": "Greets", "tags": ["x"]}, headers={**capsule_headers(), "If-Match": etag}
    )
    assert r.status_code == 200, r.text
    assert list(r.json()) == CAPSULE_FIELDS
    assert (r.json()["description"], r.json()["tags"], r.json()["latest_version"]) == ("Greets", ["x"], 1)
    assert r.headers["etag"] != etag
    commit = example_store.repo[example_store.head()]
    changed = example_store.snapshot(commit.id).changed_paths(example_store.snapshot(before))
    assert changed == ["capsules/acme/hello-world/meta.yaml"]
    stale = client.patch(url, json={"description": "Late"}, headers={**capsule_headers(), "If-Match": etag})
    assert stale.status_code == 409
    assert problem(stale)["type"] == "urn:registry:problem:request.stale"
    assert client.patch(url, json={"visibility": "PUBLIC"}, headers=capsule_headers()).status_code == 200
    head = example_store.head()
    same = client.patch(url, json={"visibility": "public"}, headers=capsule_headers())
    assert same.status_code == 200 and same.json()["visibility"] == "PUBLIC"
    assert example_store.head() == head  # nothing to change: no commit


def test_only_admins_delete_or_restore_through_patch(client: TestClient) -> None:
    assert create(client).status_code == 201
    url = f"{API}/{HELLO_ID}"
    assert client.patch(url, json={"status": "DELETED"}, headers=capsule_headers()).status_code == 403
    assert (
        client.patch(url, json={"status": "deleted"}, headers=capsule_headers(role="admin")).status_code
        == 200
    )
    assert client.patch(url, json={"status": "ACTIVE"}, headers=capsule_headers()).status_code == 403
    restored = client.patch(url, json={"status": "ACTIVE"}, headers=capsule_headers(role="admin"))
    assert restored.json()["status"] == "ACTIVE"


def test_delete_is_a_soft_delete_and_versions_stay(client: TestClient, example_store: Store) -> None:
    assert create(client).status_code == 201
    url = f"{API}/{HELLO_ID}"
    admin = capsule_headers(role="admin")
    r = client.delete(url, headers=admin)
    assert r.status_code == 204 and r.content == b""
    assert client.get(url, headers=admin).json()["status"] == "DELETED"
    assert client.get(f"{url}/versions/1", headers=admin).status_code == 200
    assert (
        example_store.snapshot(example_store.head()).read("capsules/acme/hello-world/capsule.yaml")
        == HELLO.encode()
    )
    listed = client.get(API, headers=admin).json()["items"]
    assert "hello-world" not in [c["name"] for c in listed]
    deleted = client.get(API, params={"status": "DELETED"}, headers=admin).json()["items"]
    assert [c["name"] for c in deleted] == ["hello-world"]
    head = example_store.head()
    assert client.delete(url, headers=admin).status_code == 204
    assert example_store.head() == head
    refused = client.post(f"{url}/versions", json={"yaml": hello(("Simple", "Plain"))}, headers=admin)
    assert refused.status_code == 409 and "deleted" in problem(refused)["detail"]


def test_lint_validates_without_publishing(client: TestClient, example_store: Store) -> None:
    assert create(client).status_code == 201
    head = example_store.head()
    url = f"{API}/{HELLO_ID}/lint"
    ok = client.post(url, json={"yaml": hello(("Simple", "Plain"))}, headers=capsule_headers(role="viewer"))
    assert ok.status_code == 200
    assert list(ok.json()) == ["valid", "content_hash", "errors", "warnings"]
    assert ok.json()["valid"] is True and ok.json()["errors"] == [] and len(ok.json()["content_hash"]) == 64
    bad = client.post(
        url, json={"yaml": hello(("tool: http.request", "tool: system.exec"))}, headers=capsule_headers()
    )
    codes = {e["code"] for e in bad.json()["errors"]}
    assert bad.json()["valid"] is False and "capsule.tool_not_allowed" in codes
    assert all(list(e) == ["code", "message", "path"] for e in bad.json()["errors"])
    dup = client.post(url, json={"yaml": HELLO}, headers=capsule_headers()).json()
    assert dup["valid"] is False and dup["errors"][0]["message"] == "Content already published as version 1"
    broken = client.post(url, json={"yaml": "a: [unclosed"}, headers=capsule_headers()).json()
    assert broken["valid"] is False and broken["content_hash"] is None
    assert example_store.head() == head


def test_verify_checks_hash_signature_and_tag(client: TestClient) -> None:
    assert create(client).status_code == 201
    r = client.get(f"{API}/{HELLO_ID}/versions/1/verify", headers=capsule_headers(role="viewer"))
    assert r.status_code == 200
    body = r.json()
    assert body["valid"] is True and body["signed_by"] == "registry"
    assert body["checks"] == {"content_hash": True, "signature": True, "tag": True}


def test_example_capsules_verify_too(client: TestClient) -> None:
    r = client.get(
        f"{API}/{capsule_id('acme', 'onboard-customer')}/versions/1/verify", headers=capsule_headers()
    )
    assert r.json()["valid"] is True


def test_capsule_writes_are_refused_by_a_read_only_server(
    read_only_client: TestClient, index: LiveIndex
) -> None:
    r = read_only_client.post(API, json={"yaml": HELLO}, headers=capsule_headers())
    assert r.status_code == 403
    assert problem(r)["type"] == "urn:registry:problem:request.read_only"
