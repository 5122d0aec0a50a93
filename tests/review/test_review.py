"""`registry review` and `registry changelog` on a real clone and store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from support import git, registry_cli

from registry.git.store import Store
from registry.write.publish import ContractInput, Writer, publish_contract

pytestmark = pytest.mark.git

RITUAL = Path("contracts/ritual.started")


@pytest.fixture
def work(tmp_path: Path, example_store: Store) -> Path:
    path = tmp_path / "work"
    git("clone", "-q", f"file://{example_store.path}", str(path))
    git("checkout", "-q", "-b", "proposal", cwd=path)
    return path


def change(work: Path, version: str, edit) -> None:
    schema = work / RITUAL / "schema.json"
    doc = json.loads(schema.read_text())
    edit(doc)
    schema.write_text(json.dumps(doc, indent=2))
    meta = yaml.safe_load((work / RITUAL / "contract.yaml").read_text())
    meta["version"] = version
    (work / RITUAL / "contract.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    git("commit", "-qam", "change", cwd=work)


def test_a_compatible_proposal_reviews_green_with_the_new_version(work: Path) -> None:
    change(work, "1.1.0", lambda d: d["properties"].update(note={"type": "string"}))
    out = registry_cli("review", "origin/main", "HEAD", "--repo", str(work))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "would accept" in out.stdout
    assert "contracts/ritual.started/1.1.0" in out.stdout
    assert "1.0.0 → 1.1.0" in out.stdout


def test_a_breaking_proposal_names_the_version_it_needs(work: Path) -> None:
    def drop(d: dict) -> None:
        d["properties"].pop("runId")
        d["required"].remove("runId")

    change(work, "1.1.0", drop)
    md = registry_cli("review", "origin/main", "HEAD", "--repo", str(work))
    assert md.returncode == 1
    assert "needs version 2.0.0, got 1.1.0" in md.stdout
    data = json.loads(
        registry_cli("review", "origin/main", "HEAD", "--repo", str(work), "--format", "json").stdout
    )
    assert data["accepted"] is False
    [contract] = data["contracts"]
    assert contract["lint"]["requiredBump"] == "major" and contract["lint"]["compatible"] is False
    gh = registry_cli("review", "origin/main", "HEAD", "--repo", str(work), "--format", "github")
    assert gh.stdout.startswith(
        "::error file=contracts/ritual.started/contract.yaml,title=version.breaking::"
    )


def test_an_unknown_revision_is_bad_input(work: Path) -> None:
    out = registry_cli("review", "no-such-branch", "HEAD", "--repo", str(work))
    assert out.returncode == 2 and "unknown revision 'no-such-branch'" in out.stderr


def test_changelog_lists_every_version_newest_first(empty_store: Store, writer: Writer) -> None:
    base = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
    publish_contract(
        empty_store, ContractInput("order.placed", "1.0.0", json.dumps(base)), writer=writer, door="cli"
    )
    grown = {**base, "properties": {**base["properties"], "total": {"type": "number"}}}
    publish_contract(
        empty_store, ContractInput("order.placed", "1.1.0", json.dumps(grown)), writer=writer, door="cli"
    )
    out = registry_cli("changelog", str(empty_store.path), "order.placed")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.index("## 1.1.0") < text.index("## 1.0.0")
    assert "total" in text and "First version." in text
    missing = registry_cli("changelog", str(empty_store.path), "nope")
    assert missing.returncode == 1 and "no published versions" in missing.stderr


def test_a_breaking_proposal_shows_an_example_instance_in_every_format(work: Path) -> None:
    def drop(d: dict) -> None:  # FULL mode: an event without runId is now valid, and was not
        d["properties"].pop("runId")
        d["required"].remove("runId")

    change(work, "1.1.0", drop)
    outputs = {
        fmt: registry_cli("review", "origin/main", "HEAD", "--repo", str(work), "--format", fmt)
        for fmt in ("markdown", "json", "github")
    }
    assert all(out.returncode == 1 for out in outputs.values())
    assert "for example" in outputs["markdown"].stdout
    assert "for example" in outputs["github"].stdout
    problems = json.loads(outputs["json"].stdout)["problems"]
    assert any("for example" in p["message"] for p in problems if p["code"] == "version.breaking")
