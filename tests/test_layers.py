"""The domain knows nothing of its doors: no domain module imports the hooks, the CLI, the HTTP
API, authentication, operations or events."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "registry"
DOMAIN = ("git", "trust", "validate", "lint", "gate", "write", "review", "audit", "index", "replica")
DOORS = ("registry.hooks", "registry.cli", "registry.api", "registry.auth", "registry.ops", "registry.events")
DOORS = (*DOORS, "registry.ui")


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("package", DOMAIN)
def test_a_domain_package_imports_no_door(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        doors = sorted(n for n in imported(path) if n.startswith(DOORS))
        assert doors == [], f"{path.relative_to(ROOT.parent)} imports {doors}"
