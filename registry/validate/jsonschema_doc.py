"""A contract's JSON Schema checked as a schema: its metaschema, and its ``$ref``s.

The dialect is the one the schema names in ``$schema`` (draft-04, -06, -07, 2019-09 or
2020-12); a schema that names none is read as draft 2020-12. A door that reads schemas
in another default dialect (a store's ``default_dialect``) writes it into the schema
first, with ``registry.validate.dialects.in_dialect``. Local references (``#…``) must
resolve inside the document; other references are returned by ``external_refs`` for the
gate to resolve against other contracts.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urldefrag

from jsonschema import FormatChecker

from registry.errors import LimitExceeded
from registry.lint.patterns import compile_pattern
from registry.problems import Code, Problem
from registry.schema_validator import DEFAULT_DIALECT, KNOWN_DIALECTS, Dialect, dialect, metaschema
from registry.validate.jsonpath import jsonpath, schema_problems, sort_key

# Keywords whose value is a subschema, an array of them, or an object of them
# (JSON Schema 2020-12 Core section 10, Validation section 6, and the older drafts' names).
_ONE = frozenset(
    {
        "additionalItems",
        "additionalProperties",
        "contains",
        "else",
        "if",
        "items",
        "not",
        "propertyNames",
        "then",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
_MANY = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
_NAMED = frozenset(
    {"$defs", "definitions", "properties", "patternProperties", "dependentSchemas", "dependencies"}
)


#: Subschemas nested deeper than this are refused (``properties`` inside ``properties`` counts
#: one level each): real contracts stay far below, and validators and the linter recurse
#: once per level. The linter holds the same bound.
MAX_SCHEMA_DEPTH = 64


def validate_json_schema(schema: Any) -> list[Problem]:
    """Every problem of a contract schema (see ``_validate``), remembered by content.

    Checking against the 2020-12 metaschema costs milliseconds ($dynamicRef), and a push
    checks the same schema more than once (the gate, then tagging): the answer for a
    given schema never changes, so it is computed once per process.
    """
    key = json.dumps(schema, sort_keys=True, separators=(",", ":"), default=str)
    return list(_validate_cached(key))


@functools.lru_cache(maxsize=512)
def _validate_cached(key: str) -> tuple[Problem, ...]:
    return tuple(_validate(json.loads(key)))


def _validate(schema: Any) -> list[Problem]:
    """Every problem of a contract schema: all metaschema errors, then unresolved local ``$ref``s.

    Problems are coded ``metaschema.<keyword>`` (the metaschema keyword that failed),
    ``schema_dialect`` for an unknown ``$schema`` and ``ref_unresolved``; their path
    points into the contract schema.
    """
    cls = dialect(schema)
    if cls is None:
        known = ", ".join(KNOWN_DIALECTS)
        return [
            Problem(
                Code.SCHEMA_DIALECT,
                f"$schema {schema.get('$schema')!r} is not a dialect the registry knows; use one of {known}",
                jsonpath(["$schema"]),
            )
        ]
    if not isinstance(schema, dict | bool):
        return [
            Problem(
                Code.SCHEMA_METASCHEMA,
                "a JSON Schema is an object (or, from draft-06, a boolean)",
                keyword="type",
            )
        ]
    if too_deep := _too_deep(schema):
        return [too_deep]
    # What check_schema does, without stopping at the first error.
    meta = metaschema(cls, format_checker=_format_checker(cls))
    errors = sorted(meta.iter_errors(schema), key=sort_key)
    problems = schema_problems(errors, code=Code.SCHEMA_METASCHEMA)
    if cls.uri == DEFAULT_DIALECT and (tuples := _tuple_items(schema)):
        problems = [*tuples, *(p for p in problems if p.path not in {t.path for t in tuples})]
    if not problems:
        problems += _unresolved_refs(schema, cls)
    return problems


_DRAFT7 = "http://json-schema.org/draft-07/schema#"


def _tuple_items(schema: Any) -> list[Problem]:
    """One problem per ``items`` array: draft 7's tuple, which 2020-12 spells ``prefixItems``.

    Under 2020-12 (also the dialect of a schema without ``$schema`` in a store whose
    ``default_dialect`` is 2020-12) the metaschema only says the array "is not of type
    object"; this says which ``$schema`` to add instead.
    """
    if isinstance(schema, dict) and "$schema" in schema:
        why = f'$schema names draft 2020-12: name draft 7 instead ("$schema": "{_DRAFT7}"), '
    else:
        why = (
            "this schema is read as draft 2020-12 (no $schema says otherwise): "
            f'add "$schema": "{_DRAFT7}" at the top, '
        )
    found: list[Problem] = []
    stack: list[tuple[Any, list[str | int]]] = [(schema, [])]
    while stack and len(found) < 20:
        node, path = stack.pop()
        if isinstance(node, list):
            stack += [(v, [*path, i]) for i, v in enumerate(node) if isinstance(v, dict | list)]
            continue
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("items"), list):
            found.append(
                Problem(
                    Code.SCHEMA_METASCHEMA,
                    f"items holds an array, draft 7's tuple; {why}or write the tuple as prefixItems",
                    jsonpath([*path, "items"]),
                    keyword="items",
                )
            )
        stack += [
            (v, [*path, k])
            for k, v in node.items()
            if isinstance(v, dict | list) and k not in ("enum", "const", "default", "examples")
        ]
    return found


@functools.cache
def _format_checker(cls: Dialect) -> FormatChecker:
    """The dialect's format checker, with ``regex`` judged by the bounded pattern engine.

    The stock check compiles with ``re``, which has no time bound and crashes on a repeat
    such as ``a{4294967296}``; a pattern is a pusher's input like any other.
    """
    checker = FormatChecker()
    checker.checkers = {**cls.formats, "regex": (_is_pattern, (LimitExceeded,))}
    return checker


def _is_pattern(instance: object) -> bool:
    if isinstance(instance, str):
        compile_pattern(instance)
    return True


def _too_deep(schema: Any) -> Problem | None:
    """A problem when subschemas nest past ``MAX_SCHEMA_DEPTH``, found without recursion."""
    stack: list[tuple[Any, list[str | int], int]] = [(schema, [], 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_SCHEMA_DEPTH:
            return Problem(
                Code.SCHEMA_LIMIT,
                f"subschemas nest more than {MAX_SCHEMA_DEPTH} levels deep (limit schema depth); "
                "flatten the schema: name repeated parts in $defs and refer to them with $ref",
                jsonpath(path),
                keyword="depth",
            )
        stack.extend((sub, sub_path, depth + 1) for sub, sub_path in _subschemas(node, path))
    return None


def _id_keyword(cls: Dialect) -> str:
    return cls.id_keyword


def _subschemas(node: Any, path: list[str | int]) -> Iterator[tuple[Any, list[str | int]]]:
    """The direct subschemas of a schema, with their paths; data keywords (enum, const…) are skipped."""
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in _NAMED and isinstance(value, dict):
            for name, sub in value.items():
                if isinstance(sub, dict | bool):
                    yield sub, [*path, key, name]
        elif key in _MANY and isinstance(value, list):
            for i, sub in enumerate(value):
                yield sub, [*path, key, i]
        elif key in _ONE and isinstance(value, dict | bool):
            yield value, [*path, key]


def _walk(
    schema: Any, cls: Dialect
) -> Iterator[tuple[dict[str, Any], list[str | int], dict[str, Any], bool]]:
    """Each subschema with its path, the resource root it belongs to, and whether that root is embedded."""
    id_key = _id_keyword(cls)
    stack: list[tuple[Any, list[str | int], Any, bool]] = [(schema, [], schema, False)]
    while stack:
        node, path, root, embedded = stack.pop()
        if not isinstance(node, dict):
            continue
        own_id = node.get(id_key)
        if path and isinstance(own_id, str) and not own_id.startswith("#"):
            root, embedded = node, True
        yield node, path, root, embedded
        for sub, sub_path in _subschemas(node, path):
            stack.append((sub, sub_path, root, embedded))


def _embedded_ids(schema: Any, cls: Dialect) -> set[str]:
    id_key = _id_keyword(cls)
    return {
        urldefrag(node[id_key])[0]
        for node, path, _, _ in _walk(schema, cls)
        if path and isinstance(node.get(id_key), str)
    }


def external_refs(schema: Any) -> list[str]:
    """The ``$ref``s that point outside the document, as written and without repeats.

    A reference to a resource embedded in the same document (by its ``$id``) is local.
    """
    cls = dialect(schema) or Dialect(DEFAULT_DIALECT)
    embedded = _embedded_ids(schema, cls)
    refs: list[str] = []
    for node, _, _, _ in _walk(schema, cls):
        for key in ("$ref", "$dynamicRef", "$recursiveRef"):
            ref = node.get(key)
            if not isinstance(ref, str) or ref.startswith("#"):
                continue
            if urldefrag(ref)[0] in embedded or ref in refs:
                continue
            refs.append(ref)
    return refs


def _anchors(root: dict[str, Any], cls: Dialect) -> set[str]:
    id_key = _id_keyword(cls)
    names: set[str] = set()
    for node, _, node_root, _ in _walk(root, cls):
        if node_root is not root and node is not root:
            continue
        for key in ("$anchor", "$dynamicAnchor"):
            if isinstance(node.get(key), str):
                names.add(node[key])
        own = node.get(id_key)
        if isinstance(own, str) and own.startswith("#"):  # draft-04..07 plain-name fragments
            names.add(own[1:])
    return names


def _pointer(root: Any, fragment: str) -> bool:
    """Whether a JSON Pointer (RFC 6901) fragment resolves in ``root``."""
    node = root
    for raw in fragment.split("/")[1:]:
        token = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _unresolved_refs(schema: Any, cls: Dialect) -> list[Problem]:
    problems: list[Problem] = []
    for node, path, root, _ in _walk(schema, cls):
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#"):
            continue
        fragment = ref[1:]
        if fragment == "" or fragment.startswith("/"):
            ok = _pointer(root, fragment)
        else:
            ok = unquote(fragment) in _anchors(root, cls)
        if not ok:
            problems.append(
                Problem(
                    Code.SCHEMA_REF_UNRESOLVED,
                    f"$ref {ref!r} points at nothing in this schema; add the target or fix the pointer",
                    jsonpath([*path, "$ref"]),
                )
            )
    return problems
