"""Both APIs over real HTTP: a server process on a free port serving a real store."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import yaml
from api.helpers import HELLO, MY_CONTRACT_DIGEST, SCHEMA, Server, bearer, capsule_headers, hello
from support import git

from registry.gate.published import capsule_id
from registry.git.store import Store

pytestmark = pytest.mark.slow
HELLO_ID = capsule_id("acme", "hello-world")


@pytest.fixture
def api(server: Callable[[], Server]) -> Server:
    return server()


def test_every_endpoint_answers_over_http(api: Server) -> None:
    base, auth = api.url, bearer()
    caps = capsule_headers(role="admin")
    created = httpx.post(f"{base}/api/v1/capsules", json={"yaml": HELLO}, headers=caps)
    assert created.status_code == 201, created.text
    published = httpx.post(
        f"{base}/registry/contracts",
        json={"name": "my-contract", "version": "1.0.0", "description": "My contract", "jsonSchema": SCHEMA},
        headers=auth,
    )
    assert published.status_code == 201 and published.json()["digest"] == MY_CONTRACT_DIGEST
    calls: list[tuple[str, str, dict[str, object] | None, dict[str, str], int]] = [
        ("GET", "/healthz", None, {}, 200),
        ("GET", "/registry/contracts", None, auth, 200),
        ("GET", "/registry/contracts/my-contract", None, auth, 200),
        ("GET", "/registry/contracts/my-contract/1.0.0", None, auth, 200),
        ("GET", "/registry/contracts/my-contract/latest", None, auth, 200),
        ("GET", "/registry/contracts/my-contract/1.0.0/schema", None, auth, 200),
        ("GET", "/registry/contracts/my-contract/changelog", None, auth, 200),
        ("POST", "/registry/contracts/my-contract/compatibility", {"jsonSchema": SCHEMA}, auth, 200),
        ("GET", "/api/v1/capsules", None, caps, 200),
        ("GET", f"/api/v1/capsules/{HELLO_ID}", None, caps, 200),
        ("GET", f"/api/v1/capsules/{HELLO_ID}/versions", None, caps, 200),
        ("POST", f"/api/v1/capsules/{HELLO_ID}/versions", {"yaml": hello(("Simple", "Plain"))}, caps, 201),
        ("GET", f"/api/v1/capsules/{HELLO_ID}/versions/2", None, caps, 200),
        ("GET", f"/api/v1/capsules/{HELLO_ID}/versions/1/verify", None, caps, 200),
        ("POST", f"/api/v1/capsules/{HELLO_ID}/lint", {"yaml": HELLO}, caps, 200),
        ("PATCH", f"/api/v1/capsules/{HELLO_ID}", {"description": "hi"}, caps, 200),
        ("DELETE", f"/api/v1/capsules/{HELLO_ID}", None, caps, 204),
        ("GET", "/openapi.json", None, {}, 200),
        ("GET", "/docs", None, {}, 200),
        ("GET", "/redoc", None, {}, 200),
    ]
    for method, path, body, headers, status in calls:
        r = httpx.request(method, base + path, json=body, headers=headers)
        assert r.status_code == status, (method, path, r.text)


def test_a_client_reads_its_write_at_once(api: Server) -> None:
    for version in ("1.0.0", "1.0.1", "1.0.2"):
        body = {"name": "rw", "version": version, "jsonSchema": SCHEMA, "description": f"v{version}"}
        assert httpx.post(f"{api.url}/registry/contracts", json=body, headers=bearer()).status_code == 201
        got = httpx.get(f"{api.url}/registry/contracts/rw/latest", headers=bearer())
        assert got.json()["version"] == version
    created = httpx.post(f"{api.url}/api/v1/capsules", json={"yaml": HELLO}, headers=capsule_headers())
    assert created.status_code == 201
    assert httpx.get(f"{api.url}/api/v1/capsules/{HELLO_ID}", headers=capsule_headers()).status_code == 200


@pytest.mark.git
def test_a_version_pushed_with_git_is_served(api: Server, example_store: Store, tmp_path: Path) -> None:
    work = tmp_path / "work"
    git("clone", "-q", f"file://{example_store.path}", str(work))
    schema_path = work / "contracts/ritual.started/schema.json"
    schema = json.loads(schema_path.read_text())
    schema["properties"]["note"] = {"type": "string"}
    schema_path.write_text(json.dumps(schema, indent=2) + "\n")
    meta_path = work / "contracts/ritual.started/contract.yaml"
    meta = yaml.safe_load(meta_path.read_text())
    meta["version"] = "1.1.0"
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False))
    git("commit", "-q", "-am", "ritual.started: add optional note", cwd=work)
    pushed = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert pushed.returncode == 0, pushed.stderr
    url = f"{api.url}/registry/contracts/ritual.started/1.1.0"
    deadline = time.monotonic() + 2.0  # the watcher's budget: another process's change within 1 s (p99)
    while (r := httpx.get(url, headers=bearer())).status_code == 404 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert r.status_code == 200, r.text
    assert json.loads(r.json()["jsonSchema"])["properties"]["note"] == {"type": "string"}
    latest = httpx.get(f"{api.url}/registry/contracts/ritual.started/latest", headers=bearer())
    assert latest.json()["version"] == "1.1.0"


def test_etags_and_304_over_http(api: Server) -> None:
    url = f"{api.url}/registry/contracts/ritual.started/1.0.0"
    first = httpx.get(url, headers=bearer())
    cached = httpx.get(url, headers={**bearer(), "If-None-Match": first.headers["etag"]})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["cache-control"] == "public, max-age=31536000, immutable"
