"""Hostile WIT gets a bounded answer: what cannot be judged is ``wit_unproven``, never compatible."""

from __future__ import annotations

from registry.lint import Mode
from registry.lint.wit import WitKind, compare_wit


def package(body: str) -> dict[str, str]:
    return {"api.wit": f"package t:x@1.0.0;\ninterface api {{\n{body}\n}}\n"}


def test_nesting_the_parser_refuses_is_unproven() -> None:
    deep = "list<" * 300 + "u8" + ">" * 300
    (change,) = compare_wit(package(f"  f: func(a: {deep});"), package("  f: func();"))
    assert change.kind is WitKind.UNPROVEN and "does not resolve" in change.message
    assert change.breaking(Mode.BACKWARD) and change.breaking(Mode.FORWARD)


def test_an_alias_chain_too_long_to_follow_is_unproven_once() -> None:
    chain = "\n".join(f"  type a{i} = a{i - 1};" for i in range(1, 150))
    old = package(f"  type a0 = u8;\n{chain}\n  f: func(a: a149);")
    changes = compare_wit(old, old)
    assert [c.kind for c in changes] == [WitKind.UNPROVEN]
    assert "deeper than 100" in changes[0].message


def test_a_file_name_outside_the_directory_is_refused() -> None:
    (change,) = compare_wit({"../x.wit": "package t:x;"}, package("  f: func();"))
    assert change.kind is WitKind.UNPROVEN and "not a plain .wit file name" in change.message
