"""Every problem code is raised somewhere, documented in docs/problems.md, and mapped by its
outcome at each door."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from registry.cli import EXIT_BAD_INPUT, EXIT_REFUSED, exit_status
from registry.errors import RegistryError
from registry.problems import Code, Outcome, Problem

ROOT = Path(__file__).resolve().parents[1]
DOCS = (ROOT / "docs" / "problems.md").read_text()
SOURCE = "\n".join(p.read_text() for p in (ROOT / "registry").rglob("*.py") if p.name != "problems.py")


@pytest.mark.parametrize("code", list(Code), ids=lambda c: c.value)
def test_every_code_is_raised_somewhere(code: Code) -> None:
    assert re.search(rf"\bCode\.{code.name}\b", SOURCE), f"{code} is never raised"


@pytest.mark.parametrize("code", list(Code), ids=lambda c: c.value)
def test_every_code_is_documented_with_its_outcome(code: Code) -> None:
    row = re.search(rf"^\| `{re.escape(code.value)}` \| ([a-z_]+)", DOCS, re.M)
    assert row, f"{code} is not in docs/problems.md"
    assert row.group(1) == code.outcome.value


@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.value)
def test_every_outcome_has_a_row_in_the_door_table(outcome: Outcome) -> None:
    assert re.search(rf"^\| `{outcome.value}` \|", DOCS, re.M)


def test_codes_share_one_naming_style() -> None:
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+", c.value) for c in Code)
    assert len({c.value for c in Code}) == len(Code)


@pytest.mark.parametrize("code", list(Code), ids=lambda c: c.value)
def test_the_cli_exit_status_follows_the_outcome(code: Code) -> None:
    error = RegistryError("x")
    error.code = code
    expected = EXIT_BAD_INPUT if code.outcome is Outcome.BAD_INPUT else EXIT_REFUSED
    assert exit_status(error) == expected


def test_a_problem_as_a_dict_carries_file_and_severity() -> None:
    problem = Problem(Code.SCHEMA_METASCHEMA, "bad", "$.x", "warning", "contracts/a/schema.json", "type")
    assert problem.as_dict() == {
        "code": "schema.metaschema",
        "message": "bad",
        "path": "$.x",
        "file": "contracts/a/schema.json",
        "severity": "warning",
        "keyword": "type",
    }
