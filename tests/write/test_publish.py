"""Publishing: one signed commit on main and one signed tag per version, all or nothing."""

from __future__ import annotations

import json

import pytest
import yaml
from support import git, refs, verify_with_git

from registry.errors import (
    BreakingChange,
    ContentAlreadyPublished,
    InvalidName,
    NothingToPublish,
    RegistryError,
    ValidationFailed,
    VersionExists,
    VersionNotIncreasing,
)
from registry.gate.published import capsule_versions, contract_versions
from registry.git.store import Store
from registry.write.publish import ContractInput, Writer, publish_capsule, publish_contract

SCHEMA = {
    "type": "object",
    "properties": {"runId": {"type": "string"}, "at": {"type": "string", "format": "date-time"}},
    "required": ["runId"],
}

RUN_ID_AS_NUMBER = {**SCHEMA, "properties": {**SCHEMA["properties"], "runId": {"type": "number"}}}

CAPSULE = {
    "apiVersion": "anumate.io/v1alpha1",
    "kind": "Capsule",
    "metadata": {"name": "hello-world", "description": "Simple hello world Capsule"},
    "spec": {
        "allowed_tools": ["http.request"],
        "steps": [{"name": "greet", "tool": "http.request", "config": {"url": "https://example.org"}}],
    },
}


def contract(version: str, schema: dict | None = None, name: str = "ritual.started") -> ContractInput:
    return ContractInput(name, version, json.dumps(schema or SCHEMA, indent=2), "A ritual started")


def capsule_text(**spec_changes: object) -> bytes:
    doc = json.loads(json.dumps(CAPSULE))
    doc["spec"].update(spec_changes)
    return yaml.safe_dump(doc).encode()


def test_a_contract_publish_is_a_signed_commit_and_a_signed_tag(
    empty_store: Store, writer: Writer, allowed_signers
) -> None:
    result = publish_contract(empty_store, contract("1.0.0"), writer=writer, door="cli")
    assert str(empty_store.head()) == result.commit
    assert verify_with_git(empty_store, allowed_signers, "commit", "main").returncode == 0
    tag = verify_with_git(empty_store, allowed_signers, "tag", "contracts/ritual.started/1.0.0")
    assert tag.returncode == 0, tag.stderr
    [published] = contract_versions(empty_store, "ritual.started")
    assert published.digest == result.versions[0].digest
    assert git(f"--git-dir={empty_store.path}", "fsck", "--strict").returncode == 0


def test_capsule_versions_count_from_one_and_carry_hash_and_signature(
    empty_store: Store, writer: Writer, allowed_signers
) -> None:
    first = publish_capsule(empty_store, "acme", capsule_text(), writer=writer, door="cli")
    second = publish_capsule(empty_store, "acme", capsule_text(timeout=60), writer=writer, door="cli")
    assert [v.version for v in first.versions + second.versions] == ["1", "2"]
    published = capsule_versions(empty_store, "acme", "hello-world")
    assert [p.version for p in published] == ["1", "2"]
    assert published[1].fields["signature"] == second.signatures["capsules/acme/hello-world/2"]
    assert verify_with_git(empty_store, allowed_signers, "tag", "capsules/acme/hello-world/2").returncode == 0


def test_same_capsule_content_reformatted_is_refused_naming_the_version(
    empty_store: Store, writer: Writer
) -> None:
    publish_capsule(empty_store, "acme", capsule_text(), writer=writer, door="cli")
    publish_capsule(empty_store, "acme", capsule_text(timeout=60), writer=writer, door="cli")
    before = refs(empty_store)
    reformatted = json.dumps(CAPSULE).encode()  # JSON is YAML: same content, other spelling
    with pytest.raises(ContentAlreadyPublished, match="Content already published as version 1"):
        publish_capsule(empty_store, "acme", reformatted, writer=writer, door="cli")
    assert refs(empty_store) == before


