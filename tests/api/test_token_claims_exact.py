"""Tokens are read exactly: ``exp`` must be a JSON number (RFC 7519 NumericDate), role names match as written.

Through the HTTP door: before, ``"exp": "4102444800"`` was accepted, and a token with
role ``ADMIN`` deleted a capsule.
"""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from api.helpers import HELLO, READ, SECRET, WRITE, capsule_headers
from starlette.testclient import TestClient

from registry.gate.published import capsule_id

API = "/api/v1/capsules"
HELLO_ID = capsule_id("acme", "hello-world")


def headers(**claims: Any) -> dict[str, str]:
    now = int(time.time())
    payload = {"sub": "mallory", "scopes": [READ, WRITE], "tenants": ["acme"], "iat": now, "exp": now + 600}
    payload.update(claims)
    return {
        "Authorization": f"Bearer {jwt.encode(payload, SECRET, algorithm='HS256')}",
        "X-Tenant-ID": "acme",
    }


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
def test_a_time_claim_that_is_not_a_number_is_refused(client: TestClient, claim: str) -> None:
    now = int(time.time())
    value = {"exp": now + 600, "nbf": now - 10, "iat": now - 10}[claim]
    for odd in (str(value), True, [value]):
        response = client.get(API, headers=headers(roles=["viewer"], **{claim: odd}))
        assert response.status_code == 401, (claim, odd, response.text)
        assert claim in response.json()["detail"]
    assert client.get(API, headers=headers(roles=["viewer"], **{claim: value})).status_code == 200


@pytest.mark.parametrize("role", ["ADMIN", "Admin", " admin", "admin ", "ANUMATE-ADMIN"])
def test_role_names_match_exactly(client: TestClient, role: str) -> None:
    assert client.post(API, json={"yaml": HELLO}, headers=capsule_headers(role="admin")).status_code == 201
    response = client.delete(f"{API}/{HELLO_ID}", headers=headers(roles=[role]))
    assert response.status_code == 403, response.text
    assert client.get(f"{API}/{HELLO_ID}", headers=capsule_headers()).json()["status"] == "ACTIVE"
    assert client.delete(f"{API}/{HELLO_ID}", headers=headers(roles=["admin"])).status_code == 204
