"""The gate's rules, judged on commits made in-process (the push tests cover the hook door)."""

from __future__ import annotations

import json

import pygit2
import pytest
import yaml

from registry.gate.evaluate import evaluate
from registry.gate.published import capsule_id
from registry.gate.verdict import Verdict
from registry.git.store import Identity, Store
from registry.write.landing import write_version_tag
from registry.write.publish import ContractInput, Writer, publish_contract


def propose(store: Store, changes: dict[str, bytes | None]) -> Verdict:
    head = store.head()
    tree = store.write_tree(head, changes)
    commit = store.write_commit(
        tree=tree, parents=[head], message="proposal\n", author=Identity(), committer=Identity(), key=None
    )
    return evaluate(store, head, commit, check_signatures=False)


def codes(verdict: Verdict) -> list[str]:
    return [p.code for p in verdict.errors]


def contract_files(name: str, version: str, schema: dict, **meta: object) -> dict[str, bytes | None]:
    doc = {"name": name, "version": version, **meta}
    return {
        f"contracts/{name}/contract.yaml": yaml.safe_dump(doc).encode(),
        f"contracts/{name}/schema.json": json.dumps(schema).encode(),
    }


def test_a_reference_to_another_contract_in_the_store_resolves(example_store: Store) -> None:
    schema = {"type": "object", "properties": {"ritual": {"$ref": "../ritual.started/schema.json"}}}
    assert propose(example_store, contract_files("ritual.audited", "1.0.0", schema)).accepted


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        ("../nowhere/schema.json", "contract.ref_unresolved"),
        ("https://example.org/s.json", "contract.ref_external"),
    ],
)
def test_references_the_store_cannot_resolve_are_refused(example_store: Store, ref: str, code: str) -> None:
    schema = {"type": "object", "properties": {"x": {"$ref": ref}}}
    verdict = propose(example_store, contract_files("ritual.audited", "1.0.0", schema))
    assert code in codes(verdict)
    assert any(ref in p.message for p in verdict.errors)


def test_a_maintenance_release_of_an_older_major_is_compared_with_the_version_below(
    empty_store: Store, writer: Writer
) -> None:
    base = {"type": "object", "properties": {"id": {"type": "string"}}}
    publish_contract(
        empty_store, ContractInput("order", "1.0.0", json.dumps(base)), writer=writer, door="cli"
    )
    publish_contract(
        empty_store,
        ContractInput("order", "2.0.0", json.dumps({"type": "object"})),
        writer=writer,
        door="cli",
    )
    grown = {"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "number"}}}
    verdict = propose(empty_store, contract_files("order", "1.1.0", grown))
    assert verdict.accepted, verdict.errors
    assert verdict.contracts[0].previous == "1.0.0"


def test_confluent_mode_without_semver_policy_refuses_even_a_major_bump(
    empty_store: Store, writer: Writer
) -> None:
    policy = yaml.safe_load(empty_store.snapshot(empty_store.head()).read("registry.yaml"))
    policy["semver_policy"] = False
    publish_contract(
        empty_store,
        ContractInput("order", "1.0.0", json.dumps({"type": "object", "required": []})),
        writer=writer,
        door="cli",
    )
    head = empty_store.head()
    tree = empty_store.write_tree(head, {"registry.yaml": yaml.safe_dump(policy).encode()})
    commit = empty_store.write_commit(
        tree=tree, parents=[head], message="policy\n", author=Identity(), committer=Identity(), key=writer.key
    )
    empty_store.repo.references.get("refs/heads/main").set_target(commit)
    verdict = propose(empty_store, contract_files("order", "2.0.0", {"type": "object", "required": ["id"]}))
    assert codes(verdict) == ["version.incompatible"]
    assert "compatibility mode BACKWARD" in verdict.errors[0].message


def test_transitive_mode_checks_every_version_of_the_line(empty_store: Store, writer: Writer) -> None:
    v1 = {"type": "object", "properties": {"a": {"type": "string"}}}
    v2 = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    meta = {"compatibility": "FORWARD_TRANSITIVE"}
    for version, schema in (("1.0.0", v1), ("1.1.0", v2)):
        files = contract_files("t", version, schema, **meta)
        head = empty_store.head()
        verdict = propose(empty_store, files)
        assert verdict.accepted, verdict.errors
        tree = empty_store.write_tree(head, files)
        commit = empty_store.write_commit(
            tree=tree, parents=[head], message="x\n", author=Identity(), committer=Identity(), key=None
        )
        tag = write_version_tag(
            empty_store, verdict.versions[0], commit=commit, key=writer.key, tagger=Identity()
        )
        empty_store.advance(expected=head, new=commit, tags={verdict.versions[0].tag_ref: tag}, reflog="x")
    # 'a' may not become a number: 1.1.0 would not read it, and neither would 1.0.0 (transitive).
    v3 = {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "string"}}}
    verdict = propose(empty_store, contract_files("t", "1.2.0", v3, **meta))
    assert codes(verdict) == ["version.breaking"]
    report = verdict.contracts[0].report
    assert report is not None
    assert any("against version 1.0.0" in c.message for c in report.breaking)


