"""contract.yaml: names, versions, modes and the files it names."""

from __future__ import annotations

from typing import Any

import pytest

from registry.validate import validate_contract_meta

VALID: dict[str, Any] = {
    "name": "ritual.started",
    "version": "1.0.0",
    "description": "A ritual run has started.",
    "compatibility": "BACKWARD",
    "policy": "strict",
    "deprecated": False,
    "sunset": "2027-01-31T00:00:00Z",
    "wit": "ritual.wit",
    "descriptor": "descriptor.json",
}


def test_full_contract_yaml_is_valid() -> None:
    assert validate_contract_meta(VALID) == []


@pytest.mark.parametrize("version", ["v1", "2.1", "1.0.0-rc.1+build.5"])
def test_old_registry_versions_are_accepted(version: str) -> None:
    assert validate_contract_meta({"name": "a", "version": version}) == []


@pytest.mark.parametrize("sunset", ["2027-01-31", "2027-01-31T10:00:00+02:00", "2027-01-31t10:00:00.5z"])
def test_sunset_forms(sunset: str) -> None:
    assert validate_contract_meta({"name": "a", "version": "1.0.0", "sunset": sunset}) == []


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("name", "a/b", "contract.field[name]"),
        ("name", "a..b", "contract.field[name]"),
        ("version", "one", "contract.field[version]"),
        ("version", 1.0, "contract.field[version]"),
        ("compatibility", "backward", "contract.field[compatibility]"),
        ("policy", "loose", "contract.field[policy]"),
        ("deprecated", "yes", "contract.field[deprecated]"),
        ("sunset", "31/01/2027", "contract.field[sunset]"),
        ("sunset", "2027-02-30", "contract.field[sunset]"),
        ("sunset", "2027-01-31T10:00:00", "contract.field[sunset]"),
        ("wit", "../x.wit", "contract.field[wit]"),
        ("wit", "dir/x.wit", "contract.field[wit]"),
        ("wit", "x.txt", "contract.field[wit]"),
        ("descriptor", "descriptor.yaml", "contract.field[descriptor]"),
        ("description", 5, "contract.field[description]"),
    ],
)
def test_field_rules(field: str, value: Any, code: str) -> None:
    problems = validate_contract_meta({**VALID, field: value})
    assert [(p.rule, p.path) for p in problems] == [(code, f"$.{field}")]


def test_name_and_version_are_required() -> None:
    problems = validate_contract_meta({"description": "x"})
    assert [(p.rule, p.path) for p in problems] == [
        ("contract.required", "$.name"),
        ("contract.required", "$.version"),
    ]


def test_unknown_keys_name_the_allowed_ones() -> None:
    (problem,) = validate_contract_meta({**VALID, "jsonSchema": "x"})
    assert (problem.code, problem.path) == ("contract.unknown_key", "$.jsonSchema")
    assert "compatibility" in problem.message and "descriptor" in problem.message


def test_not_a_mapping() -> None:
    assert [p.code for p in validate_contract_meta("name: x")] == ["contract.type"]
