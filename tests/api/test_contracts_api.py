"""The contracts API keeps the old demon-registry's shapes, texts and statuses, served from the index."""

from __future__ import annotations

import json

import pytest
import yaml
from api.helpers import MY_CONTRACT_DIGEST, READ, SCHEMA, WRITE, bearer
from starlette.testclient import TestClient

from registry.digest import contract_digest
from registry.git.store import Snapshot, Store
from registry.review.changelog import contract_changelog
from registry.write.publish import Writer, publish

BUNDLE_FIELDS = [
    "name",
    "version",
    "description",
    "createdAt",
    "jsonSchema",
    "witPath",
    "descriptorPath",
    "digest",
]
DEMONCTL_BODY = {
    "name": "my-contract",
    "version": "1.0.0",
    "description": "My contract",
    "jsonSchema": SCHEMA,
    "witPath": None,
    "descriptorPath": None,
}


def post(client: TestClient, body: dict[str, object], **claims: object) -> object:
    return client.post("/registry/contracts", json=body, headers=bearer(**claims))  # type: ignore[arg-type]


def deprecate(store: Store, writer: Writer, name: str, sunset: str) -> None:
    """Mark a contract deprecated on main, as an author would: contract.yaml only, no new version."""

    def build(snap: Snapshot) -> dict[str, bytes | None]:
        path = f"contracts/{name}/contract.yaml"
        meta = yaml.safe_load(snap.read(path) or b"")
        meta.update(deprecated=True, sunset=sunset)
        return {path: yaml.safe_dump(meta, sort_keys=False).encode()}

    publish(store, build, message=f"deprecate {name}", writer=writer, door="cli")


def test_health_check_answers_ok_as_text(client: TestClient) -> None:
    r = client.get("/healthz")
    assert (r.status_code, r.text) == (200, "OK")


def test_list_has_every_version_with_the_old_fields(client: TestClient) -> None:
    r = client.get("/registry/contracts", headers=bearer())
    assert r.status_code == 200
    body = r.json()
    assert list(body) == ["contracts"]
    assert all(list(item) == ["name", "version", "description", "createdAt"] for item in body["contracts"])
    names = {(c["name"], c["version"]) for c in body["contracts"]}
    assert ("ritual.started", "1.0.0") in names and ("approval.granted", "v1") in names
    assert r.headers["cache-control"] == "public, max-age=10"


def test_a_version_bundle_has_the_old_fields_in_order_and_the_old_digest(
    client: TestClient, example_store: Store
) -> None:
    r = client.get("/registry/contracts/ritual.started/1.0.0", headers=bearer())
    assert r.status_code == 200
    body = r.json()
    assert list(body) == BUNDLE_FIELDS
    stored = example_store.snapshot(example_store.head()).read("contracts/ritual.started/schema.json")
    assert body["jsonSchema"] == stored.decode()
    assert body["witPath"] == "contracts/ritual.started/ritual.wit"
    assert body["descriptorPath"] == "contracts/ritual.started/descriptor.json"
    fields = {k: body[k] for k in ("name", "version", "description", "witPath", "descriptorPath")}
    assert body["digest"] == contract_digest(json_schema=body["jsonSchema"], **_snake(fields))
    assert body["createdAt"].endswith("Z")
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"


def _snake(fields: dict[str, str]) -> dict[str, str]:
    return {"name": fields["name"], "version": fields["version"], "description": fields["description"],
            "wit_path": fields["witPath"], "descriptor_path": fields["descriptorPath"]}  # fmt: skip


def test_old_versions_such_as_v1_are_found_as_written_and_as_semver(client: TestClient) -> None:
    as_written = client.get("/registry/contracts/approval.granted/v1", headers=bearer())
    as_semver = client.get("/registry/contracts/approval.granted/1.0.0", headers=bearer())
    assert as_written.status_code == as_semver.status_code == 200
    assert as_written.content == as_semver.content
    assert as_written.json()["version"] == "v1"


