"""The diff engine: every change between two JSON Schemas, with its compatibility.

The engine walks both schemas side by side, keyword family by keyword family (each in
its own module), after resolving ``$ref`` so that it compares what references mean.
Recursion through references terminates: each (old pointer, new pointer) pair is
compared once and its result memoised; a pair met again while it is still being compared
is assumed equal (the first visit reports its changes).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from registry.lint import arrays, combinators, objects, scalars
from registry.lint.change import Change
from registry.lint.kinds import ChangeKind
from registry.lint.modes import Policy
from registry.lint.pair import TRUE_PTR, Pair, subject
from registry.lint.refs import ANNOTATIONS, STRUCTURAL, Document, Resolved, is_false

Rule = Callable[[Pair], None]
# Deeper than this, schemas are not compared further; the rest is reported as one change
# that breaks both ways rather than risking the interpreter's stack.
MAX_DEPTH = 400


def _annotations(pair: Pair) -> None:
    """Annotations never change which instances are valid (2020-12 validation section 9)."""
    for key in _ordered_union(pair.old, pair.new):
        if key not in ANNOTATIONS:
            continue
        had, has = key in pair.old, key in pair.new
        old, new = pair.old.get(key), pair.new.get(key)
        if had and has:
            if _same(old, new):
                continue
            kind, verb = ChangeKind.ANNOTATION_CHANGED, "changed"
        elif has:
            kind, verb = ChangeKind.ANNOTATION_ADDED, "added"
        else:
            kind, verb = ChangeKind.ANNOTATION_REMOVED, "removed"
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
    *combinators.RULES,
    (frozenset({"$ref"}), _unresolved_ref),
)
KNOWN = frozenset().union(*(keys for keys, _ in RULES)) | STRUCTURAL


def _unknown(pair: Pair) -> None:
    """A keyword this engine does not know: conservatively breaking unless unchanged."""
    for key in _ordered_union(pair.old, pair.new):
        if key in KNOWN:
            continue
        old, new = pair.old.get(key), pair.new.get(key)
        if key in pair.old and key in pair.new and _same(old, new):
            continue
        pair.emit(ChangeKind.KEYWORD_CHANGED, pair.at(key), old, new, f"{pair.subject} keyword {key} changed")


class Engine:
    """Compares two schema documents; holds the memo for their (old, new) pointer pairs."""

    def __init__(self, old: Any, new: Any, *, policy: Policy) -> None:
        self.old_doc = Document(old)
        self.new_doc = Document(new)
        self.policy = policy
        self._memo: dict[tuple[str, str], list[Change]] = {}
        self._active: set[tuple[str, str]] = set()
        self._depth = 0

    def run(self) -> list[Change]:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, MAX_DEPTH * 12 + 200))
        try:
            found = self.compare(self.old_doc.root, "", self.new_doc.root, "", "")
        finally:
            sys.setrecursionlimit(limit)
        seen: set[tuple[str, str, str]] = set()
        unique = []
        for change in found:
            key = (change.kind.value, change.path, change.message)
            if key not in seen:
                seen.add(key)
                unique.append(change)
        return unique

    def compare(
        self, old: Any, old_ptr: str | None, new: Any, new_ptr: str | None, path: str
    ) -> list[Change]:
        if self._depth >= MAX_DEPTH:
            return [_too_deep(path, old, new)]
        r_old, r_new = self.old_doc.resolve(old, old_ptr), self.new_doc.resolve(new, new_ptr)
        old, old_ptr, new, new_ptr = r_old.schema, r_old.pointer, r_new.schema, r_new.pointer
        where = new_ptr if _real(new_ptr) else path
        key = (old_ptr, new_ptr) if old_ptr is not None and new_ptr is not None else None
        real = _real(old_ptr) and _real(new_ptr)
        if real and key in self._memo:
            result = self._memo[key]
        elif (key is not None and key in self._active) or self._plainly_equal(old, new):
            result = []
        else:
            if key is not None:
                self._active.add(key)
            self._depth += 1
            try:
                result = self._compare(r_old, r_new, where)
            finally:
                self._depth -= 1
                if key is not None:
                    self._active.discard(key)
            if real:
                self._memo[key] = result
        if r_old.notes or r_new.notes:
            result = [*_note_changes(r_old, r_new, path), *result]
        return result

    def _plainly_equal(self, old: Any, new: Any) -> bool:
        return self.old_doc.ref_free(old) and self.new_doc.ref_free(new) and _same(old, new)

    def _compare(self, r_old: Resolved, r_new: Resolved, path: str) -> list[Change]:
        old, new = r_old.schema, r_new.schema
        pair = Pair(self, {}, {}, r_old.pointer, r_new.pointer, path)
        pair.old_origins, pair.new_origins = r_old.origins, r_new.origins
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
        return pair.out


def diff(old: Any, new: Any, *, policy: Policy = Policy.LENIENT) -> list[Change]:
    """Every change between two schemas (dicts or booleans), in a deterministic order.

    The order follows the schemas: keyword families in a fixed order, properties in the
    order the old schema lists them followed by the ones only the new schema has.
    """
    return Engine(old, new, policy=Policy.parse(policy)).run()


def _too_deep(path: str, old: Any, new: Any) -> Change:
    return Change(
        ChangeKind.KEYWORD_CHANGED,
        path,
        None,
        None,
        False,
        False,
        f"'{path}' is nested too deeply to compare",
    )


def _note_changes(r_old: Resolved, r_new: Resolved, path: str) -> list[Change]:
    """Annotations written beside a ``$ref``, compared with what the other side says there."""
    changes = []
    for key in _ordered_union(r_old.notes, r_new.notes):
        had, old = _annotation(r_old, key)
        has, new = _annotation(r_new, key)
        if had and has and _same(old, new):
            continue
        kind = (
            ChangeKind.ANNOTATION_CHANGED
            if had and has
            else (ChangeKind.ANNOTATION_ADDED if has else ChangeKind.ANNOTATION_REMOVED)
        )
        verb = {ChangeKind.ANNOTATION_CHANGED: "changed", ChangeKind.ANNOTATION_ADDED: "added"}.get(
            kind, "removed"
        )
        where = f"{path}/{key}"
        changes.append(Change(kind, where, old, new, True, True, f"{subject(path)} {key} {verb}"))
    return changes


def _annotation(resolved: Resolved, key: str) -> tuple[bool, Any]:
    if key in resolved.notes:
        return True, resolved.notes[key]
    if isinstance(resolved.schema, dict) and key in resolved.schema:
        return True, resolved.schema[key]
    return False, None


def _real(pointer: str | None) -> bool:
    return pointer is not None and "#" not in pointer


def _same(a: Any, b: Any) -> bool:
    # ``==`` alone says 1 == True; the JSON texts tell them apart.
    return a == b and json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _ordered_union(old: dict, new: dict) -> list[str]:
    return [*old, *(k for k in new if k not in old)]


__all__ = ["TRUE_PTR", "Engine", "diff"]
