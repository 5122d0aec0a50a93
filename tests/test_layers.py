"""Layers that hold from the bottom: every package has a rank, every runtime import goes down
or sideways within a rank, and no two packages import each other, directly or round about.

values (the top-level modules) < git < trust < validate, lint < gate < write
< review, audit, index < doors (hooks, cli, api, auth, ops, events)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "registry"
DOMAIN = ("git", "trust", "validate", "lint", "gate", "write", "review", "audit", "index", "replica")
DOORS = ("registry.hooks", "registry.cli", "registry.api", "registry.auth", "registry.ops", "registry.events")

#: The rank of each subpackage; the top-level modules (``registry/*.py``) are the values, rank 0.
VALUES = 0
RANKS = {
    "git": 1,
    "trust": 2,
    "validate": 3,
    "lint": 3,
    "gate": 4,
    "write": 5,
    "review": 6,
    "audit": 6,
    "index": 6,
    "replica": 6,
    "hooks": 7,
    "cli": 7,
    "api": 7,
    "auth": 7,
    "ops": 7,
    "events": 7,
}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def runtime_imports(path: Path) -> Iterator[str]:
    """The registry modules ``path`` imports when it runs: ``if TYPE_CHECKING:`` blocks left out."""
    tree = ast.parse(path.read_text())
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        yield from (n for n in names if n.startswith("registry.") or n == "registry")


def unit(module: str) -> str:
    """The layer unit a module belongs to: its subpackage, or itself when it is a top-level module."""
    parts = module.split(".")
    if len(parts) < 2:
        return "registry"
    return parts[1]


def rank(name: str) -> int:
    if name in RANKS:
        return RANKS[name]
    if (ROOT / name).is_dir():
        raise AssertionError(f"registry/{name}/ has no rank: add it to RANKS in tests/test_layers.py")
    return VALUES


def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def edges() -> dict[tuple[str, str], list[str]]:
    """Every import between two units, with the files that make it."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        source = unit(module_of(path))
        for target in map(unit, runtime_imports(path)):
            if target not in (source, "registry"):
                found.setdefault((source, target), []).append(str(path.relative_to(ROOT.parent)))
    return found


@pytest.mark.parametrize("package", DOMAIN)
def test_a_domain_package_imports_no_door(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        doors = sorted(n for n in imported(path) if n.startswith(DOORS))
        assert doors == [], f"{path.relative_to(ROOT.parent)} imports {doors}"


def test_every_package_has_a_rank() -> None:
    for path in ROOT.iterdir():
        if path.is_dir() and (path / "__init__.py").exists():
            rank(path.name)


def test_every_import_goes_down_or_sideways() -> None:
    upward = [
        f"{' '.join(files)}: {source} (rank {rank(source)}) imports {target} (rank {rank(target)})"
        for (source, target), files in edges().items()
        if rank(target) > rank(source)
    ]
    assert upward == [], "\n".join(upward)


def test_no_two_packages_import_each_other_even_round_about() -> None:
    graph: dict[str, set[str]] = {}
    for source, target in edges():
        graph.setdefault(source, set()).add(target)
    cycles = []
    for start in sorted(graph):
        # Every unit start reaches; a cycle is start reaching itself again.
        seen, stack, path_to = set(), [start], {start: [start]}
        while stack:
            here = stack.pop()
            for there in sorted(graph.get(here, ())):
                if there == start:
                    cycles.append(" -> ".join([*path_to[here], start]))
                elif there not in seen:
                    seen.add(there)
                    path_to[there] = [*path_to[here], there]
                    stack.append(there)
    found = edges()
    detail = [f"{c}\n  {found.get(tuple(c.split(' -> ')[:2]), [])}" for c in cycles]  # type: ignore[arg-type]
    assert cycles == [], "\n".join(detail)


def test_the_rule_sees_a_mended_edge_put_back(tmp_path: Path) -> None:
    """The checks above read real imports: an upward or circular one written in a file is seen."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from typing import TYPE_CHECKING\n"
        "from registry.trust.sshsig import SigningKey\n"
        "if TYPE_CHECKING:\n    from registry.api.config import ApiConfig\n"
        "def f():\n    import registry.ops.metrics\n"
    )
    assert sorted(runtime_imports(probe)) == ["registry.ops.metrics", "registry.trust.sshsig"]
    assert rank(unit("registry.trust.sshsig")) > rank(unit("registry.git.store"))
    assert rank(unit("registry.git.refs")) > rank(unit("registry.model"))


def test_the_git_layer_raises_its_own_errors() -> None:
    """git knows refs and objects, not versions: ``write/`` says what a taken tag or a busy store means."""
    allowed = {"StoreError"}  # the store cannot be read or written: that is git's own to say
    for path in (ROOT / "git").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "registry.errors":
                names = {alias.name for alias in node.names} - allowed
                assert names == set(), f"{path.relative_to(ROOT.parent)} raises the domain's {sorted(names)}"
