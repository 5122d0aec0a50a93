"""A primary and two read replicas on loopback: a push is readable from both within 2 s, through
the contracts API and the Confluent-compatible API with the same schema ids; a tag the registry
did not sign is not served and is reported; writes to a replica go to the primary."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from replica.served import Served
from support import EXAMPLE_STORE, git

from registry.auth.tokens import mint
from registry.git.store import Identity, Store
from registry.trust.sshsig import SigningKey
from registry.write.bootstrap import init_store
from registry.write.publish import Writer

pytestmark = pytest.mark.git

SECRET = "replica-tests-" + "j" * 40
REFRESH = "refresh-secret-" + "r" * 24
RITUAL = "contracts/ritual.started"
#: The servers' git environment: no global or system config (the module's cluster starts
#: before the per-test hermetic fixture applies).
HERMETIC = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def headers() -> dict[str, str]:
    token = mint(
        SECRET, sub="reader", scopes=["contracts:read", "contracts:write"], roles=["admin"], tenants=["*"]
    )
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Cluster:
    store: Store
    primary: Served
    replicas: list[Served]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The example store's primary, and two replicas it tells of every change (fetching on
    their own only every 5 minutes, so what they serve within seconds came by refresh); the
    second fetches over HTTP from the primary's own git service.
    One cluster for the module: three servers take seconds to start on a busy machine."""
    tmp = tmp_path_factory.mktemp("cluster")
    key_path = tmp / "registry-key"
    SigningKey.generate().save(key_path)
    key = SigningKey.load(key_path)
    store, _ = init_store(
        tmp / "store.git", key=key, key_path=key_path, writer=Writer(key, Identity()), from_dir=EXAMPLE_STORE
    )
    ports = [free_port(), free_port()]
    env = {"JWT_SECRET": SECRET, "REGISTRY_REFRESH_SECRET": REFRESH, **HERMETIC, "HOME": str(tmp)}
    started: list[Served] = []
    try:
        primary = Served(
            ["--store", str(store.path), "--port", "0"],
            {**env, "REGISTRY_REPLICAS": ",".join(f"http://127.0.0.1:{p}" for p in ports)},
            tmp / "primary.log",
        )
        started.append(primary)
        primary.wait()
        # One replica fetches the store as a path, the other over the primary's git service
        # with a token (its primary's address then comes from that URL).
        mirror_token = mint(SECRET, sub="replica", scopes=["contracts:read"])
        by_path = ["--mirror", f"file://{store.path}", "--primary", primary.url]
        by_http = ["--mirror", f"{primary.url}/store.git"]
        for i, (port, how) in enumerate(zip(ports, (by_path, by_http), strict=True)):
            args = [
                *how,
                "--data-dir",
                str(tmp / f"replica-{i}"),
                "--port",
                str(port),
                "--fetch-interval",
                "300",
            ]
            started.append(
                Served(args, {**env, "REGISTRY_MIRROR_TOKEN": mirror_token}, tmp / f"replica-{i}.log")
            )
        for served in started[1:]:
            served.wait()
        yield Cluster(store, primary, started[1:])
    finally:
        for served in started:
            served.stop()


def push_a_minor_version(tmp_path: Path, store: Store, version: str) -> None:
    work = tmp_path / f"work-{version}"
    git("clone", "-q", f"file://{store.path}", str(work))
    schema = work / RITUAL / "schema.json"
    doc = json.loads(schema.read_text())
    doc["properties"][f"note{version.replace('.', '')}"] = {"type": "string"}
    schema.write_text(json.dumps(doc, indent=2))
    meta = work / RITUAL / "contract.yaml"
    meta.write_text(re.sub(r"(?m)^version: .*$", f"version: {version}", meta.read_text()))
    git("commit", "-qam", f"ritual.started {version}", cwd=work)
    pushed = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert pushed.returncode == 0, pushed.stderr


def eventually(check: Callable[[], Any], within: float) -> Any:
    """``check()``'s first truthy answer, polled until ``within`` seconds have passed."""
    deadline = time.monotonic() + within
    while True:
        answer = check()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(0.02)


