"""Every document is what JSON can say, within limits: no expansion bombs, no types JSON lacks,
no numbers or nesting that would crash whatever reads the document next."""

from __future__ import annotations

import time

import pytest

from registry.errors import ValidationFailed
from registry.model import Limits
from registry.validate import load_json, load_yaml


def _problem(exc: pytest.ExceptionInfo[ValidationFailed]):
    (problem,) = exc.value.problems
    return problem


def aliases_that_multiply(levels: int = 10, fan: int = 5) -> str:
    """A few hundred bytes, ``levels * fan`` aliases, and ``fan ** levels`` nodes once expanded."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * fan)}]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * fan)}]")
    return "\n".join(lines) + "\n"


def test_fifty_aliases_that_expand_past_the_node_limit_are_refused_fast(limits: Limits) -> None:
    text = aliases_that_multiply()
    assert text.count("*") == 50 and len(text) < 600
    started = time.perf_counter()
    with pytest.raises(ValidationFailed) as exc:
        load_yaml(text, limits=limits, path_hint="capsules/acme/bomb/capsule.yaml")
    assert time.perf_counter() - started < 0.2
    problem = _problem(exc)
    assert (problem.code, problem.file) == ("yaml.expansion", "capsules/acme/bomb/capsule.yaml")
    assert "more than 100000 nodes" in problem.message and "max_yaml_nodes" in problem.message


def test_the_node_limit_counts_expanded_aliases_and_is_configurable() -> None:
    text = aliases_that_multiply(levels=3, fan=5)  # a3 alone is 781 nodes once written out
    assert load_yaml(text, limits=Limits())["a3"][0][0][0] == ["lol"] * 5
    with pytest.raises(ValidationFailed) as exc:
        load_yaml(text, limits=Limits(max_yaml_nodes=500))
    assert _problem(exc).code == "yaml.expansion"


def test_a_recursive_alias_is_refused(limits: Limits) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_yaml("a: &a [x, *a]\n", limits=limits)
    assert _problem(exc).code == "yaml.expansion"
    assert "contains it" in _problem(exc).message


def test_aliases_cannot_nest_deeper_than_the_depth_limit(limits: Limits) -> None:
    # Each anchor is 40 levels deep and holds the one before: the text nests 41, the document 80+.
    lines = ["a0: &a0 " + "[" * 40 + "x" + "]" * 40]
    lines.append("a1: &a1 " + "[" * 39 + "*a0" + "]" * 39)
    with pytest.raises(ValidationFailed) as exc:
        load_yaml("\n".join(lines) + "\n", limits=limits)
    assert _problem(exc).code == "yaml.depth"
    assert "once its aliases are written out" in _problem(exc).message


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("{1: a, b: c}\n", "1"),
        ("on: x\n", "on"),
        ("~: x\n", "~"),
        ("1.5: x\n", "1.5"),
        ("? [a, b]\n: x\n", "…"),
    ],
    ids=["int", "yaml-1.1-bool", "null", "float", "list"],
)
def test_keys_must_be_strings(limits: Limits, text: str, written: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_yaml(text, limits=limits, path_hint="capsules/acme/x/capsule.yaml")
    problem = _problem(exc)
    assert problem.code == "yaml.key_type"
    assert f"key {written!r}" in problem.message and "quote it" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x, y}\n",
        "a: !!timestamp 2024-01-01\n",
        "a: !!omap [x: 1, y: 2]\n",
        "a: !!pairs [x: 1, x: 2]\n",
    ],
    ids=["binary", "set", "timestamp", "omap", "pairs"],
)
def test_yaml_types_json_lacks_are_refused(limits: Limits, text: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_yaml(text, limits=limits)
    problem = _problem(exc)
    assert problem.code == "yaml.value_type"
    assert "which JSON cannot hold" in problem.message and "line 1" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "9" * 4301 + "\n",
        "a: " + "9" * 1001 + "\n",
        "a: 0x" + "f" * 4000 + "\n",
        "a: .nan\n",
        "a: -.inf\n",
    ],
    ids=["past-python", "past-limit", "hex", "nan", "infinity"],
)
def test_yaml_numbers_are_finite_and_bounded(limits: Limits, text: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_yaml(text, limits=limits)
    assert _problem(exc).code == "json.number"
    assert "1000 digits" in _problem(exc).message


def test_numbers_up_to_the_limit_load(limits: Limits) -> None:
    assert load_yaml("a: " + "9" * 1000 + "\n", limits=limits)["a"] == 10**1000 - 1
    assert load_json('{"a": ' + "9" * 1000 + "}", limits=limits)["a"] == 10**1000 - 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"a": ' + "9" * 4301 + "}", "more than the limit of 1000"),
        ('{"a": -' + "9" * 1001 + "}", "more than the limit of 1000"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ('{"a": -Infinity}', "-Infinity is not a JSON number"),
        ('{"a": 1e400}', "reads as infinity"),
    ],
    ids=["past-python", "negative", "nan", "infinity", "overflow"],
)
def test_json_numbers_are_finite_and_bounded(limits: Limits, text: str, words: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_json(text, limits=limits, path_hint="contracts/x/schema.json")
    problem = _problem(exc)
    assert (problem.code, problem.file) == ("json.number", "contracts/x/schema.json")
    assert words in problem.message


@pytest.mark.parametrize("depth", [257, 1_000, 100_000])
def test_json_nested_past_the_limit_is_refused_before_decoding(limits: Limits, depth: int) -> None:
    started = time.perf_counter()
    with pytest.raises(ValidationFailed) as exc:
        load_json("[" * depth + "]" * depth, limits=limits)
    assert time.perf_counter() - started < 0.5
    assert _problem(exc).code == "json.depth"
    assert "deeper than 256 levels" in _problem(exc).message


def test_brackets_inside_strings_do_not_count_as_nesting(limits: Limits) -> None:
    text = '{"a": "' + "[" * 300 + '", "b": "\\"' + "{" * 300 + '", "c": ' + "[" * 200 + "]" * 200 + "}"
    assert load_json(text, limits=limits)["a"] == "[" * 300
    load_json("[" * 256 + "]" * 256, limits=limits)


def test_yaml_nested_a_thousand_levels_is_refused(limits: Limits) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_yaml("a: " + "[" * 1000 + "]" * 1000, limits=limits)
    assert _problem(exc).code == "yaml.depth"
