"""Backup and restore through the command: a bundle of every ref, restored into a store whose
every version verifies (``registry verify`` and stock ``git verify-tag``) and that accepts the
next push; a key the bundle's registry.yaml does not list leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import git, refs, registry_cli, verify_with_git

from registry.git.refs import CAPSULE_TAGS, CONTRACT_TAGS
from registry.git.store import Store

pytestmark = pytest.mark.git

SCHEMA = '{"type": "object", "properties": {"id": {"type": "string"}}}'


def test_a_restored_store_verifies_and_accepts_the_next_push(
    example_store: Store, key_path: Path, allowed_signers: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "registry.bundle"
    out = registry_cli("backup", str(example_store.path), str(bundle))
    assert out.returncode == 0, out.stderr
    tags = [r for r in refs(example_store) if r.startswith((CONTRACT_TAGS, CAPSULE_TAGS))]
    assert len(tags) == 7 and f"({len(tags)} versions)" in out.stdout

    restored_path = tmp_path / "restored.git"
    out = registry_cli("restore", str(bundle), str(restored_path), "--signing-key", str(key_path))
    assert out.returncode == 0, out.stderr
    restored = Store.open(restored_path)
    # Every ref, byte for byte: main, the version tags, the registry's marks.
    assert refs(restored) == refs(example_store)
    assert (restored_path / "hooks" / "pre-receive").exists()
    assert git(f"--git-dir={restored_path}", "config", "receive.fsckObjects").stdout.strip() == "true"

    verified = registry_cli("verify", str(restored_path))
    assert verified.returncode == 0, verified.stderr
    assert f"{len(tags)} verified, 0 failed" in verified.stdout
    assert verify_with_git(restored, allowed_signers, "tag", "contracts/ritual.started/1.0.0").returncode == 0

    work = tmp_path / "work-restored"
    git("clone", "-q", f"file://{restored_path}", str(work))
    where = work / "contracts" / "orders"
    where.mkdir()
    (where / "schema.json").write_text(SCHEMA)
    (where / "contract.yaml").write_text("name: orders\nversion: 1.0.0\n")
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "orders", cwd=work)
    pushed = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert pushed.returncode == 0, pushed.stderr
    assert "registry: tagged contracts/orders/1.0.0" in pushed.stderr
    assert verify_with_git(restored, allowed_signers, "tag", "contracts/orders/1.0.0").returncode == 0
    assert registry_cli("verify", str(restored_path)).returncode == 0


def test_restoring_with_a_key_the_store_does_not_list_leaves_nothing(
    example_store: Store, tmp_path: Path
) -> None:
    bundle = tmp_path / "registry.bundle"
    assert registry_cli("backup", str(example_store.path), str(bundle)).returncode == 0
    other = tmp_path / "other-key"
    assert registry_cli("keygen", "--out", str(other)).returncode == 0
    target = tmp_path / "restored.git"
    out = registry_cli("restore", str(bundle), str(target), "--signing-key", str(other))
    assert out.returncode == 1
    assert "is not the registry's signer" in out.stderr and "registry key rotate" in out.stderr
    assert not target.exists()


def test_restore_refuses_what_is_not_a_bundle_and_a_store_that_exists(
    example_store: Store, key_path: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.bundle"
    junk.write_text("not a bundle\n")
    out = registry_cli("restore", str(junk), str(tmp_path / "r.git"), "--signing-key", str(key_path))
    assert out.returncode == 2 and "is not a" in out.stderr and "Traceback" not in out.stderr
    bundle = tmp_path / "registry.bundle"
    assert registry_cli("backup", str(example_store.path), str(bundle)).returncode == 0
    out = registry_cli("restore", str(bundle), str(example_store.path), "--signing-key", str(key_path))
    assert out.returncode != 0 and "exists and is not empty" in out.stderr
    assert registry_cli("verify", str(example_store.path)).returncode == 0
