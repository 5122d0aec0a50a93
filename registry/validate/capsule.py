"""The Capsule document (README, "The store") and its ``meta.yaml``.

The shape is checked with the shipped JSON Schema (``capsule.schema.json``); what a
schema cannot say is checked here: step names are unique, ``depends_on`` names
existing steps and forms a DAG, every step's tool is allowed, and reserved tool
namespaces stay reserved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from jsonschema.protocols import Validator

from registry.problems import Code, Problem
from registry.schema_validator import DEFAULT_DIALECT, Dialect, build, metaschema
from registry.validate.jsonpath import jsonpath, schema_problems, sort_key

#: First segments of tool names the platform keeps for itself.
RESERVED_TOOL_NAMESPACES = frozenset({"system", "anumate", "internal", "admin"})


@cache
def _validator(resource: str) -> Validator:
    schema = json.loads(resources.files(__package__).joinpath(resource).read_text("utf-8"))
    under = Dialect(DEFAULT_DIALECT)
    metaschema(under).validate(schema)  # the shipped schema is itself valid (check_schema)
    return build(schema, under=under)


def capsule_schema() -> dict[str, Any]:
    """The published JSON Schema of the Capsule document."""
    return dict(_validator("capsule.schema.json").schema)


def _check(resource: str, doc: Any) -> list[Problem]:
    errors = sorted(_validator(resource).iter_errors(doc), key=sort_key)
    return schema_problems(errors, code=Code.CAPSULE_SCHEMA)


def validate_capsule(doc: Any) -> list[Problem]:
    """Every problem of a parsed Capsule document: schema errors first, then the semantic rules.

    Semantic rules run on whatever parts are well formed, so one report lists as much as
    can be found. Warnings (``severity="warning"``) do not block publishing.
    """
    problems = _check("capsule.schema.json", doc)
    spec = doc.get("spec") if isinstance(doc, Mapping) else None
    if isinstance(spec, Mapping):
        problems += _tool_rules(spec)
        problems += _step_rules(spec)
    return problems


def validate_capsule_meta(doc: Any) -> list[Problem]:
    """Problems of a parsed ``meta.yaml`` (see ``capsule-meta.schema.json``; unknown keys refused)."""
    return _check("capsule-meta.schema.json", doc)


def _strings(value: Any) -> list[tuple[int, str]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, str)]


def _steps(spec: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    steps = spec.get("steps")
    if not isinstance(steps, list):
        return []
    return [(i, step) for i, step in enumerate(steps) if isinstance(step, Mapping)]


def _tool_rules(spec: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    allowed = _strings(spec.get("allowed_tools"))
    seen: set[str] = set()
    for i, tool in allowed:
        where = jsonpath(["spec", "allowed_tools", i])
        first = tool.split(".", 1)[0]
        if first.lower() in RESERVED_TOOL_NAMESPACES:
            problems.append(
                Problem(
                    Code.CAPSULE_RESERVED_TOOL,
                    f"tool {tool!r} is in the reserved namespace {first!r}; "
                    f"{', '.join(sorted(RESERVED_TOOL_NAMESPACES))} belong to the platform",
                    where,
                )
            )
        if tool in seen:
            problems.append(
                Problem(Code.CAPSULE_DUPLICATE_TOOL, f"tool {tool!r} is listed twice", where, "warning")
            )
        seen.add(tool)

    used: set[str] = set()
    declared = {tool for _, tool in allowed}
    for i, step in _steps(spec):
        tool = step.get("tool")
        if not isinstance(tool, str):
            continue
        used.add(tool)
        if tool not in declared:
            problems.append(
                Problem(
                    Code.CAPSULE_TOOL_NOT_ALLOWED,
                    f"step {step.get('name')!r} calls {tool!r}, which is not in spec.allowed_tools; "
                    "add it there",
                    jsonpath(["spec", "steps", i, "tool"]),
                )
            )
    for i, tool in allowed:
        if tool not in used and tool.split(".", 1)[0].lower() not in RESERVED_TOOL_NAMESPACES:
            problems.append(
                Problem(
                    Code.CAPSULE_UNUSED_TOOL,
                    f"allowed tool {tool!r} is used by no step; remove it to keep the grant small",
                    jsonpath(["spec", "allowed_tools", i]),
                    "warning",
                )
            )
    return problems


def _step_rules(spec: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    index: dict[str, int] = {}
    for i, step in _steps(spec):
        name = step.get("name")
        if not isinstance(name, str):
            continue
        if name in index:
            problems.append(
                Problem(
                    Code.CAPSULE_DUPLICATE_STEP,
                    f"step name {name!r} is used again (first at steps[{index[name]}]); names must be unique",
                    jsonpath(["spec", "steps", i, "name"]),
                )
            )
        else:
            index[name] = i

    edges: dict[str, list[str]] = {name: [] for name in index}
    for i, step in _steps(spec):
        name = step.get("name")
        for j, dep in _strings(step.get("depends_on")):
            where = jsonpath(["spec", "steps", i, "depends_on", j])
            if dep not in index:
                problems.append(
                    Problem(
                        Code.CAPSULE_UNKNOWN_DEPENDENCY,
                        f"step {name!r} depends on unknown step {dep!r}",
                        where,
                    )
                )
            elif isinstance(name, str) and index.get(name) == i:
                edges[name].append(dep)

    cycle = _find_cycle(edges)
    if cycle:
        problems.append(
            Problem(
                Code.CAPSULE_DEPENDENCY_CYCLE,
                f"depends_on forms a cycle: {' -> '.join(cycle)}; steps must form a DAG",
                jsonpath(["spec", "steps", index[cycle[0]], "depends_on"]),
            )
        )
    return problems


def _find_cycle(edges: Mapping[str, list[str]]) -> list[str] | None:
    """A cycle in the dependency graph as ``[a, b, …, a]``, or None (iterative DFS, three colours)."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(edges, white)
    for root in edges:
        if colour[root] != white:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        colour[root] = grey
        while stack:
            node, next_edge = stack[-1]
            targets = edges[node]
            if next_edge >= len(targets):
                colour[node] = black
                stack.pop()
                continue
            stack[-1] = (node, next_edge + 1)
            target = targets[next_edge]
            if colour[target] == grey:
                path = [n for n, _ in stack]
                return [*path[path.index(target) :], target]
            if colour[target] == white:
                colour[target] = grey
                stack.append((target, 0))
    return None
