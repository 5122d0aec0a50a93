"""Proofs that two schemas share no instance, that one accepts nothing, or that one holds the other.

``oneOf`` rejects an instance that matches two branches (2020-12 core 10.2.1.3), so a
branch may only be added or widened when it provably stays apart from the others. The
proofs here are syntactic and cautious: "not shown disjoint" never means "overlapping".
Two schemas are disjoint when their ``type`` sets do not meet, when their ``const``/``enum``
values do not meet (or none of one side's values has a type the other allows), or when a
property that every instance of one side must carry (``required``, on a schema only for
objects) has disjoint schemas on the two sides: the discriminator of a tagged union.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from registry.lint.normal import canonical
from registry.lint.refs import ANNOTATIONS, STRUCTURAL, is_false, is_trivially_true

Resolve = Callable[[Any], Any]  # follows ``$ref`` in the document a schema comes from
ALL_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
_DEPTH = 4  # how deep discriminators are followed


def types(schema: Any) -> frozenset[str]:
    """The instance types a schema admits (``number`` includes ``integer``)."""
    if not isinstance(schema, dict) or "type" not in schema:
        return ALL_TYPES
    value = schema["type"]
    names = {value} if isinstance(value, str) else {v for v in value if isinstance(v, str)}
    if "number" in names:
        names.add("integer")
    return frozenset(names & ALL_TYPES)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def values(schema: Any) -> dict[str, Any] | None:
    """The values ``const`` and ``enum`` allow together (None: not restricted)."""
    if not isinstance(schema, dict):
        return None
    allowed: dict[str, Any] | None = None
    if isinstance(schema.get("enum"), list):
        allowed = {value_key(v): v for v in schema["enum"]}
    if "const" in schema:
        key = value_key(schema["const"])
        allowed = {key: schema["const"]} if allowed is None or key in allowed else {}
    return allowed


def value_key(value: Any) -> str:
    # 1 and 1.0 are the same JSON number; true and 1 are not.
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    return canonical(value)


def admitted(value: Any, allowed_types: frozenset[str]) -> bool:
    kind = json_type(value)
    return kind in allowed_types or (kind == "integer" and "number" in allowed_types)


def empty(schema: Any, resolve: Resolve) -> bool:
    """Whether ``schema`` provably accepts nothing."""
    schema = resolve(schema)
    if is_false(schema):
        return True
    if not isinstance(schema, dict):
        return False
    if not types(schema):
        return True
    allowed = values(schema)
    if allowed is not None and not any(admitted(v, types(schema)) for v in allowed.values()):
        return True
    branches = schema.get("oneOf")
    if isinstance(branches, list) and sum(1 for b in branches if is_trivially_true(resolve(b))) > 1:
        return True  # every instance matches two branches
    members = schema.get("allOf")
    conjuncts = [schema, *(resolve(b) for b in (members if isinstance(members, list) else []))]
    return any(disjoint(a, b, resolve, resolve) for n, a in enumerate(conjuncts) for b in conjuncts[n + 1 :])


def disjoint(a: Any, b: Any, resolve_a: Resolve, resolve_b: Resolve, depth: int = 0) -> bool:
    """Whether no instance is accepted by both ``a`` and ``b`` (as far as can be shown)."""
    a, b = resolve_a(a), resolve_b(b)
    if is_false(a) or is_false(b):
        return True
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    types_a, types_b = types(a), types(b)
    if not types_a & types_b:
        return True
    values_a, values_b = values(a), values(b)
    if values_a is not None and values_b is not None and not values_a.keys() & values_b.keys():
        return True
    if values_a is not None and not any(admitted(v, types_b) for v in values_a.values()):
        return True
    if values_b is not None and not any(admitted(v, types_a) for v in values_b.values()):
        return True
    if depth < _DEPTH and (types_a == {"object"} or types_b == {"object"}):
        return _discriminated(a, b, resolve_a, resolve_b, depth)
    return False


def _discriminated(a: dict, b: dict, resolve_a: Resolve, resolve_b: Resolve, depth: int) -> bool:
    props_a, props_b = a.get("properties"), b.get("properties")
    if not isinstance(props_a, dict) or not isinstance(props_b, dict):
        return False
    required = set(_names(a.get("required"))) | set(_names(b.get("required")))
    return any(
        name in props_a
        and name in props_b
        and disjoint(props_a[name], props_b[name], resolve_a, resolve_b, depth + 1)
        for name in required
    )


_ENTAILED = frozenset({"type", "enum", "const", "properties", "required"})


def implies(a: Any, b: Any, resolve_a: Resolve, resolve_b: Resolve, depth: int = 0) -> bool:
    """Whether every instance ``a`` accepts, ``b`` accepts too (as far as can be shown).

    ``b`` may test ``type``, ``enum``/``const``, ``required`` and ``properties`` (each
    property's schema within ``b``'s, recursively); ``a`` must say at least as much in the
    same keywords. Whatever else ``a`` says only narrows it. This is what decides an ``if``
    under its siblings: ``{"required": ["kind"], "properties": {"kind": {"const": "a"}}}``
    always meets ``{"properties": {"kind": {"const": "a"}}}``.
    """
    a, b = resolve_a(a), resolve_b(b)
    if is_trivially_true(b) or is_false(a):
        return True
    if not isinstance(a, dict) or not isinstance(b, dict) or depth > _DEPTH or not (_plain(a) and _plain(b)):
        return False
    if not {k for k in b if k not in ANNOTATIONS and k not in STRUCTURAL} <= _ENTAILED:
        return False
    if "type" in b and not _typed_within(a, types(b)):
        return False
    allowed = values(b)
    if allowed is not None:
        own = values(a)
        if own is None or not own.keys() <= allowed.keys():
            return False
    if not set(_names(b.get("required"))) <= set(_names(a.get("required"))):
        return False
    return _properties_within(a, b, resolve_a, resolve_b, depth)


def _properties_within(a: dict, b: dict, resolve_a: Resolve, resolve_b: Resolve, depth: int) -> bool:
    """Whether each property ``b`` constrains is constrained within that by ``a``."""
    props_a, props_b = a.get("properties"), b.get("properties", {})
    if not isinstance(props_b, dict):
        return False
    props_a = props_a if isinstance(props_a, dict) else {}
    for name, sub in props_b.items():
        if name not in props_a:
            if not is_trivially_true(resolve_b(sub)):
                return False
        elif not implies(props_a[name], sub, resolve_a, resolve_b, depth + 1):
            return False
    return True


def _plain(schema: dict) -> bool:
    """Whether the keywords :func:`implies` reads hold values of the shapes it reads."""
    return (
        isinstance(schema.get("type", ""), str | list)
        and isinstance(schema.get("enum", []), list)
        and isinstance(schema.get("required", []), list)
        and isinstance(schema.get("properties", {}), dict)
    )


def _typed_within(schema: dict, allowed_types: frozenset[str]) -> bool:
    """Whether every instance of ``schema`` has one of ``allowed_types``, by its types or values."""
    if types(schema) <= allowed_types:
        return True
    own = values(schema)
    return own is not None and all(admitted(v, allowed_types) for v in own.values())


def _names(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
