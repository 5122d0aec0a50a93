"""WIT is parsed and resolved by the reference parser; its messages say file, line and column."""

from __future__ import annotations

import subprocess
import sys

from registry.validate import validate_wit


def test_interface_without_world_is_valid(ritual_wit: str) -> None:
    assert validate_wit({"ritual.wit": ritual_wit}) == []


def test_package_with_its_own_world_is_valid(ritual_wit: str) -> None:
    assert validate_wit({"ritual.wit": ritual_wit + "\nworld emitter { import events; }\n"}) == []


def test_several_files_form_one_package(ritual_wit: str) -> None:
    other = "interface audit {\n  use events.{ritual-started};\n  log: func(e: ritual-started);\n}\n"
    assert validate_wit({"ritual.wit": ritual_wit, "audit.wit": other}) == []


def test_unknown_type_names_file_line_and_column(ritual_wit: str) -> None:
    (problem,) = validate_wit({"ritual.wit": ritual_wit.replace("at: u64", "at: u64z")})
    assert problem.code == "wit.syntax"
    assert problem.message == "type `u64z` does not exist --> ritual.wit:6:9"


def test_syntax_error_names_file_line_and_column(ritual_wit: str) -> None:
    (problem,) = validate_wit({"ritual.wit": ritual_wit.replace("record ritual", "recrd ritual")})
    assert problem.message.endswith("--> ritual.wit:4:9")
    assert "registry-wit" not in problem.message and "/tmp" not in problem.message


def test_missing_package_header(ritual_wit: str) -> None:
    (problem,) = validate_wit({"ritual.wit": ritual_wit.replace("package demon:ritual@1.0.0;", "")})
    assert "no `package` header" in problem.message


def test_unknown_dependency_package(ritual_wit: str) -> None:
    text = ritual_wit.replace(
        "interface events {", "interface events {\n  use wasi:io/streams.{input-stream};"
    )
    (problem,) = validate_wit({"ritual.wit": text})
    assert "wasi:io" in problem.message and problem.message.endswith("ritual.wit:4:7")


def test_file_names_cannot_climb(ritual_wit: str) -> None:
    assert [p.code for p in validate_wit({"../ritual.wit": ritual_wit})] == ["wit.file"]


def test_importing_the_package_does_not_load_the_parser() -> None:
    code = "import sys, registry.validate; print('componentize_py' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
