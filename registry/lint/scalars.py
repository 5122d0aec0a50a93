"""Keywords about single values: type, enum/const, numeric and string constraints."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from typing import Any

from registry.lint import bounds, implied
from registry.lint.disjoint import types, values
from registry.lint.kinds import ChangeKind
from registry.lint.pair import Kinds, Pair, presence


def _show_types(value: Any) -> str:
    if value is None:
        return "any"
    if isinstance(value, str):
        return value
    return " or ".join(str(v) for v in value) or "nothing"


def compare_type(pair: Pair) -> None:
    """``type`` (2020-12 validation 6.1.1): ``integer`` is any number with a zero fractional
    part, so ``number`` covers it and integer → number is a widening.

    Each side's types are those it can admit (:mod:`registry.lint.implied`): beside an
    ``enum`` the types of its values, beside a whole ``multipleOf`` integers for numbers.
    Where only that reading differs and ``type`` itself does not, the ``enum`` or
    ``multipleOf`` finding says what changed.
    """
    old_set, new_set = implied.implied_types(pair, "old"), implied.implied_types(pair, "new")
    if old_set == new_set:
        return
    old_raw, new_raw = pair.old.get("type"), pair.new.get("type")
    if types(pair.old) == types(pair.new):
        return
    added, removed = new_set - old_set, old_set - new_set
    if added and removed:
        kind = ChangeKind.TYPE_CHANGED
    elif added:
        kind = ChangeKind.TYPE_WIDENED
    else:
        kind = ChangeKind.TYPE_NARROWED
    shown = (_shown(pair, "old", old_set), _shown(pair, "new", new_set))
    pair.emit(
        kind, pair.at("type"), old_raw, new_raw, f"{pair.subject} type changed from {shown[0]} to {shown[1]}"
    )


def _shown(pair: Pair, side: implied.Side, implied_set: frozenset[str]) -> str:
    """The side's ``type`` as written, or the types its values imply where they say less."""
    schema = pair.old if side == "old" else pair.new
    if implied_set == types(schema):
        return _show_types(schema.get("type"))
    names = sorted(implied_set - {"integer"} if "number" in implied_set else implied_set)
    return f"{_show_types(names)} (as its enum or multipleOf implies)"


def compare_enum(pair: Pair) -> None:
    """``enum`` and ``const`` as one set of allowed values (2020-12 validation 6.1.2-6.1.3).

    Values of a type the schema rejects never validate and are left out; ``{"type":
    "null"}`` lists its one value (:func:`registry.lint.implied.allowed`).
    """
    old, new = implied.allowed(pair, "old"), implied.allowed(pair, "new")
    if (old is None and new is None) or old == new:
        return
    if values(pair.old) is None and values(pair.new) is None:
        return  # both typed null or boolean only: the type finding says it
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


def _values(items: list[Any]) -> str:
    return ", ".join(json.dumps(v) for v in items)


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
    value = bounds.number(schema.get(inclusive))
    flag = schema.get(exclusive)
    if value is not None:
        found.append(((value, flag is True), inclusive))
    ex = bounds.number(flag)
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


def _on_integers(bound: bounds.Bound | None, *, lower: bool) -> bounds.Bound | None:
    """The inclusive integer bound admitting the same integers: ``exclusiveMinimum: 0`` is ``minimum: 1``."""
    if bound is None or not math.isfinite(bound[0]):
        return bound
    value, exclusive = Fraction(bound[0]), bound[1]
    if lower:
        edge = math.floor(value) + 1 if exclusive else math.ceil(value)
    else:
        edge = math.ceil(value) - 1 if exclusive else math.floor(value)
    return (edge, False)


