"""`registry review` in a clone whose version tags are behind main: it fetches them, or refuses loudly.

Before, a clone that fetched ``main`` without the tags of the last accepted push compared a
change with an older version and asked for the wrong bump.
"""

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
def stale(tmp_path: Path, example_store: Store, writer: Writer) -> Path:
    """A clone made before 1.1.0 was published, then fast-forwarded to main without its tags."""
    work = tmp_path / "work"
    git("clone", "-q", f"file://{example_store.path}", str(work))
    text = example_store.snapshot(example_store.head()).read(f"{RITUAL}/schema.json")
    assert text is not None
    schema = json.loads(text)
    schema["properties"]["note"] = {"type": "string"}
    publish_contract(
        example_store, ContractInput("ritual.started", "1.1.0", json.dumps(schema)), writer=writer, door="cli"
    )
    git("fetch", "-q", "--no-tags", "origin", "+refs/heads/main:refs/remotes/origin/main", cwd=work)
    git("checkout", "-q", "-b", "proposal", "origin/main", cwd=work)
    assert "contracts/ritual.started/1.1.0" not in git("tag", "-l", cwd=work).stdout
    # A patch on top of 1.1.0: a clearer description.
    schema_path = work / RITUAL / "schema.json"
    doc = json.loads(schema_path.read_text())
    doc["description"] = "Emitted once when a ritual run starts (clarified)."
    schema_path.write_text(json.dumps(doc, indent=2))
    meta = yaml.safe_load((work / RITUAL / "contract.yaml").read_text())
    meta["version"] = "1.1.1"
    (work / RITUAL / "contract.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    git("commit", "-qam", "clarify", cwd=work)
    return work


def test_review_fetches_the_tags_it_lacks_and_compares_with_the_published_version(stale: Path) -> None:
    out = registry_cli("review", "origin/main", "HEAD", "--repo", str(stale))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1.1.0 → 1.1.1" in out.stdout
    assert "contracts/ritual.started/1.1.0" in git("tag", "-l", cwd=stale).stdout


def test_without_fetching_a_review_on_stale_tags_refuses_loudly(stale: Path) -> None:
    out = registry_cli("review", "origin/main", "HEAD", "--repo", str(stale), "--no-fetch")
    assert out.returncode == 2, out.stdout + out.stderr
    assert "tags are behind main's history" in out.stderr and "contracts/ritual.started/1.1.0" in out.stderr
    assert "git fetch --tags origin" in out.stderr
    assert out.stdout == ""
