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
    assert publish["security"] == [{"bearerAuth": []}]
    assert set(publish["responses"]) >= {"201", "400", "401", "403", "409"}
    assert "text/plain" in publish["responses"]["409"]["content"]
    assert "422" not in publish["responses"]
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
