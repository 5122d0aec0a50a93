"""Untrusted YAML and JSON are read within limits, and their errors say where."""

from __future__ import annotations

import time

import pytest

from registry.errors import ValidationFailed
from registry.model import Limits
from registry.validate import load_json, load_yaml


def _codes(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [p.code for p in exc.value.problems]


def billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*l{i - 1}"] * 9)
        lines.append(f"l{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_plain_yaml_loads(limits: Limits) -> None:
    assert load_yaml(b"a: 1\nb: [x, {c: true}]\n", limits=limits) == {"a": 1, "b": ["x", {"c": True}]}


def test_dates_stay_strings(limits: Limits) -> None:
    assert load_yaml("sunset: 2026-01-31\n", limits=limits) == {"sunset": "2026-01-31"}


def test_empty_yaml_is_none(limits: Limits) -> None:
    assert load_yaml(b"", limits=limits) is None


def test_billion_laughs_is_refused_fast(limits: Limits) -> None:
    started = time.perf_counter()
    with pytest.raises(ValidationFailed) as exc:
        load_yaml(billion_laughs(), limits=limits, path_hint="capsules/acme/bomb/capsule.yaml")
    assert time.perf_counter() - started < 0.5
    (problem,) = exc.value.problems
    assert problem.code == "yaml.expansion"
    assert "more than 100000 nodes" in problem.message and "max_yaml_nodes" in problem.message
    assert problem.file == "capsules/acme/bomb/capsule.yaml"


def test_more_aliases_than_the_limit_are_refused_even_when_they_do_not_multiply(limits: Limits) -> None:
    text = "a: &a x\nb: [" + ", ".join(["*a"] * 51) + "]\n"
    with pytest.raises(ValidationFailed) as exc:
        load_yaml(text, limits=limits)
    assert _codes(exc) == ["yaml.aliases"]
    assert "more than 50 YAML aliases" in exc.value.problems[0].message


def test_a_few_aliases_are_fine(limits: Limits) -> None:
    doc = load_yaml("base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n", limits=limits)
    assert doc["d"] == {"x": 1, "y": 2}


def test_deep_nesting_is_refused(limits: Limits) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_yaml("a: " + "[" * 100 + "]" * 100, limits=limits)
    assert _codes(exc) == ["yaml.depth"]
    load_yaml("a: " + "[" * 60 + "]" * 60, limits=limits)


def test_duplicate_keys_are_refused(limits: Limits) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_yaml("a: 1\nb: 2\na: 3\n", limits=limits)
    assert _codes(exc) == ["yaml.duplicate_key"]
    assert "line 3, column 1" in exc.value.problems[0].message


def test_syntax_error_names_line_and_column(limits: Limits) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_yaml("a: 1\nb: [1, 2\nc: 3\n", limits=limits)
    assert _codes(exc) == ["yaml.syntax"]
    assert "line 3, column" in exc.value.problems[0].message


def test_python_tags_are_refused(limits: Limits) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_yaml("!!python/object/apply:os.system [echo hi]\n", limits=limits)
    assert _codes(exc) == ["yaml.syntax"]


def test_several_documents_are_refused(limits: Limits) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_yaml("--- 1\n--- 2\n", limits=limits)
    assert _codes(exc) == ["yaml.syntax"]


def test_too_large_is_refused_before_parsing() -> None:
    small = Limits(max_file_bytes=10)
    with pytest.raises(ValidationFailed) as exc:
        load_yaml(b"a: [" + b"1, " * 100 + b"]", limits=small)
    assert _codes(exc) == ["file.too_large"]
    with pytest.raises(ValidationFailed) as exc:
        load_json(b"[" + b"1, " * 100 + b"1]", limits=small)
    assert _codes(exc) == ["file.too_large"]


def test_json_syntax_error_names_line_and_column(limits: Limits) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_json(b'{"a": 1,\n "b": }', limits=limits)
    assert _codes(exc) == ["json.syntax"]
    assert "line 2, column 7" in exc.value.problems[0].message


def test_json_refuses_duplicates_and_nan(limits: Limits) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_json('{"a": 1, "a": 2}', limits=limits)
    assert _codes(exc) == ["json.duplicate_key"]
    with pytest.raises(ValidationFailed) as exc:
        load_json('{"a": NaN}', limits=limits)
    assert _codes(exc) == ["json.number"]


def test_json_not_utf8(limits: Limits) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_json(b'{"a": "\xff"}', limits=limits)
    assert _codes(exc) == ["file.encoding"]


@pytest.mark.parametrize("text", ["a: \x00", "\x07", "a: b\x1b[2J"])
def test_unprintable_characters_are_a_syntax_problem_not_a_crash(limits: Limits, text: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_yaml(text.encode(), limits=limits, path_hint="capsules/a/b/capsule.yaml")
    assert _codes(exc) == ["yaml.syntax"]
    assert exc.value.problems[0].file == "capsules/a/b/capsule.yaml"
