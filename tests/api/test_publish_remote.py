"""``registry publish … --registry-endpoint``: the same lines, errors and exit codes as ``--store``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from api.helpers import HELLO, SCHEMA, Server, hello, token
from support import registry_cli

from registry.git.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture
def api(server: Callable[[], Server]) -> Server:
    return server()


def contract(
    tmp_path: Path, *where: str, name: str = "my-contract", version: str = "1.0.0", schema: str = SCHEMA
):
    path = tmp_path / f"{name}-{version}.json"
    path.write_text(schema)
    return registry_cli(
        "publish", "contract", "--name", name, "--version", version, "--description", "My contract",
        "--json-schema", str(path), *where,
    )  # fmt: skip


def capsule(tmp_path: Path, text: str, *where: str, env: dict[str, str] | None = None):
    path = tmp_path / "capsule.yaml"
    path.write_text(text)
    return registry_cli("publish", "capsule", "--tenant", "acme", "--file", str(path), *where, env=env)


def fields(stdout: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in stdout.splitlines())


def test_a_contract_published_through_the_api_prints_what_the_store_path_prints(
    tmp_path: Path, api: Server, example_store: Store, key_path: Path
) -> None:
    remote = contract(tmp_path, "--registry-endpoint", api.url, "--jwt", token())
    assert remote.returncode == 0, remote.stderr
    local = contract(
        tmp_path, "--store", str(example_store.path), "--signing-key", str(key_path), version="1.0.1"
    )
    assert local.returncode == 0, local.stderr
    got, expected = fields(remote.stdout), fields(local.stdout)
    assert list(got) == list(expected) == ["Name", "Version", "Digest", "CreatedAt"]
    assert got["Digest"] == "7776a3b2bafdaae41912ceb0f7fb1a6e1b8464e6fce855c1f3bd73d3cefd55af"
    assert len(got["CreatedAt"]) == len(expected["CreatedAt"]) and got["CreatedAt"].endswith("Z")
    assert example_store.repo[example_store.head()].parents[0].author.name == "ada"


def test_refusals_exit_and_read_the_same_through_the_api(
    tmp_path: Path, api: Server, example_store: Store, key_path: Path
) -> None:
    local_flags = ("--store", str(example_store.path), "--signing-key", str(key_path))
    assert contract(tmp_path, *local_flags).returncode == 0
    remote_flags = ("--registry-endpoint", api.url, "--jwt", token())
    cases = {
        "duplicate": {},
        "not a schema": {"schema": '{"type": 5}', "version": "2.0.0"},
        "bad name": {"name": "../up"},
    }
    for case, kwargs in cases.items():
        local, remote = (
            contract(tmp_path, *local_flags, **kwargs),
            contract(tmp_path, *remote_flags, **kwargs),
        )
        assert (remote.returncode, remote.stderr, remote.stdout) == (local.returncode, local.stderr, ""), case
        assert local.returncode == 1 and local.stderr.startswith("error: "), case
    duplicate = contract(tmp_path, *remote_flags)
    assert duplicate.stderr.splitlines()[0] == "error: Contract my-contract version 1.0.0 already exists"


def test_the_endpoint_and_token_come_from_the_environment(tmp_path: Path, api: Server) -> None:
    env = {"REGISTRY_ENDPOINT": api.url, "JWT_TOKEN": token()}
    out = capsule(tmp_path, HELLO, env=env)
    assert out.returncode == 0, out.stderr
    first = fields(out.stdout)
    assert list(first) == ["Capsule", "Version", "ContentHash", "Signature", "CreatedAt"]
    assert (first["Capsule"], first["Version"]) == ("acme/hello-world", "1")
    second = fields(capsule(tmp_path, hello(("Simple", "Plain")), env=env).stdout)
    assert (second["Capsule"], second["Version"]) == ("acme/hello-world", "2")
    again = capsule(tmp_path, HELLO, env=env)
    assert again.returncode == 1
    assert again.stderr.startswith("error: Content already published as version 1")


def test_caller_and_connection_failures_exit_1_and_unreadable_input_2(tmp_path: Path, api: Server) -> None:
    no_token = contract(tmp_path, "--registry-endpoint", api.url)
    assert (no_token.returncode, no_token.stderr.splitlines()[0]) == (
        1,
        "error: Missing Authorization header",
    )
    read_only = contract(tmp_path, "--registry-endpoint", api.url, "--jwt", token(scopes=("contracts:read",)))
    assert read_only.stderr.startswith("error: Insufficient permissions: contracts:write scope required")
    unreachable = contract(tmp_path, "--registry-endpoint", "http://127.0.0.1:9", "--jwt", token())
    assert unreachable.returncode == 1 and "cannot reach the registry" in unreachable.stderr
    nowhere = str(tmp_path / "nope.json")
    missing = registry_cli(
        "publish", "contract", "--name", "x", "--version", "1.0.0", "--json-schema", nowhere,
        "--registry-endpoint", api.url,
    )  # fmt: skip
    assert missing.returncode == 2
    both = contract(tmp_path, "--registry-endpoint", api.url, "--store", str(tmp_path))
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
