"""docs/compatibility.md documents every WIT change kind, as the code decides it."""

from __future__ import annotations

from pathlib import Path

from registry.lint.wit import WitKind
from registry.lint.wit.reference import wit_kinds_table

PAGE = Path(__file__).resolve().parents[2] / "docs" / "compatibility.md"


def test_the_page_holds_the_generated_wit_table() -> None:
    text = PAGE.read_text()
    between = text.split("<!-- wit-kinds:begin -->\n", 1)[1].split("<!-- wit-kinds:end -->", 1)[0]
    assert between == wit_kinds_table(), "run: python -m registry.lint.wit.reference, and paste the table"


def test_the_page_lists_every_wit_kind() -> None:
    text = PAGE.read_text()
    assert [kind.value for kind in WitKind if f"`{kind.value}`" not in text] == []
