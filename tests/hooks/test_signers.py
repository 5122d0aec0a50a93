"""Signer policy: when registry.yaml requires it, every commit pushed to main is signed by a
listed signer whose role and tenants allow the paths it touches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support import EXAMPLE_STORE, git, refs

from registry.git.store import Store
from registry.trust.sshsig import SigningKey
from registry.write.bootstrap import init_store
from registry.write.publish import Writer

pytestmark = pytest.mark.git


@pytest.fixture
def people(tmp_path: Path) -> dict[str, Path]:
    keys = {}
    for name in ("alice", "mallory"):
        path = tmp_path / "people" / name
        path.parent.mkdir(exist_ok=True)
        SigningKey.generate().save(path, comment=name)
        keys[name] = path
    return keys


@pytest.fixture
def clone(tmp_path: Path, key: SigningKey, key_path: Path, writer: Writer, people: dict[str, Path]) -> Path:
    source = tmp_path / "source"
    shutil.copytree(EXAMPLE_STORE, source)
    policy = yaml.safe_load((source / "registry.yaml").read_text())
    policy["require_signed_commits"] = True
    policy["signers"] = [
        {
            "principal": "alice",
            "key": Path(f"{people['alice']}.pub").read_text().strip(),
            "roles": ["editor"],
            "tenants": ["acme"],
        }
    ]
    (source / "registry.yaml").write_text(yaml.safe_dump(policy))
    store, _ = init_store(tmp_path / "store.git", key=key, key_path=key_path, writer=writer, from_dir=source)
    work = tmp_path / "work"
    git("clone", "-q", f"file://{store.path}", str(work))
    return work


def store_of(work: Path) -> Store:
    return Store.open(git("config", "remote.origin.url", cwd=work).stdout.strip().removeprefix("file://"))


def touch_capsule(work: Path, tenant: str) -> None:
    capsule = next((work / "capsules" / tenant).iterdir()) / "capsule.yaml"
    doc = yaml.safe_load(capsule.read_text())
    doc["metadata"]["description"] = f"{doc['metadata'].get('description', '')} (revised)"
    capsule.write_text(yaml.safe_dump(doc))


def push(work: Path, signer: Path | None):
    git("add", "-A", cwd=work)
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={signer}"] if signer else []
    git(*sign, "commit", "-q", *(["-S"] if signer else []), "-m", "change", cwd=work)
    return git("push", "origin", "HEAD:main", cwd=work, check=False)


def test_a_listed_signer_within_its_tenant_is_accepted(clone: Path, people: dict[str, Path]) -> None:
    touch_capsule(clone, "acme")
    out = push(clone, people["alice"])
    assert out.returncode == 0, out.stderr


def test_an_unsigned_commit_is_refused(clone: Path) -> None:
    before = refs(store_of(clone))
    touch_capsule(clone, "acme")
    out = push(clone, None)
    assert out.returncode != 0 and "is not signed" in out.stderr
    assert refs(store_of(clone)) == before


def test_an_unlisted_signer_is_refused(clone: Path, people: dict[str, Path]) -> None:
    touch_capsule(clone, "acme")
    out = push(clone, people["mallory"])
    assert out.returncode != 0 and "not a listed signer" in out.stderr


def test_a_signer_outside_its_tenant_is_refused(clone: Path, people: dict[str, Path]) -> None:
    before = refs(store_of(clone))
    touch_capsule(clone, "globex")
    out = push(clone, people["alice"])
    assert out.returncode != 0
    assert "signer 'alice'" in out.stderr and "capsules/globex/" in out.stderr
    assert refs(store_of(clone)) == before


def test_changing_the_policy_needs_an_admin(clone: Path, people: dict[str, Path]) -> None:
    policy = clone / "registry.yaml"
    policy.write_text(
        policy.read_text().replace("require_signed_commits: true", "require_signed_commits: false")
    )
    out = push(clone, people["alice"])
    assert out.returncode != 0 and "registry.yaml" in out.stderr and "admin" in out.stderr