def test_versions_latest_and_raw_schema(client: TestClient, example_store: Store) -> None:
    post(client, {**DEMONCTL_BODY, "name": "ritual.started", "version": "1.1.0",
                  "jsonSchema": _with_note(example_store), "witPath": None})  # fmt: skip
    versions = client.get("/registry/contracts/ritual.started", headers=bearer()).json()
    assert [v["version"] for v in versions["versions"]] == ["1.0.0", "1.1.0"]
    assert list(versions["versions"][0]) == ["version", "description", "createdAt", "digest"]
    assert versions["latest"] == "1.1.0"
    latest = client.get("/registry/contracts/ritual.started/latest", headers=bearer())
    assert latest.json()["version"] == "1.1.0"
    assert latest.headers["cache-control"] == "public, max-age=10"
    raw = client.get("/registry/contracts/ritual.started/1.1.0/schema", headers=bearer())
    assert raw.headers["content-type"] == "application/schema+json"
    assert raw.text == _with_note(example_store)
    plain = client.get(
        "/registry/contracts/ritual.started/1.0.0/schema", headers={**bearer(), "Accept": "application/json"}
    )
    assert plain.headers["content-type"] == "application/json"
    assert json.loads(plain.content)["title"] == "ritual.started"


def _with_note(store: Store) -> str:
    schema = json.loads(store.snapshot(store.head()).read("contracts/ritual.started/schema.json") or b"")
    schema["properties"]["note"] = {"type": "string"}
    return json.dumps(schema, indent=2) + "\n"


def test_changelog_is_what_registry_changelog_prints(client: TestClient, example_store: Store) -> None:
    post(client, {**DEMONCTL_BODY, "name": "ritual.started", "version": "1.1.0",
                  "jsonSchema": _with_note(example_store)})  # fmt: skip
    r = client.get("/registry/contracts/ritual.started/changelog", headers=bearer())
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/markdown")
    assert r.text == contract_changelog(example_store, "ritual.started")
    assert "## 1.1.0" in r.text


def test_publish_takes_the_old_demonctl_body_and_answers_the_old_201(
    client: TestClient, example_store: Store
) -> None:
    r = post(client, DEMONCTL_BODY, sub="pipeline-7")
    assert r.status_code == 201, r.text
    body = r.json()
    assert list(body) == ["status", "name", "version", "digest", "createdAt"]
    assert (body["status"], body["name"], body["version"]) == ("created", "my-contract", "1.0.0")
    assert body["digest"] == MY_CONTRACT_DIGEST
    # read-your-write: the version is served at once, from the index
    got = client.get("/registry/contracts/my-contract/1.0.0", headers=bearer())
    assert got.status_code == 200 and got.json()["digest"] == MY_CONTRACT_DIGEST
    # one signed commit on main, crediting the caller, and the version's tag
    commit = example_store.repo[example_store.head()]
    assert (commit.author.name, commit.author.email) == ("pipeline-7", "pipeline-7@users.registry")
    assert commit.committer.name == "registry"
    assert "refs/tags/contracts/my-contract/1.0.0" in example_store.repo.references


def test_publishing_a_version_again_is_409_with_the_old_text(client: TestClient) -> None:
    assert post(client, DEMONCTL_BODY).status_code == 201
    again = post(client, DEMONCTL_BODY)
    assert again.status_code == 409
    assert again.text == "Contract my-contract version 1.0.0 already exists"
    assert again.headers["content-type"].startswith("text/plain")


def test_a_breaking_change_without_a_major_bump_is_refused(client: TestClient, example_store: Store) -> None:
    schema = json.loads(
        example_store.snapshot(example_store.head()).read("contracts/ritual.started/schema.json")
    )
    schema["properties"]["ritualId"] = {"type": "integer"}
    r = post(client, {**DEMONCTL_BODY, "name": "ritual.started", "version": "1.1.0", "jsonSchema": schema})
    assert r.status_code == 409
    assert "needs version 2.0.0" in r.text
    assert r.headers["x-registry-code"] == "version.breaking"


@pytest.mark.parametrize(
    ("headers", "status", "text"),
    [
        ({}, 401, "Missing Authorization header"),
        ({"Authorization": "Bearer not-a-token"}, 401, "Invalid token: "),
        ("read-only", 403, "Insufficient permissions: contracts:write scope required"),
    ],
)
def test_publish_refusals_of_the_caller_keep_the_old_texts(
    client: TestClient, headers: object, status: int, text: str
) -> None:
    sent = bearer(scopes=(READ,)) if headers == "read-only" else headers
    r = client.post("/registry/contracts", json=DEMONCTL_BODY, headers=sent)  # type: ignore[arg-type]
    assert r.status_code == status
    assert r.text.startswith(text)
    assert r.headers["content-type"].startswith("text/plain")
    if status == 401:
        assert r.headers["www-authenticate"] == "Bearer"


