"""The landing seam: every door that makes versions reports them once, and a version accepted
on main is published (immutable) before its tag exists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from support import git, registry_cli

from registry.gate.accepted import TAGGED_MARK, accepted
from registry.gate.published import contract_versions
from registry.git.store import Identity, Store
from registry.trust.sshsig import SigningKey
from registry.write.bootstrap import install_hooks
from registry.write.landing import Landing, land_pending
from registry.write.publish import ContractInput, Writer, publish_capsule, publish_contract

pytestmark = pytest.mark.git
RITUAL = "contracts/ritual.started"


def push_untagged(store: Store, clone: Path, key_path: Path, version: str, prop: str) -> str:
    """Push a new contract version while post-receive cannot tag (its key is unreadable)."""
    store.set_config("registry.signingKey", f"{key_path}.missing")
    schema = json.loads((clone / RITUAL / "schema.json").read_text())
    schema["properties"][prop] = {"type": "string"}
    (clone / RITUAL / "schema.json").write_text(json.dumps(schema, indent=2))
    meta = yaml.safe_load((clone / RITUAL / "contract.yaml").read_text())
    meta["version"] = version
    (clone / RITUAL / "contract.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", f"ritual {version}", cwd=clone)
    out = git("push", "origin", "HEAD:main", cwd=clone, check=False)
    assert out.returncode == 0, out.stderr
    assert "versions of this push were not tagged" in out.stderr
    store.set_config("registry.signingKey", str(key_path))
    return git("rev-parse", "HEAD", cwd=clone).stdout.strip()


def test_a_publish_lands_through_the_seam_once(example_store: Store, writer: Writer) -> None:
    seen: list[Landing] = []
    schema = json.dumps({"type": "object", "properties": {"id": {"type": "string"}}})
    result = publish_contract(
        example_store,
        ContractInput("seam.event", "1.0.0", schema),
        writer=writer,
        on_landed=seen.append,
        door="cli",
    )
    assert [(v.version.tag_name, str(v.commit)) for landing in seen for v in landing.versions] == [
        ("contracts/seam.event/1.0.0", result.commit)
    ]
    assert seen[0].door == "cli" and result.landing is seen[0]
    # With nothing pending, the tagged mark follows main in the same transaction.
    assert str(example_store.repo.references[TAGGED_MARK].target) == result.commit


def test_a_version_accepted_but_untagged_is_already_published(
    example_store: Store, clone: Path, key_path: Path, writer: Writer, tmp_path: Path
) -> None:
    pushed = push_untagged(example_store, clone, key_path, "1.1.0", "note")
    assert [p.version for p in accepted(example_store).contract("ritual.started")][-1] == "1.1.0"
    assert "1.1.0" not in {p.version for p in contract_versions(example_store, "ritual.started")}
    other = json.loads((clone / RITUAL / "schema.json").read_text())
    other["properties"]["other"] = {"type": "integer"}
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other))
    out = registry_cli(
        "publish", "contract", "--name", "ritual.started", "--version", "1.1.0",
        "--json-schema", str(path), "--store", str(example_store.path),
    )  # fmt: skip
    assert out.returncode == 1 and "already exists" in out.stderr
    assert str(example_store.head()) == pushed
    # The repair tags the version at the commit that brought it, and the mark moves on.
    seen: list[Landing] = []
    landing = land_pending(
        example_store,
        upto=example_store.head(),
        key=SigningKey.load(key_path),
        tagger=Identity(),
        door="repair",
        on_landed=seen.append,
    )
    assert [(v.version.tag_name, str(v.commit)) for v in landing.versions] == [
        ("contracts/ritual.started/1.1.0", pushed)
    ]
    assert seen == [landing]
    assert str(example_store.repo.references[TAGGED_MARK].target) == pushed
    assert accepted(example_store).pending == []


def test_a_pending_capsule_version_counts_when_numbering_the_next(
    example_store: Store, clone: Path, key_path: Path, writer: Writer
) -> None:
    capsule = next((clone / "capsules" / "acme").iterdir())
    tagged = accepted(example_store).capsule("acme", capsule.name)
    doc = yaml.safe_load((capsule / "capsule.yaml").read_text())
    doc["metadata"]["description"] = "revised once"
    (capsule / "capsule.yaml").write_text(yaml.safe_dump(doc))
    example_store.set_config("registry.signingKey", f"{key_path}.missing")
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", "capsule", cwd=clone)
    assert git("push", "origin", "HEAD:main", cwd=clone, check=False).returncode == 0
    example_store.set_config("registry.signingKey", str(key_path))
    doc["metadata"]["description"] = "revised twice"
    result = publish_capsule(example_store, "acme", yaml.safe_dump(doc).encode(), writer=writer, door="cli")
    numbers = [int(v.version) for v in result.versions]
    assert numbers == [int(tagged[-1].version) + 2]


def test_reinstalling_the_hooks_marks_a_fully_tagged_store_from_before_the_mark(example_store: Store) -> None:
    example_store.repo.references.delete(TAGGED_MARK)
    install_hooks(example_store)
    assert example_store.repo.references[TAGGED_MARK].target == example_store.head()


def test_a_clone_under_review_has_no_pending_versions(example_store: Store, clone: Path) -> None:
    """The reflog of a clone records local commits; only a store's reflog records acceptances."""
    schema = json.loads((clone / RITUAL / "schema.json").read_text())
    schema["properties"]["note"] = {"type": "string"}
    (clone / RITUAL / "schema.json").write_text(json.dumps(schema))
    meta = yaml.safe_load((clone / RITUAL / "contract.yaml").read_text())
    meta["version"] = "1.1.0"
    (clone / RITUAL / "contract.yaml").write_text(yaml.safe_dump(meta))
    git("commit", "-qam", "local", cwd=clone)
    local = Store.open(clone / ".git")
    assert accepted(local).pending == []
    out = registry_cli("review", "origin/main", "HEAD", "--repo", str(clone), "--format", "json")
    report = json.loads(out.stdout)
    assert report["versions"] == ["contracts/ritual.started/1.1.0"], out.stdout
