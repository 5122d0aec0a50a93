"""allOf, anyOf and oneOf, judged by the instances they accept.

Where both sides use the same keyword, branches are paired one-to-one by best fit (fewest
incompatible changes), so a reordered or edited branch reads as that edit; a finding inside
a branch that moved says where it was. Branches left over were added or removed, and each is
judged against the other side's branches: an anyOf branch removed whose instances another
branch still accepts narrows nothing. oneOf also needs exclusivity: a branch added or widened
must stay provably disjoint from the others, or an instance matching two is now rejected.

Where the keywords differ (oneOf → anyOf, allOf → anyOf, a plain schema → anyOf …), the
answer comes from :mod:`registry.lint.cover`. Compositions of one member were already read
as that member (:mod:`registry.lint.normal`).
"""

from __future__ import annotations

from dataclasses import replace

from registry.lint.change import Change
from registry.lint.cover import Cover, Fit, Term, terms
from registry.lint.disjoint import types
from registry.lint.kinds import ChangeKind
from registry.lint.pair import Pair
from registry.lint.refs import Resolved

Pairs = list[tuple[int, int, list[Change]]]

_ADDED = {"anyOf": ChangeKind.ANY_OF_ADDED, "oneOf": ChangeKind.ONE_OF_ADDED}
_REMOVED = {"anyOf": ChangeKind.ANY_OF_REMOVED, "oneOf": ChangeKind.ONE_OF_REMOVED}
_BRANCH_ADDED = {
    "allOf": ChangeKind.ALL_OF_BRANCH_ADDED,
    "anyOf": ChangeKind.ANY_OF_BRANCH_ADDED,
    "oneOf": ChangeKind.ONE_OF_BRANCH_ADDED,
}
_BRANCH_REMOVED = {
    "allOf": ChangeKind.ALL_OF_BRANCH_REMOVED,
    "anyOf": ChangeKind.ANY_OF_BRANCH_REMOVED,
    "oneOf": ChangeKind.ONE_OF_BRANCH_REMOVED,
}


def _score(changes: list[Change]) -> tuple[int, int, int]:
    neither = sum(1 for c in changes if not c.backward and not c.forward)
    one_way = sum(1 for c in changes if c.backward != c.forward)
    return neither, one_way, len(changes)


def match(pair: Pair, old: Term, new: Term) -> tuple[Pairs, list[int], list[int]]:
    """Pair old and new branches; returns pairs and the unpaired old and new indexes.

    Two branches may pair when their types can overlap; among those, greedily the pair
    with the fewest changes incompatible both ways, then one way, then in all.
    """
    keyword = new.keyword
    candidates = []
    for i in old.branches:
        for j in new.branches:
            if not types(pair.old[old.keyword][i]) & types(pair.new[keyword][j]):
                continue
            changes = pair.compare(pair.old_at(old.keyword, i), pair.new_at(keyword, j), pair.at(keyword, j))
            candidates.append((_score(changes), i != j, i, j, changes))
    candidates.sort(key=lambda c: c[:4])
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for _, _, i, j, changes in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j, changes))
    pairs.sort(key=lambda p: p[1])
    return (
        pairs,
        [i for i in old.branches if i not in used_old],
        [j for j in new.branches if j not in used_new],
    )


def compare_compositions(pair: Pair) -> None:
    old, new = terms(pair.old), terms(pair.new)
    for keyword in old.keys() & new.keys():
        _same_keyword(pair, old[keyword], new[keyword])
    gone = [t for k, t in old.items() if k not in new]
    came = [t for k, t in new.items() if k not in old]
    if len(gone) == 1 and len(came) == 1:
        _switched(pair, gone[0], came[0])
        return
    for term in came:
        _added(pair, term)
    for term in gone:
        _removed(pair, term)


def _same_keyword(pair: Pair, old: Term, new: Term) -> None:
    keyword = new.keyword
    pairs, gone, came = match(pair, old, new)
    for i, j, changes in pairs:
        if i == j:
            pair.out.extend(changes)
        else:
            pair.out.extend(replace(c, message=f"{c.message} (was {keyword} branch {i})") for c in changes)
    backward, forward = Cover(pair, "backward"), Cover(pair, "forward")
    # New branches that may take instances they did not before, and old ones that lost some.
    widened = {j for i, j, changes in pairs if not all(c.forward for c in changes)} | set(came)
    narrowed = {i for i, j, changes in pairs if not all(c.backward for c in changes)} | set(gone)
    for i in gone:
        where, branch = pair.at(keyword, i), pair.old_at(keyword, i)
        if keyword == "allOf":
            compat, note = (True, forward.fits(branch)), ""
        else:
            home = next((j for j in new.branches if backward.sub(branch, pair.new_at(keyword, j))), None)
            compat = (home is not None, True)
            note = "" if home is None else f" (branch {home} accepts its instances)"
            if home is not None:
                widened.add(home)
        pair.emit(
            _BRANCH_REMOVED[keyword],
            where,
            pair.old[keyword][i],
            None,
            f"{pair.subject} {keyword} branch {i} removed{note}",
            compat,
        )
    for j in came:
        branch = pair.new_at(keyword, j)
        if keyword == "allOf":
            compat = (backward.fits(branch), True)
        else:
            compat = (True, any(forward.sub(branch, pair.old_at(keyword, i)) for i in old.branches))
        pair.emit(
            _BRANCH_ADDED[keyword],
            pair.at(keyword, j),
            None,
            pair.new[keyword][j],
            f"{pair.subject} {keyword} branch {j} added",
            compat,
        )
    if keyword == "oneOf":
        _exclusive(pair, backward, new, widened, "backward")
        _exclusive(pair, forward, old, narrowed, "forward")


