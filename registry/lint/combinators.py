"""allOf, anyOf, oneOf, not and if/then/else.

Branches are paired one-to-one by best match (fewest incompatible changes), so a
reordered or slightly edited branch reads as that edit rather than a removal and an
addition. What is left over is a branch added or removed. Every combinator is monotone
in its branches except ``not``, which turns a widening into a narrowing and back.
"""

from __future__ import annotations

from typing import Any

from registry.lint.change import Change, collapse
from registry.lint.kinds import ChangeKind
from registry.lint.pair import ABSENT, Pair
from registry.lint.refs import is_false


def _branches(schema: dict, keyword: str) -> list[Any]:
    value = schema.get(keyword)
    return value if isinstance(value, list) else []


def _types(schema: Any) -> set[str] | None:
    if not isinstance(schema, dict) or "type" not in schema:
        return None
    value = schema["type"]
    names = {value} if isinstance(value, str) else set(value)
    if names & {"number", "integer"}:
        names |= {"number", "integer"}
    return names


def _score(changes: list[Change]) -> tuple[int, int, int]:
    neither = sum(1 for c in changes if not c.backward and not c.forward)
    one_way = sum(1 for c in changes if c.backward != c.forward)
    return neither, one_way, len(changes)


def match(pair: Pair, keyword: str) -> tuple[list[tuple[int, int, list[Change]]], list[int], list[int]]:
    """Pair old and new branches of ``keyword``; returns pairs and unpaired old and new indexes.

    Two branches may pair when their types can overlap; among those, greedily the pair
    with the fewest changes incompatible both ways, then one way, then in all.
    """
    old, new = _branches(pair.old, keyword), _branches(pair.new, keyword)
    candidates = []
    for i, o in enumerate(old):
        for j, n in enumerate(new):
            ot, nt = _types(o), _types(n)
            if ot is not None and nt is not None and not ot & nt:
                continue
            changes = pair.compare(pair.old_at(keyword, i), pair.new_at(keyword, j), pair.at(keyword, j))
            candidates.append((_score(changes), i, j, changes))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for _, i, j, changes in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j, changes))
    pairs.sort(key=lambda p: p[1])
    return (
        pairs,
        [i for i in range(len(old)) if i not in used_old],
        [j for j in range(len(new)) if j not in used_new],
    )


def compare_all_of(pair: Pair) -> None:
    """allOf is a conjunction (2020-12 core 10.2.1.1): a branch added narrows, removed widens."""
    pairs, gone, came = match(pair, "allOf")
    for _, _, changes in pairs:
        pair.out.extend(changes)
    for i in gone:
        where = pair.at("allOf", i)
        compat = collapse(pair.compare(pair.old_at("allOf", i), ABSENT, where))
        pair.emit(
            ChangeKind.ALL_OF_BRANCH_REMOVED,
            where,
            pair.old["allOf"][i],
            None,
            f"{pair.subject} allOf branch {i} removed",
            compat,
        )
    for j in came:
        where = pair.at("allOf", j)
        compat = collapse(pair.compare(ABSENT, pair.new_at("allOf", j), where))
        pair.emit(
            ChangeKind.ALL_OF_BRANCH_ADDED,
            where,
            None,
            pair.new["allOf"][j],
            f"{pair.subject} allOf branch {j} added",
            compat,
        )


