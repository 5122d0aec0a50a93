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
- Every ref outside ``refs/heads/`` (tags, notes, ``refs/registry/…``, anything else) is
  the registry's alone: a push may not create, move or delete one. Version tags are
  written by the registry when a version lands on ``main``.

Branch names themselves are checked by git (``git check-ref-format``) before any hook runs.
"""

from __future__ import annotations

from registry.gate.verdict import Verdict
from registry.git.refs import CAPSULE_TAGS, CONTRACT_TAGS, MAIN
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