def _exclusive(pair: Pair, cover: Cover, term: Term, moved: set[int], direction: str) -> None:
    """Report branches of ``term`` that moved and may now share instances with another branch.

    BACKWARD: a new branch that gained instances must stay apart from the other new branches.
    FORWARD: an old branch that lost instances leaves its overlap with another old branch to
    that branch alone, so the new schema accepts what the old one rejected.
    """
    side = "new" if direction == "backward" else "old"
    reported: set[frozenset[int]] = set()
    for j in sorted(moved):
        this = cover.target_at("oneOf", j)
        for k in term.branches:
            if k == j or frozenset((j, k)) in reported:
                continue
            if cover.apart_in_target(this, cover.target_at("oneOf", k)):
                continue
            reported.add(frozenset((j, k)))
            verb = "gained instances" if direction == "backward" else "lost instances"
            rejected = (
                "valid data is now rejected" if direction == "backward" else "old readers reject new data"
            )
            pair.emit(
                ChangeKind.ONE_OF_BRANCHES_OVERLAP,
                pair.at("oneOf", j),
                j,
                k,
                f"{pair.subject} {side} oneOf branch {j} {verb} and is not shown disjoint from branch {k}: "
                f"an instance matching both fails oneOf, so {rejected}",
                (direction != "backward", direction == "backward"),
            )


def _fit_text(fit: Fit, keyword: str) -> str:
    text = fit.describe(keyword)
    return f": {text}" if text else ""


def _switched(pair: Pair, old: Term, new: Term) -> None:
    """One composition keyword replaced by another: oneOf → anyOf, allOf → oneOf …"""
    there = Cover(pair, "backward").fits_term(new)
    back = Cover(pair, "forward").fits_term(old)
    pair.emit(
        ChangeKind.COMBINATOR_CHANGED,
        pair.at(new.keyword),
        pair.old[old.keyword],
        pair.new[new.keyword],
        f"{pair.subject} {old.keyword} became {new.keyword}{_fit_text(there, 'new ' + new.keyword)}",
        (there.ok, back.ok),
    )


def _added(pair: Pair, term: Term) -> None:
    keyword = term.keyword
    cover = Cover(pair, "backward")
    if keyword == "allOf":
        for j in term.branches:
            pair.emit(
                ChangeKind.ALL_OF_BRANCH_ADDED,
                pair.at(keyword, j),
                None,
                pair.new[keyword][j],
                f"{pair.subject} allOf branch {j} added",
                (cover.fits(pair.new_at(keyword, j)), True),
            )
        return
    fit = cover.fits_term(term)
    pair.emit(
        _ADDED[keyword],
        pair.at(keyword),
        None,
        pair.new[keyword],
        f"{pair.subject} {keyword} added{_fit_text(fit, keyword)}",
        (fit.ok, True),
    )


def _removed(pair: Pair, term: Term) -> None:
    keyword = term.keyword
    cover = Cover(pair, "forward")
    if keyword == "allOf":
        for i in term.branches:
            pair.emit(
                ChangeKind.ALL_OF_BRANCH_REMOVED,
                pair.at(keyword, i),
                pair.old[keyword][i],
                None,
                f"{pair.subject} allOf branch {i} removed",
                (True, cover.fits(pair.old_at(keyword, i))),
            )
        return
    fit = cover.fits_term(term)
    pair.emit(
        _REMOVED[keyword],
        pair.at(keyword),
        pair.old[keyword],
        None,
        f"{pair.subject} {keyword} removed",
        (True, fit.ok),
    )


KEYWORDS = frozenset({"allOf", "anyOf", "oneOf"})


def lift(pair: Pair, base: list[Change]) -> list[Change]:
    """The other keywords' changes, seen through ``allOf`` members that were not merged.

    Those changes compare the keywords beside the compositions only. When one old member
    alone fits everything the new schema says beside its compositions, no old instance is
    lost there (each old instance satisfies that member); FORWARD likewise with new members.
    ``{"allOf": [{"type": "string"}, {"type": ["string", "null"]}]}`` → ``{"type": ["string",
    "null"]}`` loses nothing, although the type beside went from any to string or null.
    """
    backward = all(c.backward for c in base) or _member_fits(pair, "old")
    forward = all(c.forward for c in base) or _member_fits(pair, "new")
    if backward and forward:
        return [replace(c, backward=True, forward=True) for c in base] if base else base
    return [replace(c, backward=c.backward or backward, forward=c.forward or forward) for c in base]


def _member_fits(pair: Pair, side: str) -> bool:
    members_of = pair.old if side == "old" else pair.new
    members = members_of.get("allOf")
    if not isinstance(members, list):
        return False
    other = pair.r_new if side == "old" else pair.r_old
    assert other is not None
    rest = (
        {k: v for k, v in other.schema.items() if k not in KEYWORDS} if isinstance(other.schema, dict) else {}
    )
    pointer = None if other.pointer is None else f"{other.pointer}#beside"
    origins = {k: (other.origins or {}).get(k, other.pointer) for k in rest}
    beside = (Resolved(rest, pointer, origins, {}), pointer)
    at = pair.old_at if side == "old" else pair.new_at
    for i in range(len(members)):
        if side == "old" and pair.within(at("allOf", i), beside, pair.path)[0]:
            return True
        if side == "new" and pair.within(beside, at("allOf", i), pair.path)[1]:
            return True
    return False
