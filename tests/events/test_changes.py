"""Change detection: each change to the store means one event, with an id fixed by the change."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
import yaml

from registry.events.changes import Told, baseline, detect
from registry.events.cloudevents import EventType
from registry.events.history import MainHistory
from registry.git.store import Snapshot, Store
from registry.index.build import build, refresh
from registry.index.snapshot import IndexSnapshot
from registry.write.publish import ContractInput, Writer, publish, publish_capsule, publish_contract

ONBOARD = "capsules/acme/onboard-customer"
RITUAL = "contracts/ritual.started"


def told_from(snapshot: IndexSnapshot) -> Told:
    first = baseline(snapshot)
    return Told(first.head, set(first.tags), dict(first.contracts), dict(first.capsules))


def edit_yaml(store: Store, writer: Writer, path: str, **fields: object) -> str:
    """Change fields of a YAML file on main as one gated commit; the commit's id."""

    def change(snap: Snapshot) -> Mapping[str, bytes | None]:
        doc = yaml.safe_load(snap.read(path) or b"{}")
        doc.update(fields)
        return {path: yaml.safe_dump(doc, sort_keys=False).encode()}

    return publish(store, change, message=f"edit {path}", writer=writer, door="cli").commit


def schema(*props: str) -> str:
    return json.dumps({"type": "object", "properties": {p: {"type": "string"} for p in props}})


def test_a_first_start_tells_nothing_and_takes_everything_as_told(example_store: Store) -> None:
    snapshot = build(example_store)
    first = baseline(snapshot)
    assert first.events == ()
    assert set(first.tags) == set(snapshot.tags) and first.head == snapshot.head
    again = detect(told_from(snapshot), snapshot, history=MainHistory(example_store.path))
    assert again.events == () and not again.changed(told_from(snapshot))


def test_a_contract_version_is_one_event_whose_id_is_its_tags(example_store: Store, writer: Writer) -> None:
    before = build(example_store)
    told = told_from(before)
    item = ContractInput("billing.paid", "1.0.0", schema("id"))
    result = publish_contract(example_store, item, writer=writer, door="cli")
    after = refresh(example_store, before)
    found = detect(told, after, history=MainHistory(example_store.path), previous=before)
    [event] = found.events
    assert event.type is EventType.CONTRACT_VERSION_PUBLISHED
    assert event.subject == "contracts/billing.paid/1.0.0"
    assert event.nats_subject() == "registry.events.contract.version.published"
    body = event.to_dict()
    assert body["specversion"] == "1.0" and body["source"] == "/registry" and body["datacontenttype"]
    assert body["data"]["commit"] == result.commit and body["data"]["version"] == "1.0.0"
    assert body["data"]["digest"] == result.versions[0].digest
    # Found again from scratch (a restart that lost its told state): the very same event.
    cold = detect(told, build(example_store), history=MainHistory(example_store.path))
    assert [e.to_json() for e in cold.events] == [event.to_json()]


def test_a_capsule_version_goes_to_its_tenants_subject(example_store: Store, writer: Writer) -> None:
    before = build(example_store)
    doc = yaml.safe_load(example_store.snapshot(example_store.head()).read(f"{ONBOARD}/capsule.yaml"))
    doc["spec"]["timeout"] = 600
    publish_capsule(example_store, "acme", yaml.safe_dump(doc).encode(), writer=writer, door="cli")
    after = refresh(example_store, before)
    history = MainHistory(example_store.path)
    [event] = detect(told_from(before), after, history=history, previous=before).events
    assert event.type is EventType.CAPSULE_VERSION_PUBLISHED
    assert event.nats_subject() == "registry.events.capsule.acme.version.published"
    assert event.data["version"] == 2 and event.data["signature"] and event.data["content_hash"]


