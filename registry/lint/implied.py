"""What a schema's scalar keywords imply about each other, read before they are compared.

Some keywords say part of what another says, so two spellings mean one schema:

* ``multipleOf`` with a whole factor admits whole numbers only, and ``integer`` is any
  number with a zero fractional part (2020-12 validation 6.1.1, 6.2.1): ``{"type":
  "number", "multipleOf": 1}`` is ``{"type": "integer"}``. On whole numbers a factor
  ``p/q`` (in lowest terms) admits the multiples of ``p``: ``multipleOf: 0.5`` beside
  ``integer`` admits every integer.
* ``enum``/``const`` admit only their values, so a ``type`` beside them says no more than
  the types of the values it keeps (validation 6.1.1-6.1.3): ``{"const": "a"}`` is
  ``{"type": "string", "const": "a"}``, and a value of a type the schema rejects is dead.
  ``null`` and ``boolean`` have their values listed: ``{"type": "null"}`` is
  ``{"const": null}``.

Draft 4 types 1.0 as a number only and has no ``const`` (draft 4 core 3.5): there only the
reading of factors on integers, which holds in every draft, is used. A factor is used only
where its binary value is the decimal written (``0.5``, not ``0.1``), so the exact reading
and a validator's floating-point one agree.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Literal

from registry.lint import bounds
from registry.lint.disjoint import admitted, json_type, types, value_key, values
from registry.lint.pair import Pair

Side = Literal["old", "new"]
_FINITE: dict[str, tuple[Any, ...]] = {"null": (None,), "boolean": (False, True)}


def _schema(pair: Pair, side: Side) -> dict:
    return pair.old if side == "old" else pair.new


def typed_by_value(pair: Pair, side: Side) -> bool:
    """Whether 1.0 is an integer and ``const`` a keyword on this side (draft 6 on)."""
    doc = pair.engine.old_doc if side == "old" else pair.engine.new_doc
    return not doc.before_draft6


def factor(schema: dict) -> Fraction | None:
    """``multipleOf`` as an exact fraction, or None (absent, not positive, or not exact in binary)."""
    value = bounds.number(schema.get("multipleOf"))
    if value is None or value <= 0 or (isinstance(value, float) and not math.isfinite(value)):
        return None
    exact = Fraction(value)
    return exact if isinstance(value, int) or exact == Fraction(str(value)) else None


def integer_typed(schema: dict) -> bool:
    """Whether the numbers ``type`` admits are the integers only."""
    found = types(schema)
    return "integer" in found and "number" not in found


def step(schema: dict) -> Fraction | None:
    """The step between the numbers the schema admits (None: every number).

    Integers are multiples of 1; on integers a factor ``p/q`` in lowest terms admits the
    multiples of ``p``.
    """
    found = factor(schema)
    if integer_typed(schema):
        return Fraction(found.numerator) if found is not None else Fraction(1)
    return found


def whole(schema: dict) -> bool:
    """Whether every number the schema admits is whole (so bounds compare by integers)."""
    found = step(schema)
    return "integer" in types(schema) and found is not None and found.denominator == 1


def numeric_types(pair: Pair, side: Side) -> frozenset[str]:
    """``type`` as a set, ``number`` read as ``integer`` beside a whole factor (draft 6 on)."""
    schema = _schema(pair, side)
    found = types(schema)
    if "number" in found and typed_by_value(pair, side):
        whole_factor = factor(schema)
        if whole_factor is not None and whole_factor.denominator == 1:
            found -= {"number"}
    return found


def allowed(pair: Pair, side: Side) -> dict[str, Any] | None:
    """The ``enum``/``const`` values that can validate (None: not restricted).

    Values of a type the schema rejects are dropped; a schema typed ``null`` or ``boolean``
    only lists its values even without an ``enum`` (draft 6 on).
    """
    schema = _schema(pair, side)
    found = values(schema)
    if not typed_by_value(pair, side):
        return found
    kinds = numeric_types(pair, side)
    if found is None:
        if not kinds or not kinds <= _FINITE.keys():
            return None
        return {value_key(v): v for kind in sorted(kinds) for v in _FINITE[kind]}
    return {key: v for key, v in found.items() if admitted(v, kinds)}


def implied_types(pair: Pair, side: Side) -> frozenset[str]:
    """The types the side admits: its ``type``, or, beside an ``enum``, its live values' types."""
    kinds = numeric_types(pair, side)
    live = allowed(pair, side)
    if live is None or not typed_by_value(pair, side):
        return kinds
    found = {json_type(v) for v in live.values()}
    if "number" in found:
        found.add("integer")
    return frozenset(found)
