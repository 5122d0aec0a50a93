"""One way to build a JSON Schema validator, and it never retrieves a reference.

The scan below reads every module of the package: outside ``registry/schema_validator.py``
none may import jsonschema's validator classes, its ``validators`` module or ``validate``,
nor ``referencing``, nor call ``validator_for``, ``check_schema`` or a ``…Validator`` class.
The doors' own test (tests/api/test_no_fetch.py) runs the attack through HTTP.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from jsonschema import exceptions

from registry.schema_validator import Dialect, build, dialect, metaschema

PACKAGE = Path(__file__).resolve().parents[1] / "registry"
CONSTRUCTOR = PACKAGE / "schema_validator.py"
#: What other modules may take from jsonschema: errors, the format checker and the protocol (a type).
ALLOWED = {
    "jsonschema": {"exceptions", "FormatChecker", "ValidationError", "SchemaError"},
    "jsonschema.exceptions": None,  # any name: errors only
    "jsonschema.protocols": {"Validator"},
}
#: Calls that build one whatever their receiver (``extend``/``create`` need ``validators``, refused above).
BUILDING_CALLS = {"validator_for", "check_schema"}


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("jsonschema", "referencing"):
                    found.append(f"{where}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            if root == "referencing":
                found.append(f"{where}: from {node.module} import …")
            elif root == "jsonschema":
                allowed = ALLOWED.get(node.module, set())
                for alias in node.names:
                    if allowed is not None and alias.name not in allowed:
                        found.append(f"{where}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in BUILDING_CALLS or name.endswith("Validator"):
                found.append(f"{where}: call to {name}")
    return found


def test_no_module_but_the_constructor_builds_a_validator() -> None:
    modules = [p for p in PACKAGE.rglob("*.py") if p != CONSTRUCTOR]
    assert len(modules) > 100  # the scan really reads the package
    assert [o for p in modules for o in offences(p)] == []


def test_the_scan_catches_each_way_round_it(tmp_path: Path) -> None:
    sneaky = tmp_path / "registry" / "sneaky.py"
    sneaky.parent.mkdir()
    sneaky.write_text(
        "import jsonschema\n"
        "from jsonschema import Draft7Validator, validators\n"
        "from referencing import Registry\n"
        "v = validators.validator_for({})({})\n"
        "Draft7Validator.check_schema({})\n"
        "Draft7Validator({})\n"
    )
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "registry"
    try:
        assert len(offences(sneaky)) == 7, offences(sneaky)
    finally:
        PACKAGE = saved


def test_the_constructor_passes_its_registry_to_every_validator_it_makes() -> None:
    tree = ast.parse(CONSTRUCTOR.read_text("utf-8"))
    made = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "cls"
    ]
    assert made and all(any(k.arg == "registry" for k in n.keywords) for n in made)


@pytest.mark.parametrize(
    "ref", ["file:///etc/passwd", "file:///dev/zero", "http://127.0.0.1:9/x.json", "urn:x", "other.json"]
)
def test_a_reference_outside_the_schema_is_unresolvable_not_retrieved(ref: str) -> None:
    validator = build({"$ref": ref})
    with pytest.raises(exceptions._RefResolutionError):
        validator.is_valid({})


def test_the_drafts_metaschemas_resolve_without_retrieval() -> None:
    assert build({"$ref": "http://json-schema.org/draft-07/schema#"}).is_valid({"type": "object"})
    assert not build({"$ref": "https://json-schema.org/draft/2020-12/schema"}).is_valid({"type": 5})
    assert not metaschema(Dialect("http://json-schema.org/draft-04/schema")).is_valid({"minimum": "x"})


def test_dialects() -> None:
    assert dialect({}) == Dialect("https://json-schema.org/draft/2020-12/schema")
    assert dialect({"$schema": "http://json-schema.org/draft-04/schema#"}).id_keyword == "id"  # type: ignore[union-attr]
    assert dialect({"$schema": "https://example.org/mine"}) is None