def test_deleting_a_capsule_and_changing_it_are_told_apart(example_store: Store, writer: Writer) -> None:
    history = MainHistory(example_store.path)
    snapshots = [build(example_store)]
    told = told_from(snapshots[0])
    commits, found = [], []
    for change in ({"description": "Onboarding, reviewed"}, {"status": "DELETED"}):
        commits.append(edit_yaml(example_store, writer, f"{ONBOARD}/meta.yaml", **change))
        snapshots.append(refresh(example_store, snapshots[-1]))
        detection = detect(told, snapshots[-1], history=history, previous=snapshots[-2])
        told.capsules.update(detection.capsules)
        told.head = detection.head
        found += detection.events
    assert [e.type for e in found] == [EventType.CAPSULE_UPDATED, EventType.CAPSULE_DELETED]
    assert found[0].data["changed"] == ["description"] and found[0].data["commit"] == commits[0]
    assert found[1].data["status"] == "DELETED" and found[1].data["commit"] == commits[1]
    assert found[1].nats_subject() == "registry.events.capsule.acme.deleted"


def test_a_change_seen_late_keeps_the_id_of_the_commit_that_made_it(
    example_store: Store, writer: Writer
) -> None:
    """Seen at once or after later commits, a deprecation is the same event."""
    history = MainHistory(example_store.path)
    before = build(example_store)
    edit_yaml(example_store, writer, f"{RITUAL}/contract.yaml", deprecated=True, sunset="2030-01-01")
    at_once = detect(told_from(before), refresh(example_store, before), history=history).events
    publish_contract(
        example_store, ContractInput("later.thing", "1.0.0", schema("x")), writer=writer, door="cli"
    )
    late = detect(told_from(before), build(example_store), history=history).events
    deprecated = [e for e in late if e.type is EventType.CONTRACT_DEPRECATED]
    assert [e.to_json() for e in at_once] == [e.to_json() for e in deprecated]
    assert at_once[0].nats_subject() == "registry.events.contract.deprecated"
    assert at_once[0].data["sunset"] == "2030-01-01"


def test_a_snapshot_older_than_what_was_told_tells_nothing_of_main(
    example_store: Store, writer: Writer
) -> None:
    history = MainHistory(example_store.path)
    old = build(example_store)
    edit_yaml(example_store, writer, f"{ONBOARD}/meta.yaml", status="DELETED")
    new = refresh(example_store, old)
    told = told_from(new)
    assert detect(told, old, history=history).events == ()


@pytest.mark.parametrize("kind", ["tags", "contracts", "capsules"])
def test_nothing_changed_means_no_event(example_store: Store, kind: str) -> None:
    snapshot = build(example_store)
    told = told_from(snapshot)
    found = detect(told, snapshot, history=MainHistory(example_store.path))
    assert not getattr(found, kind) and found.events == ()


def test_a_soft_delete_and_its_restore_are_told(example_store: Store, writer: Writer) -> None:
    from registry.write.lifecycle import set_deleted

    history = MainHistory(example_store.path)
    snapshots = [build(example_store)]
    told = told_from(snapshots[0])
    found = []
    for change, restore in ((("1.0.0",), False), (True, False), (True, True)):
        result = set_deleted(
            example_store,
            "ritual.started",
            change,
            restore=restore,
            writer=writer,
            door="cli",
            on_landed=None,
        )
        assert result is not None
        snapshots.append(refresh(example_store, snapshots[-1]))
        detection = detect(told, snapshots[-1], history=history, previous=snapshots[-2])
        told.contracts.update(detection.contracts)
        told.head = detection.head
        found += [(e.type, e.data["versions"], e.data["commit"] == result.commit) for e in detection.events]
    assert found == [
        (EventType.CONTRACT_DELETED, ["1.0.0"], True),
        (EventType.CONTRACT_DELETED, None, True),
        (EventType.CONTRACT_RESTORED, None, True),
    ]
    # Nothing left to restore: no commit.
    assert (
        set_deleted(
            example_store, "ritual.started", True, restore=True, writer=writer, door="cli", on_landed=None
        )
        is None
    )