def test_the_caller_is_judged_before_the_body_as_the_old_registry_did(client: TestClient) -> None:
    incomplete = {"version": "1.0.0"}
    assert client.post("/registry/contracts", json=incomplete).status_code == 401
    r = client.post("/registry/contracts", json=incomplete, headers=bearer(scopes=(READ,)))
    assert (r.status_code, r.text) == (403, "Insufficient permissions: contracts:write scope required")
    assert client.post("/registry/contracts", json=incomplete, headers=bearer()).status_code == 400


def test_reads_need_the_read_scope(client: TestClient) -> None:
    r = client.get("/registry/contracts/ritual.started/1.0.0", headers=bearer(scopes=(WRITE,)))
    assert (r.status_code, r.text) == (403, "Insufficient permissions: contracts:read scope required")


@pytest.mark.parametrize(
    "body",
    [
        {"version": "1.0.0", "jsonSchema": SCHEMA},  # no name
        {**DEMONCTL_BODY, "jsonSchema": None},  # no schema
        {**DEMONCTL_BODY, "jsonSchema": "{not json"},
        {**DEMONCTL_BODY, "jsonSchema": '{"type": 5}'},  # not a JSON Schema
        {**DEMONCTL_BODY, "name": "../etc"},
        {**DEMONCTL_BODY, "version": "one"},
        {**DEMONCTL_BODY, "witPath": "/contracts/my.wit"},  # a path without the file's text
        {**DEMONCTL_BODY, "name": 5},
    ],
)
def test_malformed_publish_bodies_are_400(client: TestClient, example_store: Store, body: object) -> None:
    head = example_store.head()
    r = client.post("/registry/contracts", json=body, headers=bearer())
    assert r.status_code == 400, r.text
    assert r.text and r.headers["content-type"].startswith("text/plain")
    assert example_store.head() == head


def test_a_body_that_is_not_json_is_400_in_the_old_words(client: TestClient) -> None:
    r = client.post(
        "/registry/contracts", content=b"{nope", headers={**bearer(), "Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert r.text.startswith("Invalid JSON payload")


def test_wit_and_descriptor_are_published_from_their_texts(client: TestClient) -> None:
    wit = "package demo:events;\n\ninterface events {\n  record started { id: string }\n}\n"
    body = {**DEMONCTL_BODY, "witPath": "/anywhere/events.wit", "wit": wit,
            "descriptorPath": "descriptor.json", "descriptor": '{"kind": "event"}'}  # fmt: skip
    r = post(client, body)
    assert r.status_code == 201, r.text
    bundle = client.get("/registry/contracts/my-contract/1.0.0", headers=bearer()).json()
    assert bundle["witPath"] == "contracts/my-contract/events.wit"
    assert bundle["descriptorPath"] == "contracts/my-contract/descriptor.json"
    assert bundle["digest"] == r.json()["digest"] != MY_CONTRACT_DIGEST


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/registry/contracts/nope", "Contract not found: nope"),
        ("/registry/contracts/nope/1.0.0", "Contract not found: nope v1.0.0"),
        ("/registry/contracts/ritual.started/9.9.9", "Contract not found: ritual.started v9.9.9"),
        ("/registry/contracts/ritual.started/9.9.9/schema", "Contract not found: ritual.started v9.9.9"),
        ("/registry/contracts/nope/latest", "Contract not found: nope"),
        ("/registry/contracts/nope/changelog", "Contract not found: nope"),
    ],
)
def test_unknown_contracts_and_versions_are_404(client: TestClient, path: str, text: str) -> None:
    r = client.get(path, headers=bearer())
    assert (r.status_code, r.text) == (404, text)


def test_a_version_is_encoded_once_with_a_strong_etag_and_304_after(client: TestClient) -> None:
    url = "/registry/contracts/ritual.started/1.0.0"
    first = client.get(url, headers=bearer())
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(url, headers=bearer())
    assert again.content == first.content and again.headers["etag"] == etag
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        cached = client.get(url, headers={**bearer(), "If-None-Match": sent})
        assert cached.status_code == 304 and cached.content == b""
        assert cached.headers["etag"] == etag
        assert cached.headers["cache-control"] == "public, max-age=31536000, immutable"
    stale = client.get(url, headers={**bearer(), "If-None-Match": '"other"'})
    assert stale.status_code == 200
    schema = client.get(f"{url}/schema", headers={**bearer()})
    assert (
        client.get(f"{url}/schema", headers={**bearer(), "If-None-Match": schema.headers["etag"]}).status_code
        == 304
    )


