"""The README stays true: its layout section lists every module of the package, each once."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules_on_disk() -> set[str]:
    found = set()
    for path in (ROOT / "registry").rglob("*.py"):
        if path.name == "__main__.py":
            continue
        if path.name == "__init__.py" and not ast.get_docstring(ast.parse(path.read_text())):
            continue
        found.add(path.relative_to(ROOT).as_posix())
    return found


def modules_in_readme() -> set[str]:
    text = (ROOT / "README.md").read_text()
    layout = text[text.index("## Layout of the project") :]
    listed, package = set(), None
    for line in layout.splitlines():
        if m := re.match(r"^- `(registry/(?:[\w/]+/)?)`$", line):
            package = m.group(1)
        elif (m := re.match(r"^  - `([\w.]+\.py)`: \S", line)) and package:
            listed.add(package + m.group(1))
    return listed


def test_the_layout_section_lists_every_module_and_no_other() -> None:
    on_disk, listed = modules_on_disk(), modules_in_readme()
    assert sorted(on_disk - listed) == [], "modules missing from the README's layout"
    assert sorted(listed - on_disk) == [], "the README lists modules that do not exist"


def test_every_command_is_in_the_commands_table() -> None:
    from registry.cli import build_parser

    text = (ROOT / "README.md").read_text()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert f"`registry {name}" in text, f"registry {name} is not in the README"