def get(served: Served, path: str) -> httpx.Response:
    return httpx.get(served.url + path, headers=headers(), timeout=5)


def test_a_push_is_readable_from_both_replicas_within_two_seconds(tmp_path: Path, cluster: Cluster) -> None:
    primary, replicas = cluster.primary, cluster.replicas
    push_a_minor_version(tmp_path, cluster.store, "1.1.0")
    pushed = time.monotonic()
    for replica in replicas:
        left = 2.0 - (time.monotonic() - pushed)
        got = eventually(
            lambda r=replica: get(r, "/registry/contracts/ritual.started/1.1.0").status_code == 200, left
        )
        assert got, f"{replica.url} does not serve 1.1.0 within 2 s of the push"
    assert time.monotonic() - pushed < 2.0
    from_primary = get(primary, "/ccompat/subjects/ritual.started/versions/latest").json()
    for replica in replicas:
        assert get(replica, "/registry/contracts/ritual.started/1.1.0").json() == (
            get(primary, "/registry/contracts/ritual.started/1.1.0").json()
        )
        assert get(replica, "/ccompat/subjects/ritual.started/versions/latest").json() == from_primary
        schema_id = from_primary["id"]
        assert get(replica, f"/ccompat/schemas/ids/{schema_id}").json() == (
            get(primary, f"/ccompat/schemas/ids/{schema_id}").json()
        )
        ready = get(replica, "/readyz").json()
        assert ready["status"] == "ready"
        assert ready["replica"]["primary_ahead"] is False
        assert ready["replica"]["last_fetch"]["age_seconds"] < 5


def test_a_tag_signed_by_an_unknown_key_is_not_served_and_is_reported(
    tmp_path: Path, cluster: Cluster
) -> None:
    primary, replica, store = cluster.primary, cluster.replicas[0], cluster.store
    head = store.head()
    assert head is not None
    forged = store.write_tag(
        name="contracts/ritual.started/9.9.9",
        target=head,
        message="contract ritual.started 9.9.9\n\ndigest: 00\n",
        tagger=Identity("mallory", "mallory@example.org"),
        key=SigningKey.generate(),
    )
    assert store.create_tag_ref("refs/tags/contracts/ritual.started/9.9.9", forged)

    def reported() -> dict[str, Any] | None:
        refused = get(replica, "/readyz").json()["replica"]["refused"]
        return refused if refused["count"] else None

    refused = eventually(reported, 10.0)
    assert refused is not None, "the replica did not report the forged tag"
    assert refused["tags"][0]["tag"] == "contracts/ritual.started/9.9.9"
    assert "is not a listed signer" in refused["tags"][0]["reason"]
    # The primary serves what its store holds; the replica does not serve what the registry did not sign.
    assert get(primary, "/registry/contracts/ritual.started/9.9.9").status_code == 200
    assert get(replica, "/registry/contracts/ritual.started/9.9.9").status_code == 404
    assert get(replica, "/registry/contracts/ritual.started/1.0.0").status_code == 200
    metrics = httpx.get(replica.url + "/metrics", timeout=5).text
    assert "registry_replica_refused_tags_total 1.0" in metrics

    # The primary numbers 9.9.9 among its schema ids, so a version published after it is held
    # back rather than served here under an id that names another schema on the primary.
    push_a_minor_version(tmp_path, store, "1.2.0")

    def held() -> list[str]:
        return list(get(replica, "/readyz").json()["replica"]["held_back"]["tags"])

    assert eventually(held, 10.0) == ["contracts/ritual.started/1.2.0"]
    assert get(primary, "/registry/contracts/ritual.started/1.2.0").status_code == 200
    assert get(replica, "/registry/contracts/ritual.started/1.2.0").status_code == 404
    # Every version the replica serves has the primary's schema id.
    for number in get(replica, "/ccompat/subjects/ritual.started/versions").json():
        path = f"/ccompat/subjects/ritual.started/versions/{number}"
        assert get(replica, path).json() == get(primary, path).json()