def test_capsule_meta_id_must_be_the_derived_one(example_store: Store) -> None:
    where = "capsules/acme/invoice-reminder/meta.yaml"
    meta = yaml.safe_load(example_store.snapshot(example_store.head()).read(where))
    meta["id"] = "not-the-id"
    verdict = propose(example_store, {where: yaml.safe_dump(meta).encode()})
    assert codes(verdict) == ["capsule.id"]
    assert capsule_id("acme", "invoice-reminder") in verdict.errors[0].message


def test_a_capsule_is_soft_deleted_not_removed(example_store: Store) -> None:
    base = "capsules/acme/invoice-reminder"
    removed = propose(example_store, {f"{base}/capsule.yaml": None, f"{base}/meta.yaml": None})
    assert codes(removed) == ["capsule.deleted"] and "status: DELETED" in removed.errors[0].message
    meta = yaml.safe_load(example_store.snapshot(example_store.head()).read(f"{base}/meta.yaml"))
    meta["status"] = "DELETED"
    soft = propose(example_store, {f"{base}/meta.yaml": yaml.safe_dump(meta).encode()})
    assert soft.accepted and not soft.versions


def test_a_broken_policy_file_is_refused_naming_the_field(example_store: Store) -> None:
    policy = yaml.safe_load(example_store.snapshot(example_store.head()).read("registry.yaml"))
    policy["default_compatibility"] = "SIDEWAYS"
    verdict = propose(example_store, {"registry.yaml": yaml.safe_dump(policy).encode()})
    assert codes(verdict) == ["policy.value"]
    assert verdict.errors[0].path == "$.default_compatibility"


def test_layout_and_names_are_checked(example_store: Store) -> None:
    verdict = propose(
        example_store,
        {
            "contracts/loose.json": b"{}",
            "capsules/acme/x.yaml": b"a: 1",
            "contracts/Bad Name/schema.json": b"{}",
            "docs/notes.md": b"free text is fine outside contracts/ and capsules/",
        },
    )
    assert sorted(codes(verdict)) == ["layout.path", "layout.path", "name.invalid"]


def test_the_gate_reads_only_what_changed(example_store: Store) -> None:
    verdict = propose(example_store, {"docs/notes.md": b"hello"})
    assert verdict.accepted and not verdict.contracts and not verdict.capsules


def test_an_empty_store_head_is_judged_too(tmp_path) -> None:
    repo = pygit2.init_repository(str(tmp_path / "s.git"), bare=True, initial_head="main")
    store = Store(repo)
    tree = store.write_tree(None, {"contracts/x/schema.json": b"{}"})
    commit = store.write_commit(
        tree=tree, parents=[], message="x\n", author=Identity(), committer=Identity(), key=None
    )
    verdict = evaluate(store, None, commit)
    assert "file.missing" in codes(verdict)
