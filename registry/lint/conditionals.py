"""``not`` and ``if``/``then``/``else``: the applicators that are not plain compositions.

``not`` accepts the complement of its subschema, so what widens inside narrows outside;
``then`` and ``else`` apply only under the condition ``if`` decides.
"""

from __future__ import annotations

from registry.lint.change import collapse
from registry.lint.kinds import ChangeKind
from registry.lint.pair import ABSENT, Pair
from registry.lint.refs import is_false


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
    (frozenset({"not"}), compare_not),
    (frozenset({"if", "then", "else"}), compare_conditional),
)
