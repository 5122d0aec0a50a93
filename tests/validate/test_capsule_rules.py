"""The Capsule document: its schema, and the rules a schema cannot say."""

from __future__ import annotations

from typing import Any

import pytest

from registry.problems import Problem
from registry.validate import capsule_schema, validate_capsule, validate_capsule_meta


def errors(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.rule, p.path) for p in problems if p.severity == "error"]


def warnings(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.rule, p.path) for p in problems if p.severity == "warning"]


def test_spec_example_is_valid(hello: dict[str, Any]) -> None:
    assert validate_capsule(hello) == []


def test_every_schema_field_is_documented() -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                assert "description" in sub, f"{path}.{key} has no description"
            for value in node.values():
                walk(value, path)

    walk(capsule_schema(), "$")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("kind"), ("capsule.schema[required]", "$.kind")),
        (lambda d: d.update(kind="Pod"), ("capsule.schema[const]", "$.kind")),
        (lambda d: d.update(apiVersion="v1"), ("capsule.schema[const]", "$.apiVersion")),
        (lambda d: d["metadata"].pop("name"), ("capsule.schema[required]", "$.metadata.name")),
        (lambda d: d["metadata"].update(name="-bad"), ("capsule.schema[pattern]", "$.metadata.name")),
        (
            lambda d: d["metadata"].update(owner="x"),
            ("capsule.schema[additionalProperties]", "$.metadata.owner"),
        ),
        (
            lambda d: d["metadata"].update(labels={f"k{i}": "v" for i in range(51)}),
            ("capsule.schema[maxProperties]", "$.metadata.labels"),
        ),
        (
            lambda d: d["metadata"].update(labels={"team": 1}),
            ("capsule.schema[type]", "$.metadata.labels.team"),
        ),
        (lambda d: d["spec"].update(timeout=0), ("capsule.schema[minimum]", "$.spec.timeout")),
        (lambda d: d["spec"].update(timeout=86401), ("capsule.schema[maximum]", "$.spec.timeout")),
        (lambda d: d["spec"].update(timeout="5m"), ("capsule.schema[type]", "$.spec.timeout")),
        (lambda d: d["spec"].update(steps=[]), ("capsule.schema[minItems]", "$.spec.steps")),
        (
            lambda d: d["spec"].update(inputs={"x": {"type": "date"}}),
            ("capsule.schema[enum]", "$.spec.inputs.x.type"),
        ),
        (
            lambda d: d["spec"]["allowed_tools"].append("http.*"),
            ("capsule.schema[pattern]", "$.spec.allowed_tools[2]"),
        ),
        (
            lambda d: d["spec"]["allowed_tools"].append("http..get"),
            ("capsule.schema[pattern]", "$.spec.allowed_tools[2]"),
        ),
        (lambda d: d["spec"]["steps"][0].pop("tool"), ("capsule.schema[required]", "$.spec.steps[0].tool")),
        (
            lambda d: d["spec"]["steps"][0].update(config="x"),
            ("capsule.schema[type]", "$.spec.steps[0].config"),
        ),
        (
            lambda d: d["spec"]["steps"][1].update(depends_on="greet"),
            ("capsule.schema[type]", "$.spec.steps[1].depends_on"),
        ),
    ],
)
def test_schema_errors_carry_keyword_and_path(
    hello: dict[str, Any], change: Any, expected: tuple[str, str]
) -> None:
    change(hello)
    assert expected in errors(validate_capsule(hello))


def test_too_many_steps(hello: dict[str, Any]) -> None:
    hello["spec"]["steps"] = [{"name": f"s{i}", "tool": "http.request"} for i in range(101)]
    hello["spec"]["allowed_tools"] = ["http.request"]
    assert errors(validate_capsule(hello)) == [("capsule.schema[maxItems]", "$.spec.steps")]


def test_not_a_mapping() -> None:
    assert errors(validate_capsule(["x"])) == [("capsule.schema[type]", "$")]


def test_duplicate_step_names(hello: dict[str, Any]) -> None:
    hello["spec"]["steps"][1]["name"] = "greet"
    hello["spec"]["steps"][1]["depends_on"] = []
    assert errors(validate_capsule(hello)) == [("capsule.duplicate_step", "$.spec.steps[1].name")]


def test_unknown_dependency(hello: dict[str, Any]) -> None:
    hello["spec"]["steps"][1]["depends_on"] = ["greet", "nope"]
    assert errors(validate_capsule(hello)) == [
        ("capsule.unknown_dependency", "$.spec.steps[1].depends_on[1]")
    ]


def test_dependency_cycle_is_reported_with_its_steps(hello: dict[str, Any]) -> None:
    hello["spec"]["steps"][0]["depends_on"] = ["mail"]
    problems = validate_capsule(hello)
    assert errors(problems) == [("capsule.dependency_cycle", "$.spec.steps[0].depends_on")]
    assert "greet -> mail -> greet" in problems[0].message


def test_self_dependency_is_a_cycle(hello: dict[str, Any]) -> None:
    hello["spec"]["steps"][0]["depends_on"] = ["greet"]
    assert [code for code, _ in errors(validate_capsule(hello))] == ["capsule.dependency_cycle"]


def test_long_chain_is_a_dag(hello: dict[str, Any]) -> None:
    hello["spec"]["allowed_tools"] = ["http.request"]
    hello["spec"]["steps"] = [
        {"name": f"s{i}", "tool": "http.request", "depends_on": [f"s{i - 1}"] if i else []}
        for i in range(100)
    ]
    assert validate_capsule(hello) == []


def test_tool_not_allowed(hello: dict[str, Any]) -> None:
    hello["spec"]["steps"][1]["tool"] = "sms.send"
    assert errors(validate_capsule(hello)) == [("capsule.tool_not_allowed", "$.spec.steps[1].tool")]


@pytest.mark.parametrize("tool", ["system.exec", "anumate.secrets", "internal.db", "admin.users", "admin"])
def test_reserved_namespaces_are_refused(hello: dict[str, Any], tool: str) -> None:
    hello["spec"]["allowed_tools"].append(tool)
    assert errors(validate_capsule(hello)) == [("capsule.reserved_tool", "$.spec.allowed_tools[2]")]


def test_unused_allowed_tool_is_a_warning(hello: dict[str, Any]) -> None:
    hello["spec"]["allowed_tools"].append("sms.send")
    problems = validate_capsule(hello)
    assert errors(problems) == []
    assert warnings(problems) == [("capsule.unused_tool", "$.spec.allowed_tools[2]")]


def test_meta_valid() -> None:
    meta = {
        "id": "abc-1",
        "description": "d",
        "tags": ["a"],
        "owner": "team",
        "visibility": "PUBLIC",
        "status": "DEPRECATED",
    }
    assert validate_capsule_meta(meta) == []
    assert validate_capsule_meta({}) == []


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"visibility": "public"}, ("capsule.schema[enum]", "$.visibility")),
        ({"status": "GONE"}, ("capsule.schema[enum]", "$.status")),
        ({"colour": "red"}, ("capsule.schema[additionalProperties]", "$.colour")),
        ({"tags": "a"}, ("capsule.schema[type]", "$.tags")),
    ],
)
def test_meta_errors(meta: dict[str, Any], expected: tuple[str, str]) -> None:
    assert errors(validate_capsule_meta(meta)) == [expected]