def _disjunction(pair: Pair, keyword: str) -> None:
    """anyOf (core 10.2.1.2) and oneOf (core 10.2.1.3) as disjunctions.

    A branch added widens, one removed narrows. For oneOf an instance matching an added
    branch and an old one at once would fail; like Confluent's checker this is not
    decided here, and oneOf is read as anyOf.
    """
    any_of = keyword == "anyOf"
    had, has = keyword in pair.old, keyword in pair.new
    where = pair.at(keyword)
    if has and not had:
        branches = _branches(pair.new, keyword)
        opens = [
            collapse(pair.compare(ABSENT, pair.new_at(keyword, j), where))[0] for j in range(len(branches))
        ]
        backward = any(opens) if any_of else (len(opens) == 1 and opens[0])
        kind = ChangeKind.ANY_OF_ADDED if any_of else ChangeKind.ONE_OF_ADDED
        pair.emit(kind, where, None, pair.new[keyword], f"{pair.subject} {keyword} added", (backward, True))
        return
    if had and not has:
        branches = _branches(pair.old, keyword)
        opens = [
            collapse(pair.compare(pair.old_at(keyword, i), ABSENT, where))[1] for i in range(len(branches))
        ]
        forward = any(opens) if any_of else (len(opens) == 1 and opens[0])
        kind = ChangeKind.ANY_OF_REMOVED if any_of else ChangeKind.ONE_OF_REMOVED
        pair.emit(kind, where, pair.old[keyword], None, f"{pair.subject} {keyword} removed", (True, forward))
        return
    pairs, gone, came = match(pair, keyword)
    for _, _, changes in pairs:
        pair.out.extend(changes)
    removed = ChangeKind.ANY_OF_BRANCH_REMOVED if any_of else ChangeKind.ONE_OF_BRANCH_REMOVED
    added = ChangeKind.ANY_OF_BRANCH_ADDED if any_of else ChangeKind.ONE_OF_BRANCH_ADDED
    for i in gone:
        pair.emit(
            removed,
            pair.at(keyword, i),
            pair.old[keyword][i],
            None,
            f"{pair.subject} {keyword} branch {i} removed",
        )
    for j in came:
        pair.emit(
            added,
            pair.at(keyword, j),
            None,
            pair.new[keyword][j],
            f"{pair.subject} {keyword} branch {j} added",
        )


def compare_any_of(pair: Pair) -> None:
    _disjunction(pair, "anyOf")


def compare_one_of(pair: Pair) -> None:
    _disjunction(pair, "oneOf")


def compare_not(pair: Pair) -> None:
    """``not`` (core 10.2.1.4) accepts the complement, so its inner changes swap sides."""
    had, has = "not" in pair.old, "not" in pair.new
    where = pair.at("not")
    if had and has:
        inner = pair.compare(pair.old_at("not"), pair.new_at("not"), where)
        pair.out.extend(c.swapped() for c in inner)
    elif has:
        nothing = is_false(pair.new["not"])
        pair.emit(
            ChangeKind.NOT_ADDED, where, None, pair.new["not"], f"{pair.subject} not added", (nothing, True)
        )
    else:
        nothing = is_false(pair.old["not"])
        pair.emit(
            ChangeKind.NOT_REMOVED,
            where,
            pair.old["not"],
            None,
            f"{pair.subject} not removed",
            (True, nothing),
        )


def compare_conditional(pair: Pair) -> None:
    """if/then/else (core 10.2.2.1-10.2.2.3); then and else mean nothing without if."""
    had, has = "if" in pair.old, "if" in pair.new
    if not had and not has:
        return
    where = pair.at("if")
    if had and has:
        cond = pair.compare(pair.old_at("if"), pair.new_at("if"), where)
        if any(not (c.backward and c.forward) for c in cond):
            pair.emit(
                ChangeKind.CONDITION_CHANGED,
                where,
                pair.old["if"],
                pair.new["if"],
                f"{pair.subject} if condition changed",
            )
        for keyword in ("then", "else"):
            pair.out.extend(pair.compare(pair.old_at(keyword), pair.new_at(keyword), pair.at(keyword)))
        return
    if has:
        compat = [collapse(pair.compare(ABSENT, pair.new_at(k), pair.at(k)))[0] for k in ("then", "else")]
        pair.emit(
            ChangeKind.CONDITION_ADDED,
            where,
            None,
            _conditional(pair.new),
            f"{pair.subject} if/then/else added",
            (all(compat), True),
        )
    else:
        compat = [collapse(pair.compare(pair.old_at(k), ABSENT, pair.at(k)))[1] for k in ("then", "else")]
        pair.emit(
            ChangeKind.CONDITION_REMOVED,
            where,
            _conditional(pair.old),
            None,
            f"{pair.subject} if/then/else removed",
            (True, all(compat)),
        )


def _conditional(schema: dict) -> dict:
    return {k: schema[k] for k in ("if", "then", "else") if k in schema}


RULES = (
    (frozenset({"allOf"}), compare_all_of),
    (frozenset({"anyOf"}), compare_any_of),
    (frozenset({"oneOf"}), compare_one_of),
    (frozenset({"not"}), compare_not),
    (frozenset({"if", "then", "else"}), compare_conditional),
)