def test_every_write_to_a_replica_answers_503_naming_the_primary(cluster: Cluster) -> None:
    primary, replica = cluster.primary, cluster.replicas[1]
    h = {**headers(), "Content-Type": "application/json"}
    contract = httpx.post(
        replica.url + "/registry/contracts",
        headers=h,
        json={"name": "order.placed", "version": "1.0.0", "jsonSchema": '{"type": "object"}'},
    )
    assert contract.status_code == 503
    assert contract.headers["location"] == primary.url
    assert f"read-only replica; send writes to the primary at {primary.url}" in contract.text

    capsule = httpx.patch(replica.url + "/api/v1/capsules/acme.hello", headers=h, json={"description": "x"})
    assert capsule.status_code == 503
    assert capsule.headers["content-type"] == "application/problem+json"
    assert capsule.json()["primary"] == primary.url
    assert capsule.json()["type"].endswith("request.replica")

    ccompat = httpx.post(
        replica.url + "/ccompat/subjects/ritual.started/versions", headers=h, json={"schema": "{}"}
    )
    assert ccompat.status_code == 503
    assert ccompat.headers["location"] == primary.url
    assert ccompat.json()["error_code"] == 50003
    deleted = httpx.delete(replica.url + "/ccompat/subjects/ritual.started", headers=h)
    assert deleted.status_code == 503 and deleted.json()["error_code"] == 50003
    assert get(replica, "/ccompat/mode").json() == {"mode": "READONLY"}
    assert get(primary, "/ccompat/mode").json() == {"mode": "READWRITE"}

    # Reads that are POSTs still answer on a replica.
    check = httpx.post(
        replica.url + "/registry/contracts/ritual.started/compatibility",
        headers=h,
        json={"jsonSchema": {"type": "object"}},
    )
    assert check.status_code == 200


def test_a_refresh_needs_the_shared_secret(cluster: Cluster) -> None:
    replica = cluster.replicas[1]
    assert httpx.post(replica.url + "/-/refresh").status_code == 403
    wrong = httpx.post(replica.url + "/-/refresh", headers={"X-Registry-Refresh-Secret": "x" * 39})
    assert wrong.status_code == 403
    right = httpx.post(replica.url + "/-/refresh", headers={"X-Registry-Refresh-Secret": REFRESH})
    assert right.status_code == 202


def test_a_replica_serves_its_store_over_git_without_its_staging_refs(cluster: Cluster) -> None:
    replica = cluster.replicas[1]
    token = mint(SECRET, sub="consumer", scopes=["contracts:read"])
    host = replica.url.removeprefix("http://")
    listed = git("ls-remote", f"http://git:{token}@{host}/store.git", env={"GIT_TERMINAL_PROMPT": "0"})
    refs = [line.split("\t")[1] for line in listed.stdout.splitlines()]
    assert "refs/heads/main" in refs and "refs/tags/contracts/ritual.started/1.0.0" in refs
    assert not [r for r in refs if r.startswith("refs/mirror/")]


def test_a_push_with_no_server_on_the_primary_tells_the_replicas_from_post_receive(
    tmp_path: Path, example_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The primary is only a git host here: its post-receive hook (no resident gate) tags the
    push and starts the process that tells the replicas, so the push does not wait for it."""
    port = free_port()
    replica = Served(
        ["--mirror", f"file://{example_store.path}", "--data-dir", str(tmp_path / "replica"),
         "--port", str(port), "--fetch-interval", "300"],
        {"JWT_SECRET": SECRET, "REGISTRY_REFRESH_SECRET": REFRESH},
        tmp_path / "replica.log",
    )  # fmt: skip
    try:
        replica.wait()
        monkeypatch.setenv("REGISTRY_REPLICAS", replica.url)
        monkeypatch.setenv("REGISTRY_REFRESH_SECRET", REFRESH)
        push_a_minor_version(tmp_path, example_store, "1.1.0")
        pushed = time.monotonic()
        served = eventually(
            lambda: get(replica, "/registry/contracts/ritual.started/1.1.0").status_code == 200, 2.0
        )
        assert served, "the replica does not serve 1.1.0 within 2 s of the push"
        assert time.monotonic() - pushed < 2.0
    finally:
        replica.stop()
