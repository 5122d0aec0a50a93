"""The push gate: real `git push` over file:// to a bare store with the real hooks installed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from support import git, refs, registry_cli, verify_with_git

from registry.git.store import Store

pytestmark = pytest.mark.git


def edit_json(path: Path, change) -> None:
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc, indent=2) + "\n")


def edit_yaml(path: Path, **fields: object) -> None:
    doc = yaml.safe_load(path.read_text())
    doc.update(fields)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def commit_and_push(work: Path, message: str = "change", *push_args: str, ref: str = "main"):
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", message, cwd=work)
    return git("push", *push_args, "origin", f"HEAD:{ref}", cwd=work, check=False)


RITUAL = "contracts/ritual.started"


def add_optional_property(doc: dict) -> None:
    doc["properties"]["note"] = {"type": "string"}


def test_a_compatible_change_with_a_minor_bump_lands_and_is_tagged(
    store: Store, clone: Path, allowed_signers: Path
) -> None:
    edit_json(clone / RITUAL / "schema.json", add_optional_property)
    edit_yaml(clone / RITUAL / "contract.yaml", version="1.1.0")
    out = commit_and_push(clone)
    assert out.returncode == 0, out.stderr
    assert "tagged contracts/ritual.started/1.1.0" in out.stderr
    head = git("rev-parse", "HEAD", cwd=clone).stdout.strip()
    assert refs(store)["refs/heads/main"] == head
    tag = verify_with_git(store, allowed_signers, "tag", "contracts/ritual.started/1.1.0")
    assert tag.returncode == 0, tag.stderr
    assert (
        git(f"--git-dir={store.path}", "rev-parse", "contracts/ritual.started/1.1.0^{commit}").stdout.strip()
        == head
    )
    assert git(f"--git-dir={store.path}", "fsck", "--strict").returncode == 0


def test_a_breaking_change_names_the_version_it_needs_and_changes_nothing(store: Store, clone: Path) -> None:
    before = refs(store)
    edit_json(clone / RITUAL / "schema.json", lambda d: d["required"].remove("runId"))
    edit_json(clone / RITUAL / "schema.json", lambda d: d["properties"].pop("runId"))
    edit_yaml(clone / RITUAL / "contract.yaml", version="1.1.0")
    out = commit_and_push(clone)
    assert out.returncode != 0
    assert "pre-receive hook declined" in out.stderr
    assert "contracts/ritual.started" in out.stderr and "needs version 2.0.0, got 1.1.0" in out.stderr
    assert refs(store) == before


def test_the_same_breaking_change_with_a_major_bump_lands(store: Store, clone: Path) -> None:
    edit_json(clone / RITUAL / "schema.json", lambda d: d["properties"].pop("runId"))
    edit_json(clone / RITUAL / "schema.json", lambda d: d["required"].remove("runId"))
    edit_yaml(clone / RITUAL / "contract.yaml", version="2.0.0")
    out = commit_and_push(clone)
    assert out.returncode == 0, out.stderr
    assert "refs/tags/contracts/ritual.started/2.0.0" in refs(store)


def test_every_problem_of_a_push_is_reported_at_once(store: Store, clone: Path) -> None:
    before = refs(store)
    (clone / RITUAL / "schema.json").write_text("{not json")
    capsule = next((clone / "capsules" / "acme").iterdir()) / "capsule.yaml"
    doc = yaml.safe_load(capsule.read_text())
    doc["spec"]["timeout"] = 0
    capsule.write_text(yaml.safe_dump(doc))
    (clone / "contracts" / "stray.json").write_text("{}")
    out = commit_and_push(clone)
    assert out.returncode != 0
    assert f"{RITUAL}/schema.json" in out.stderr
    assert "timeout" in out.stderr
    assert "contracts/stray.json" in out.stderr
    assert "3 problems" in out.stderr or "problems)" in out.stderr
    assert refs(store) == before


def test_published_content_never_changes_without_a_bump(store: Store, clone: Path) -> None:
    before = refs(store)
    edit_json(clone / RITUAL / "schema.json", add_optional_property)
    out = commit_and_push(clone)
    assert out.returncode != 0
    assert "1.0.0 is published and its content never changes; this change needs version 1.1.0" in out.stderr
    assert refs(store) == before


def test_deprecating_a_published_version_needs_no_bump(store: Store, clone: Path) -> None:
    edit_yaml(clone / RITUAL / "contract.yaml", deprecated=True, sunset="2027-01-01")
    out = commit_and_push(clone)
    assert out.returncode == 0, out.stderr


def test_deleting_a_published_contract_is_refused(store: Store, clone: Path) -> None:
    shutil.rmtree(clone / RITUAL)
    out = commit_and_push(clone)
    assert out.returncode != 0 and "never deleted" in out.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("push", "origin", "HEAD:refs/tags/contracts/ritual.started/9.9.9"), "registry creates them"),
        (("push", "origin", ":refs/tags/contracts/ritual.started/1.0.0"), "never deleted"),
        (("push", "origin", ":main"), "cannot be deleted"),
    ],
    ids=["create-version-tag", "delete-version-tag", "delete-main"],
)
def test_immutable_refs_stay_put(store: Store, clone: Path, args: tuple[str, ...], words: str) -> None:
    before = refs(store)
    out = git(*args, cwd=clone, check=False)
    assert out.returncode != 0
    assert words in out.stderr
    assert refs(store) == before


def test_a_forced_rewrite_of_main_is_refused(store: Store, clone: Path) -> None:
    (clone / "README.md").write_text("hello\n")
    assert commit_and_push(clone).returncode == 0
    before = refs(store)
    git("reset", "-q", "--hard", "HEAD~1", cwd=clone)
    (clone / "docs").mkdir()
    (clone / "docs" / "other.md").write_text("x\n")
    out = commit_and_push(clone, "rewrite", "--force")
    assert out.returncode != 0 and "only moves forward" in out.stderr
    assert refs(store) == before


def test_a_proposal_branch_is_accepted_with_the_verdict_shown(store: Store, clone: Path) -> None:
    edit_json(clone / RITUAL / "schema.json", lambda d: d["properties"].pop("runId"))
    out = commit_and_push(clone, "wip", ref="refs/heads/feature")
    assert out.returncode == 0, out.stderr
    assert "proposal feature accepted as a proposal; on main it would be refused:" in out.stderr
    assert "refs/heads/feature" in refs(store)


def test_dry_run_reports_and_changes_nothing(store: Store, clone: Path) -> None:
    before = refs(store)
    edit_json(clone / RITUAL / "schema.json", add_optional_property)
    edit_yaml(clone / RITUAL / "contract.yaml", version="1.1.0")
    out = commit_and_push(clone, "try", "-o", "registry.dry-run")
    assert out.returncode != 0
    assert "dry run" in out.stderr and "contracts/ritual.started/1.1.0 (new version)" in out.stderr
    assert refs(store) == before


def test_one_push_with_several_versions_tags_them_all(store: Store, clone: Path) -> None:
    edit_json(clone / RITUAL / "schema.json", add_optional_property)
    edit_yaml(clone / RITUAL / "contract.yaml", version="1.1.0")
    capsule = clone / "capsules" / "globex" / "weekly-report" / "capsule.yaml"
    doc = yaml.safe_load(capsule.read_text())
    doc["metadata"]["description"] = "Weekly report, now on Mondays"
    capsule.write_text(yaml.safe_dump(doc))
    out = commit_and_push(clone)
    assert out.returncode == 0, out.stderr
    after = refs(store)
    assert "refs/tags/contracts/ritual.started/1.1.0" in after
    assert "refs/tags/capsules/globex/weekly-report/2" in after


def test_a_tagging_failure_is_loud_and_repairable(store: Store, clone: Path, key_path: Path) -> None:
    store.set_config("registry.signingKey", f"{key_path}.missing")
    edit_json(clone / RITUAL / "schema.json", add_optional_property)
    edit_yaml(clone / RITUAL / "contract.yaml", version="1.1.0")
    out = commit_and_push(clone)
    assert out.returncode == 0, out.stderr
    assert "versions of this push were not tagged" in out.stderr and "tag-missing" in out.stderr
    verify = registry_cli("verify", str(store.path))
    assert verify.returncode == 1
    assert "contracts/ritual.started/1.1.0: accepted on main but not tagged" in verify.stderr
    store.set_config("registry.signingKey", str(key_path))
    repair = registry_cli("tag-missing", str(store.path))
    assert repair.returncode == 0 and "tagged refs/tags/contracts/ritual.started/1.1.0" in repair.stdout
    assert registry_cli("verify", str(store.path)).returncode == 0
