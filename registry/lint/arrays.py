"""Array keywords: items and tuples, counts, uniqueness, contains.

2020-12 spells a tuple ``prefixItems`` with ``items`` for the rest (core 10.3.1.1-10.3.1.2);
draft 7 spelled it ``items: [...]`` with ``additionalItems``. Both are read as a prefix
of positional schemas plus a schema for the rest, so moving between the spellings is no
change. A position one side lacks is compared with that side's rest schema.
"""

from __future__ import annotations

from registry.lint import bounds, proven
from registry.lint.change import collapse
from registry.lint.kinds import ChangeKind
from registry.lint.pair import ABSENT, Pair
from registry.lint.refs import is_false


def _layout(schema: dict) -> tuple[str | None, int, str]:
    """(prefix keyword, prefix length, rest keyword) of an array schema."""
    if isinstance(schema.get("prefixItems"), list):
        return "prefixItems", len(schema["prefixItems"]), "items"
    if isinstance(schema.get("items"), list):
        return "items", len(schema["items"]), "additionalItems"
    return None, 0, "items"


# Keywords beside ``unevaluatedItems`` that can evaluate items it would otherwise see.
_EVALUATORS = frozenset(
    {"contains", "allOf", "anyOf", "oneOf", "if", "$ref", "$dynamicRef", "dependentSchemas"}
)


def _rest_keyword(schema: dict, layout_rest: str) -> str:
    """The keyword for items past the tuple: ``unevaluatedItems`` stands in for an absent
    ``items`` when nothing else beside it evaluates items (2020-12 core 11.2)."""
    if layout_rest not in schema and "unevaluatedItems" in schema and _EVALUATORS.isdisjoint(schema):
        return "unevaluatedItems"
    return layout_rest


def compare_items(pair: Pair) -> None:
    old_kw, old_len, old_rest_kw = _layout(pair.old)
    new_kw, new_len, new_rest_kw = _layout(pair.new)
    old_rest_kw, new_rest_kw = _rest_keyword(pair.old, old_rest_kw), _rest_keyword(pair.new, new_rest_kw)
    _compare_unevaluated(pair, old_rest_kw != "unevaluatedItems", new_rest_kw != "unevaluatedItems")
    old_rest = pair.old_at(old_rest_kw) if old_rest_kw in pair.old else ABSENT
    new_rest = pair.new_at(new_rest_kw) if new_rest_kw in pair.new else ABSENT
    for i in range(max(old_len, new_len)):
        if i < old_len and i < new_len:
            where = pair.at(new_kw, i)
            pair.out.extend(pair.compare(pair.old_at(old_kw, i), pair.new_at(new_kw, i), where))
        elif i < new_len:
            where = pair.at(new_kw, i)
            compat = collapse(pair.compare(old_rest, pair.new_at(new_kw, i), where))
            pair.emit(
                ChangeKind.PREFIX_ITEM_ADDED,
                where,
                None,
                pair.new[new_kw][i],
                f"{pair.subject} tuple item {i} added",
                compat,
            )
        else:
            where = pair.at(new_kw or old_kw, i)
            compat = collapse(pair.compare(pair.old_at(old_kw, i), new_rest, where))
            pair.emit(
                ChangeKind.PREFIX_ITEM_REMOVED,
                where,
                pair.old[old_kw][i],
                None,
                f"{pair.subject} tuple item {i} removed",
                compat,
            )
    if old_rest is ABSENT and new_rest is ABSENT:
        return
    where = pair.at(new_rest_kw if new_rest is not ABSENT else old_rest_kw)
    tuple_like = old_kw is not None or new_kw is not None
    if tuple_like and is_false(new_rest[0]) and not is_false(old_rest[0]):
        pair.emit(
            ChangeKind.TUPLE_CLOSED,
            where,
            old_rest[0],
            new_rest[0],
            f"{pair.subject} no longer allows extra items",
        )
    elif tuple_like and is_false(old_rest[0]) and not is_false(new_rest[0]):
        pair.emit(
            ChangeKind.TUPLE_OPENED, where, old_rest[0], new_rest[0], f"{pair.subject} now allows extra items"
        )
    else:
        pair.out.extend(pair.compare(old_rest, new_rest, where))


def _compare_unevaluated(pair: Pair, old_left: bool, new_left: bool) -> None:
    """``unevaluatedItems`` (2020-12 core 11.2) not already read as the rest of a tuple,
    compared as a schema for leftover items."""
    old = pair.old_at("unevaluatedItems") if old_left else ABSENT
    new = pair.new_at("unevaluatedItems") if new_left else ABSENT
    if old is ABSENT and new is ABSENT:
        return
    where = pair.at("unevaluatedItems")
    if is_false(new[0]) and not is_false(old[0]):
        pair.emit(
            ChangeKind.TUPLE_CLOSED,
            where,
            old[0],
            new[0],
            f"{pair.subject} no longer allows unevaluated items",
        )
    elif is_false(old[0]) and not is_false(new[0]):
        pair.emit(
            ChangeKind.TUPLE_OPENED, where, old[0], new[0], f"{pair.subject} now allows unevaluated items"
        )
    else:
        pair.out.extend(pair.compare(old, new, where))


def compare_counts(pair: Pair) -> None:
    bounds.simple(pair, "minItems", "MIN_ITEMS", lower=True, default=0)
    bounds.simple(pair, "maxItems", "MAX_ITEMS", lower=False)
    old, new = pair.old.get("uniqueItems") is True, pair.new.get("uniqueItems") is True
    if old != new:
        kind = ChangeKind.UNIQUE_ITEMS_ADDED if new else ChangeKind.UNIQUE_ITEMS_REMOVED
        verb = "now requires" if new else "no longer requires"
        pair.emit(kind, pair.at("uniqueItems"), old, new, f"{pair.subject} {verb} unique items")


def compare_contains(pair: Pair) -> None:
    """``contains`` with ``minContains``/``maxContains`` (2020-12 core 10.3.1.3, validation 6.4.4-6.4.5).

    The count bounds only apply beside ``contains``; ``minContains`` defaults to 1.
    """
    had, has = "contains" in pair.old, "contains" in pair.new
    where = pair.at("contains")
    if had and has:
        inner = pair.compare(pair.old_at("contains"), pair.new_at("contains"), where)
        pair.out.extend(inner)
        pair.out.extend(proven.counted_contains(pair, inner))
    elif has:
        pair.emit(
            ChangeKind.CONTAINS_ADDED, where, None, pair.new["contains"], f"{pair.subject} contains added"
        )
    elif had:
        pair.emit(
            ChangeKind.CONTAINS_REMOVED, where, pair.old["contains"], None, f"{pair.subject} contains removed"
        )
    if had and has:
        bounds.simple(pair, "minContains", "MIN_CONTAINS", lower=True, default=1)
        bounds.simple(pair, "maxContains", "MAX_CONTAINS", lower=False)


RULES = (
    (frozenset({"items", "prefixItems", "additionalItems", "unevaluatedItems"}), compare_items),
    (frozenset({"minItems", "maxItems", "uniqueItems"}), compare_counts),
    (frozenset({"contains", "minContains", "maxContains"}), compare_contains),
)
