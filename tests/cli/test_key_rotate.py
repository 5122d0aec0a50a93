"""Rotating the registry key through the command, end to end: a key changed in config alone is
refused with how to rotate; ``registry key rotate`` lists the new key in a commit the old key
signs; old and new versions verify with ``registry verify`` and with stock ``git verify-tag``."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import git, refs, registry_cli, verify_with_git

from registry.git.store import Store
from registry.problems import Code
from registry.trust.sshsig import SigningKey, allowed_signers_line

pytestmark = pytest.mark.git

OLD_TAG = "contracts/ritual.started/1.0.0"
SCHEMA = '{"type": "object", "properties": {"id": {"type": "string"}}}'


def publish(store: Store, tmp_path: Path, name: str, version: str) -> tuple[int, str]:
    schema = tmp_path / f"{name}-{version}.json"
    schema.write_text(SCHEMA)
    out = registry_cli(
        "publish", "contract", "--store", str(store.path), "--name", name, "--version", version,
        "--json-schema", str(schema),
    )  # fmt: skip
    return out.returncode, out.stderr


def switch_to_unlisted_key(store: Store, tmp_path: Path) -> None:
    """Point the store's registry.signingKey at a new key that registry.yaml does not list."""
    new = tmp_path / "new-key"
    assert registry_cli("keygen", "--out", str(new)).returncode == 0
    git(f"--git-dir={store.path}", "config", "registry.signingKey", str(new))


def commit_shipments(clone: Path) -> None:
    """A commit in ``clone`` that brings a new contract version, shipments 1.0.0."""
    (clone / "contracts" / "shipments").mkdir()
    (clone / "contracts" / "shipments" / "schema.json").write_text(SCHEMA)
    (clone / "contracts" / "shipments" / "contract.yaml").write_text("name: shipments\nversion: 1.0.0\n")
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", "shipments", cwd=clone)


def allowed(tmp_path: Path, *keys: SigningKey) -> Path:
    path = tmp_path / f"allowed-{len(keys)}"
    path.write_text("".join(allowed_signers_line("registry", k.public) + "\n" for k in keys))
    return path


def test_a_key_changed_in_config_alone_is_refused_with_how_to_rotate(
    example_store: Store, key_path: Path, tmp_path: Path
) -> None:
    switch_to_unlisted_key(example_store, tmp_path)
    before = refs(example_store)
    code, err = publish(example_store, tmp_path, "orders", "1.0.0")
    assert code == 1
    assert "is not the registry's signer: registry.yaml lists SHA256:" in err
    assert "registry key rotate STORE --new-key PATH" in err
    assert refs(example_store) == before
    assert Code.SIGNATURE_REGISTRY_KEY.value == "signature.registry_key"


def test_rotation_is_one_signed_change_and_every_version_keeps_verifying(
    example_store: Store, key: SigningKey, key_path: Path, tmp_path: Path, clone: Path
) -> None:
    new_path = tmp_path / "new-key"
    assert registry_cli("keygen", "--out", str(new_path)).returncode == 0
    new = SigningKey.load(new_path)
    head = example_store.head()

    out = registry_cli("key", "rotate", str(example_store.path), "--new-key", str(new_path))
    assert out.returncode == 0, out.stderr
    assert new.public.fingerprint() in out.stdout and key.public.fingerprint() in out.stdout
    # One commit on main, signed by the old key, changing registry.yaml's registry key only.
    rotation = Store.open(example_store.path).head()
    assert git(f"--git-dir={example_store.path}", "rev-parse", f"{rotation}^").stdout.strip() == str(head)
    diff = git(f"--git-dir={example_store.path}", "diff", "--numstat", str(head), str(rotation)).stdout
    assert diff.split() == ["1", "1", "registry.yaml"]
    assert verify_with_git(example_store, allowed(tmp_path, key), "commit", "main").returncode == 0
    assert git(f"--git-dir={example_store.path}", "config", "registry.signingKey").stdout.strip() == str(
        new_path.resolve()
    )

    # New versions are signed with the new key, by publish and by a push alike.
    code, err = publish(example_store, tmp_path, "orders", "1.0.0")
    assert code == 0, err
    git("pull", "-q", "--rebase", "origin", "main", cwd=clone)
    commit_shipments(clone)
    pushed = git("push", "origin", "HEAD:main", cwd=clone, check=False)
    assert pushed.returncode == 0 and "registry: tagged contracts/shipments/1.0.0" in pushed.stderr

    verified = registry_cli("verify", str(example_store.path))
    assert verified.returncode == 0, verified.stderr
    assert "0 failed" in verified.stdout and f"ok   {OLD_TAG}" in verified.stdout

    both, old_only = allowed(tmp_path, key, new), allowed(tmp_path, key)
    for tag in (OLD_TAG, "contracts/orders/1.0.0", "contracts/shipments/1.0.0"):
        assert verify_with_git(example_store, both, "tag", tag).returncode == 0, tag
    assert verify_with_git(example_store, old_only, "tag", OLD_TAG).returncode == 0
    refused = verify_with_git(example_store, old_only, "tag", "contracts/orders/1.0.0")
    assert refused.returncode != 0 and "No principal matched" in refused.stderr


def test_rotating_with_a_key_that_is_not_the_registry_signer_is_refused(
    example_store: Store, tmp_path: Path
) -> None:
    stranger, new = tmp_path / "stranger", tmp_path / "new"
    for path in (stranger, new):
        assert registry_cli("keygen", "--out", str(path)).returncode == 0
    head = example_store.head()
    out = registry_cli(
        "key", "rotate", str(example_store.path), "--new-key", str(new), "--signing-key", str(stranger)
    )
    assert out.returncode == 1 and "is not the registry's signer" in out.stderr
    assert Store.open(example_store.path).head() == head


def test_a_push_bringing_versions_is_refused_when_the_store_key_is_not_listed(
    example_store: Store, tmp_path: Path, clone: Path
) -> None:
    switch_to_unlisted_key(example_store, tmp_path)
    before = refs(example_store)
    commit_shipments(clone)
    pushed = git("push", "origin", "HEAD:main", cwd=clone, check=False)
    # Refused before anything lands, rather than accepted with versions left untagged.
    assert pushed.returncode != 0, pushed.stderr
    assert "registry: push refused" in pushed.stderr
    assert "registry.yaml: the registry key" in pushed.stderr
    assert "is not the registry's signer" in pushed.stderr
    assert "registry key rotate STORE --new-key PATH" in pushed.stderr
    assert refs(example_store) == before

    # A push that brings no version is not the key's business.
    (clone / "docs").mkdir(exist_ok=True)
    (clone / "docs" / "note.md").write_text("a note\n")
    git("rm", "-r", "-q", "--cached", "contracts/shipments", cwd=clone)
    git("add", "docs", cwd=clone)
    git("commit", "-q", "--amend", "-m", "a note", cwd=clone)
    docs = git("push", "origin", "HEAD:main", cwd=clone, check=False)
    assert docs.returncode == 0, docs.stderr