def compare_numbers(pair: Pair) -> None:
    # Where both sides admit whole numbers only (``integer``, or a whole ``multipleOf``),
    # bounds are compared by the integers they admit.
    integers = implied.whole(pair.old) and implied.whole(pair.new)
    for side, family, name in ((_lower, "MINIMUM", "minimum"), (_upper, "MAXIMUM", "maximum")):
        (old, old_kw), (new, new_kw) = side(pair.old), side(pair.new)
        if integers:
            lower = side is _lower
            if _on_integers(old, lower=lower) == _on_integers(new, lower=lower):
                continue
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
    """New multiples are a subset of old ones when the new factor is a multiple of the old.

    Where both factors are exact (:func:`registry.lint.implied.factor`), the steps between
    admitted numbers are compared instead: integers step by 1, so ``multipleOf: 1`` or
    ``0.5`` beside ``integer`` adds nothing, and ``integer`` → ``multipleOf: 0.5`` widens.
    """
    old, new = bounds.number(pair.old.get("multipleOf")), bounds.number(pair.new.get("multipleOf"))
    if old == new or (old is None and new is None):
        return
    exact = all(
        implied.factor(schema) is not None for schema in (pair.old, pair.new) if "multipleOf" in schema
    )
    if exact:
        _step(pair, old, new)
        return
    changed = ChangeKind.MULTIPLE_OF_CHANGED
    if old is not None and new is not None:
        a, b = Fraction(str(old)), Fraction(str(new))
        if a and (b / a).denominator == 1:
            changed = ChangeKind.MULTIPLE_OF_TIGHTENED
        elif b and (a / b).denominator == 1:
            changed = ChangeKind.MULTIPLE_OF_LOOSENED
    kinds = (ChangeKind.MULTIPLE_OF_TIGHTENED, ChangeKind.MULTIPLE_OF_LOOSENED, changed)
    _moved(pair, "multipleOf", kinds, old, new)


_MULTIPLE_OF: Kinds = (
    ChangeKind.MULTIPLE_OF_TIGHTENED,
    ChangeKind.MULTIPLE_OF_LOOSENED,
    ChangeKind.MULTIPLE_OF_CHANGED,
)


def _step(pair: Pair, old: Any, new: Any) -> None:
    """``multipleOf`` compared by the step between the numbers each side admits."""
    a, b = implied.step(pair.old), implied.step(pair.new)
    if a == b:
        return
    if a is None or (b is not None and (b / a).denominator == 1):
        kind = ChangeKind.MULTIPLE_OF_TIGHTENED
    elif b is None or (a / b).denominator == 1:
        kind = ChangeKind.MULTIPLE_OF_LOOSENED
    else:
        kind = ChangeKind.MULTIPLE_OF_CHANGED
    expected, verb = presence(_MULTIPLE_OF, old is not None, new is not None)
    how = {"added": f"({new})", "removed": f"(was {old})", "changed": f"from {old} to {new}"}[verb]
    if kind is not expected and verb != "changed":
        how += f": the numbers admitted stepped by {_show_step(a)}, now by {_show_step(b)}"
    pair.emit(kind, pair.at("multipleOf"), old, new, f"{pair.subject} multipleOf {verb} {how}")


def _show_step(step: Fraction | None) -> str:
    if step is None:
        return "any amount"
    return str(step.numerator) if step.denominator == 1 else str(float(step))


def compare_strings(pair: Pair) -> None:
    bounds.simple(pair, "minLength", "MIN_LENGTH", lower=True, default=0)
    bounds.simple(pair, "maxLength", "MAX_LENGTH", lower=False)
    for keyword, kinds in (
        ("pattern", (ChangeKind.PATTERN_ADDED, ChangeKind.PATTERN_REMOVED, ChangeKind.PATTERN_CHANGED)),
        # ``format`` only annotates by default (2020-12 validation 7.2); read here as an
        # assertion, as consumers that validate formats do, which is the cautious reading.
        ("format", (ChangeKind.FORMAT_ADDED, ChangeKind.FORMAT_REMOVED, ChangeKind.FORMAT_CHANGED)),
    ):
        old, new = pair.old.get(keyword), pair.new.get(keyword)
        if keyword == "pattern":
            # A pattern that matches every string constrains nothing: it is as if absent.
            old, new = (None if p in _EVERY_STRING else p for p in (old, new))
        if old != new:
            _moved(pair, keyword, kinds, old, new)


_EVERY_STRING = frozenset({"", ".*", "^.*", ".*$", "[\\s\\S]*", "^[\\s\\S]*$"})  # "^.*$" misses "a\\nb"


def _moved(pair: Pair, keyword: str, kinds: Kinds, old: Any, new: Any) -> None:
    """Report a keyword added, removed or changed, naming the values."""
    kind, verb = presence(kinds, old is not None, new is not None)
    how = {"added": f"({new})", "removed": f"(was {old})", "changed": f"from {old} to {new}"}[verb]
    pair.emit(kind, pair.at(keyword), old, new, f"{pair.subject} {keyword} {verb} {how}")


RULES = (
    (frozenset({"type"}), compare_type),
    (frozenset({"enum", "const"}), compare_enum),
    (
        frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}),
        compare_numbers,
    ),
    (frozenset({"minLength", "maxLength", "pattern", "format"}), compare_strings),
)
