"""The OpenAPI document describes both APIs: their paths, the bearer scheme, headers and error shapes."""

from __future__ import annotations

from starlette.testclient import TestClient

ENDPOINTS = {
    "/registry/contracts": {"get", "post"},
    "/registry/contracts/{name}": {"get"},
    "/registry/contracts/{name}/latest": {"get"},
    "/registry/contracts/{name}/changelog": {"get"},
    "/registry/contracts/{name}/{version}": {"get"},
    "/registry/contracts/{name}/{version}/schema": {"get"},
    "/registry/contracts/{name}/compatibility": {"post"},
    "/api/v1/capsules": {"get", "post"},
    "/api/v1/capsules/{capsule_id}": {"get", "patch", "delete"},
    "/api/v1/capsules/{capsule_id}/versions": {"get", "post"},
    "/api/v1/capsules/{capsule_id}/versions/{version}": {"get"},
    "/api/v1/capsules/{capsule_id}/versions/{version}/verify": {"get"},
    "/api/v1/capsules/{capsule_id}/lint": {"post"},
    "/healthz": {"get"},
}


def test_every_endpoint_is_documented_with_its_security_and_error_shape(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    for path, methods in ENDPOINTS.items():
        assert methods <= set(paths[path]), path
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    schemas = doc["components"]["schemas"]
    assert set(schemas["Problem"]["required"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "trace_id",
    }
    assert "errors" in schemas["Problem"]["properties"]
    publish = paths["/registry/contracts"]["post"]
    assert publish["security"] == [{"bearerAuth": []}, {"basicAuth": []}]  # either admits the caller
    assert set(publish["responses"]) >= {"201", "400", "401", "403", "409"}
    assert "text/plain" in publish["responses"]["409"]["content"]
    # 422 only for an idempotency key reused with another body (the old registry said 400 otherwise).
    assert "X-Idempotency-Key" in publish["responses"]["422"]["description"]
    create = paths["/api/v1/capsules"]["post"]
    assert "application/problem+json" in create["responses"]["422"]["content"]
    headers = {p["name"] for p in create["parameters"] if p["in"] == "header"}
    assert {"X-Tenant-ID", "X-Idempotency-Key"} <= headers
    assert "security" not in paths["/healthz"]["get"]
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/CreateCapsule")
    assert {"yaml", "document", "visibility"} <= set(schemas["CreateCapsule"]["properties"])


def test_docs_and_redoc_are_served(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        r = client.get(path)
        assert r.status_code == 200 and "openapi.json" in r.text


def test_answers_have_exactly_the_documented_shapes(client: TestClient) -> None:
    from api.helpers import HELLO, bearer, capsule_headers

    from registry.api import shapes
    from registry.gate.published import capsule_id

    caps, auth = capsule_headers(role="admin"), bearer()
    hello = capsule_id("acme", "hello-world")
    body = {"name": "shaped", "version": "1.0.0", "jsonSchema": '{"type": "object"}'}
    answers = [
        (shapes.ContractCreated, client.post("/registry/contracts", json=body, headers=auth)),
        (shapes.CapsulePublished, client.post("/api/v1/capsules", json={"yaml": HELLO}, headers=caps)),
        (shapes.ContractList, client.get("/registry/contracts", headers=auth)),
        (shapes.ContractVersions, client.get("/registry/contracts/ritual.started", headers=auth)),
        (shapes.ContractBundle, client.get("/registry/contracts/ritual.started/1.0.0", headers=auth)),
        (shapes.ContractBundle, client.get("/registry/contracts/shaped/latest", headers=auth)),
        (
            shapes.Compatibility,
            client.post(
                "/registry/contracts/shaped/compatibility", json={**body, "version": "1.1.0"}, headers=auth
            ),
        ),
        (shapes.CapsuleList, client.get("/api/v1/capsules", headers=caps)),
        (shapes.Capsule, client.get(f"/api/v1/capsules/{hello}", headers=caps)),
        (shapes.CapsuleVersion, client.get(f"/api/v1/capsules/{hello}/versions/1", headers=caps)),
        (
            shapes.LintResult,
            client.post(f"/api/v1/capsules/{hello}/lint", json={"yaml": HELLO}, headers=caps),
        ),
        (shapes.Verification, client.get(f"/api/v1/capsules/{hello}/versions/1/verify", headers=caps)),
        (shapes.Capsule, client.patch(f"/api/v1/capsules/{hello}", json={"tags": ["a"]}, headers=caps)),
    ]
    for model, r in answers:
        assert r.status_code in (200, 201), (model, r.text)
        model.model_validate(r.json())
    versions = client.get(f"/api/v1/capsules/{hello}/versions", headers=caps).json()
    assert [shapes.CapsuleVersionSummary.model_validate(v).version for v in versions] == [1]


def test_the_compatibility_mode_is_taken_exactly_as_documented(client: TestClient) -> None:
    from typing import get_args

    from api.helpers import bearer

    from registry.api.bodies import CompatibilityMode
    from registry.lint.modes import Mode

    assert set(get_args(CompatibilityMode)) == {m.value for m in Mode}
    doc = client.get("/openapi.json").json()
    mode = doc["components"]["schemas"]["CheckCompatibility"]["properties"]["mode"]
    assert set(mode["anyOf"][0]["enum"]) == {m.value for m in Mode}
    url = "/registry/contracts/ritual.started/compatibility"
    for odd in ("backward", "SIDEWAYS", " FULL"):
        response = client.post(url, headers=bearer(), json={"jsonSchema": {}, "mode": odd})
        assert response.status_code == 400 and "$.mode" in response.text, (odd, response.text)
    assert client.post(url, headers=bearer(), json={"jsonSchema": {}, "mode": "FULL"}).status_code == 200
