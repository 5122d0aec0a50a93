"""A directory's files read as one contract or capsule, each problem attributed to its file."""

from __future__ import annotations

import json
from typing import Any

import yaml

from registry.model import Limits
from registry.validate import read_capsule, read_contract
from registry.validate.dialects import DEFAULT_DIALECT

SCHEMA = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}


def contract_files(ritual_wit: str, **meta: Any) -> dict[str, bytes]:
    fields = {
        "name": "ritual.started",
        "version": "1.0.0",
        "wit": "ritual.wit",
        "descriptor": "descriptor.json",
    }
    fields.update(meta)
    return {
        "contract.yaml": yaml.safe_dump({k: v for k, v in fields.items() if v is not None}).encode(),
        "schema.json": json.dumps(SCHEMA, indent=2).encode(),
        "ritual.wit": ritual_wit.encode(),
        "descriptor.json": b'{"topic": "rituals"}',
    }


def found(problems: list[Any]) -> list[tuple[str, str | None]]:
    return [(p.rule, p.file) for p in problems if p.severity == "error"]


def test_read_contract(ritual_wit: str, limits: Limits) -> None:
    doc, problems = read_contract(
        "ritual.started",
        contract_files(ritual_wit, sunset="2027-01-31"),
        limits=limits,
        default_dialect=DEFAULT_DIALECT,
    )
    assert problems == []
    assert doc is not None
    assert (doc.name, str(doc.version), doc.wit, doc.descriptor) == (
        "ritual.started",
        "1.0.0",
        "ritual.wit",
        "descriptor.json",
    )
    assert doc.schema == SCHEMA and json.loads(doc.schema_text) == SCHEMA
    assert doc.wit_text == ritual_wit and doc.sunset == "2027-01-31" and doc.deprecated is False


def test_contract_name_must_match_directory(ritual_wit: str, limits: Limits) -> None:
    doc, problems = read_contract(
        "ritual.ended", contract_files(ritual_wit), limits=limits, default_dialect=DEFAULT_DIALECT
    )
    assert doc is None
    assert found(problems) == [("name.mismatch", "contracts/ritual.ended/contract.yaml")]


def test_contract_needs_its_two_files(limits: Limits) -> None:
    doc, problems = read_contract("a", {}, limits=limits, default_dialect=DEFAULT_DIALECT)
    assert doc is None
    assert found(problems) == [
        ("file.missing", "contracts/a/contract.yaml"),
        ("file.missing", "contracts/a/schema.json"),
    ]


def test_named_files_must_exist(ritual_wit: str, limits: Limits) -> None:
    files = contract_files(ritual_wit)
    del files["ritual.wit"]
    _, problems = read_contract("ritual.started", files, limits=limits, default_dialect=DEFAULT_DIALECT)
    assert [(p.rule, p.file, p.path) for p in problems] == [
        ("file.missing", "contracts/ritual.started/contract.yaml", "$.wit")
    ]


def test_unreferenced_files_are_unexpected(ritual_wit: str, limits: Limits) -> None:
    files = contract_files(ritual_wit, wit=None)
    files["notes.txt"] = b"x"
    _, problems = read_contract("ritual.started", files, limits=limits, default_dialect=DEFAULT_DIALECT)
    assert found(problems) == [
        ("file.unexpected", "contracts/ritual.started/notes.txt"),
        ("file.unexpected", "contracts/ritual.started/ritual.wit"),
    ]


def test_problems_of_each_file_are_attributed(ritual_wit: str, limits: Limits) -> None:
    files = contract_files(ritual_wit)
    files["schema.json"] = b'{"type": "objec"}'
    files["ritual.wit"] = ritual_wit.replace("u64", "u64z").encode()
    files["descriptor.json"] = b"{"
    doc, problems = read_contract("ritual.started", files, limits=limits, default_dialect=DEFAULT_DIALECT)
    assert doc is None
    assert found(problems) == [
        ("schema.metaschema[anyOf]", "contracts/ritual.started/schema.json"),
        ("wit.syntax", "contracts/ritual.started/ritual.wit"),
        ("json.syntax", "contracts/ritual.started/descriptor.json"),
    ]
    assert "ritual.wit:6:9" in problems[1].message


def test_schema_size_limit(ritual_wit: str) -> None:
    _, problems = read_contract(
        "ritual.started",
        contract_files(ritual_wit),
        limits=Limits(max_schema_bytes=20),
        default_dialect=DEFAULT_DIALECT,
    )
    assert found(problems) == [("file.too_large", "contracts/ritual.started/schema.json")]


