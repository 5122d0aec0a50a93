"""registry.yaml is read with the same kind of field table as contract.yaml, and as strictly."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from registry.gate.policy import LIMIT_CEILINGS, POLICY_FIELDS, StorePolicy, parse_policy
from registry.model import Limits
from registry.trust.signers import Signer
from registry.trust.sshsig import SigningKey
from registry.validate import validate_contract_meta
from registry.validate.contract import CONTRACT_FIELDS
from registry.validate.fields import Rule, Table

KEY = SigningKey.generate().public.openssh()
DRAFT7 = "http://json-schema.org/draft-07/schema#"
OTHER_KEY = SigningKey.generate().public.openssh()


def signer(**fields: Any) -> dict[str, Any]:
    return {"principal": "ada@example.org", "key": KEY, **fields}


def problems(doc: Any) -> list[tuple[str, str]]:
    policy, found = parse_policy(doc)
    assert (policy is None) == bool(found)
    assert all(p.file == "registry.yaml" for p in found)
    return [(str(p.code), p.path) for p in found]


def message(doc: Any) -> str:
    _, found = parse_policy(doc)
    return found[0].message


def test_a_full_policy_reads_back_what_it_says() -> None:
    doc = {
        "version": 1,
        "default_compatibility": "FULL_TRANSITIVE",
        "default_policy": "strict",
        "default_dialect": "draft-07",
        "semver_policy": False,
        "require_signed_commits": True,
        "limits": {"max_yaml_nodes": 5000, "max_files": 50},
        "signers": [signer(roles=["admin", "editor"], tenants=["acme", "globex"])],
    }
    policy, found = parse_policy(doc)
    assert found == [] and policy is not None
    assert (policy.default_compatibility, policy.default_policy) == ("FULL_TRANSITIVE", "strict")
    assert policy.default_dialect == "draft-07"
    assert (policy.semver_policy, policy.require_signed_commits) == (False, True)
    assert policy.limits == Limits(max_yaml_nodes=5000, max_files=50)
    [who] = policy.signers
    assert (who.principal, who.roles, who.tenants) == (
        "ada@example.org",
        ("admin", "editor"),
        ("acme", "globex"),
    )


def test_defaults_fill_what_is_left_out_or_null() -> None:
    policy, found = parse_policy({"limits": None, "signers": [signer(roles=None)]})
    assert found == [] and policy is not None
    assert policy.limits == Limits() and policy.signers[0].roles == ("editor",)
    assert policy.signers[0].tenants == ("*",)


def test_the_default_dialect_is_2020_12_and_read_into_a_schema_without_schema() -> None:
    policy, _ = parse_policy({})
    assert policy is not None and policy.default_dialect == "2020-12"
    assert policy.in_dialect({"type": "string"}) == {"type": "string"}
    draft7, _ = parse_policy({"default_dialect": "draft-07"})
    assert draft7 is not None
    assert draft7.in_dialect({"type": "string"}) == {"$schema": DRAFT7, "type": "string"}
    own = {"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "string"}
    assert draft7.in_dialect(own) == own


def test_an_unknown_default_dialect_names_the_field_the_rule_and_the_choices() -> None:
    [problem] = parse_policy({"default_dialect": "draft-99"})[1]
    assert (problem.rule, problem.path, problem.file) == (
        "policy.value[default_dialect]",
        "$.default_dialect",
        "registry.yaml",
    )
    assert "must be one of 2020-12, 2019-09, draft-07, draft-06, draft-04, got 'draft-99'" in problem.message
    assert "write 'draft-07', not 'Draft-07'" in message({"default_dialect": "Draft-07"})


def test_to_yaml_round_trips_every_limit() -> None:
    policy = StorePolicy(
        limits=Limits(max_yaml_nodes=123, max_files=45), default_dialect="draft-06"
    ).with_signer(Signer("registry", SigningKey.generate().public, ("admin",), ("*",)))
    assert parse_policy(yaml.safe_load(policy.to_yaml())) == (policy, [])


@pytest.mark.parametrize(
    ("field", "value", "path", "words"),
    [
        (
            "tenants",
            "acme",
            "$.signers[0].tenants",
            "must be a list of tenants ('*' for all), such as [acme]",
        ),
        ("roles", "editor", "$.signers[0].roles", "must be a list of roles, such as [editor]"),
    ],
)
def test_a_string_is_never_read_as_a_list(field: str, value: str, path: str, words: str) -> None:
    doc = {"signers": [signer(**{field: value})]}
    assert problems(doc) == [("policy.type", path)]
    assert words in message(doc)


def test_case_is_refused_with_the_right_spelling_in_both_files() -> None:
    assert problems({"default_compatibility": "backward"}) == [("policy.value", "$.default_compatibility")]
    assert "write 'BACKWARD', not 'backward'" in message({"default_compatibility": "backward"})
    assert "write 'strict', not 'Strict'" in message({"default_policy": "Strict"})
    [contract] = validate_contract_meta({"name": "a", "version": "1.0.0", "compatibility": "backward"})
    assert "write 'BACKWARD', not 'backward'" in contract.message
    [contract] = validate_contract_meta({"name": "a", "version": "1.0.0", "policy": "STRICT"})
    assert "write 'strict', not 'STRICT'" in contract.message


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ("just text", [("policy.type", "$")]),
        ({"default_compatibility": "SIDEWAYS"}, [("policy.value", "$.default_compatibility")]),
        ({"default_dialect": "draft-99"}, [("policy.value", "$.default_dialect")]),
        ({"default_dialect": 7}, [("policy.type", "$.default_dialect")]),
        ({"semver_policy": "yes"}, [("policy.type", "$.semver_policy")]),
        ({"require_signed_commits": 1}, [("policy.type", "$.require_signed_commits")]),
        ({"version": 2}, [("policy.value", "$.version")]),
        ({"colour": "blue"}, [("policy.unknown_key", "$.colour")]),
        ({"limits": [1]}, [("policy.type", "$.limits")]),
        ({"limits": {"max_widgets": 3}}, [("policy.unknown_key", "$.limits.max_widgets")]),
        ({"limits": {"max_files": "10"}}, [("policy.type", "$.limits.max_files")]),
        ({"limits": {"max_files": True}}, [("policy.type", "$.limits.max_files")]),
        ({"limits": {"max_files": 0}}, [("policy.value", "$.limits.max_files")]),
        ({"limits": {"max_yaml_depth": 100_000}}, [("policy.value", "$.limits.max_yaml_depth")]),
        ({"signers": {"ada": KEY}}, [("policy.type", "$.signers")]),
        ({"signers": ["ada"]}, [("policy.type", "$.signers[0]")]),
        ({"signers": [{"principal": "ada"}]}, [("policy.signer", "$.signers[0].key")]),
        ({"signers": [signer(key="ssh-rsa AAAA")]}, [("policy.signer", "$.signers[0].key")]),
        ({"signers": [signer(principal="ada lovelace")]}, [("policy.signer", "$.signers[0].principal")]),
        ({"signers": [signer(roles=["editor", "owner"])]}, [("policy.signer", "$.signers[0].roles[1]")]),
        ({"signers": [signer(roles=[])]}, [("policy.signer", "$.signers[0].roles")]),
        ({"signers": [signer(tenants=["Acme"])]}, [("policy.signer", "$.signers[0].tenants[0]")]),
        ({"signers": [signer(tenants=["acme"], team="x")]}, [("policy.unknown_key", "$.signers[0].team")]),
    ],
)
def test_every_problem_names_its_field_path(doc: Any, expected: list[tuple[str, str]]) -> None:
    assert problems(doc) == expected


def test_unknown_roles_name_the_allowed_ones() -> None:
    assert "must be one of viewer, editor, admin, got 'owner'" in message(
        {"signers": [signer(roles=["owner"])]}
    )


def test_every_problem_is_reported_at_once() -> None:
    doc = {"default_policy": "loose", "semver_policy": "no", "signers": [signer(roles="admin", tenants="x")]}
    assert len(problems(doc)) == 4


@pytest.mark.parametrize("field", ["principal", "key"])
def test_a_signer_is_listed_once(field: str) -> None:
    second = signer(principal="bob@example.org", key=OTHER_KEY)
    second[field] = signer()[field]
    doc = {"signers": [signer(), second]}
    assert problems(doc) == [("policy.signer", f"$.signers[1].{field}")]
    assert "repeats the" in message(doc) and "signers[0]" in message(doc)


def test_every_limit_has_a_ceiling() -> None:
    assert set(LIMIT_CEILINGS) == set(Limits.__dataclass_fields__)
    assert all(getattr(Limits(), name) <= most for name, most in LIMIT_CEILINGS.items())


def _scalar_fields(table: Table) -> list[str]:
    """The plain fields (``deleted`` takes a list of versions, or true)."""
    return [
        name
        for name, entry in table.fields.items()
        if isinstance(entry, Rule)
        and list not in (entry.types if isinstance(entry.types, tuple) else (entry.types,))
    ]


@pytest.mark.parametrize(
    ("table", "check"),
    [(POLICY_FIELDS, lambda doc: parse_policy(doc)[1]), (CONTRACT_FIELDS, validate_contract_meta)],
    ids=["registry.yaml", "contract.yaml"],
)
def test_both_files_refuse_a_list_where_a_value_belongs(table: Table, check) -> None:
    """One table style: every plain field of either file refuses a value of the wrong type, by path."""
    for name in _scalar_fields(table):
        doc = {"name": "a", "version": "1.0.0"} if table is CONTRACT_FIELDS else {}
        found = check({**doc, name: ["x"]})
        assert [p.path for p in found] == [f"$.{name}"], name
        assert "got a list" in found[0].message
