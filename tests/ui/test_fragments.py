"""The UI's pages over HTTP, in-process on the example store: the API's authentication, scopes,
tenants and PRIVATE rule; refusals as pages with the API's status, never a 500; the shell and
assets with their security headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api.helpers import SECRET, bearer
from starlette.testclient import TestClient
from write.test_landing import push_untagged

from registry.api.app import create_app
from registry.api.config import ApiConfig
from registry.api.ui.render import ASSETS
from registry.auth.authenticator import Authenticator
from registry.gate.published import capsule_id
from registry.git.store import Store
from registry.index.live import LiveIndex
from registry.trust.sshsig import SigningKey

PRIVATE_ID = capsule_id("acme", "invoice-reminder")  # PRIVATE, owned by team-finance
INTERNAL_ID = capsule_id("acme", "onboard-customer")
GLOBEX_ID = capsule_id("globex", "weekly-report")


@pytest.fixture
def client(example_store: Store, key: SigningKey) -> Iterator[TestClient]:
    config = ApiConfig(
        store_path=Path(example_store.path),
        index=LiveIndex(example_store.path),
        authenticator=Authenticator.for_secret(SECRET),
        key=key,
    )
    with TestClient(create_app(config), raise_server_exceptions=False) as c:
        yield c


def test_the_shell_needs_no_token_and_carries_no_data(client: TestClient) -> None:
    r = client.get("/ui/contracts/ritual.started")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "ritual.started" not in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/ui", follow_redirects=False).headers["location"] == "/ui/"


def test_assets_come_from_the_package_immutable_per_hash(client: TestClient) -> None:
    shell = client.get("/ui/").text
    for name, asset in ASSETS.items():
        assert f"/ui/static/{name}?v={asset.version}" in shell
        r = client.get(f"/ui/static/{name}?v={asset.version}")
        assert r.content == asset.body and "immutable" in r.headers["cache-control"]
        assert "immutable" not in client.get(f"/ui/static/{name}").headers["cache-control"]
    assert client.get("/ui/static/../../registry.yaml").status_code == 404
    assert "http://" not in shell.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in shell


def test_content_needs_a_valid_token(client: TestClient) -> None:
    r = client.get("/ui/f/contracts")
    assert r.status_code == 401 and "Missing Authorization header" in r.text
    r = client.get("/ui/f/contracts", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.headers["content-type"].startswith("text/html")


def test_contracts_need_the_read_scope_as_in_the_api(client: TestClient) -> None:
    r = client.get("/ui/f/contracts", headers=bearer(scopes=()))
    assert r.status_code == 403 and "contracts:read" in r.text
    r = client.get("/ui/f/contracts", headers=bearer())
    assert r.status_code == 200 and "ritual.started" in r.text
    assert r.headers["cache-control"] == "no-store"


def test_search_narrows_the_list(client: TestClient) -> None:
    text = client.get("/ui/f/contracts?q=KNOWLEDGE graph", headers=bearer()).text
    assert "graph.commit.created" in text and "ritual.started" not in text
    assert client.get("/ui/f/contracts?q=" + "x" * 300, headers=bearer()).status_code == 400


def test_a_viewer_sees_their_tenant_without_private_capsules(client: TestClient) -> None:
    viewer = bearer("someone", roles=("viewer",), tenants=("acme",))
    text = client.get("/ui/f/capsules", headers=viewer).text
    assert "onboard-customer" in text and "invoice-reminder" not in text and "weekly-report" not in text
    assert client.get(f"/ui/f/capsules/{INTERNAL_ID}", headers=viewer).status_code == 200
    for hidden in (PRIVATE_ID, GLOBEX_ID, "no-such-id"):
        r = client.get(f"/ui/f/capsules/{hidden}", headers=viewer)
        assert r.status_code == 404 and f"Capsule {hidden} not found" in r.text
    assert client.get("/ui/f/capsules?tenant=globex", headers=viewer).status_code == 403


def test_the_owner_and_admins_see_a_private_capsule(client: TestClient) -> None:
    owner = bearer("team-finance", roles=("viewer",), tenants=("acme",))
    admin = bearer("root", roles=("admin",), tenants=("*",))
    assert client.get(f"/ui/f/capsules/{PRIVATE_ID}", headers=owner).status_code == 200
    text = client.get("/ui/f/capsules", headers=admin).text
    assert "invoice-reminder" in text and "Tenant globex" in text


def test_odd_paths_and_queries_are_refusals_never_errors(client: TestClient) -> None:
    h = bearer(roles=("admin",), tenants=("*",))
    for path in (
        "/ui/f/contracts/nope",
        "/ui/f/contracts/ritual.started/versions/9.9.9",
        "/ui/f/contracts/ritual.started/versions/%3Cscript%3E",
        "/ui/f/contracts/ritual.started/compare?old=%00&new=1.0.0",
        f"/ui/f/capsules/{INTERNAL_ID}?version=99",
        f"/ui/f/capsules/{INTERNAL_ID}?version=x",
        "/ui/f/nothing/here",
    ):
        r = client.get(path, headers=h)
        assert 400 <= r.status_code < 500, (path, r.status_code)
        assert "<script>" not in r.text and r.headers["content-type"].startswith("text/html")


def test_a_version_page_carries_its_verification_and_the_git_commands(client: TestClient) -> None:
    text = client.get("/ui/f/contracts/ritual.started/versions/1.0.0", headers=bearer()).text
    assert "✓ verified" in text and "signed by registry" in text
    assert "verify-tag contracts/ritual.started/1.0.0" in text


def test_the_health_page_lists_untagged_versions_to_those_who_may_read_them(
    client: TestClient, example_store: Store, clone: Path, key_path: Path
) -> None:
    text = client.get("/ui/f/health", headers=bearer()).text
    assert 'id="untagged">0' in text and "not configured" in text
    push_untagged(example_store, clone, key_path, "1.1.0", "note")
    text = client.get("/ui/f/health", headers=bearer()).text
    assert 'id="untagged">1' in text and "contracts/ritual.started/1.1.0" in text
    text = client.get("/ui/f/health", headers=bearer(scopes=())).text
    assert 'id="untagged">1' in text and "contracts/ritual.started/1.1.0" not in text
    assert "1 of them are not yours to read" in text


def test_big_pages_are_compressed_for_clients_that_take_it(client: TestClient) -> None:
    r = client.get("/ui/f/contracts/ritual.started", headers={**bearer(), "Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and "ritual.started" in r.text
