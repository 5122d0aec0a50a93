"""docs/compatibility.md documents every change kind, as the code decides it."""

from __future__ import annotations

from pathlib import Path

from registry.lint import ChangeKind
from registry.lint.reference import kinds_table, proven_table

PAGE = Path(__file__).resolve().parents[2] / "docs" / "compatibility.md"


def test_the_page_holds_the_generated_table() -> None:
    text = PAGE.read_text()
    between = text.split("<!-- kinds:begin -->\n", 1)[1].split("<!-- kinds:end -->", 1)[0]
    assert between == kinds_table(), "run: python -m registry.lint.reference, and paste the table"


def test_the_page_lists_every_kind() -> None:
    text = PAGE.read_text()
    missing = [kind.value for kind in ChangeKind if f"`{kind.value}`" not in text]
    assert missing == []


def test_the_page_holds_the_proven_shapes() -> None:
    text = PAGE.read_text()
    between = text.split("<!-- proven:begin -->\n", 1)[1].split("<!-- proven:end -->", 1)[0]
    assert between == proven_table(), "run: python -m registry.lint.reference, and paste the tables"
