"""One dialect rule for every door: a schema without ``$schema`` is read in the store's
``default_dialect`` by the gate (a real push), ``registry review``, the HTTP compatibility
check and the Confluent-compatible door, so all four give one verdict, and that verdict
follows the store's setting."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from api.helpers import SECRET, bearer
from gate.test_dialect_push import TUPLE, TUPLE_CHANGED, push, push_dialect, write_contract
from starlette.testclient import TestClient
from support import git, registry_cli

from registry.api.app import create_app
from registry.api.config import ApiConfig
from registry.auth.authenticator import Authenticator
from registry.git.store import Store
from registry.index.live import LiveIndex
from registry.trust.sshsig import SigningKey

pytestmark = pytest.mark.git

DRAFT7 = "http://json-schema.org/draft-07/schema#"
#: A ``$ref`` with a keyword beside it: draft 7 ignores the keyword (core 8.3), 2020-12 applies
#: it. Lowering that ``maxLength`` is no change at all in draft 7, and a break in 2020-12; under
#: FULL, reading either side in the wrong dialect is a break too (a bound added or dropped).
REF = {"definitions": {"A": {"type": "string"}}, "$ref": "#/definitions/A", "maxLength": 5}
REF_TIGHTER = {**REF, "maxLength": 1}
FULL = {"compatibility": "FULL"}
HINT = f'"$schema": "{DRAFT7}"'


@pytest.fixture(params=["draft-07", "2020-12"])
def dialect(request: pytest.FixtureRequest, example_store: Store, clone: Path, key_path: Path) -> str:
    """The example store with ``default_dialect`` set as the parameter says (pushed, signed)."""
    if request.param != "2020-12":
        out = push_dialect(clone, request.param, key_path)
        assert out.returncode == 0, out.stderr
    return str(request.param)


@pytest.fixture
def api(example_store: Store, key: SigningKey) -> Iterator[Callable[[], TestClient]]:
    """Starts the HTTP API in-process, its index built from the store as it is by then."""
    started: list[TestClient] = []

    def start() -> TestClient:
        config = ApiConfig(
            store_path=Path(example_store.path),
            index=LiveIndex(example_store.path),
            authenticator=Authenticator.for_secret(SECRET),
            key=key,
        )
        client = TestClient(create_app(config), raise_server_exceptions=False).__enter__()
        started.append(client)
        return client

    yield start
    for client in started:
        client.__exit__(None, None, None)


def http_check(client: TestClient, name: str, schema: Any, version: str) -> Any:
    url = f"/registry/contracts/{name}/compatibility"
    return client.post(url, json={"jsonSchema": schema, "version": version}, headers=bearer())


def ccompat_check(client: TestClient, name: str, schema: Any) -> Any:
    url = f"/ccompat/compatibility/subjects/{name}/versions/latest"
    return client.post(url, json={"schema": json.dumps(schema), "schemaType": "JSON"}, headers=bearer())


def review(work: Path) -> Any:
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "proposal", cwd=work)
    out = registry_cli("review", "origin/main", "HEAD", "--repo", str(work))
    git("reset", "-q", "--soft", "HEAD~1", cwd=work)  # the push below commits it again
    return out


def test_a_change_beside_ref_gets_the_same_verdict_at_every_door(
    dialect: str, example_store: Store, clone: Path, api: Callable[[], TestClient]
) -> None:
    write_contract(clone, "ref.sibling", "1.0.0", REF, **FULL)
    assert push(clone).returncode == 0
    expected = (
        dialect == "draft-07"
    )  # no change at all, so a patch will do, only when $ref's sibling is ignored
    client = api()
    http = http_check(client, "ref.sibling", REF_TIGHTER, "1.0.1")
    assert http.status_code == 200, http.text
    confluent = ccompat_check(client, "ref.sibling", REF_TIGHTER)
    assert confluent.status_code == 200, confluent.text
    write_contract(clone, "ref.sibling", "1.0.1", REF_TIGHTER, **FULL)
    reviewed = review(clone)
    assert reviewed.returncode in (0, 1), reviewed.stderr
    gate = push(clone)
    verdicts = {
        "http": (http.json()["compatible"], http.json()["version"]["ok"]),
        "ccompat": (confluent.json()["is_compatible"],) * 2,
        "review": (reviewed.returncode == 0,) * 2,
        "gate": (gate.returncode == 0,) * 2,
    }
    assert verdicts == dict.fromkeys(verdicts, (expected, expected)), gate.stderr
    if not expected:
        assert "needs version 2.0.0, got 1.0.1" in gate.stderr and "needs version 2.0.0" in reviewed.stdout


def test_a_tuple_items_array_is_read_in_the_store_dialect_at_every_door(
    dialect: str, example_store: Store, clone: Path, api: Callable[[], TestClient]
) -> None:
    client = api()
    register = client.post(
        "/ccompat/subjects/tuple.event/versions",
        json={"schema": json.dumps(TUPLE), "schemaType": "JSON"},
        headers=bearer(),
    )
    if dialect == "2020-12":
        # Refused at every door, each naming the $schema that would make it a draft 7 tuple.
        assert register.status_code == 422 and HINT in register.json()["message"]
        http = http_check(client, "tuple.event", TUPLE, "1.0.0")
        assert http.status_code == 400 and HINT in http.text
        write_contract(clone, "tuple.event", "1.0.0", TUPLE)
        reviewed = review(clone)
        assert reviewed.returncode == 1 and HINT in reviewed.stdout
        gate = push(clone)
        assert gate.returncode != 0 and HINT in gate.stderr
        return
    # Draft 7: published through the Confluent door, and its item's type change is a break everywhere.
    assert register.status_code == 200, register.text
    git("pull", "-q", "origin", "main", cwd=clone)
    http = http_check(client, "tuple.event", TUPLE_CHANGED, "1.1.0")
    assert http.status_code == 200 and http.json()["compatible"] is False
    assert [c["path"] for c in http.json()["breaking"]] == ["/items/0/type"]
    assert ccompat_check(client, "tuple.event", TUPLE_CHANGED).json() == {"is_compatible": False}
    write_contract(clone, "tuple.event", "1.1.0", TUPLE_CHANGED)
    reviewed = review(clone)
    assert reviewed.returncode == 1 and "needs version 2.0.0, got 1.1.0" in reviewed.stdout
    gate = push(clone)
    assert gate.returncode != 0 and "needs version 2.0.0, got 1.1.0" in gate.stderr


def test_the_reports_read_published_versions_in_the_store_dialect(
    dialect: str, example_store: Store, clone: Path, api: Callable[[], TestClient]
) -> None:
    """`registry changelog`, the HTTP changelog and the web UI's comparison judge each step as
    the gate did: in draft 7 the keyword beside $ref changed nothing, in 2020-12 it broke."""
    write_contract(clone, "ref.sibling", "1.0.0", REF, **FULL)
    assert push(clone).returncode == 0
    write_contract(clone, "ref.sibling", "2.0.0", REF_TIGHTER, **FULL)  # a major bump: accepted either way
    assert push(clone).returncode == 0
    broke = dialect == "2020-12"
    changelog = registry_cli("changelog", str(example_store.path), "ref.sibling")
    assert changelog.returncode == 0, changelog.stderr
    assert ("schema maxLength lowered from 5 to 1" in changelog.stdout) is broke
    assert ("No schema changes." in changelog.stdout) is not broke
    assert ("schema maxLength" in changelog.stdout) is broke
    client = api()
    served = client.get("/registry/contracts/ref.sibling/changelog", headers=bearer())
    assert served.status_code == 200 and served.text == changelog.stdout
    page = client.get("/ui/f/contracts/ref.sibling/compare?old=1.0.0&new=2.0.0", headers=bearer())
    assert page.status_code == 200, page.text
    assert ("schema maxLength lowered from 5 to 1" in page.text) is broke
    assert ("max_length_" in page.text) is broke  # no finding at all: each side read as the gate read it
    contract = client.get("/ui/f/contracts/ref.sibling", headers=bearer())
    assert contract.status_code == 200 and ("schema maxLength" in contract.text) is broke
