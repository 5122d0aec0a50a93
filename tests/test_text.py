"""What the doors print is one visible line per item, whatever a pusher put in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import registry_cli

from registry.errors import InvalidInput, ValidationFailed
from registry.git.store import Store
from registry.problems import Code, Problem
from registry.text import diagnostic_lines, printable, printable_lines


@pytest.mark.parametrize(
    "text", ["ritual.started", "capsules/acme/x/capsule.yaml", "café ✓ 日本 → 😀", "a\\nb"]
)
def test_printable_text_is_left_as_it_is(text: str) -> None:
    assert printable(text) == text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\r\\nb"),
        ("\t", "\\t"),
        ("\x1b[32mok\x1b[0m", "\\x1b[32mok\\x1b[0m"),
        ("\x00\x07\x7f", "\\x00\\x07\\x7f"),
        ("\x9b31m", "\\x9b31m"),  # the C1 control sequence introducer
        ("evil\u202etxt", "evil\\u202etxt"),  # right-to-left override
        ("\u2066x\u2069", "\\u2066x\\u2069"),  # bidi isolates
        ("a\u200bb", "a\\u200bb"),  # zero-width space
        ("a\u2028b\u2029c\x85d", "a\\u2028b\\u2029c\\x85d"),  # line and paragraph separators, NEL
        ("a\xa0b", "a\\xa0b"),  # no-break space
        ("\udcff", "\\udcff"),  # a lone surrogate, as surrogateescape decodes a bad byte
        ("\U000e0001", "\\U000e0001"),  # a tag character
    ],
)
def test_unprintable_characters_are_shown_as_escapes(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@given(st.text())
def test_whatever_goes_in_comes_out_as_one_printable_line(text: str) -> None:
    out = printable(text)
    assert out.isprintable() and "\n" not in out
    out.encode("utf-8")


def test_printable_lines_keeps_the_layout_and_escapes_within_lines() -> None:
    assert printable_lines("# title\n\n| a\x1b | b |") == "# title\n\n| a\\x1b | b |"


def test_an_error_made_of_problems_is_one_line_per_problem() -> None:
    error = ValidationFailed(
        [
            Problem(Code.LAYOUT_PATH, "not here", file="x\nregistry: accepted"),
            Problem(Code.JSON_SYNTAX, "bad JSON", file="contracts/a/schema.json"),
        ]
    )
    assert diagnostic_lines(error) == [
        "x\\nregistry: accepted: not here [layout.path]",
        "contracts/a/schema.json: bad JSON [json.syntax]",
    ]


def test_an_error_message_with_a_newline_stays_one_line_and_its_hint_follows() -> None:
    error = InvalidInput("unknown contract 'a\nerror: none'", hint="list them with\x1b[8m ls")
    assert diagnostic_lines(error) == [
        "unknown contract 'a\\nerror: none'",
        "  hint: list them with\\x1b[8m ls",
    ]


def test_the_command_line_prints_errors_and_findings_escaped(example_store: Store, tmp_path: Path) -> None:
    missing = tmp_path / "no\nerror: none\x1b[2K"
    out = registry_cli("verify", str(missing))
    assert out.returncode == 1
    assert out.stderr.splitlines()[0] == f"error: {tmp_path}/no\\nerror: none\\x1b[2K is not a git repository"
    found = registry_cli(
        "verify", str(example_store.path), "--version", "contracts/x/1\nok   contracts/forged/1"
    )
    assert found.returncode == 1
    assert "FAIL contracts/x/1\\nok   contracts/forged/1: no such version tag" in found.stderr
    assert not any(line.startswith("ok   contracts/forged") for line in found.stdout.splitlines())
