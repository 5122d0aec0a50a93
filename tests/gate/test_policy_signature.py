"""registry.yaml says who may sign: changing it always needs a listed admin's signature,
whatever ``require_signed_commits`` says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support import git, refs

from registry.git.store import Store
from registry.trust.sshsig import SigningKey

pytestmark = pytest.mark.git


def edit_policy(work: Path, **fields: object) -> None:
    path = work / "registry.yaml"
    doc = yaml.safe_load(path.read_text())
    doc.update(fields)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def push(work: Path, signer: Path | None):
    git("add", "-A", cwd=work)
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={signer}"] if signer else []
    git(*sign, "commit", "-q", *(["-S"] if signer else []), "-m", "policy", cwd=work)
    return git("push", "origin", "HEAD:main", cwd=work, check=False)


def test_a_fresh_store_does_not_require_signed_commits_yet_guards_its_policy(
    example_store: Store, clone: Path
) -> None:
    policy = yaml.safe_load((clone / "registry.yaml").read_text())
    assert policy["require_signed_commits"] is False
    assert [s["roles"] for s in policy["signers"] if s["principal"] == "registry"] == [["admin"]]
    before = refs(example_store)
    edit_policy(clone, semver_policy=False)
    out = push(clone, None)
    assert out.returncode != 0
    assert "registry.yaml" in out.stderr and "is not signed" in out.stderr
    assert "signature.invalid" in out.stderr
    assert refs(example_store) == before
    assert git(f"--git-dir={example_store.path}", "fsck", "--strict").returncode == 0


def test_adding_an_admin_unsigned_is_refused(example_store: Store, clone: Path, tmp_path: Path) -> None:
    mallory = tmp_path / "mallory"
    SigningKey.generate().save(mallory, comment="mallory")
    path = clone / "registry.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["signers"].append(
        {"principal": "mallory", "key": Path(f"{mallory}.pub").read_text().strip(), "roles": ["admin"]}
    )
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    before = refs(example_store)
    out = push(clone, mallory)
    assert out.returncode != 0 and "not a listed signer" in out.stderr
    assert refs(example_store) == before


def test_an_admin_signature_lets_the_policy_change(example_store: Store, clone: Path, key_path: Path) -> None:
    edit_policy(clone, semver_policy=False)
    out = push(clone, key_path)
    assert out.returncode == 0, out.stderr


def test_an_editor_may_not_change_the_policy_even_signed(
    example_store: Store, clone: Path, key_path: Path, tmp_path: Path
) -> None:
    alice = tmp_path / "alice"
    SigningKey.generate().save(alice, comment="alice")
    path = clone / "registry.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["signers"].append(
        {"principal": "alice", "key": Path(f"{alice}.pub").read_text().strip(), "roles": ["editor"]}
    )
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    assert push(clone, key_path).returncode == 0
    edit_policy(clone, semver_policy=False)
    before = refs(example_store)
    out = push(clone, alice)
    assert out.returncode != 0
    assert "signer 'alice'" in out.stderr and "registry.yaml needs an admin" in out.stderr
    assert refs(example_store) == before


def test_other_changes_need_no_signature_under_the_default_policy(clone: Path) -> None:
    (clone / "README.md").write_text("# The event contracts of the ritual service\n")
    out = push(clone, None)
    assert out.returncode == 0, out.stderr
