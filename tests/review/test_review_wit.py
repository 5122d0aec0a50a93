"""`registry review` and `registry changelog` show a contract's WIT changes with its schema's."""

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
STARTED = "  started: func(event: ritual-started) -> result<_, string>;\n"


@pytest.fixture
def work(tmp_path: Path, example_store: Store) -> Path:
    path = tmp_path / "work"
    git("clone", "-q", f"file://{example_store.path}", str(path))
    git("checkout", "-q", "-b", "proposal", cwd=path)
    return path


def test_a_removed_wit_function_is_reviewed_as_a_break_naming_it(work: Path) -> None:
    wit = work / RITUAL / "ritual.wit"
    wit.write_text(wit.read_text().replace(STARTED, ""))
    meta = yaml.safe_load((work / RITUAL / "contract.yaml").read_text())
    meta["version"] = "1.1.0"
    (work / RITUAL / "contract.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    git("commit", "-qam", "drop started", cwd=work)
    md = registry_cli("review", "origin/main", "HEAD", "--repo", str(work))
    assert md.returncode == 1
    assert "WIT function 'events.started' removed" in md.stdout
    assert "`wit_function_removed`" in md.stdout and "needs version 2.0.0, got 1.1.0" in md.stdout
    data = json.loads(
        registry_cli("review", "origin/main", "HEAD", "--repo", str(work), "--format", "json").stdout
    )
    [contract] = data["contracts"]
    [change] = contract["lint"]["breaking"]
    assert change["path"] == "wit:/interfaces/events/functions/started"
    assert (change["importers"], change["exporters"]) == (False, True)
    assert change["witness"].startswith("calling `events.started(")


API = (
    "package shop:orders@1.0.0;\n\n"
    "interface api {\n  place: func(id: string);\n  cancel: func(id: string);\n}\n"
)


def test_changelog_lists_wit_changes(empty_store: Store, writer: Writer) -> None:
    schema = json.dumps({"type": "object"})
    first = ContractInput("order.placed", "1.0.0", schema, wit=("orders.wit", API))
    publish_contract(empty_store, first, writer=writer, door="cli")
    fewer = API.replace("  cancel: func(id: string);\n", "")
    publish_contract(
        empty_store,
        ContractInput("order.placed", "1.1.0", schema, wit=("orders.wit", fewer)),
        writer=writer,
        door="cli",
    )
    out = registry_cli("changelog", str(empty_store.path), "order.placed")
    assert out.returncode == 0, out.stderr
    assert "WIT function 'api.cancel' removed (`wit:/interfaces/api/functions/cancel`)" in out.stdout