def test_the_same_files_again_are_nothing_to_publish_not_a_version(
    empty_store: Store, writer: Writer
) -> None:
    publish_capsule(empty_store, "acme", capsule_text(), writer=writer, door="cli")
    before = refs(empty_store)
    with pytest.raises(NothingToPublish, match="nothing to publish") as caught:
        publish_capsule(empty_store, "acme", capsule_text(), writer=writer, door="cli")
    assert caught.value.code == "version.exists"  # doors answer it as before: the thing asked for is there
    assert not isinstance(caught.value, VersionExists)
    assert refs(empty_store) == before


@pytest.mark.parametrize(
    ("attempt", "error", "words"),
    [
        (
            lambda s, w: publish_contract(s, contract("1.0.0"), writer=w, door="cli"),
            VersionExists,
            "already exists",
        ),
        (
            lambda s, w: publish_contract(s, contract("1.0.0-rc.1"), writer=w, door="cli"),
            VersionNotIncreasing,
            "only grow",
        ),
        (
            lambda s, w: publish_contract(s, contract("1.1.0", {"type": "objekt"}), writer=w, door="cli"),
            ValidationFailed,
            "schema.json",
        ),
        (
            lambda s, w: publish_contract(s, contract("1.1.0", RUN_ID_AS_NUMBER), writer=w, door="cli"),
            BreakingChange,
            "needs version 2.0.0",
        ),
        (
            lambda s, w: publish_contract(s, contract("1.1.0", name="a/b"), writer=w, door="cli"),
            InvalidName,
            "'/'",
        ),
        (
            lambda s, w: publish_contract(s, contract("1.1.0", name="a..b"), writer=w, door="cli"),
            InvalidName,
            "'..'",
        ),
        (
            lambda s, w: publish_capsule(s, "acme", capsule_text(steps=[]), writer=w, door="cli"),
            ValidationFailed,
            "$.spec.steps",
        ),
        (
            lambda s, w: publish_capsule(s, "../acme", capsule_text(), writer=w, door="cli"),
            InvalidName,
            "tenant",
        ),
    ],
    ids=[
        "republish",
        "lower-version",
        "bad-schema",
        "breaking-minor",
        "slash",
        "dotdot",
        "bad-capsule",
        "bad-tenant",
    ],
)
def test_refusals_name_the_rule_and_change_nothing(
    empty_store: Store, writer: Writer, attempt, error: type[RegistryError], words: str
) -> None:
    publish_contract(empty_store, contract("1.0.0"), writer=writer, door="cli")
    before = refs(empty_store)
    with pytest.raises(error) as info:
        attempt(empty_store, writer)
    text = info.value.diagnostics() + "".join(p.render() for p in info.value.problems)
    assert words in text
    assert refs(empty_store) == before


def test_a_yaml_bomb_is_refused_quickly_and_changes_nothing(empty_store: Store, writer: Writer) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    before = refs(empty_store)
    with pytest.raises(RegistryError) as info:
        publish_capsule(empty_store, "acme", bomb.encode(), writer=writer, door="cli")
    assert "alias" in info.value.diagnostics().lower() + "".join(p.code for p in info.value.problems)
    assert refs(empty_store) == before


def test_a_breaking_change_with_a_major_bump_is_published(empty_store: Store, writer: Writer) -> None:
    publish_contract(empty_store, contract("1.0.0"), writer=writer, door="cli")
    result = publish_contract(empty_store, contract("2.0.0", {"type": "object"}), writer=writer, door="cli")
    assert result.versions[0].version == "2.0.0"


def test_old_style_versions_keep_working(empty_store: Store, writer: Writer) -> None:
    publish_contract(empty_store, contract("v1"), writer=writer, door="cli")
    publish_contract(empty_store, contract("v2", {"type": "object"}), writer=writer, door="cli")
    assert [p.version for p in contract_versions(empty_store, "ritual.started")] == ["v1", "v2"]
    with pytest.raises(VersionExists):
        publish_contract(empty_store, contract("1.0.0"), writer=writer, door="cli")
