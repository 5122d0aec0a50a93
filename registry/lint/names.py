"""``propertyNames`` that decides an object's names, read as a closed content model.

``propertyNames`` applies a schema to every name of an object (2020-12 core 10.3.2.4), and
``additionalProperties: false`` rejects every name that ``properties`` does not declare
(10.3.2.3). Where the names ``propertyNames`` admits are all declared, the two say the same:

* ``{"properties": {"a": …}, "propertyNames": {"enum": ["a"]}}`` is
  ``{"properties": {"a": …}, "additionalProperties": false}``, whatever the catch-all;
* beside ``additionalProperties: false``, a ``propertyNames`` that every declared name meets
  (``maxLength``, ``pattern``) adds nothing, and a declared name it rejects can never appear.

So before comparing, such a schema is rewritten to ``properties`` (the names it admits) and
``additionalProperties: false``, without ``propertyNames``. No valid instance changes, nor
what it evaluates: a name that is dropped, or newly closed off, could never appear.
Read only where ``propertyNames`` is a plain test of a string (``type``, ``enum``,
``const``, ``minLength``, ``maxLength``, ``pattern``), there are no ``patternProperties``
(which would admit more names), and the draft knows ``propertyNames`` (draft 6 on).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from registry.errors import LimitExceeded
from registry.lint import bounds
from registry.lint.disjoint import types, value_key, values
from registry.lint.patterns import search
from registry.lint.refs import ANNOTATIONS, Document, Resolved, is_false

Test = Callable[[str], bool | None]
_TESTS = frozenset({"type", "enum", "const", "minLength", "maxLength", "pattern"})
_MARK = "#names"  # the closing ``false`` lives nowhere in the document


def closed_by_names(doc: Document, resolved: Resolved, charge: Callable[[int], None]) -> Resolved:
    """``resolved`` with a ``propertyNames`` that decides its names read as a closed object.

    ``charge`` counts the names tested against a pattern (see ``Engine.charge``).
    """
    schema = resolved.schema
    if not isinstance(schema, dict) or "propertyNames" not in schema or doc.before_draft6:
        return resolved
    props = schema.get("properties", {})
    rest = schema.get("additionalProperties", True)
    if schema.get("patternProperties", {}) != {} or not isinstance(props, dict):
        return resolved
    if not isinstance(rest, dict | bool):
        return resolved
    found = _test(doc.resolve(schema["propertyNames"], None).schema)
    if found is None:
        return resolved
    test, listed = found
    charge(1 + len(props) + len(listed or ()))
    admitted = {name: test(name) for name in [*props, *(listed or ())]}
    if None in admitted.values():
        return resolved  # a pattern that could not be matched in time: not read
    closed = is_false(rest)
    if not closed and (listed is None or any(admitted[n] and n not in props for n in listed)):
        return resolved  # a name it admits falls to the catch-all
    body = {k: v for k, v in schema.items() if k != "propertyNames"}
    kept = {name: sub for name, sub in props.items() if admitted[name]}
    if "properties" in schema:
        body["properties"] = kept
    dropped = frozenset(props.keys() - kept.keys())
    origins = resolved.origins
    if not closed:
        body["additionalProperties"] = False
        origins = dict(origins or {})
        origins["additionalProperties"] = None if resolved.pointer is None else resolved.pointer + _MARK
    return Resolved(body, resolved.pointer, origins, resolved.notes, dropped)


def closed_here(origins: dict[str, str | None] | None) -> bool:
    """Whether a side's ``additionalProperties: false`` was read from its ``propertyNames``."""
    owner = (origins or {}).get("additionalProperties")
    return owner is not None and owner.endswith(_MARK)


@lru_cache(maxsize=4096)
def _search(pattern: str, name: str) -> bool | None:
    """Whether ``pattern`` matches ``name``; None when it cannot be told within the limits
    (kept, so a slow pattern costs its timeout once, not at every comparison)."""
    try:
        return search(pattern, name)
    except LimitExceeded:
        return None


def _test(names: Any) -> tuple[Test, list[str] | None] | None:
    """A test of one name, and the names it admits when they are listed; None if not plain."""
    if isinstance(names, bool):
        return (lambda name: names), (None if names else [])
    if not isinstance(names, dict) or not names.keys() <= _TESTS | ANNOTATIONS:
        return None
    low = bounds.number(names.get("minLength", 0))
    high = bounds.number(names.get("maxLength", float("inf")))
    pattern = names.get("pattern")
    if low is None or high is None or (pattern is not None and not isinstance(pattern, str)):
        return None
    if "type" in names and not isinstance(names["type"], str | list):
        return None
    if "enum" in names and not isinstance(names["enum"], list):
        return None
    strings = "string" in types(names)
    allowed = values(names)

    def test(name: str) -> bool | None:
        if not strings or not low <= len(name) <= high:
            return False
        if allowed is not None and value_key(name) not in allowed:
            return False
        return pattern is None or _search(pattern, name)

    listed = None if allowed is None else [v for v in allowed.values() if isinstance(v, str)]
    return test, listed
