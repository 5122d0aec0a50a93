"""No push can make the gate slow or crash: hostile patterns and depths are refused by rule,
in bounded time, through the real push door and through `registry lint compare`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from support import git, refs, registry_cli

from registry.git.store import Store

pytestmark = pytest.mark.git
NAME = "hostile.event"


def put(work: Path, version: str, schema: dict) -> None:
    where = work / "contracts" / NAME
    where.mkdir(parents=True, exist_ok=True)
    (where / "schema.json").write_text(json.dumps(schema))
    (where / "contract.yaml").write_text(yaml.safe_dump({"name": NAME, "version": version}))


def push(work: Path):
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "change", cwd=work)
    started = time.monotonic()
    out = git("push", "origin", "HEAD:main", cwd=work, check=False)
    return out, time.monotonic() - started


def test_a_catastrophic_pattern_is_judged_in_bounded_time(example_store: Store, clone: Path) -> None:
    base = {"type": "object", "patternProperties": {"^(a|a)*$": {"type": "string"}}}
    put(clone, "1.0.0", base)
    first, _ = push(clone)
    assert first.returncode == 0, first.stderr
    before = refs(example_store)
    put(clone, "1.1.0", {**base, "properties": {"a" * 40 + "!": {"type": "integer"}}})
    out, took = push(clone)
    assert took < 20, f"the push took {took:.1f}s"
    assert out.returncode != 0
    assert "schema.limit" in out.stderr and "regex" in out.stderr
    assert refs(example_store) == before
    assert git(f"--git-dir={example_store.path}", "fsck", "--strict").returncode == 0


def test_a_pattern_with_an_impossible_repeat_is_refused_not_crashed(
    example_store: Store, clone: Path
) -> None:
    before = refs(example_store)
    put(clone, "1.0.0", {"type": "string", "pattern": "a{4294967296}"})
    out, _ = push(clone)
    assert out.returncode != 0
    assert "the gate failed" not in out.stderr and "OverflowError" not in out.stderr
    assert "pattern" in out.stderr
    assert refs(example_store) == before


def test_lint_compare_bounds_the_same_pattern(tmp_path: Path) -> None:
    base = {"type": "object", "patternProperties": {"^(a|a)*$": {"type": "string"}}}
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(base))
    new.write_text(json.dumps({**base, "properties": {"a" * 40 + "!": {"type": "integer"}}}))
    started = time.monotonic()
    out = registry_cli("lint", "compare", "--current", str(old), "--proposed", str(new))
    assert time.monotonic() - started < 20
    assert out.returncode == 1 and "internal error" not in out.stderr
    assert "took longer than 100 ms" in out.stderr and "hint: rewrite the pattern" in out.stderr


def test_a_breaking_push_shows_a_witness(example_store: Store, clone: Path) -> None:
    put(clone, "1.0.0", {"type": "object", "properties": {"id": {"type": "string"}}})
    assert push(clone)[0].returncode == 0
    put(clone, "1.1.0", {"type": "object", "properties": {"id": {"type": "integer"}}})
    out, _ = push(clone)
    assert out.returncode != 0
    assert "needs version 2.0.0" in out.stderr
    assert "for example" in out.stderr and "was valid and is now rejected" in out.stderr


@pytest.mark.parametrize("case", ["minLength", "minItems", "required", "ref-laughs"])
def test_hostile_numbers_lists_and_shared_refs_are_judged_in_bounded_time(
    example_store: Store, clone: Path, case: str
) -> None:
    from lint.hostile import PAIRS

    old, new = PAIRS[case]
    put(clone, "1.0.0", old)
    first, took = push(clone)
    assert first.returncode == 0, first.stderr
    assert took < 20, f"the first push took {took:.1f}s"
    put(clone, "1.1.0", new)
    out, took = push(clone)
    assert took < 20, f"the push took {took:.1f}s"
    assert out.returncode != 0
    assert "needs version 2.0.0" in out.stderr, out.stderr
    assert "the gate failed" not in out.stderr and "MemoryError" not in out.stderr
