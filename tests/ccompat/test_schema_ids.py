"""Schema ids come from main's history: the same on every replica, append-only, never a counter."""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
from pathlib import Path

import pytest
from ccompat.conftest import stored_schema, with_note
from support import git

from registry.git.store import Store
from registry.index.build import build
from registry.index.schema_ids import SchemaIds, SchemaIdTable
from registry.index.snapshot import IndexSnapshot
from registry.write.publish import ContractInput, Writer, publish_contract


def numbering(table: SchemaIdTable) -> list[tuple[int, str, str, int]]:
    return [(n.schema_id, n.subject, n.entry.version, n.subject_version) for n in table.by_id]


def publish(store: Store, writer: Writer, name: str, version: str, schema: dict[str, object]) -> None:
    publish_contract(store, ContractInput(name, version, json.dumps(schema)), writer=writer, door="cli")


def reworded(schema: dict[str, object], text: str) -> dict[str, object]:
    changed = copy.deepcopy(schema)
    changed["description"] = text  # an annotation: a patch version
    return changed


def test_versions_that_landed_together_are_numbered_by_name(example_store: Store) -> None:
    table = SchemaIds(example_store.path).table(build(example_store))
    assert numbering(table) == [
        (1, "approval.granted", "v1", 1),
        (2, "graph.commit.created", "0.3.1", 1),
        (3, "ritual.started", "1.0.0", 1),
    ]


def test_later_versions_are_numbered_in_publication_order_not_by_name(
    example_store: Store, writer: Writer
) -> None:
    ids = SchemaIds(example_store.path)
    ids.table(build(example_store))
    publish(
        example_store,
        writer,
        "ritual.started",
        "1.0.1",
        reworded(stored_schema(example_store, "ritual.started"), "r"),
    )
    publish(
        example_store,
        writer,
        "approval.granted",
        "1.0.1",
        reworded(stored_schema(example_store, "approval.granted"), "a"),
    )
    table = ids.table(build(example_store))
    assert numbering(table)[3:] == [(4, "ritual.started", "1.0.1", 2), (5, "approval.granted", "1.0.1", 2)]
    assert table.schema(4) == table.version("ritual.started", "1.0.1")
    assert table.schema(6) is None and table.schema(0) is None


def test_a_replica_computes_the_same_ids_from_scratch(
    tmp_path: Path, example_store: Store, writer: Writer
) -> None:
    """One process followed every publish; a mirror clone numbers its whole history at once."""
    ids = SchemaIds(example_store.path)
    ids.table(build(example_store))
    ritual = stored_schema(example_store, "ritual.started")
    publish(example_store, writer, "ritual.started", "1.1.0", with_note(ritual))
    ids.table(build(example_store))
    publish(
        example_store,
        writer,
        "graph.commit.created",
        "0.3.2",
        reworded(stored_schema(example_store, "graph.commit.created"), "g"),
    )
    followed = ids.table(build(example_store))
    mirror = tmp_path / "mirror.git"
    git("clone", "-q", "--mirror", f"file://{example_store.path}", str(mirror))
    replica = Store.open(mirror)
    assert numbering(SchemaIds(mirror).table(build(replica))) == numbering(followed)


def test_a_maintenance_release_is_the_next_subject_version(example_store: Store, writer: Writer) -> None:
    """2.0.0, then 1.1.0 on the older line: subject versions follow publication, not SemVer."""
    ritual = stored_schema(example_store, "ritual.started")
    breaking = copy.deepcopy(ritual)
    breaking["required"] = [*ritual["required"], "tenant"]  # type: ignore[list-item]
    publish(example_store, writer, "ritual.started", "2.0.0", breaking)
    publish(example_store, writer, "ritual.started", "1.1.0", with_note(ritual))
    table = SchemaIds(example_store.path).table(build(example_store))
    assert [(n.subject_version, n.entry.version) for n in table.subject("ritual.started")] == [
        (1, "1.0.0"),
        (2, "2.0.0"),
        (3, "1.1.0"),
    ]


def test_an_older_snapshot_is_answered_from_the_newer_table(example_store: Store, writer: Writer) -> None:
    ids = SchemaIds(example_store.path)
    old = build(example_store)
    publish(
        example_store,
        writer,
        "ritual.started",
        "1.1.0",
        with_note(stored_schema(example_store, "ritual.started")),
    )
    new_table = ids.table(build(example_store))
    assert ids.table(old) is new_table  # a request that still holds the old snapshot
    assert numbering(ids.table(build(example_store))) == numbering(new_table)


def _without(snapshot: IndexSnapshot, name: str, version: str) -> IndexSnapshot:
    entry = snapshot.contracts[name]
    kept = tuple(v for v in entry.versions if v.version != version)
    return dataclasses.replace(
        snapshot, contracts={**snapshot.contracts, name: dataclasses.replace(entry, versions=kept)}
    )


def test_a_version_tagged_late_takes_its_place_in_history_on_every_replica(
    example_store: Store, writer: Writer, caplog: pytest.LogCaptureFixture
) -> None:
    """ritual.started 1.1.0 landed before graph.commit.created 0.3.2, but its tag was written
    after the index had numbered 0.3.2 (a killed post-receive, repaired by tag-missing)."""
    publish(
        example_store,
        writer,
        "ritual.started",
        "1.1.0",
        with_note(stored_schema(example_store, "ritual.started")),
    )
    publish(
        example_store,
        writer,
        "graph.commit.created",
        "0.3.2",
        reworded(stored_schema(example_store, "graph.commit.created"), "g"),
    )
    full = build(example_store)
    ids = SchemaIds(example_store.path)
    before = ids.table(_without(full, "ritual.started", "1.1.0"))
    assert numbering(before)[3:] == [(4, "graph.commit.created", "0.3.2", 2)]
    with caplog.at_level(logging.WARNING, logger="registry.index.schema_ids"):
        after = ids.table(full)
    assert numbering(after)[3:] == [
        (4, "ritual.started", "1.1.0", 2),
        (5, "graph.commit.created", "0.3.2", 2),
    ]
    assert numbering(after) == numbering(SchemaIds(example_store.path).table(full))
    assert "moved" in caplog.text
