"""The push door reads a schema without ``$schema`` in the store's ``default_dialect``: 2020-12
unless ``registry.yaml`` says otherwise, like every other door."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import git, refs, registry_cli

from registry.git.store import Store

pytestmark = pytest.mark.git

DRAFT7 = "http://json-schema.org/draft-07/schema#"
TUPLE = {"type": "array", "items": [{"type": "string"}]}
#: The same tuple with its one item's type changed: a break, when ``items`` is read as a tuple.
TUPLE_CHANGED = {"type": "array", "items": [{"type": "integer"}]}


def write_contract(work: Path, name: str, version: str, schema: Any, **meta: str) -> None:
    where = work / "contracts" / name
    where.mkdir(parents=True, exist_ok=True)
    (where / "schema.json").write_text(json.dumps(schema))
    (where / "contract.yaml").write_text(yaml.safe_dump({"name": name, "version": version, **meta}))


def push(work: Path, signer: Path | None = None) -> subprocess.CompletedProcess[str]:
    git("add", "-A", cwd=work)
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={signer}"] if signer else []
    git(*sign, "commit", "-q", *(["-S"] if signer else []), "-m", "change", cwd=work)
    return git("push", "origin", "HEAD:main", cwd=work, check=False)


def push_dialect(work: Path, dialect: str, signer: Path | None) -> subprocess.CompletedProcess[str]:
    """Set ``default_dialect`` in registry.yaml and push it (signed by ``signer`` when given)."""
    path = work / "registry.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["default_dialect"] = dialect
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return push(work, signer)


def test_a_pushed_tuple_items_array_is_refused_naming_the_schema_to_add(
    example_store: Store, clone: Path
) -> None:
    write_contract(clone, "tuple.event", "1.0.0", TUPLE)
    before = refs(example_store)
    out = push(clone)
    assert out.returncode != 0
    assert "schema.metaschema[items]" in out.stderr
    assert '"$schema": "http://json-schema.org/draft-07/schema#"' in out.stderr
    assert refs(example_store) == before


def test_a_store_reading_draft_7_accepts_the_tuple_and_compares_it_as_one(
    example_store: Store, clone: Path, key_path: Path
) -> None:
    assert yaml.safe_load((clone / "registry.yaml").read_text())["default_dialect"] == "2020-12"
    out = push_dialect(clone, "draft-07", key_path)
    assert out.returncode == 0, out.stderr
    write_contract(clone, "tuple.event", "1.0.0", TUPLE)
    out = push(clone)
    assert out.returncode == 0, out.stderr
    # Read as draft 7, never rewritten: the stored file is the one pushed.
    stored = example_store.snapshot(example_store.head()).read("contracts/tuple.event/schema.json")
    assert stored == json.dumps(TUPLE).encode()
    # Its one item changed type: a break the linter finds only when `items` is a tuple.
    write_contract(clone, "tuple.event", "1.1.0", TUPLE_CHANGED)
    before = refs(example_store)
    out = push(clone)
    assert out.returncode != 0
    assert "version.breaking" in out.stderr and "needs version 2.0.0, got 1.1.0" in out.stderr
    assert "'/items/0' type changed from string to integer" in out.stderr
    assert 'for example [""] was valid and is now rejected' in out.stderr  # the witness, read as draft 7
    assert refs(example_store) == before


def test_an_unknown_default_dialect_is_refused_naming_the_field_the_rule_and_the_choices(
    example_store: Store, clone: Path, key_path: Path
) -> None:
    before = refs(example_store)
    out = push_dialect(clone, "draft-2099", key_path)
    assert out.returncode != 0
    assert "registry.yaml" in out.stderr and "policy.value[default_dialect]" in out.stderr
    assert "must be one of 2020-12, 2019-09, draft-07, draft-06, draft-04" in out.stderr
    assert refs(example_store) == before


def test_changing_the_default_dialect_needs_an_admin_signature(example_store: Store, clone: Path) -> None:
    before = refs(example_store)
    out = push_dialect(clone, "draft-07", None)
    assert out.returncode != 0 and "is not signed" in out.stderr
    assert refs(example_store) == before


def test_the_default_dialect_never_changes_what_a_published_schema_means(
    example_store: Store, clone: Path, key_path: Path
) -> None:
    assert push_dialect(clone, "draft-07", key_path).returncode == 0
    write_contract(clone, "tuple.event", "1.0.0", TUPLE)
    assert push(clone).returncode == 0
    before = refs(example_store)
    out = push_dialect(clone, "2020-12", key_path)
    assert out.returncode != 0
    assert "policy.value[default_dialect]" in out.stderr and "tuple.event 1.0.0" in out.stderr
    assert refs(example_store) == before


def test_a_store_founded_on_draft_7_imports_its_tuples(tmp_path: Path) -> None:
    """``registry init --from``: the first commit is read in the dialect its own registry.yaml names."""
    source = tmp_path / "source"
    write_contract(source, "tuple.event", "1.0.0", TUPLE)
    for dialect, accepted in (("draft-07", True), ("2020-12", False)):
        (source / "registry.yaml").write_text(f"default_dialect: {dialect}\n")
        out = registry_cli("init", str(tmp_path / f"{dialect}.git"), "--from", str(source))
        assert (out.returncode == 0) is accepted, out.stderr
    assert '"$schema": "http://json-schema.org/draft-07/schema#"' in out.stderr
