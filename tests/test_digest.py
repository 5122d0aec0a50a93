"""Digests: the old registry's contract digest and the capsule content hash."""

from __future__ import annotations

from registry.digest import capsule_content_hash, contract_digest


def test_old_registry_digest_is_reproduced() -> None:
    digest = contract_digest(
        name="my-contract",
        version="1.0.0",
        description="My contract",
        json_schema='{"type": "object"}',
        wit_path=None,
        descriptor_path=None,
    )
    assert digest == "7776a3b2bafdaae41912ceb0f7fb1a6e1b8464e6fce855c1f3bd73d3cefd55af"


def test_contract_digest_covers_the_schema_text_as_written() -> None:
    a = contract_digest(
        name="n", version="1", description=None, json_schema='{"a":1}', wit_path=None, descriptor_path=None
    )
    b = contract_digest(
        name="n", version="1", description=None, json_schema='{"a": 1}', wit_path=None, descriptor_path=None
    )
    assert a != b


def test_capsule_hash_ignores_formatting_and_key_order() -> None:
    assert capsule_content_hash({"a": 1, "b": [1, 2]}) == capsule_content_hash({"b": [1, 2], "a": 1})
    assert capsule_content_hash({"a": 1}) != capsule_content_hash({"a": 2})
