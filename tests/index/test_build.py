"""The index holds what the signed tags say, what ``main`` says now, and nothing else; an
incremental refresh ends where a cold build would, reading only what changed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import yaml
from support import git

from registry.digest import capsule_content_hash, contract_digest
from registry.gate.policy import POLICY_FILE, policy_at
from registry.gate.published import capsule_id, capsule_versions, contract_versions
from registry.git.refs import CAPSULE_TAGS, CONTRACT_TAGS
from registry.git.store import Snapshot, Store
from registry.index.build import build, refresh
from registry.index.snapshot import IndexSnapshot
from registry.write.publish import ContractInput, Writer, publish, publish_capsule, publish_contract

INVOICE = "capsules/acme/invoice-reminder"


def schema(*props: str) -> str:
    return json.dumps({"type": "object", "properties": {p: {"type": "string"} for p in ("id", *props)}})


def capsule_yaml(name: str, description: str = "Says hello") -> bytes:
    return yaml.safe_dump(
        {
            "apiVersion": "anumate.io/v1alpha1",
            "kind": "Capsule",
            "metadata": {"name": name, "description": description, "tags": ["demo"]},
            "spec": {
                "allowed_tools": ["http.request"],
                "steps": [
                    {"name": "greet", "tool": "http.request", "config": {"url": "https://example.org"}}
                ],
            },
        },
        sort_keys=False,
    ).encode()


def change_files(store: Store, writer: Writer, files: dict[str, bytes], message: str = "edit") -> str:
    """A commit on main that changes files without publishing a version."""
    return publish(store, lambda _snap: files, message=message, writer=writer, door="cli").commit


def edit_yaml(store: Store, path: str, **fields: object) -> bytes:
    doc = yaml.safe_load(store.snapshot(store.head()).read(path) or b"{}") or {}
    doc.update(fields)
    return yaml.safe_dump(doc, sort_keys=False).encode()


def assert_same(a: IndexSnapshot, b: IndexSnapshot) -> None:
    assert a.head == b.head
    assert dict(a.tags) == dict(b.tags)
    assert dict(a.contracts) == dict(b.contracts)
    assert dict(a.capsules) == dict(b.capsules)
    assert dict(a.idempotency) == dict(b.idempotency)


def tag_time(store: Store, tag_id: str) -> datetime:
    return datetime.fromtimestamp(store.repo[tag_id].tagger.time, UTC)


def test_every_contract_version_is_what_its_tag_and_tagged_files_say(example_store: Store) -> None:
    snap = build(example_store)
    refs = example_store.refs_under(CONTRACT_TAGS)
    assert sum(len(c.versions) for c in snap.contracts.values()) == len(refs) > 0
    for name, entry in snap.contracts.items():
        for published, version in zip(contract_versions(example_store, name), entry.versions, strict=True):
            files = Snapshot(example_store.repo, published.commit)
            assert (version.version, version.tag_ref, version.tag_id) == (
                published.version,
                published.tag_ref,
                published.tag_id,
            )
            assert version.commit == str(published.commit)
            assert version.digest == published.digest
            assert version.created_at == tag_time(example_store, published.tag_id)
            assert version.schema_text == files.read(f"contracts/{name}/schema.json").decode()
            # The tag's digest is the old registry's digest of exactly these fields.
            assert version.digest == contract_digest(
                name=name,
                version=version.version,
                description=version.description,
                json_schema=version.schema_text,
                wit_path=version.wit_path,
                descriptor_path=version.descriptor_path,
            )


def test_wit_and_descriptor_are_read_from_the_files_contract_yaml_names(example_store: Store) -> None:
    ritual = build(example_store).contracts["ritual.started"].latest
    files = example_store.snapshot(example_store.head())
    assert ritual.wit_path == "contracts/ritual.started/ritual.wit"
    assert ritual.wit_text == files.read(ritual.wit_path).decode()
    assert ritual.descriptor_path == "contracts/ritual.started/descriptor.json"
    assert ritual.descriptor_text == files.read(ritual.descriptor_path).decode()


def test_every_capsule_version_is_what_its_tag_says_and_hashes_to_its_content_hash(
    example_store: Store,
) -> None:
    snap = build(example_store)
    assert sum(len(c.versions) for c in snap.capsules.values()) == len(example_store.refs_under(CAPSULE_TAGS))
    for entry in snap.capsules.values():
        assert entry.id == capsule_id(entry.tenant, entry.name)
        tags = capsule_versions(example_store, entry.tenant, entry.name)
        for published, version in zip(tags, entry.versions, strict=True):
            assert version.version == int(published.version)
            assert version.content_hash == published.fields["content-hash"]
            assert version.signature == published.fields["signature"]
            assert version.commit == str(published.commit)
            assert capsule_content_hash(version.document) == version.content_hash
            assert yaml.safe_load(version.text) == version.document


def test_capsule_metadata_comes_from_meta_yaml_on_main(example_store: Store) -> None:
    snap = build(example_store)
    invoice = snap.capsules[capsule_id("acme", "invoice-reminder")]
    meta = yaml.safe_load(example_store.snapshot(example_store.head()).read(f"{INVOICE}/meta.yaml"))
    assert (invoice.description, list(invoice.tags), invoice.owner, invoice.visibility, invoice.status) == (
        meta["description"],
        meta["tags"],
        meta["owner"],
        meta["visibility"],
        meta["status"],
    )
    assert invoice.latest_version == 1
    assert invoice.created_at == invoice.versions[0].created_at <= invoice.updated_at


def test_a_capsule_without_metadata_is_public_and_active_and_described_by_its_document(
    empty_store: Store, writer: Writer
) -> None:
    publish_capsule(empty_store, "acme", capsule_yaml("hello"), writer=writer, door="cli")
    entry = build(empty_store).capsules[capsule_id("acme", "hello")]
    assert (entry.visibility, entry.status, entry.owner) == ("PUBLIC", "ACTIVE", None)
    assert (entry.description, entry.tags) == ("Says hello", ("demo",))


def test_deprecation_and_sunset_come_from_main_without_a_new_version(
    example_store: Store, writer: Writer
) -> None:
    path = "contracts/ritual.started/contract.yaml"
    change_files(
        example_store, writer, {path: edit_yaml(example_store, path, deprecated=True, sunset="2027-01-31")}
    )
    entry = build(example_store).contracts["ritual.started"]
    assert (entry.deprecated, entry.sunset, entry.compatibility) == (True, "2027-01-31", "FULL")
    assert [v.version for v in entry.versions] == ["1.0.0"]


def test_the_etag_changes_with_the_metadata(example_store: Store, writer: Writer) -> None:
    before = build(example_store).capsules[capsule_id("acme", "invoice-reminder")]
    path = f"{INVOICE}/meta.yaml"
    change_files(example_store, writer, {path: edit_yaml(example_store, path, status="DELETED")})
    after = build(example_store).capsules[capsule_id("acme", "invoice-reminder")]
    assert after.status == "DELETED" and after.etag != before.etag
    assert after.versions == before.versions


def test_idempotency_keys_are_read_from_commit_trailers_and_the_first_record_wins(
    empty_store: Store, writer: Writer
) -> None:
    first = publish_capsule(
        empty_store,
        "acme",
        capsule_yaml("hello"),
        writer=writer,
        trailers={"Idempotency-Key": "acme/k1"},
        door="cli",
    )
    publish_capsule(
        empty_store,
        "acme",
        capsule_yaml("hello", "Says hello again"),
        writer=writer,
        trailers={"Idempotency-Key": "acme/k1"},
        door="cli",
    )
    publish_capsule(
        empty_store,
        "globex",
        capsule_yaml("hello"),
        writer=writer,
        trailers={"Idempotency-Key": "globex/k1"},
        door="cli",
    )
    keys = build(empty_store).idempotency
    assert keys["acme/k1"] == first.commit
    assert set(keys) == {"acme/k1", "globex/k1"}


def test_versions_sort_by_semver_and_latest_is_the_highest(empty_store: Store, writer: Writer) -> None:
    published = (("1.2.0", ()), ("1.10.0", ("a",)), ("2.0.0", ("a", "b")), ("1.11.0", ("a", "c")))
    for version, props in published:
        publish_contract(
            empty_store, ContractInput("order.placed", version, schema(*props)), writer=writer, door="cli"
        )
    entry = build(empty_store).contracts["order.placed"]
    assert [v.version for v in entry.versions] == ["1.2.0", "1.10.0", "1.11.0", "2.0.0"]
    assert entry.latest.version == "2.0.0"
    assert entry.version("1.10.0") is entry.versions[1]


# -- incremental refresh ------------------------------------------------------------------


def test_a_refresh_with_nothing_changed_is_the_same_snapshot(example_store: Store) -> None:
    snap = build(example_store)
    assert refresh(example_store, snap) is snap


def test_a_refresh_after_a_publish_equals_a_cold_build_and_keeps_untouched_entries(
    example_store: Store, writer: Writer
) -> None:
    before = build(example_store)
    publish_contract(
        example_store, ContractInput("order.placed", "1.0.0", schema()), writer=writer, door="cli"
    )
    after = refresh(example_store, before)
    assert_same(after, build(example_store))
    assert "order.placed" in after.contracts
    for name, entry in before.contracts.items():
        assert after.contracts[name] is entry  # not re-read
    for ident, entry in before.capsules.items():
        assert after.capsules[ident] is entry


def test_refreshes_through_a_history_of_every_kind_of_change_equal_cold_builds(
    example_store: Store, writer: Writer
) -> None:
    steps = [
        lambda: publish_contract(
            example_store, ContractInput("order.placed", "1.0.0", schema()), writer=writer, door="cli"
        ),
        lambda: publish_contract(
            example_store, ContractInput("order.placed", "1.1.0", schema("a")), writer=writer, door="cli"
        ),
        lambda: publish_capsule(
            example_store,
            "acme",
            capsule_yaml("hello"),
            writer=writer,
            trailers={"Idempotency-Key": "acme/x"},
            door="cli",
        ),
        lambda: publish_capsule(
            example_store, "acme", capsule_yaml("hello", "Hello, v2"), writer=writer, door="cli"
        ),
        lambda: change_files(
            example_store,
            writer,
            {f"{INVOICE}/meta.yaml": edit_yaml(example_store, f"{INVOICE}/meta.yaml", visibility="PUBLIC")},
        ),
        lambda: change_files(
            example_store,
            writer,
            {
                "contracts/order.placed/contract.yaml": edit_yaml(
                    example_store, "contracts/order.placed/contract.yaml", deprecated=True
                )
            },
        ),
    ]
    snap = build(example_store)
    for step in steps:
        step()
        snap = refresh(example_store, snap)
        assert_same(snap, build(example_store))
    assert snap.contracts["order.placed"].deprecated
    assert snap.capsules[capsule_id("acme", "hello")].latest_version == 2
    assert "acme/x" in snap.idempotency


@pytest.mark.git
def test_a_refresh_after_git_pack_refs_reads_no_version_again(example_store: Store, writer: Writer) -> None:
    publish_contract(
        example_store, ContractInput("order.placed", "1.0.0", schema()), writer=writer, door="cli"
    )
    before = build(example_store)
    git(f"--git-dir={example_store.path}", "pack-refs", "--all")
    publish_contract(
        example_store, ContractInput("order.placed", "1.1.0", schema("a")), writer=writer, door="cli"
    )
    after = refresh(example_store, before)
    assert_same(after, build(example_store))
    assert after.contracts["order.placed"].versions[0] is before.contracts["order.placed"].versions[0]
    assert after.contracts["ritual.started"] is before.contracts["ritual.started"]


def test_the_empty_store_and_its_first_version(empty_store: Store, writer: Writer) -> None:
    snap = build(empty_store)
    assert (snap.contracts, snap.capsules, snap.version_count) == ({}, {}, 0)
    publish_contract(empty_store, ContractInput("order.placed", "1.0.0", schema()), writer=writer, door="cli")
    assert_same(refresh(empty_store, snap), build(empty_store))


def test_the_snapshot_carries_the_policy_and_reads_it_again_only_when_it_changes(
    example_store: Store, writer: Writer
) -> None:
    before = build(example_store)
    assert before.policy == policy_at(example_store, example_store.head())
    publish_contract(
        example_store, ContractInput("order.placed", "1.0.0", schema()), writer=writer, door="cli"
    )
    after = refresh(example_store, before)
    assert after.policy is before.policy  # registry.yaml did not change: the same object, not read again
    text = yaml.safe_load(example_store.snapshot(example_store.head()).read(POLICY_FILE))
    text["limits"] = {**(text.get("limits") or {}), "max_files": 9999}
    change_files(example_store, writer, {POLICY_FILE: yaml.safe_dump(text).encode()})
    changed = refresh(example_store, after)
    assert changed.policy is not after.policy
    assert changed.policy == policy_at(example_store, example_store.head())
    assert changed.policy is not None and changed.policy.limits.max_files == 9999
