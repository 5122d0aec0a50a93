"""The ``registry`` command, run as a real process: keygen, init, publish, verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import EXAMPLE_STORE, git, registry_cli


@pytest.fixture
def cli_store(tmp_path: Path) -> tuple[Path, Path]:
    keyfile = tmp_path / "reg"
    out = registry_cli("keygen", "--out", str(keyfile))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith('registry namespaces="git" ssh-ed25519 ')
    store = tmp_path / "store.git"
    init = registry_cli("init", str(store), "--signing-key", str(keyfile))
    assert init.returncode == 0, init.stderr
    return store, keyfile


def publish(name: str, version: str, schema: Path, store: Path, *extra: str):
    """`registry publish contract` as a real process."""
    return registry_cli(
        "publish",
        "contract",
        "--name",
        name,
        "--version",
        version,
        "--json-schema",
        str(schema),
        "--store",
        str(store),
        *extra,
    )


def allowed(tmp_path: Path, keyfile: Path) -> Path:
    path = tmp_path / "allowed"
    path.write_text("registry " + Path(f"{keyfile}.pub").read_text())
    return path


@pytest.mark.git
def test_publish_contract_prints_the_old_demonctl_fields_and_stock_git_verifies(
    tmp_path: Path, cli_store: tuple[Path, Path]
) -> None:
    store, keyfile = cli_store
    schema = tmp_path / "s.json"
    schema.write_text('{"type": "object"}')
    out = publish(
        "my-contract", "1.0.0", schema, store, "--description", "My contract", "--signing-key", str(keyfile)
    )
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(": ", 1) for line in out.stdout.splitlines())
    assert lines["Name"] == "my-contract" and lines["Version"] == "1.0.0"
    assert lines["Digest"] == "7776a3b2bafdaae41912ceb0f7fb1a6e1b8464e6fce855c1f3bd73d3cefd55af"
    assert lines["CreatedAt"].endswith("Z")
    signers = allowed(tmp_path, keyfile)
    for kind, rev in (("commit", "main"), ("tag", "contracts/my-contract/1.0.0")):
        res = git(
            "-c",
            f"gpg.ssh.allowedSignersFile={signers}",
            f"--git-dir={store}",
            f"verify-{kind}",
            rev,
            check=False,
        )
        assert res.returncode == 0, res.stderr
    assert git(f"--git-dir={store}", "fsck", "--strict").returncode == 0
    again = publish("my-contract", "1.0.0", schema, store, "--signing-key", str(keyfile))
    assert again.returncode == 1
    assert "already exists" in again.stderr and "Traceback" not in again.stderr


@pytest.mark.git
def test_publish_capsule_from_the_environment(tmp_path: Path, cli_store: tuple[Path, Path]) -> None:
    store, keyfile = cli_store
    capsule = EXAMPLE_STORE / "capsules" / "acme"
    first = sorted(capsule.iterdir())[0] / "capsule.yaml"
    env = {"REGISTRY_STORE": str(store), "REGISTRY_SIGNING_KEY": str(keyfile)}
    out = registry_cli("publish", "capsule", "--tenant", "acme", "--file", str(first), env=env)
    assert out.returncode == 0, out.stderr
    assert "Version: 1" in out.stdout
    signers = allowed(tmp_path, keyfile)
    res = git(
        "-c",
        f"gpg.ssh.allowedSignersFile={signers}",
        f"--git-dir={store}",
        "verify-tag",
        f"capsules/acme/{first.parent.name}/1",
        check=False,
    )
    assert res.returncode == 0, res.stderr


@pytest.mark.git
def test_init_from_the_example_store_tags_every_version_and_verify_passes(tmp_path: Path) -> None:
    store = tmp_path / "ex.git"
    out = registry_cli("init", str(store), "--from", str(EXAMPLE_STORE))
    assert out.returncode == 0, out.stderr
    assert (store / "registry-signing-key").exists()
    tags = git(f"--git-dir={store}", "tag", "--list").stdout.split()
    contracts = sorted(p.name for p in (EXAMPLE_STORE / "contracts").iterdir())
    assert {t.rsplit("/", 1)[0] for t in tags if t.startswith("contracts/")} == {
        f"contracts/{c}" for c in contracts
    }
    assert sum(t.startswith("capsules/acme/") for t in tags) >= 1
    assert sum(t.startswith("capsules/globex/") for t in tags) >= 1
    verify = registry_cli("verify", str(store))
    assert verify.returncode == 0, verify.stderr
    assert f"{len(tags)} verified, 0 failed" in verify.stdout


@pytest.mark.git
def test_verify_names_a_tag_whose_signer_is_not_trusted(tmp_path: Path, cli_store: tuple[Path, Path]) -> None:
    store, _keyfile = cli_store
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps({"type": "object"}))
    assert publish("a", "1.0.0", schema, store).returncode == 0
    stranger = tmp_path / "stranger"
    registry_cli("keygen", "--out", str(stranger))
    out = registry_cli("verify", str(store), "--public-key", f"{stranger}.pub")
    assert out.returncode == 1
    assert "FAIL contracts/a/1.0.0" in out.stderr and "not a listed signer" in out.stderr


def test_bad_usage_exits_2_without_a_traceback(tmp_path: Path) -> None:
    out = publish("x", "1.0.0", tmp_path / "missing.json", tmp_path)
    assert out.returncode == 2
    assert "cannot read JSON Schema" in out.stderr and "Traceback" not in out.stderr
