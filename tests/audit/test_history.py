"""verify reports a contract version that main's history holds with two contents."""

from __future__ import annotations

import json

import pytest
from support import registry_cli

from registry.audit.history import replacements
from registry.git.store import Identity, Store
from registry.trust.sshsig import SigningKey

pytestmark = pytest.mark.git
RITUAL = "contracts/ritual.started"


def land_without_the_gate(store: Store, key: SigningKey, files: dict[str, bytes]) -> None:
    """What a store could suffer before accepted versions counted as published: main moved
    straight to a commit that rewrites a published version."""
    head = store.head()
    tree = store.write_tree(head, files)
    commit = store.write_commit(
        tree=tree, parents=[head], message="rewrite", author=Identity(), committer=Identity(), key=key
    )
    store.advance(expected=head, new=commit, tags={}, reflog="rewrite")


def test_a_replaced_version_is_reported_by_verify(example_store: Store, key: SigningKey) -> None:
    assert replacements(example_store) == []
    snap = example_store.snapshot(example_store.head())
    schema = json.loads(snap.read(f"{RITUAL}/schema.json"))
    schema["properties"]["sneaky"] = {"type": "string"}
    land_without_the_gate(example_store, key, {f"{RITUAL}/schema.json": json.dumps(schema).encode()})
    found = replacements(example_store)
    assert [(r.name, r.version) for r in found] == [("ritual.started", "1.0.0")]
    out = registry_cli("verify", str(example_store.path))
    assert out.returncode == 1
    assert "contracts/ritual.started/1.0.0" in out.stderr and "was replaced on main" in out.stderr


def test_deprecation_is_not_a_replacement(example_store: Store, key: SigningKey) -> None:
    snap = example_store.snapshot(example_store.head())
    meta = snap.read(f"{RITUAL}/contract.yaml") + b"deprecated: true\nsunset: '2027-01-31'\n"
    land_without_the_gate(example_store, key, {f"{RITUAL}/contract.yaml": meta})
    assert replacements(example_store) == []
