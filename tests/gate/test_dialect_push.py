"""The push door reads a schema without ``$schema`` as 2020-12, like every other door."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from support import git, refs

from registry.git.store import Store

pytestmark = pytest.mark.git


def test_a_pushed_tuple_items_array_is_refused_naming_the_schema_to_add(
    example_store: Store, clone: Path
) -> None:
    where = clone / "contracts" / "tuple.event"
    where.mkdir(parents=True)
    (where / "schema.json").write_text(json.dumps({"type": "array", "items": [{"type": "string"}]}))
    (where / "contract.yaml").write_text(yaml.safe_dump({"name": "tuple.event", "version": "1.0.0"}))
    git("add", "-A", cwd=clone)
    git("commit", "-q", "-m", "tuple", cwd=clone)
    before = refs(example_store)
    out = git("push", "origin", "HEAD:main", cwd=clone, check=False)
    assert out.returncode != 0
    assert "schema.metaschema[items]" in out.stderr
    assert '"$schema": "http://json-schema.org/draft-07/schema#"' in out.stderr
    assert refs(example_store) == before
