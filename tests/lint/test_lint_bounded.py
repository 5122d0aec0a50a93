"""Bounded work: numbers written in a schema, long lists and shared references cost little.

Each hostile pair goes through ``registry lint compare`` in a real process whose address
space is capped at :data:`MEMORY` and which must answer within :data:`SECONDS` (the bound
documented in docs/compatibility.md), with the change found and no internal error.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lint.hostile import KINDS, PAIRS

from registry.errors import LimitExceeded
from registry.lint import diff

MEMORY = 1 << 30  # bytes of address space for the whole process, interpreter included
SECONDS = 15  # interpreter start-up and schema validation included; the engine's own bound is 5 s


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_lint_compare_answers_hostile_pairs_within_the_bound(name: str, tmp_path: Path) -> None:
    old, new = PAIRS[name]
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    started = time.monotonic()
    files = ["--current", str(tmp_path / "old.json"), "--proposed", str(tmp_path / "new.json")]
    out = subprocess.run(
        [sys.executable, "-m", "registry.cli", "lint", "compare", "--format", "json", *files],
        capture_output=True,
        text=True,
        preexec_fn=_capped,
        timeout=60,
    )
    took = time.monotonic() - started
    assert took < SECONDS, f"{name} took {took:.1f}s"
    assert "internal error" not in out.stderr and "MemoryError" not in out.stderr
    assert out.returncode == 1, out.stderr
    kinds = [c["kind"] for c in json.loads(out.stdout)["breaking"]]
    assert kinds == [KINDS[name]]


def test_a_shared_definition_reports_its_change_once() -> None:
    old, new = PAIRS["ref-laughs"]
    (change,) = diff(old, new)
    assert change.path == "/$defs/d40/type"


def test_branch_products_past_the_budget_are_refused_by_rule() -> None:
    branches = [{"properties": {"k": {"const": i}}, "required": ["k"]} for i in range(2_000)]
    old = {"anyOf": branches}
    new = {"anyOf": [*branches[:-1], {"type": "string"}]}
    with pytest.raises(LimitExceeded) as err:
        diff(old, new)
    assert err.value.rule in ("schema.comparisons", "schema.time")
    assert "$defs" in (err.value.hint or "")