def test_a_schema_without_schema_is_read_in_the_dialect_given_and_kept_as_written(limits: Limits) -> None:
    text = json.dumps({"type": "array", "items": [{"type": "string"}]})
    files = {"contract.yaml": b"name: a\nversion: 1.0.0\n", "schema.json": text.encode()}
    doc, problems = read_contract("a", files, limits=limits, default_dialect="draft-07")
    assert problems == [] and doc is not None
    assert doc.schema["$schema"] == "http://json-schema.org/draft-07/schema#" and doc.schema_text == text
    doc, problems = read_contract("a", files, limits=limits, default_dialect=DEFAULT_DIALECT)
    assert doc is None and found(problems) == [("schema.metaschema[items]", "contracts/a/schema.json")]


def test_bad_contract_yaml(limits: Limits) -> None:
    files = {"contract.yaml": b"name: [a\n", "schema.json": b"{}"}
    doc, problems = read_contract("a", files, limits=limits, default_dialect=DEFAULT_DIALECT)
    assert doc is None and found(problems) == [("yaml.syntax", "contracts/a/contract.yaml")]


def capsule_files(
    hello: dict[str, Any], meta: str | None = "owner: team\nvisibility: PUBLIC\n"
) -> dict[str, bytes]:
    files = {"capsule.yaml": yaml.safe_dump(hello).encode()}
    if meta is not None:
        files["meta.yaml"] = meta.encode()
    return files


def test_read_capsule(hello: dict[str, Any], limits: Limits) -> None:
    doc, problems = read_capsule("acme", "hello-world", capsule_files(hello), limits=limits)
    assert problems == [] and doc is not None
    assert (doc.tenant, doc.name, doc.document, doc.meta) == (
        "acme",
        "hello-world",
        hello,
        {"owner": "team", "visibility": "PUBLIC"},
    )
    assert yaml.safe_load(doc.text) == hello


def test_meta_is_optional(hello: dict[str, Any], limits: Limits) -> None:
    doc, problems = read_capsule("acme", "hello-world", capsule_files(hello, meta=None), limits=limits)
    assert problems == [] and doc is not None and doc.meta == {}


def test_capsule_problems_carry_file_and_path(hello: dict[str, Any], limits: Limits) -> None:
    hello["spec"]["steps"][0]["tool"] = "sms.send"
    doc, problems = read_capsule(
        "acme", "hello-world", capsule_files(hello, meta="status: GONE\n"), limits=limits
    )
    assert doc is None
    assert [(p.rule, p.file, p.path) for p in problems if p.severity == "error"] == [
        ("capsule.tool_not_allowed", "capsules/acme/hello-world/capsule.yaml", "$.spec.steps[0].tool"),
        ("capsule.schema[enum]", "capsules/acme/hello-world/meta.yaml", "$.status"),
    ]


def test_capsule_warnings_keep_the_document(hello: dict[str, Any], limits: Limits) -> None:
    hello["spec"]["allowed_tools"].append("sms.send")
    doc, problems = read_capsule("acme", "hello-world", capsule_files(hello), limits=limits)
    assert doc is not None and [p.code for p in problems] == ["capsule.unused_tool"]


def test_capsule_name_must_match_directory(hello: dict[str, Any], limits: Limits) -> None:
    doc, problems = read_capsule("acme", "hello", capsule_files(hello), limits=limits)
    assert doc is None
    assert [(p.rule, p.path) for p in problems] == [("name.mismatch", "$.metadata.name")]


def test_capsule_layout(hello: dict[str, Any], limits: Limits) -> None:
    doc, problems = read_capsule("Acme", "hello-world", {"notes.md": b"x"}, limits=limits)
    assert doc is None
    assert found(problems) == [
        ("name.invalid", "capsules/Acme/hello-world"),
        ("file.missing", "capsules/Acme/hello-world/capsule.yaml"),
        ("file.unexpected", "capsules/Acme/hello-world/notes.md"),
    ]


def test_a_refused_file_name_is_reported_once(ritual_wit: str, limits: Limits) -> None:
    files = contract_files(ritual_wit, wit="../ritual.wit")
    _, problems = read_contract("ritual.started", files, limits=limits, default_dialect=DEFAULT_DIALECT)
    on_meta = [(p.rule, p.path) for p in problems if p.file == "contracts/ritual.started/contract.yaml"]
    assert on_meta == [("contract.field[wit]", "$.wit")]
