"""Whether every instance of one side falls inside a schema or a composition of the other.

BACKWARD asks whether the old schema's instances all stay valid under the new one; FORWARD
the reverse. Where ``allOf``, ``anyOf`` and ``oneOf`` differ between the sides, the answer
comes from what they accept (2020-12 core 10.2.1), not from their keywords:

* the source side fits a schema ``X`` when its whole schema does, or one of its ``allOf``
  members does, or every branch of one of its ``anyOf``/``oneOf`` does;
* it fits ``allOf`` when it fits every member, and ``anyOf`` when it fits one branch or when
  each branch of one of its own disjunctions fits some branch;
* it fits ``oneOf`` likewise, and only when each piece that fits branch ``j`` is provably
  disjoint from every other branch (or branch ``j`` is): an instance matching two branches
  is rejected.

Each answer says which old branch went where, or why it does not fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from registry.lint import disjoint
from registry.lint.normal import COMPOSITIONS, effective
from registry.lint.pair import Located, Pair
from registry.lint.refs import Resolved

Direction = Literal["backward", "forward"]


@dataclass(frozen=True)
class Term:
    """One composition keyword of a schema and the branches that count."""

    keyword: str
    branches: tuple[int, ...]


def terms(schema: dict) -> dict[str, Term]:
    found = {}
    for keyword in COMPOSITIONS:
        members = schema.get(keyword)
        if isinstance(members, list) and members:
            found[keyword] = Term(keyword, tuple(effective(keyword, members)))
    return found


@dataclass
class Fit:
    """Whether the source fits, which source piece went to which target branch, and why not."""

    ok: bool
    moves: list[tuple[str, int]] = field(default_factory=list)  # (source piece, target branch)
    reason: str = ""

    def describe(self, target: str) -> str:
        if not self.ok:
            return self.reason
        return ", ".join(f"{piece} → {target} branch {j}" for piece, j in self.moves)


class Cover:
    """Containment questions at one pair, in one direction.

    The source is the side whose instances must stay valid (old for BACKWARD, new for
    FORWARD); the target is the other side.
    """

    def __init__(self, pair: Pair, direction: Direction) -> None:
        self.pair = pair
        self.direction = direction
        backward = direction == "backward"
        engine = pair.engine
        self.source = pair.old if backward else pair.new
        self.target = pair.new if backward else pair.old
        self.source_at = pair.old_at if backward else pair.new_at
        self.target_at = pair.new_at if backward else pair.old_at
        self.whole = pair.whole_old() if backward else pair.whole_new()
        resolve_old, resolve_new = engine.resolve_old, engine.resolve_new
        self._resolve_source = resolve_old if backward else resolve_new
        self._resolve_target = resolve_new if backward else resolve_old
        self.source_terms = terms(self.source)
        self._empty: bool | None = None

    def _plain_source(self, schema: Any) -> Any:
        return schema.schema if isinstance(schema, Resolved) else self._resolve_source(schema, "#").schema

    def _plain_target(self, schema: Any) -> Any:
        return schema.schema if isinstance(schema, Resolved) else self._resolve_target(schema, "#").schema

    def sub(self, piece: Located, branch: Located) -> bool:
        """Whether the engine shows source ``piece`` ⊆ target ``branch``."""
        where = self.pair.path
        if self.direction == "backward":
            return self.pair.within(piece, branch, where)[0]
        return self.pair.within(branch, piece, where)[1]

    def apart(self, piece: Located, branch: Located) -> bool:
        """Whether source ``piece`` and target ``branch`` share no instance."""
        self.pair.engine.charge()
        return disjoint.disjoint(piece[0], branch[0], self._plain_source, self._plain_target)

    def apart_in_target(self, a: Located, b: Located) -> bool:
        self.pair.engine.charge()
        return disjoint.disjoint(a[0], b[0], self._plain_target, self._plain_target)

    @property
    def empty(self) -> bool:
        """Whether the source accepts nothing, so it fits anything."""
        if self._empty is None:
            self._empty = disjoint.empty(self.whole[0], self._plain_source)
        return self._empty

    def pieces(self) -> list[list[tuple[str, Located]]]:
        """Ways to see the source: whole; through one ``allOf`` member; as one disjunction."""
        ways: list[list[tuple[str, Located]]] = [
            [("the old schema" if self._old else "the new schema", self.whole)]
        ]
        for term in self.source_terms.values():
            located = [
                (f"{self._side} {term.keyword} branch {i}", self.source_at(term.keyword, i))
                for i in term.branches
            ]
            if term.keyword == "allOf":
                ways += [[piece] for piece in located]
            else:
                ways.append(located)
        return ways

    @property
    def _old(self) -> bool:
        return self.direction == "backward"

    @property
    def _side(self) -> str:
        return "old" if self._old else "new"

    def fits(self, branch: Located) -> bool:
        """Whether every source instance is accepted by target ``branch``."""
        if self.empty:
            return True
        return any(len(way) == 1 and self.sub(way[0][1], branch) for way in self.pieces()) or any(
            len(way) > 1 and all(self.sub(piece, branch) for _, piece in way) for way in self.pieces()
        )

    def fits_term(self, term: Term) -> Fit:
        """Whether every source instance is accepted by the target's composition ``term``."""
        branches = [(j, self.target_at(term.keyword, j)) for j in term.branches]
        if self.empty:
            return Fit(True, [], "")
        if term.keyword == "allOf":
            missing = [j for j, b in branches if not self.fits(b)]
            if missing:
                return Fit(
                    False, [], f"allOf branch {missing[0]} does not accept every {self._side} instance"
                )
            return Fit(True, [("every instance", j) for j, _ in branches])
        exclusive = term.keyword == "oneOf"
        overlap = ""
        for way in self.pieces():
            moves = []
            for name, piece in way:
                home, clash = self._home(piece, branches, exclusive, whole=len(way) == 1)
                if home is None:
                    overlap = overlap or clash
                    break
                moves.append((name, home))
            else:
                return Fit(True, moves)
        if overlap:
            return Fit(False, [], overlap)
        return Fit(False, [], f"no {term.keyword} branch accepts every {self._side} instance")

    def _home(
        self, piece: Located, branches: list[tuple[int, Located]], exclusive: bool, *, whole: bool
    ) -> tuple[int | None, str]:
        """The target branch that takes all of ``piece`` (alone, for oneOf), or why none does."""
        clash = ""
        for j, branch in branches:
            if not (self.fits(branch) if whole else self.sub(piece, branch)):
                continue
            if not exclusive:
                return j, ""
            others = [
                k
                for k, other in branches
                if k != j and not self.apart(piece, other) and not self.apart_in_target(branch, other)
            ]
            if not others:
                return j, ""
            clash = clash or (
                f"oneOf branches {j} and {others[0]} may both match an {self._side} instance, "
                "and oneOf rejects an instance that matches two"
            )
        return None, clash
