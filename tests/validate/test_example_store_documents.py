"""Every contract and capsule of example-store reads without an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.model import Limits
from registry.validate import load_yaml, read_capsule, read_contract
from registry.validate.dialects import DEFAULT_DIALECT

STORE = Path(__file__).resolve().parents[2] / "example-store"
CONTRACTS = sorted(p for p in (STORE / "contracts").iterdir() if p.is_dir())
CAPSULES = sorted(p for p in (STORE / "capsules").glob("*/*") if p.is_dir())


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()}


def test_store_has_the_examples() -> None:
    assert {p.name for p in CONTRACTS} >= {"ritual.started", "approval.granted", "graph.commit.created"}
    assert {p.parent.name for p in CAPSULES} == {"acme", "globex"}
    assert isinstance(load_yaml((STORE / "registry.yaml").read_bytes(), limits=Limits()), dict)


@pytest.mark.parametrize("directory", CONTRACTS, ids=lambda p: p.name)
def test_example_contract_is_valid(directory: Path) -> None:
    doc, problems = read_contract(
        directory.name, _files(directory), limits=Limits(), default_dialect=DEFAULT_DIALECT
    )
    assert [p.render() for p in problems] == []
    assert doc is not None


@pytest.mark.parametrize("directory", CAPSULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_capsule_is_valid(directory: Path) -> None:
    doc, problems = read_capsule(directory.parent.name, directory.name, _files(directory), limits=Limits())
    assert [p.render() for p in problems] == []
    assert doc is not None