def test_conditional_gets_need_a_token_first(client: TestClient) -> None:
    url = "/registry/contracts/ritual.started/1.0.0"
    etag = client.get(url, headers=bearer()).headers["etag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 401


def test_deprecated_contracts_answer_with_deprecation_and_sunset(
    client: TestClient, example_store: Store, writer: Writer, index: object
) -> None:
    deprecate(example_store, writer, "ritual.started", "2027-01-31")
    index.refresh()  # type: ignore[attr-defined]
    for path in ("1.0.0", "1.0.0/schema", "latest", ""):
        r = client.get(f"/registry/contracts/ritual.started/{path}".rstrip("/"), headers=bearer())
        assert r.status_code == 200
        assert r.headers["deprecation"] == "true"
        assert r.headers["sunset"] == "Sun, 31 Jan 2027 00:00:00 GMT"
    etag = r.headers["etag"]
    cached = client.get("/registry/contracts/ritual.started", headers={**bearer(), "If-None-Match": etag})
    assert cached.status_code == 304 and cached.headers["deprecation"] == "true"
    current = client.get("/registry/contracts/approval.granted/v1", headers=bearer())
    assert "deprecation" not in current.headers and "sunset" not in current.headers


def test_compatibility_answers_the_linter_verdict_without_publishing(
    client: TestClient, example_store: Store
) -> None:
    head = example_store.head()
    schema = json.loads(example_store.snapshot(head).read("contracts/ritual.started/schema.json"))
    schema["properties"]["ritualId"] = {"type": "integer"}
    url = "/registry/contracts/ritual.started/compatibility"
    r = client.post(url, json={"jsonSchema": schema, "version": "1.1.0"}, headers=bearer(scopes=(READ,)))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["compatible"] is False and body["mode"] == "FULL"
    assert body["against"] == ["1.0.0"] and body["requiredBump"] == "major"
    assert body["version"]["ok"] is False and body["version"]["neededVersion"] == "2.0.0"
    assert body["breaking"][0]["path"] == "/properties/ritualId/type"
    assert body["breaking"][0]["witnessText"]  # an instance that shows the break
    assert body["suggestedVersion"] == "2.0.0"
    assert example_store.head() == head
    fine = client.post(url, json={"jsonSchema": _with_note(example_store)}, headers=bearer())
    assert fine.json()["compatible"] is True and fine.json()["suggestedVersion"] == "1.1.0"


def test_compatibility_of_a_new_contract_and_its_refusals(client: TestClient) -> None:
    first = client.post(
        "/registry/contracts/brand.new/compatibility", json={"jsonSchema": SCHEMA}, headers=bearer()
    )
    assert first.status_code == 200
    assert first.json()["compatible"] is True and first.json()["against"] == []
    bad = client.post("/registry/contracts/brand.new/compatibility", json={"jsonSchema": '{"type": 5}'},
                      headers=bearer())  # fmt: skip
    assert bad.status_code == 400 and "not a valid JSON Schema" in bad.text
    exists = client.post(
        "/registry/contracts/ritual.started/compatibility",
        json={"jsonSchema": SCHEMA, "version": "1.0.0"},
        headers=bearer(),
    )
    assert exists.status_code == 409


def test_a_server_without_a_key_reads_and_refuses_writes_clearly(read_only_client: TestClient) -> None:
    assert read_only_client.get("/registry/contracts", headers=bearer()).status_code == 200
    r = read_only_client.post("/registry/contracts", json=DEMONCTL_BODY, headers=bearer())
    assert r.status_code == 403
    assert r.text == "this server cannot write: it has no registry signing key"
    assert r.headers["x-registry-code"] == "request.read_only"


def test_errors_come_as_problem_json_to_clients_that_ask(client: TestClient) -> None:
    r = client.get(
        "/registry/contracts/nope/1.0.0", headers={**bearer(), "Accept": "application/problem+json"}
    )
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "Contract not found: nope v1.0.0"
