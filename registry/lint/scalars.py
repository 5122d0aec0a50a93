"""Keywords about single values: type, enum/const, numeric and string constraints."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from registry.lint import bounds
from registry.lint.kinds import ChangeKind
from registry.lint.pair import Pair

_ALL_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")


def _types(schema: dict) -> set[str] | None:
    """The instance types a schema admits (None: any), integers included in numbers.

    2020-12 validation section 6.1.1: ``integer`` is any number with a zero fractional
    part, so ``number`` covers it and integer → number is a widening.
    """
    value = schema.get("type")
    if value is None:
        return None
    names = {value} if isinstance(value, str) else {v for v in value if isinstance(v, str)}
    if "number" in names:
        names.add("integer")
    return names


def _show_types(value: Any) -> str:
    if value is None:
        return "any"
    if isinstance(value, str):
        return value
    return " or ".join(str(v) for v in value) or "nothing"


def compare_type(pair: Pair) -> None:
    old, new = _types(pair.old), _types(pair.new)
    old_set = set(_ALL_TYPES) if old is None else old
    new_set = set(_ALL_TYPES) if new is None else new
    if old_set == new_set:
        return
    added, removed = new_set - old_set, old_set - new_set
    if added and removed:
        kind = ChangeKind.TYPE_CHANGED
    elif added:
        kind = ChangeKind.TYPE_WIDENED
    else:
        kind = ChangeKind.TYPE_NARROWED
    old_raw, new_raw = pair.old.get("type"), pair.new.get("type")
    pair.emit(
        kind,
        pair.at("type"),
        old_raw,
        new_raw,
        f"{pair.subject} type changed from {_show_types(old_raw)} to {_show_types(new_raw)}",
    )


def _canon(value: Any) -> str:
    """A key equal for JSON-equal values: 1 and 1.0 match, 1 and true do not."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, int | float):
        try:
            return "n:" + str(Fraction(value))
        except (ValueError, OverflowError):
            return json.dumps(value)
    if isinstance(value, list):
        return "[" + ",".join(_canon(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{_canon(v)}" for k, v in sorted(value.items())) + "}"
    return repr(value)


def _allowed(schema: dict) -> dict[str, Any] | None:
    """The values ``enum`` and ``const`` together allow (None: unrestricted)."""
    allowed: dict[str, Any] | None = None
    if "enum" in schema and isinstance(schema["enum"], list):
        allowed = {_canon(v): v for v in schema["enum"]}
    if "const" in schema:
        key = _canon(schema["const"])
        if allowed is None:
            allowed = {key: schema["const"]}
        else:
            allowed = {key: schema["const"]} if key in allowed else {}
    return allowed


def compare_enum(pair: Pair) -> None:
    """``enum`` and ``const`` as one set of allowed values (2020-12 validation 6.1.2-6.1.3)."""
    old, new = _allowed(pair.old), _allowed(pair.new)
    if old is None and new is None:
        return
    keyword = "const" if "const" in pair.new and "enum" not in pair.new else "enum"
    if "enum" not in pair.new and "const" not in pair.new:
        keyword = "const" if "const" in pair.old and "enum" not in pair.old else "enum"
    where = pair.at(keyword)
    old_raw = pair.old.get(keyword, pair.old.get("enum", pair.old.get("const")))
    new_raw = pair.new.get(keyword, pair.new.get("enum", pair.new.get("const")))
    if old is None:
        pair.emit(ChangeKind.ENUM_ADDED, where, None, new_raw, f"{pair.subject} {keyword} added")
        return
    if new is None:
        pair.emit(ChangeKind.ENUM_REMOVED, where, old_raw, None, f"{pair.subject} {keyword} removed")
        return
    added = [v for k, v in new.items() if k not in old]
    removed = [v for k, v in old.items() if k not in new]
    if added and removed:
        pair.emit(
            ChangeKind.ENUM_CHANGED,
            where,
            old_raw,
            new_raw,
            f"{pair.subject} {keyword} changed: added {_values(added)}, removed {_values(removed)}",
        )
    elif added:
        pair.emit(
            ChangeKind.ENUM_VALUES_ADDED,
            where,
            old_raw,
            new_raw,
            f"{pair.subject} {keyword} gained {_values(added)}",
        )
    elif removed:
        pair.emit(
            ChangeKind.ENUM_VALUES_REMOVED,
            where,
            old_raw,
            new_raw,
            f"{pair.subject} {keyword} lost {_values(removed)}",
        )


def _values(values: list[Any]) -> str:
    return ", ".join(json.dumps(v) for v in values)


def _num(value: Any) -> float | int | None:
    return None if isinstance(value, bool) or not isinstance(value, int | float) else value


def _lower(schema: dict) -> tuple[bounds.Bound | None, str]:
    """The effective lower bound from ``minimum`` and ``exclusiveMinimum``.

    2020-12 validation 6.2.4-6.2.5 (numbers); draft 4's boolean ``exclusiveMinimum``
    makes ``minimum`` exclusive instead.
    """
    return _effective(schema, "minimum", "exclusiveMinimum", lower=True)


def _upper(schema: dict) -> tuple[bounds.Bound | None, str]:
    return _effective(schema, "maximum", "exclusiveMaximum", lower=False)


def _effective(
    schema: dict, inclusive: str, exclusive: str, *, lower: bool
) -> tuple[bounds.Bound | None, str]:
    found: list[tuple[bounds.Bound, str]] = []
    value = _num(schema.get(inclusive))
    flag = schema.get(exclusive)
    if value is not None:
        found.append(((value, flag is True), inclusive))
    ex = _num(flag)
    if ex is not None:
        found.append(((ex, True), exclusive))
    if not found:
        return None, inclusive
    stricter = bounds.stricter_lower if lower else bounds.stricter_upper
    best = found[0]
    for candidate in found[1:]:
        if stricter(candidate[0], best[0]):
            best = candidate
    return best


def compare_numbers(pair: Pair) -> None:
    for side, family, name in ((_lower, "MINIMUM", "minimum"), (_upper, "MAXIMUM", "maximum")):
        (old, old_kw), (new, new_kw) = side(pair.old), side(pair.new)
        bounds.compare_bound(
            pair,
            name=name,
            keyword=new_kw if new is not None else old_kw,
            old=old,
            new=new,
            lower=side is _lower,
            family=family,
        )
    _multiple_of(pair)


def _multiple_of(pair: Pair) -> None:
    """New multiples are a subset of old ones when the new factor is a multiple of the old."""
    old, new = _num(pair.old.get("multipleOf")), _num(pair.new.get("multipleOf"))
    if old == new or (old is None and new is None):
        return
    where, name = pair.at("multipleOf"), f"{pair.subject} multipleOf"
    if old is None:
        pair.emit(ChangeKind.MULTIPLE_OF_TIGHTENED, where, old, new, f"{name} added ({new})")
        return
    if new is None:
        pair.emit(ChangeKind.MULTIPLE_OF_LOOSENED, where, old, new, f"{name} removed (was {old})")
        return
    a, b = Fraction(str(old)), Fraction(str(new))
    if a and (b / a).denominator == 1:
        pair.emit(ChangeKind.MULTIPLE_OF_TIGHTENED, where, old, new, f"{name} changed from {old} to {new}")
    elif b and (a / b).denominator == 1:
        pair.emit(ChangeKind.MULTIPLE_OF_LOOSENED, where, old, new, f"{name} changed from {old} to {new}")
    else:
        pair.emit(ChangeKind.MULTIPLE_OF_CHANGED, where, old, new, f"{name} changed from {old} to {new}")


def compare_strings(pair: Pair) -> None:
    bounds.simple(pair, "minLength", "MIN_LENGTH", lower=True, default=0)
    bounds.simple(pair, "maxLength", "MAX_LENGTH", lower=False)
    for keyword, added, removed, changed in (
        ("pattern", ChangeKind.PATTERN_ADDED, ChangeKind.PATTERN_REMOVED, ChangeKind.PATTERN_CHANGED),
        # ``format`` only annotates by default (2020-12 validation 7.2); read here as an
        # assertion, as consumers that validate formats do, which is the cautious reading.
        ("format", ChangeKind.FORMAT_ADDED, ChangeKind.FORMAT_REMOVED, ChangeKind.FORMAT_CHANGED),
    ):
        old, new = pair.old.get(keyword), pair.new.get(keyword)
        if old == new:
            continue
        where = pair.at(keyword)
        if old is None:
            pair.emit(added, where, old, new, f"{pair.subject} {keyword} added ({new})")
        elif new is None:
            pair.emit(removed, where, old, new, f"{pair.subject} {keyword} removed (was {old})")
        else:
            pair.emit(changed, where, old, new, f"{pair.subject} {keyword} changed from {old} to {new}")


RULES = (
    (frozenset({"type"}), compare_type),
    (frozenset({"enum", "const"}), compare_enum),
    (
        frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}),
        compare_numbers,
    ),
    (frozenset({"minLength", "maxLength", "pattern", "format"}), compare_strings),
)
