"""``not`` and ``if``/``then``/``else``: the applicators that are not plain compositions.

``not`` accepts the complement of its subschema, so what widens inside narrows outside;
``then`` and ``else`` apply only under the condition ``if`` decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Literal

from registry.lint.change import collapse
from registry.lint.disjoint import disjoint, implies
from registry.lint.kinds import ChangeKind
from registry.lint.pair import ABSENT, Pair
from registry.lint.refs import is_false

Side = Literal["old", "new"]


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
    """if/then/else (core 10.2.2.1-10.2.2.3); then and else mean nothing without if.

    Where the keywords beside a condition decide it (``required: ["kind"]`` with ``kind``'s
    ``const`` the one ``if`` tests), only one branch is ever taken: the other may change,
    come or go without any instance noticing.
    """
    had, has = "if" in pair.old, "if" in pair.new
    if not had and not has:
        return
    where = pair.at("if")
    if had and has:
        cond = pair.compare(pair.old_at("if"), pair.new_at("if"), where)
        same = all(c.backward and c.forward for c in cond)
        if not same:
            pair.emit(
                ChangeKind.CONDITION_CHANGED,
                where,
                pair.old["if"],
                pair.new["if"],
                f"{pair.subject} if condition changed",
            )
        _branches(pair, same)
        return
    if has:
        takes = _takes(pair, "old", "new")
        compat = [
            collapse(pair.compare(ABSENT, pair.new_at(k), pair.at(k)))[0]
            for n, k in enumerate(("then", "else"))
            if takes[n]
        ]
        pair.emit(
            ChangeKind.CONDITION_ADDED,
            where,
            None,
            _conditional(pair.new),
            f"{pair.subject} if/then/else added",
            (all(compat), True),
        )
    else:
        takes = _takes(pair, "new", "old")
        compat = [
            collapse(pair.compare(pair.old_at(k), ABSENT, pair.at(k)))[1]
            for n, k in enumerate(("then", "else"))
            if takes[n]
        ]
        pair.emit(
            ChangeKind.CONDITION_REMOVED,
            where,
            _conditional(pair.old),
            None,
            f"{pair.subject} if/then/else removed",
            (True, all(compat)),
        )


_EITHER = (True, True)


def _branches(pair: Pair, same: bool) -> None:
    """Compare ``then`` and ``else``; under the same condition, a branch the old side never
    takes loses no old instance (BACKWARD), one the new side never takes admits no new one
    (FORWARD)."""
    old_takes = _takes(pair, "old", "old") if same else _EITHER
    new_takes = _takes(pair, "new", "new") if same else _EITHER
    for n, keyword in enumerate(("then", "else")):
        changes = pair.compare(pair.old_at(keyword), pair.new_at(keyword), pair.at(keyword))
        old_skips, new_skips = not old_takes[n], not new_takes[n]
        if changes and (old_skips or new_skips):
            sides = (
                "either side" if old_skips and new_skips else "the old side" if old_skips else "the new side"
            )
            note = f" ({keyword} is never taken on {sides}: the keywords beside if decide the condition)"
            changes = [
                replace(
                    c,
                    backward=c.backward or old_skips,
                    forward=c.forward or new_skips,
                    message=c.message + note,
                )
                for c in changes
            ]
        pair.out.extend(changes)


def _takes(pair: Pair, side: Side, cond_side: Side) -> tuple[bool, bool]:
    """Which branches (then, else) an instance of ``side`` may take under ``cond_side``'s ``if``.

    ``side``'s keywords other than ``if``/``then``/``else`` hold for each of its instances:
    when they imply the condition, ``else`` is never taken; when they share no instance
    with it, ``then`` is never taken (:mod:`registry.lint.disjoint`).
    """
    schema = pair.old if side == "old" else pair.new
    cond = (pair.old if cond_side == "old" else pair.new)["if"]
    beside = {k: v for k, v in schema.items() if k not in ("if", "then", "else")}
    resolve_beside, resolve_cond = _resolver(pair, side), _resolver(pair, cond_side)
    if implies(beside, cond, resolve_beside, resolve_cond):
        return True, False
    if disjoint(beside, cond, resolve_beside, resolve_cond):
        return False, True
    return _EITHER


def _resolver(pair: Pair, side: Side) -> Callable[[Any], Any]:
    """Follows ``$ref`` in ``side``'s document."""
    resolve = pair.engine.resolve_old if side == "old" else pair.engine.resolve_new
    return lambda schema: resolve(schema, "#").schema


def _conditional(schema: dict) -> dict:
    return {k: schema[k] for k in ("if", "then", "else") if k in schema}


RULES = (
    (frozenset({"not"}), compare_not),
    (frozenset({"if", "then", "else"}), compare_conditional),
)
