"""Hostile schemas get a bounded answer: LimitExceeded naming the limit, never a hang or a crash."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import pytest

from registry.errors import LimitExceeded
from registry.lint import Mode, check, diff
from registry.lint.patterns import search, translate
from registry.lint.refs import MAX_SCHEMA_DEPTH


def nested_properties(levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}}
    return schema


def nested_lists(levels: int) -> Any:
    value: Any = 0
    for _ in range(levels):
        value = [value]
    return value


def test_properties_nested_past_the_limit_are_refused() -> None:
    with pytest.raises(LimitExceeded) as err:
        diff(nested_properties(100), nested_properties(100))
    assert err.value.rule == "schema.depth"
    assert f"{MAX_SCHEMA_DEPTH} levels of nested subschemas" in err.value.message
    assert "$defs" in (err.value.hint or "")


def test_properties_within_the_limit_are_compared() -> None:
    deep = nested_properties(MAX_SCHEMA_DEPTH - 1)
    assert diff(deep, nested_properties(MAX_SCHEMA_DEPTH - 1)) == []


@pytest.mark.parametrize("where", ["const", "default", "items"])
def test_a_thousand_levels_of_nesting_are_refused(where: str) -> None:
    value = nested_lists(1_500)
    schema = {"items": _items(1_500)} if where == "items" else {where: value}
    with pytest.raises(LimitExceeded) as err:
        check([("1", {})], schema)
    assert err.value.rule == "schema.depth"


def _items(levels: int) -> Any:
    schema: Any = {}
    for _ in range(levels):
        schema = {"items": schema}
    return schema


def test_a_long_chain_of_references_is_refused() -> None:
    defs = {f"d{i}": {"properties": {"next": {"$ref": f"#/$defs/d{i + 1}"}}} for i in range(600)}
    defs["d600"] = {"type": "string"}
    old = {"$defs": defs, "$ref": "#/$defs/d0"}
    new = {"$defs": {**defs, "d600": {"type": "integer"}}, "$ref": "#/$defs/d0"}
    with pytest.raises(LimitExceeded) as err:
        diff(old, new)
    assert err.value.rule == "schema.depth"


def test_huge_integers_are_refused_not_crashed_on() -> None:
    with pytest.raises(LimitExceeded) as err:
        diff({"maximum": 10**5000}, {"maximum": 1})
    assert err.value.rule == "schema.number"
    assert "/maximum" in err.value.message


def test_large_but_printable_integers_are_compared() -> None:
    (change,) = diff({"maximum": 10**900}, {"maximum": 10**900 - 1})
    assert change.kind.value == "maximum_tightened"


def test_recursion_limit_is_set_once_not_per_call() -> None:
    before = sys.getrecursionlimit()
    diff({"type": "string"}, {"type": "integer"})
    assert sys.getrecursionlimit() == before >= 20_000


def test_catastrophic_pattern_property_is_refused_in_time() -> None:
    old = {"patternProperties": {"^(a|a)*$": {}}}
    new = {**old, "properties": {"a" * 40 + "!": {"type": "string"}}}
    start = time.perf_counter()
    with pytest.raises(LimitExceeded) as err:
        diff(old, new, policy="strict")
    assert time.perf_counter() - start < 2
    assert err.value.rule == "regex.timeout"
    assert "'^(a|a)*$'" in err.value.message


@pytest.mark.parametrize("pattern", ["a{4294967296}", "(a{1000}){1000}", "(", "x" * 6000])
def test_patterns_that_cannot_be_compiled_safely_are_refused(pattern: str) -> None:
    old = {"patternProperties": {pattern: {}}}
    new = {**old, "properties": {"a": {"type": "string"}}}
    with pytest.raises(LimitExceeded) as err:
        diff(old, new, policy="strict")
    assert err.value.rule == "regex.invalid"
    assert len(err.value.message) < 200  # the pattern is shown cut short


def test_patterns_read_as_ecma_262() -> None:
    assert not search("^\\d+$", "١٢")  # \d is ASCII only
    assert not search("^a$", "a\n")  # $ is the very end
    assert search("\\cJ", "\n") and search("(?<x>a)\\k<x>", "aa")
    assert translate("[\\d]") == "[0-9]"


def test_concurrent_diffs_leave_the_recursion_limit_alone() -> None:
    limits = []

    def work() -> None:
        for _ in range(20):
            diff(nested_properties(30), nested_properties(31))
            limits.append(sys.getrecursionlimit())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(limits) == {sys.getrecursionlimit()}


def test_the_side_read_beside_the_other_is_still_bounded_where_they_differ() -> None:
    # The new side skips what it shares with the old one, and nothing more: a deep or
    # huge value where they differ is refused, whichever side holds it.
    shared = {f"p{i}": {"type": "string"} for i in range(50)}
    old = {"properties": {**shared, "x": {"type": "string"}}}
    deep = {"properties": {**shared, "x": nested_properties(100)}}
    huge = {"properties": {**shared, "x": {"maximum": 10**5000}}}
    for new in (deep, huge):
        for pair in ((old, new), (new, old)):
            with pytest.raises(LimitExceeded):
                diff(*pair)
        with pytest.raises(LimitExceeded):
            check([("1", old), ("2", old)], new, mode=Mode.BACKWARD_TRANSITIVE)


def test_an_anchor_is_found_in_either_side_read_beside_the_other() -> None:
    anchored = {"$defs": {"t": {"$anchor": "t", "type": "string"}}, "properties": {"a": {"$ref": "#t"}}}
    narrowed = {
        "$defs": {"t": {"$anchor": "t", "type": "string", "maxLength": 3}},
        "properties": {"a": {"$ref": "#t"}},
    }
    (change,) = diff(anchored, narrowed)
    assert change.kind.value == "max_length_tightened"
    # The shared subtree holding the anchor is read on both sides.
    moved = {"$defs": {"t": {"$anchor": "t", "type": "string"}}, "properties": {"a": {"$ref": "#t"}, "b": {}}}
    assert [c.kind.value for c in diff(anchored, moved)] == ["property_added"]
