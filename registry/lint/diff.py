"""The diff engine: every change between two JSON Schemas, with its compatibility.

The engine walks both schemas side by side, keyword family by keyword family (each in
its own module), after resolving ``$ref`` so that it compares what references mean.
Recursion through references terminates: a pair of (old pointer, new pointer) met again
while it is still being compared is assumed to have the changes found for it so far (none
at first). Results that rest on such an assumption are not kept; the pair is compared
again with the new assumption until its changes stop changing (a fixpoint), and only then
memoised.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from registry.errors import LimitExceeded
from registry.lint import arrays, combinators, conditionals, objects, proven, scalars
from registry.lint.change import Change
from registry.lint.disjoint import ALL_TYPES, empty
from registry.lint.kinds import ChangeKind
from registry.lint.modes import Policy
from registry.lint.names import closed_by_names
from registry.lint.normal import canonical, flatten, plainly_same
from registry.lint.pair import TRUE_PTR, Pair, presence, subject
from registry.lint.refs import ANNOTATIONS, STRUCTURAL, Document, Resolved, is_false

Rule = Callable[[Pair], None]
#: Comparisons nested deeper than this (following ``$ref`` chains) are refused. Documents are
#: already at most ``MAX_SCHEMA_DEPTH`` deep; only long reference chains get here.
MAX_DEPTH = 256
#: A pair compared again this often without its changes settling is taken as it stands.
MAX_ROUNDS = 8
#: Subschema comparisons one diff may make. Shared definitions are compared once and
#: unchanged subschemas are skipped, so real schemas stay far below it (Confluent's suite
#: needs 5 at most, a 10,000-property pair under 200); past it the pair is refused.
MAX_COMPARISONS = 20_000
#: Wall-clock seconds one diff may take, whatever the shape of the work: the last resort
#: that keeps a comparison quadratic in branch counts from holding a push or a request.
MAX_SECONDS = 5.0
_CLOCK_EVERY = 64  # units of work between looks at the clock
# The comparison recurses a few frames per schema level; the interpreter's stack must hold
# MAX_DEPTH of them. Set once, for the process: changing it per call is not thread-safe.
_RECURSION_LIMIT = 20_000
if sys.getrecursionlimit() < _RECURSION_LIMIT:
    sys.setrecursionlimit(_RECURSION_LIMIT)


_ANNOTATION_KINDS = (
    ChangeKind.ANNOTATION_ADDED,
    ChangeKind.ANNOTATION_REMOVED,
    ChangeKind.ANNOTATION_CHANGED,
)


def _annotations(pair: Pair) -> None:
    """Annotations never change which instances are valid (2020-12 validation section 9)."""
    for key in _ordered_union(pair.old, pair.new):
        if key not in ANNOTATIONS:
            continue
        had, has = key in pair.old, key in pair.new
        old, new = pair.old.get(key), pair.new.get(key)
        if had and has and _same(old, new):
            continue
        kind, verb = presence(_ANNOTATION_KINDS, had, has)
        pair.emit(kind, pair.at(key), old, new, f"{pair.subject} {key} {verb}")


def _unresolved_ref(pair: Pair) -> None:
    """A reference that leaves the document is compared by its text."""
    old, new = pair.old.get("$ref"), pair.new.get("$ref")
    if old != new:
        pair.emit(
            ChangeKind.REF_CHANGED,
            pair.at("$ref"),
            old,
            new,
            f"{pair.subject} reference changed from {old or 'none'} to {new or 'none'}",
        )


RULES: tuple[tuple[frozenset[str], Rule], ...] = (
    (ANNOTATIONS, _annotations),
    *scalars.RULES,
    *objects.RULES,
    *arrays.RULES,
    *conditionals.RULES,
    (frozenset({"$ref"}), _unresolved_ref),
    (proven.MARKING, proven.marking),
)
KNOWN = frozenset().union(*(keys for keys, _ in RULES)) | STRUCTURAL | combinators.KEYWORDS


def _unknown(pair: Pair) -> None:
    """A keyword this engine does not model, or models in another shape: unproven unless unchanged."""
    for key in _ordered_union(pair.old, pair.new):
        old, new = pair.old.get(key), pair.new.get(key)
        if key in KNOWN and not proven.misshapen(pair, key, old, new):
            continue
        if key in pair.old and key in pair.new and _same(old, new):
            continue
        what = "is not modelled" if key not in KNOWN else "holds a value of a shape that is not modelled"
        pair.emit(
            ChangeKind.UNPROVEN,
            pair.at(key),
            old,
            new,
            f"{proven.PREFIX}{pair.subject} keyword {key} changed, and it {what}",
            (False, False),
        )


Key = tuple[str, str]


class Engine:
    """Compares two schema documents; holds the memo for their (old, new) pointer pairs."""

    def __init__(self, old: Any, new: Any, *, policy: Policy, new_doc: Document | None = None) -> None:
        # A transitive check compares one proposal with every version: index it once, and
        # read each version beside it (what they share is read once).
        if new_doc is not None and new_doc.root is new:
            self.old_doc = Document(old, like=new_doc)
            self.new_doc = new_doc
        else:
            self.old_doc = Document(old)
            self.new_doc = Document(new, like=self.old_doc)
        self.policy = policy
        self._memo: dict[Key, list[Change]] = {}
        # Pairs being compared, outermost first: key and the changes assumed for it so far.
        self._stack: list[Key] = []
        self._assumed: dict[Key, list[Change]] = {}
        self._on_stack: dict[Key, int] = {}
        # The lowest stack position whose assumption the current comparison has used.
        self._low = sys.maxsize
        # Results resting on an assumption, valid while that assumption stands.
        self._tentative: dict[Key, tuple[list[Change], int, int]] = {}
        self._round: list[int] = []
        self._rounds = 0
        self._comparisons = 0
        self._work = 0
        self._differ: bool | None = None
        self._deadline = time.perf_counter() + MAX_SECONDS

    @property
    def documents_differ(self) -> bool:
        """Whether the two documents differ anywhere (asked only where dynamic scope matters)."""
        if self._differ is None:
            self._differ = canonical(self.old_doc.root) != canonical(self.new_doc.root)
        return self._differ

    def charge(self, units: int = 1) -> None:
        """Count ``units`` of work (a pattern matched, a branch pair weighed …); refuse past the bounds.

        Nothing in a diff may cost work proportional to a number written in a schema, but
        the number of branches, patterns and properties multiply; this keeps the product
        bounded and turns it into a ``schema.limit`` refusal instead of a held push.
        """
        self._work += units
        if self._work >= _CLOCK_EVERY:
            self._work = 0
            if time.perf_counter() > self._deadline:
                raise LimitExceeded(
                    f"comparing the schemas took longer than {MAX_SECONDS:g} s",
                    rule="schema.time",
                    hint="compare fewer or smaller anyOf/oneOf branches or patternProperties at once, "
                    "or name shared parts in $defs",
                )

    def run(self) -> list[Change]:
        return _unique(self.compare(self.old_doc.root, "", self.new_doc.root, "", ""))

    def resolve_old(self, schema: Any, pointer: str | None) -> Resolved:
        if isinstance(schema, Resolved):
            return schema
        return closed_by_names(
            self.old_doc, flatten(self.old_doc, self.old_doc.resolve(schema, pointer)), self.charge
        )

    def resolve_new(self, schema: Any, pointer: str | None) -> Resolved:
        if isinstance(schema, Resolved):
            return schema
        return closed_by_names(
            self.new_doc, flatten(self.new_doc, self.new_doc.resolve(schema, pointer)), self.charge
        )

    def compare(
        self, old: Any, old_ptr: str | None, new: Any, new_ptr: str | None, path: str
    ) -> list[Change]:
        """The changes from ``old`` to ``new`` (each a schema or a :class:`Resolved` one)."""
        r_old, r_new = self.resolve_old(old, old_ptr), self.resolve_new(new, new_ptr)
        old_ptr, new_ptr = r_old.pointer, r_new.pointer
        where = new_ptr if _real(new_ptr) else path
        key = (old_ptr, new_ptr) if old_ptr is not None and new_ptr is not None else None
        if key is None:
            result = self._plain(r_old, r_new, where)
        elif key in self._on_stack:
            # Met again while being compared: go on with what is assumed for it so far.
            self._low = min(self._low, self._on_stack[key])
            result = self._assumed[key]
        elif _real(old_ptr) and _real(new_ptr) and key in self._memo:
            result = self._memo[key]
        else:
            result = self._settle(key, r_old, r_new, where)
        if r_old.notes or r_new.notes:
            result = [*_note_changes(r_old, r_new, path), *result]
        return result

    def _plain(self, r_old: Resolved, r_new: Resolved, where: str) -> list[Change]:
        if self._plainly_equal(r_old.schema, r_new.schema):
            return []
        if len(self._stack) >= MAX_DEPTH:
            raise _too_deep(where)
        self._stack.append(("", ""))
        self._round.append(0)
        try:
            return self._compare(r_old, r_new, where)
        finally:
            self._stack.pop()
            self._round.pop()

    def _settle(self, key: Key, r_old: Resolved, r_new: Resolved, where: str) -> list[Change]:
        """Compare a pair of real places until the changes assumed for it are the changes found."""
        cached = self._tentative.get(key)
        if cached is not None:
            result, low, token = cached
            if low < len(self._stack) and self._round[low] == token:
                self._low = min(self._low, low)
                return result
        if self._plainly_equal(r_old.schema, r_new.schema):
            if _real(key[0]) and _real(key[1]):
                self._memo[key] = []
            return []
        if len(self._stack) >= MAX_DEPTH:
            raise _too_deep(where)
        position = len(self._stack)
        self._stack.append(key)
        self._on_stack[key] = position
        self._assumed[key] = []
        self._round.append(0)
        outer_low = self._low
        try:
            for _ in range(MAX_ROUNDS):
                self._rounds += 1
                self._round[position] = self._rounds
                self._low = sys.maxsize
                result = self._compare(r_old, r_new, where)
                if self._low != position or result == self._assumed[key]:
                    break
                self._assumed[key] = result
            else:
                # Still moving after MAX_ROUNDS: the last round rests on an assumption it did
                # not confirm, so its "no change" may not hold anywhere below.
                result = [*result, _unsettled(where)]
            low = self._low
        finally:
            self._stack.pop()
            self._round.pop()
            del self._on_stack[key]
            del self._assumed[key]
        if low < position:
            # Rests on the assumption made for a pair further out: valid only while it stands.
            self._tentative[key] = (result, low, self._round[low])
            self._low = min(outer_low, low)
        else:
            if _real(key[0]) and _real(key[1]):
                self._memo[key] = result
            self._low = outer_low
        return result

    def _plainly_equal(self, old: Any, new: Any) -> bool:
        return plainly_same(old, new)

    def _compare(self, r_old: Resolved, r_new: Resolved, path: str) -> list[Change]:
        self._comparisons += 1
        if self._comparisons > MAX_COMPARISONS:
            raise LimitExceeded(
                f"comparing the schemas needs more than {MAX_COMPARISONS:,} subschema comparisons "
                f"(at {path or 'the root'})",
                rule="schema.comparisons",
                hint="compare fewer anyOf/oneOf branches at once, or name shared parts in $defs "
                "and refer to them with $ref",
            )
        self.charge(_CLOCK_EVERY // 4)
        old, new = r_old.schema, r_new.schema
        pair = Pair(self, {}, {}, r_old.pointer, r_new.pointer, path)
        pair.old_origins, pair.new_origins = r_old.origins, r_new.origins
        pair.r_old, pair.r_new = r_old, r_new
        old_false, new_false = is_false(old), is_false(new)
        if old_false and new_false:
            return []
        if old_false or new_false:
            kind = ChangeKind.SCHEMA_OPENED if old_false else ChangeKind.SCHEMA_CLOSED
            verb = "now accepts values" if old_false else "now accepts nothing"
            pair.emit(kind, path, old, new, f"{pair.subject} {verb}")
            return pair.out
        if old is True:
            old = {}
        if new is True:
            new = {}
        if not isinstance(old, dict) or not isinstance(new, dict):
            pair.emit(ChangeKind.KEYWORD_CHANGED, path, old, new, f"{pair.subject} is not a schema")
            return pair.out
        pair.old, pair.new = old, new
        present = old.keys() | new.keys()
        for keys, rule in RULES:
            if not keys.isdisjoint(present):
                rule(pair)
        _unknown(pair)
        if not present.isdisjoint(combinators.KEYWORDS):
            base, pair.out = pair.out, []
            combinators.compare_compositions(pair)
            pair.out = [*combinators.lift(pair, base), *pair.out]
        pair.out += proven.unproven(pair)
        pair.out = _unique(pair.out)
        if pair.out and not present.isdisjoint(_MAYBE_EMPTY):
            return _vacuous(pair)
        return pair.out

    def _empty(self, resolved: Resolved, old: bool) -> bool:
        resolve = self.resolve_old if old else self.resolve_new
        return empty(
            resolved.schema, lambda s: s.schema if isinstance(s, Resolved) else resolve(s, "#").schema
        )


def diff(old: Any, new: Any, *, policy: Policy = Policy.LENIENT) -> list[Change]:
    """Every change between two schemas (dicts or booleans), in a deterministic order.

    The order follows the schemas: keyword families in a fixed order, properties in the
    order the old schema lists them followed by the ones only the new schema has.
    """
    return Engine(old, new, policy=Policy.parse(policy)).run()


def diff_against(old: Any, new: Document, *, policy: Policy = Policy.LENIENT) -> list[Change]:
    """:func:`diff` with the new schema already indexed (see :class:`Engine`)."""
    return Engine(old, new.root, policy=Policy.parse(policy), new_doc=new).run()


# Keywords that can make a schema accept nothing without being ``false``.
_MAYBE_EMPTY = frozenset({"allOf", "oneOf", "type", "enum", "const"})


def _vacuous(pair: Pair) -> list[Change]:
    """A side that accepts nothing loses no instance and gains none: its changes cannot break it.

    ``{"allOf": [{"type": "number"}, {"type": "string"}]}`` accepts nothing, so whatever
    replaces it is BACKWARD compatible.
    """
    engine = pair.engine
    assert pair.r_old is not None and pair.r_new is not None
    if _inhabited(pair.old) and _inhabited(pair.new):
        return pair.out
    old_empty, new_empty = engine._empty(pair.r_old, True), engine._empty(pair.r_new, False)
    if not (old_empty or new_empty):
        return pair.out
    return [replace(c, backward=c.backward or old_empty, forward=c.forward or new_empty) for c in pair.out]


_ONLY_TYPE = _MAYBE_EMPTY - {"type"}


def _inhabited(schema: dict) -> bool:
    """A schema whose only keyword that could empty it is one ``type`` name accepts something.

    (Every other keyword beside it narrows within that type and never to nothing on its
    own, except bounds that cross, which the empty test does not read either.)
    """
    return (
        _ONLY_TYPE.isdisjoint(schema) and isinstance(schema.get("type"), str) and schema["type"] in ALL_TYPES
    )


def _unsettled(where: str) -> Change:
    return Change(
        ChangeKind.UNPROVEN,
        where,
        None,
        None,
        False,
        False,
        f"{proven.PREFIX}comparing the recursive references at {subject(where)} did not settle "
        f"in {MAX_ROUNDS} rounds",
    )


def _too_deep(path: str) -> LimitExceeded:
    return LimitExceeded(
        f"comparing the schemas goes more than {MAX_DEPTH} levels deep (at {path or 'the root'})",
        rule="schema.depth",
        hint="shorten chains of $ref that lead to further $ref, or flatten the schema",
    )


def _note_changes(r_old: Resolved, r_new: Resolved, path: str) -> list[Change]:
    """Annotations written beside a ``$ref``, compared with what the other side says there."""
    changes = []
    for key in _ordered_union(r_old.notes, r_new.notes):
        had, old = _annotation(r_old, key)
        has, new = _annotation(r_new, key)
        if had and has and _same(old, new):
            continue
        kind, verb = presence(_ANNOTATION_KINDS, had, has)
        where = f"{path}/{key}"
        changes.append(Change(kind, where, old, new, True, True, f"{subject(path)} {key} {verb}"))
    return changes


def _annotation(resolved: Resolved, key: str) -> tuple[bool, Any]:
    if key in resolved.notes:
        return True, resolved.notes[key]
    if isinstance(resolved.schema, dict) and key in resolved.schema:
        return True, resolved.schema[key]
    return False, None


def _unique(changes: list[Change]) -> list[Change]:
    """``changes`` without repeats, in order.

    A definition used from two places reports its changes at its own pointer, so both uses
    bring the same findings; keeping one of each at every level keeps 40 levels of
    definitions that each use the next twice (a "billion laughs" of references) linear
    instead of 2**40.
    """
    if len(changes) < 2:
        return changes
    seen: set[tuple[str, str, str, bool, bool]] = set()
    kept = []
    for change in changes:
        key = (change.kind.value, change.path, change.message, change.backward, change.forward)
        if key not in seen:
            seen.add(key)
            kept.append(change)
    return kept


def _real(pointer: str | None) -> bool:
    return pointer is not None and "#" not in pointer


def _same(a: Any, b: Any) -> bool:
    # ``==`` alone says 1 == True; the JSON texts tell them apart.
    return a == b and canonical(a) == canonical(b)


def _ordered_union(old: dict, new: dict) -> list[str]:
    return [*old, *(k for k in new if k not in old)]


__all__ = ["TRUE_PTR", "Engine", "diff"]
