"""Candidate instances for a schema: few, varied, and near its edges.

The witness search (:mod:`registry.lint.witness`) needs values that one schema probably
accepts and the other may not: the bounds themselves (``maximum``, ``maxLength`` …), each
``enum`` value, ``null`` where allowed, an optional property present, an extra property
with a value of every type. They are guesses; the search validates every one.
"""

from __future__ import annotations

import math
import re
import time
from typing import Any

from registry.lint.bounds import number
from registry.lint.disjoint import ALL_TYPES, types
from registry.lint.normal import canonical
from registry.lint.refs import Document

# One value of each JSON type, for places the schema leaves open.
GENERIC: tuple[Any, ...] = (None, 0, -1, 1.5, "", "x", True, False, [], {}, [None], {"x": None})
_FORMATS = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05Z",
    "email": "a@example.com",
    "uri": "https://example.com/x",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "192.0.2.1",
    "hostname": "example.com",
}
_META = re.compile(r"\\.|[\^$()\[\]{}*+?|.]|\d+(?=[,}])")
_PER_TYPE = 6  # values kept per type and per property
_DEPTH = 6  # how deep minimal instances are filled in
#: Longest string or array built from a schema's own bounds: a ``minLength`` of 10**9 must
#: not become a string of 10**9 characters. Past it, the bound is simply not sampled.
MAX_SIZE = 1_024
#: Subschemas visited per document while building candidates: 20 properties each holding
#: 20 more, six levels deep, would otherwise be 20**6 visits.
MAX_VISITS = 5_000


class Samples:
    """Candidate values for the subschemas of one document."""

    def __init__(self, doc: Document, *, deadline: float = math.inf) -> None:
        self.doc = doc
        self._visits = MAX_VISITS
        self._deadline = deadline  # a time.perf_counter() value: past it, no more candidates

    def resolve(self, schema: Any) -> Any:
        resolved = self.doc.resolve(schema, "#")
        return {} if resolved.schema is True else resolved.schema

    def values(self, schema: Any, depth: int = 0) -> list[Any]:
        """Values ``schema`` likely accepts, the most telling first (not validated here)."""
        if self._visits <= 0 or time.perf_counter() > self._deadline:
            return []
        self._visits -= 1
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return []
        found: list[Any] = []
        if "const" in schema:
            found.append(schema["const"])
        if isinstance(schema.get("enum"), list):
            found += schema["enum"][: _PER_TYPE * 2]
        allowed = types(schema)
        for kind in sorted(allowed, key=_ORDER.index):
            found += self._of_type(kind, schema, depth)
        for keyword in ("anyOf", "oneOf", "allOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and depth < _DEPTH:
                for branch in branches[:4]:
                    found += self.values(branch, depth + 1)[:_PER_TYPE]
        if allowed == ALL_TYPES:
            found += GENERIC
        return _unique(found)

    def minimal(self, schema: Any, depth: int = 0) -> Any:
        """A small instance: the first value, with required properties filled in."""
        values = self.values(schema, depth)
        return values[0] if values else None

    def _of_type(self, kind: str, schema: dict, depth: int) -> list[Any]:
        if kind == "null":
            return [None]
        if kind == "boolean":
            return [True, False]
        if kind in ("integer", "number"):
            return _numbers(schema, integer=kind == "integer")
        if kind == "string":
            return _strings(schema)
        if depth >= _DEPTH:
            return [[]] if kind == "array" else [{}]
        if kind == "array":
            return self._arrays(schema, depth)
        return self._objects(schema, depth)

    def _arrays(self, schema: dict, depth: int) -> list[Any]:
        prefix = schema.get("prefixItems", schema.get("items"))
        prefix = prefix if isinstance(prefix, list) else []
        rest = schema.get("items") if isinstance(schema.get("items"), dict | bool) else True
        head = [self.minimal(p, depth + 1) for p in prefix]
        low = _size(schema.get("minItems"))
        high = _size(schema.get("maxItems"))
        items = self.values(rest, depth + 1)[:_PER_TYPE] if rest is not False else []
        filler = items[0] if items else None
        found = [head + [filler] * max(0, (low or 0) - len(head))]
        found += [[*head, item] for item in items]
        if high is not None:
            found.append(head + [filler] * max(0, high - len(head)))
        if items:
            found.append([*head, filler, filler])
        return found

    def _objects(self, schema: dict, depth: int) -> list[Any]:
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        required = (
            [r for r in schema.get("required", []) if isinstance(r, str)]
            if isinstance(schema.get("required"), list)
            else []
        )
        base = {name: self.minimal(props.get(name, True), depth + 1) for name in required[:MAX_SIZE]}
        found = [base]
        for name, sub in list(props.items())[:20]:
            for value in self.values(sub, depth + 1)[:_PER_TYPE]:
                found.append({**base, name: value})
        return found


_ORDER = ("null", "boolean", "integer", "number", "string", "array", "object")


def _numbers(schema: dict, *, integer: bool) -> list[Any]:
    found: list[Any] = []
    for key, step in (("minimum", 0), ("maximum", 0), ("exclusiveMinimum", 1), ("exclusiveMaximum", -1)):
        value = number(schema.get(key))
        if value is not None:
            found += [value + step, value] if key.startswith("exclusive") else [value]
            found.append(value + (1 if "inimum" in key else -1))
    factor = number(schema.get("multipleOf"))
    if factor:
        found += [factor, factor * 2, 0]
    found += [0, 1] if integer else [0.5, 0, 1]
    found += [-1, 10**6] if integer else [-1.5, -1, 10**6]
    if integer:
        found = [v for v in found if isinstance(v, int) or float(v).is_integer()]
    return found[: _PER_TYPE * 2]


def _size(value: Any) -> int | None:
    """A length or count bound as an int, or None when absent or past :data:`MAX_SIZE`."""
    value = number(value)
    if value is None or not 0 <= value <= MAX_SIZE:
        return None
    return int(value)


def _strings(schema: dict) -> list[Any]:
    low = _size(schema.get("minLength"))
    high = _size(schema.get("maxLength"))
    found: list[Any] = []
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        found.append(_FORMATS[fmt])
    if low is not None:
        found += ["a" * low, "x" * max(low, 1)]
    if high is not None:
        found += ["a" * high, "a" * max(high - 1, 0)]
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        # The pattern's literal characters often spell a matching string ("^ab+$" → "ab").
        found += [literal(pattern), literal(pattern)[:1]]
    found += ["", "0", "abc", "2024-01-02", "a@example.com"]
    return found


def literal(pattern: str) -> str:
    """The pattern's literal characters, which often spell a matching string ("^ab+$" → "ab")."""
    return _META.sub("", pattern)[:200]


def _unique(values: list[Any]) -> list[Any]:
    seen: set[str] = set()
    kept = []
    for value in values:
        key = canonical(value)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept
