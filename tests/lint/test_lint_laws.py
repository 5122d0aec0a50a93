"""General laws of the engine, checked on generated schemas.

The soundness law runs under the ``strict`` policy: ``lenient`` deliberately accepts an
optional property added to an open object, which old data carrying that property with
another value would break. It is an oracle for draft 2020-12: ``hypothesis-jsonschema``
knows drafts 4 to 7 only, so its draws for ``prefixItems`` and ``$defs`` may not be valid
under the old schema; every draw is filtered by the old schema's 2020-12 validator
(``assume``) before it counts as evidence. Schema pairs cover objects, arrays, tuples,
compositions and ``$ref``.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from registry.lint import Mode, Policy, check, diff
from registry.lint.witness import search

NAMES = ("a", "b", "c", "d")
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


@st.composite
def ordered_pair(draw: st.DrawFn, low: int, high: int) -> tuple[int | None, int | None]:
    first = draw(st.none() | st.integers(low, high))
    second = draw(st.none() | st.integers(first if first is not None else low, high))
    return first, second


@st.composite
def leaf(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["integer", "number", "string", "boolean", "null", "string?", "integer?"]))
    base = kind.rstrip("?")
    schema: dict[str, Any] = {"type": [base, "null"] if kind.endswith("?") else base}
    if base in ("integer", "number"):
        low, high = draw(ordered_pair(-3, 3))
        schema.update({k: v for k, v in (("minimum", low), ("maximum", high)) if v is not None})
    if base == "string":
        if draw(st.booleans()):
            schema["enum"] = draw(
                st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=3, unique=True)
            )
        else:
            low, high = draw(ordered_pair(0, 4))
            schema.update({k: v for k, v in (("minLength", low), ("maxLength", high)) if v is not None})
    return schema


@st.composite
def object_schema(draw: st.DrawFn, depth: int = 1) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3))
    inner = leaf() | object_schema(depth - 1) if depth > 0 else leaf()
    schema: dict[str, Any] = {"type": "object", "properties": {n: draw(inner) for n in names}}
    required = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    if required:
        schema["required"] = required
    extra = draw(st.sampled_from([None, True, False, {"type": "string"}]))
    if extra is not None:
        schema["additionalProperties"] = extra
    return schema


@st.composite
def mutated(draw: st.DrawFn, schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` with one to three small edits, so compatible pairs are common."""
    new = copy.deepcopy(schema)
    for _ in range(draw(st.integers(1, 3))):
        props = new["properties"]
        edit = draw(st.sampled_from(["add", "drop", "require", "unrequire", "retype", "bound", "extra"]))
        if edit == "add":
            props[draw(st.sampled_from(NAMES))] = draw(leaf())
        elif edit == "drop" and props:
            name = draw(st.sampled_from(sorted(props)))
            del props[name]
            new["required"] = [r for r in new.get("required", []) if r != name]
        elif edit == "require" and props:
            new["required"] = sorted({*new.get("required", []), draw(st.sampled_from(sorted(props)))})
        elif edit == "unrequire" and new.get("required"):
            new["required"] = new["required"][1:]
        elif edit == "retype" and props:
            props[draw(st.sampled_from(sorted(props)))] = draw(leaf())
        elif edit == "bound" and props:
            name = draw(st.sampled_from(sorted(props)))
            key = draw(st.sampled_from(["minimum", "maximum", "minLength", "maxLength"]))
            props[name] = {**props[name], key: draw(st.integers(0, 4))}
        elif edit == "extra":
            new["additionalProperties"] = draw(st.sampled_from([True, False, {"type": "string"}]))
        if not new.get("required"):
            new.pop("required", None)
    return new


@st.composite
def schema_pair(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    old = draw(object_schema())
    return old, draw(mutated(old))


@SETTINGS
@given(object_schema(depth=2), st.sampled_from(list(Policy)))
def test_every_schema_is_compatible_with_itself_in_every_mode(schema: dict[str, Any], policy: Policy) -> None:
    assert diff(schema, copy.deepcopy(schema), policy=policy) == []
    for mode in Mode:
        assert check([("1.0.0", schema)], copy.deepcopy(schema), mode=mode, policy=policy).compatible


@SETTINGS
@given(schema_pair() | st.tuples(object_schema(), object_schema()), st.sampled_from(list(Policy)))
def test_backward_one_way_is_forward_the_other_way(pair: tuple[Any, Any], policy: Policy) -> None:
    old, new = pair
    there = check([("1", old)], new, mode=Mode.BACKWARD, policy=policy).compatible
    back = check([("1", new)], old, mode=Mode.FORWARD, policy=policy).compatible
    assert there == back
    full = check([("1", old)], new, mode=Mode.FULL, policy=policy).compatible
    assert full == (there and check([("1", old)], new, mode=Mode.FORWARD, policy=policy).compatible)


@st.composite
def array_schema(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array"}
    if draw(st.booleans()):
        schema["prefixItems"] = draw(st.lists(leaf(), min_size=1, max_size=2))
        rest = draw(st.sampled_from(["leaf", "false", "none"]))
        if rest != "none":
            schema["items"] = draw(leaf()) if rest == "leaf" else False
    else:
        schema["items"] = draw(leaf())
    low, high = draw(ordered_pair(0, 3))
    schema.update({k: v for k, v in (("minItems", low), ("maxItems", high)) if v})
    return schema


@st.composite
def composed(draw: st.DrawFn) -> dict[str, Any]:
    keyword = draw(st.sampled_from(["anyOf", "oneOf", "allOf"]))
    return {keyword: draw(st.lists(leaf() | array_schema(), min_size=1, max_size=3))}


@st.composite
def with_refs(draw: st.DrawFn) -> dict[str, Any]:
    """An object whose properties refer to shared definitions."""
    defs = {"x": draw(leaf() | composed()), "y": draw(leaf())}
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, min_size=1, max_size=3))
    props = {n: {"$ref": f"#/$defs/{draw(st.sampled_from(sorted(defs)))}"} for n in names}
    return {"$defs": defs, "type": "object", "properties": props}


@st.composite
def recomposed(draw: st.DrawFn, new: dict[str, Any], keyword: str) -> dict[str, Any]:
    """``new`` with its composition switched, grown, shrunk, edited or unwrapped."""
    branches = new.pop(keyword)
    edit = draw(st.sampled_from(["switch", "add", "drop", "edit", "unwrap", "same"]))
    if edit == "add":
        branches.append(draw(leaf()))
    elif edit == "drop" and len(branches) > 1:
        branches.pop(draw(st.integers(0, len(branches) - 1)))
    elif edit == "edit":
        branches[draw(st.integers(0, len(branches) - 1))] = draw(leaf())
    elif edit == "unwrap":
        return copy.deepcopy(branches[0])
    if edit == "switch":
        keyword = draw(st.sampled_from(["anyOf", "oneOf", "allOf"]))
    new[keyword] = branches
    return new


@st.composite
def retupled(draw: st.DrawFn, new: dict[str, Any]) -> dict[str, Any]:
    """``new`` with its tuple grown, shrunk, closed or opened, or one position edited."""
    edit = draw(st.sampled_from(["add", "drop", "rest", "edit"]))
    if edit == "add":
        new["prefixItems"].append(draw(leaf()))
    elif edit == "drop":
        new["prefixItems"].pop()
        if not new["prefixItems"]:
            del new["prefixItems"]
    elif edit == "rest":
        new["items"] = draw(st.sampled_from([False, {"type": "string"}, {}]))
    else:
        new["prefixItems"][0] = draw(leaf())
    return new


@st.composite
def reshaped(draw: st.DrawFn, schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` with an edit to its compositions, tuples or definitions."""
    new = copy.deepcopy(schema)
    for keyword in ("anyOf", "oneOf", "allOf"):
        if keyword in new:
            return draw(recomposed(new, keyword))
    if "prefixItems" in new:
        return draw(retupled(new))
    if "items" in new:
        new["items"] = draw(leaf())
        return new
    if "$defs" in new:
        name = draw(st.sampled_from(sorted(new["$defs"])))
        new["$defs"][name] = draw(leaf() | composed())
        return new
    if "properties" in new:
        return draw(mutated(new))
    return draw(leaf())


@st.composite
def wide_pair(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pairs of any shape: objects, arrays and tuples, compositions, references."""
    old = draw(object_schema() | array_schema() | composed() | with_refs() | leaf())
    new = draw(reshaped(old)) if draw(st.integers(0, 4)) else draw(leaf() | composed() | array_schema())
    return old, new


def _valid(schema: Any, instance: Any) -> bool:
    return Draft202012Validator(schema).is_valid(instance)


@settings(SETTINGS, max_examples=300)
@given(schema_pair() | wide_pair(), st.data())
def test_backward_compatible_means_old_data_validates_under_new(
    pair: tuple[Any, Any], data: st.DataObject
) -> None:
    old, new = pair
    report = check([("1", old)], new, mode=Mode.BACKWARD, policy=Policy.STRICT, witness_budget=0)
    assume(report.compatible)
    instance = data.draw(from_schema(old), label="instance drawn for the old schema")
    assume(_valid(old, instance))
    errors = [e.message for e in Draft202012Validator(new).iter_errors(instance)]
    assert not errors, (report.changes, errors)


@settings(SETTINGS, max_examples=60)
@given(schema_pair() | wide_pair())
def test_a_witness_of_a_break_is_real(pair: tuple[Any, Any]) -> None:
    old, new = pair
    report = check([("1", old)], new, mode=Mode.FULL, policy=Policy.STRICT, witness_budget=0.5)
    for change in report.breaking:
        witness = change.witness
        assert witness is not None
        if witness.found:
            accepting, rejecting = (old, new) if witness.direction == "backward" else (new, old)
            assert _valid(accepting, witness.instance) and not _valid(rejecting, witness.instance)


def test_witness_search_finds_a_lost_null() -> None:
    old = {"type": "object", "properties": {"runId": {"type": ["string", "null"]}}}
    new = {"type": "object", "properties": {"runId": {"type": "string"}}}
    found = search(old, new, "/properties/runId/type", direction="backward")
    assert found.found and found.instance == {"runId": None}
    assert found.text == 'for example {"runId": null} was valid and is now rejected'
