"""Which refs a push may touch, and what every branch must keep whatever its verdict.

The rule, for every ref a push updates:

- ``refs/heads/main`` is judged by the gate: any error refuses the push. It only moves
  forward and is never deleted.
- Other branches (``refs/heads/*``) are proposals: judged against their merge-base with
  ``main``, and kept even when ``main`` would refuse them, so authors see the verdict
  early. But no branch may hold what the store may not hold at all: a problem of the
  store's layout, names, file modes or size and expansion limits (see
  :data:`EVERY_BRANCH`, and every code whose outcome is ``LIMIT``) refuses the push.
  A proposal branch may be deleted.
- What a branch must keep holds for every commit a push brings, not only its tip: a
  file added by one commit and removed by the next still lands in the store's history,
  so each new commit's own change is held to the same layout and limits.
- Every ref outside ``refs/heads/`` (tags, notes, ``refs/registry/…``, anything else) is
  the registry's alone: a push may not create, move or delete one. Version tags are
  written by the registry when a version lands on ``main``.

Branch names themselves are checked by git (``git check-ref-format``) before any hook runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pygit2
from pygit2.enums import SortMode

from registry.gate.layout import layout
from registry.gate.verdict import Verdict
from registry.git.refs import CAPSULE_TAGS, CONTRACT_TAGS, MAIN
from registry.git.store import Store
from registry.model import Limits
from registry.problems import Code, Outcome, Problem

BRANCHES = "refs/heads/"

# Problems no branch may carry, besides every LIMIT: what the store may hold at all.
EVERY_BRANCH = frozenset(
    {
        Code.LAYOUT_PATH,
        Code.LAYOUT_SIZE,
        Code.FILE_MODE,
        Code.FILE_TOO_LARGE,
        Code.FILE_UNEXPECTED,
        Code.NAME_INVALID,
        Code.REF_NAME,
    }
)


def ref_problem(ref: str, *, created: bool, deleted: bool) -> Problem | None:
    """Why a push may not touch ``ref`` at all, or None for ``main`` and proposal branches."""
    if ref.startswith((CONTRACT_TAGS, CAPSULE_TAGS)):
        what = "deleted" if deleted else "created by a push" if created else "moved"
        return Problem(
            Code.REF_IMMUTABLE,
            f"version tags are never {what}: the registry creates them when a version "
            "lands on main; push the change to main instead",
            file=ref,
        )
    if ref == MAIN and deleted:
        return Problem(Code.REF_IMMUTABLE, "main cannot be deleted", file=ref)
    if not ref.startswith(BRANCHES):
        return Problem(
            Code.REF_NAMESPACE,
            "refs outside refs/heads/ are the registry's alone: push branches under refs/heads/ "
            "only; version tags are created by the registry",
            file=ref,
        )
    return None


def refuses_any_branch(problem: Problem) -> bool:
    """Whether ``problem`` breaks what every branch, not only ``main``, must keep."""
    return problem.severity == "error" and (
        problem.code.outcome is Outcome.LIMIT or problem.code in EVERY_BRANCH
    )


def branch_blockers(verdict: Verdict) -> tuple[Problem, ...]:
    """The problems of a proposal's verdict that refuse the proposal branch itself."""
    return tuple(p for p in verdict.problems if refuses_any_branch(p))


def earlier_commits(
    store: Store, new: pygit2.Oid, *, known: Iterable[pygit2.Oid], limits: Limits
) -> Iterator[Problem]:
    """What no branch may hold, in the commits a push brings besides its tip.

    ``known`` are the tips already in the store (their history was judged when it was
    pushed). Each new commit is judged by its own change against its first parent; the
    tip is left to the gate, which judges the whole update.
    """
    walker = store.repo.walk(new, SortMode.TOPOLOGICAL)
    for tip in known:
        walker.hide(tip)
    for commit in walker:
        if commit.id == new:
            continue
        parent = store.snapshot(commit.parents[0].id if commit.parents else None)
        snap = store.snapshot(commit.id)
        changes, truncated = snap.changed_entries(parent, limit=limits.max_files)
        for p in layout(changes, limits=limits, snapshot=snap, truncated=truncated).problems:
            if refuses_any_branch(p):
                where = f"in commit {str(commit.id)[:12]}, which this push brings"
                yield Problem(p.code, f"{p.message} ({where})", p.path, p.severity, p.file, p.keyword)
