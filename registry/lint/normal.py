"""Spellings that mean the same schema, read as one before comparing.

A composition of one schema is that schema: ``{"allOf": [S]}``, ``{"anyOf": [S]}`` and
``{"oneOf": [S]}`` accept exactly what ``S`` accepts (2020-12 core 10.2.1.1-10.2.1.3), and
so do ``allOf``/``anyOf`` lists whose other members repeat ``S``. ``allOf`` members whose
keywords do not meet (``[{"enum": [...]}, {"type": "string"}]``) are one schema with all
their keywords. Such members are merged into the schema holding them, keeping each
keyword's real location in ``origins`` as ``$ref`` merging does, so a rewrite from
``{"type": "string"}`` to ``{"allOf": [{"type": "string"}]}`` is no change at all.

Keywords that read each other within one schema object (``additionalProperties`` sees
``properties``, ``items`` sees ``prefixItems`` …) are never merged from different members,
nor is anything beside ``unevaluated*``, which sees every adjacent keyword.
"""

from __future__ import annotations

import io
import json
import marshal
import pickle
from typing import Any

from registry.lint.refs import ANNOTATIONS, Document, Resolved, is_trivially_true, join

COMPOSITIONS = ("allOf", "anyOf", "oneOf")
_ROUNDS = 8  # allOf of anyOf of oneOf of one member … flattened a few levels deep
# Keywords of one schema object that read each other (2020-12 core 10.3.1, 10.3.2; validation 6.4.4-6.4.5).
_TOGETHER = (
    frozenset({"properties", "patternProperties", "additionalProperties"}),
    frozenset({"prefixItems", "items", "additionalItems"}),
    frozenset({"contains", "minContains", "maxContains"}),
    frozenset({"if", "then", "else"}),
    frozenset({"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"}),  # draft 4 booleans
)
_UNMERGEABLE = frozenset(
    {"unevaluatedProperties", "unevaluatedItems", "$ref", "$dynamicRef", "$recursiveRef"}
)


# One encoder for every call: ``json.dumps`` with options builds a new one each time, which
# dominated comparing an enum of 100,000 values.
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode


def canonical(value: Any) -> str:
    """A text equal for equal JSON values (1 and true differ; key order does not matter)."""
    if type(value) is int:
        return str(value)
    return _ENCODE(value)


def plainly_same(a: Any, b: Any) -> bool:
    """Whether two subschemas are spelled the same and refer to nothing, so mean the same.

    ``==`` alone says 1 == 1.0 == true; their serialisations tell them apart. ``marshal``
    (format 2, which never shares repeated objects, so equal values give equal bytes) writes
    a type code before every value and is about twice as fast as ``repr``, which takes its
    place for what it cannot write. A different key order reads as different: then the
    engine compares them in full, which is slower but no less right. Any reference below
    (even text that merely contains "Ref") also sends them the long way, since the two
    documents may resolve it differently.
    """
    if a != b:
        return False
    try:
        data = marshal.dumps(a, 2)
    except ValueError:
        text = repr(a)
        return text == repr(b) and "Ref'" not in text and "$ref'" not in text
    return data == marshal.dumps(b, 2) and not _refers(data)


def plainly_same_names(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    """The names both maps hold whose subschemas are :func:`plainly_same`.

    Most properties of a large schema are unchanged: the equal ones are serialised as one
    list per side and compared in one go, which costs a fraction of a call per name; only
    when those differ (a 1 beside a true, a reference) is each name asked in turn.
    """
    equal = [name for name, schema in old.items() if name in new and schema == new[name]]
    try:
        ours = _exact([old[name] for name in equal])
        if ours == _exact([new[name] for name in equal]) and not _refers(ours):
            return set(equal)
    except (pickle.PicklingError, TypeError, ValueError, RecursionError):
        pass
    return {name for name in equal if plainly_same(old[name], new[name])}


def _refers(data: bytes) -> bool:
    """Whether serialised schemas may hold a reference (any text with "Ref", or "$ref")."""
    return b"Ref" in data or b"$ref" in data


def _exact(values: list[Any]) -> bytes:
    """Bytes equal only for values equal in type as well (1, 1.0 and true differ).

    A pickle without its memo: nothing in it depends on which objects are shared, so
    equal values always give equal bytes. Twice as fast as ``marshal`` here.
    """
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True
    pickler.dump(values)
    return out.getvalue()


def effective(keyword: str, members: list[Any]) -> list[int]:
    """Indexes of the members that count: for allOf and anyOf a repeated member counts once
    and, in allOf, a member accepting everything not at all. oneOf keeps every member: two
    equal branches make each instance of them match twice, which oneOf rejects.
    """
    if keyword == "oneOf":
        return list(range(len(members)))
    seen: set[str] = set()
    kept = []
    for i, member in enumerate(members):
        if keyword == "allOf" and is_trivially_true(member):
            continue
        key = canonical(member)
        if key not in seen:
            seen.add(key)
            kept.append(i)
    return kept


def flatten(doc: Document, resolved: Resolved) -> Resolved:
    """``resolved`` with every composition of one effective member merged into it."""
    for _ in range(_ROUNDS):
        merged = _flatten_once(doc, resolved)
        if merged is None:
            return resolved
        resolved = merged
    return resolved


def _flatten_once(doc: Document, resolved: Resolved) -> Resolved | None:
    schema = resolved.schema
    if not isinstance(schema, dict) or resolved.pointer is None:
        return None
    for keyword in COMPOSITIONS:
        members = schema.get(keyword)
        if not isinstance(members, list):
            continue
        kept = effective(keyword, members)
        if len(kept) != 1 and keyword != "allOf":
            continue
        owner = resolved.origins.get(keyword, resolved.pointer) if resolved.origins else resolved.pointer
        parts = [doc.resolve(members[i], join(owner, keyword, i)) for i in kept]
        if not all(_plain(part) for part in parts):
            continue
        rest = {k: v for k, v in schema.items() if k != keyword}
        bodies = [rest, *({} if p.schema is True else p.schema for p in parts)]
        if not _mergeable(bodies):
            continue
        origins = {k: (resolved.origins or {}).get(k, resolved.pointer) for k in rest}
        merged = dict(rest)
        notes = dict(resolved.notes)
        for part, body in zip(parts, bodies[1:], strict=True):
            for key, value in body.items():
                if key not in merged:
                    merged[key] = value
                    origins[key] = (part.origins or {}).get(key, part.pointer)
            notes = {**part.notes, **notes}
        return Resolved(merged, resolved.pointer, origins, notes)
    return None


def _plain(part: Resolved) -> bool:
    """A member that can be merged: a real schema object (or ``true``) at a real place."""
    real = part.pointer is not None and "#" not in part.pointer
    return real and (part.schema is True or isinstance(part.schema, dict))


def _mergeable(bodies: list[dict]) -> bool:
    """Whether these schema objects, side by side, mean the same as one holding all their keywords."""
    owner: dict[str, int] = {}
    for n, body in enumerate(bodies):
        for key, value in body.items():
            if key in ANNOTATIONS:
                continue
            if key in _UNMERGEABLE or (key in owner and bodies[owner[key]][key] != value):
                return False
            owner.setdefault(key, n)
    for group in _TOGETHER:
        holders = {owner[k] for k in group if k in owner}
        if len(holders) > 1:
            return False
    return True
