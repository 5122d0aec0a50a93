"""The store's layout, built and split in one place: every path it builds, it splits back."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from registry.paths import (
    ItemDir,
    area,
    capsule_dir,
    capsule_file,
    capsule_tenant,
    changed_dirs,
    contract_dir,
    contract_file,
    dir_of,
    example_file,
    example_of,
    parse_dir,
    parse_file,
    parse_tag,
    ref_contract,
    schema_ref,
    tag_name,
    tags_of,
)

PACKAGE = Path(__file__).resolve().parents[1] / "registry"
CONTRACT = ItemDir("contract", "ritual.started")
CAPSULE = ItemDir("capsule", "hello", "acme")


def test_a_contract_and_a_capsule_live_where_the_spec_says() -> None:
    assert contract_dir("ritual.started") == "contracts/ritual.started"
    assert contract_file("ritual.started", "schema.json") == "contracts/ritual.started/schema.json"
    assert capsule_dir("acme", "hello") == "capsules/acme/hello"
    assert capsule_file("acme", "hello", "meta.yaml") == "capsules/acme/hello/meta.yaml"


@pytest.mark.parametrize("item", [CONTRACT, CAPSULE])
def test_every_directory_built_splits_back(item: ItemDir) -> None:
    assert parse_dir(item.path) == item
    assert dir_of(f"{item.path}/any/file.yaml") == item.path


@pytest.mark.parametrize(
    "path", ["registry.yaml", "contracts", "contracts/a/b", "capsules/acme", "capsules/acme/x/y", "docs/a/b"]
)
def test_what_is_not_an_item_directory_is_none(path: str) -> None:
    assert parse_dir(path) is None


def test_changed_files_name_the_directories_they_touch() -> None:
    paths = [
        "registry.yaml",
        "contracts/a/schema.json",
        "contracts/a/contract.yaml",
        "contracts/stray.txt",
        "capsules/acme/hello/capsule.yaml",
        "capsules/acme/stray.yaml",
    ]
    assert changed_dirs(paths) == {"contracts/a", "capsules/acme/hello"}


@pytest.mark.parametrize("item", [CONTRACT, CAPSULE])
@pytest.mark.parametrize("inside", ["schema.json", "examples/one.json", "a/b/c"])
def test_a_file_splits_into_its_directory_and_its_path_inside(item: ItemDir, inside: str) -> None:
    assert parse_file(f"{item.path}/{inside}") == (item, inside)


@pytest.mark.parametrize(
    "path", ["registry.yaml", "contracts", "contracts/a", "capsules/acme/hello", "docs/contracts/a/b"]
)
def test_a_path_in_no_item_directory_splits_to_none(path: str) -> None:
    assert parse_file(path) is None


def test_an_example_lives_one_level_down_in_examples() -> None:
    assert example_file("one.json") == "examples/one.json"
    assert example_of(example_file("one.json")) == "one.json"


@pytest.mark.parametrize("file", ["one.json", "examples", "examples/", "examples/a/b.json", "docs/one.json"])
def test_what_is_not_an_example_is_none(file: str) -> None:
    assert example_of(file) is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("contracts/a/schema.json", "contract"),
        ("contracts/stray.txt", "contract"),
        ("capsules/acme/hello/meta.yaml", "capsule"),
        ("capsules/acme", "capsule"),
        ("contracts", None),
        ("registry.yaml", None),
        ("docs/contracts/a", None),
        ("contractsx/a", None),
    ],
)
def test_a_path_lies_below_one_tree_or_none(path: str, expected: str | None) -> None:
    assert area(path) == expected


def test_a_capsule_path_names_its_tenant() -> None:
    assert capsule_tenant(capsule_file("acme", "hello", "meta.yaml")) == "acme"
    assert capsule_tenant(capsule_dir("acme", "hello")) == "acme"
    assert capsule_tenant("capsules/acme") == "acme"


@pytest.mark.parametrize(
    "path", ["contracts/a/schema.json", "capsules", "registry.yaml", "docs/capsules/acme/x"]
)
def test_a_path_outside_capsules_has_no_tenant(path: str) -> None:
    assert capsule_tenant(path) is None


@pytest.mark.parametrize(("item", "version"), [(CONTRACT, "1.2.0"), (CAPSULE, "3")])
def test_every_tag_name_built_splits_back(item: ItemDir, version: str) -> None:
    name = tag_name(item.path, version)
    assert name.startswith(tags_of(item.path))
    assert parse_tag(name) == (item, version)


def test_tags_are_named_after_their_directories() -> None:
    assert tag_name(contract_dir("ritual.started"), "1.0.0") == "contracts/ritual.started/1.0.0"
    assert tag_name(capsule_dir("acme", "hello"), "2") == "capsules/acme/hello/2"
    assert tags_of(contract_dir("a")) == "contracts/a/"


@pytest.mark.parametrize(
    "name",
    ["contracts/a", "contracts/a/b/1.0.0", "capsules/acme/hello", "capsules/acme/hello/1/2", "docs/a/1"],
)
def test_what_is_not_a_tag_name_is_none(name: str) -> None:
    assert parse_tag(name) is None


def test_a_reference_to_another_contract_splits_back() -> None:
    assert schema_ref("address") == "../address/schema.json"
    assert ref_contract(schema_ref("address")) == "address"


@pytest.mark.parametrize(
    "uri",
    [
        "../address/schema.json#/$defs/street",  # the fragment is removed first
        "..//schema.json",
        "../a/../b/schema.json",
        "./address/schema.json",
        "../address/contract.yaml",
        "address/schema.json",
        "https://example.com/schema.json",
    ],
)
def test_what_is_not_a_reference_to_another_contract_is_none(uri: str) -> None:
    assert ref_contract(uri) is None


# --- no path of the layout is built or split by hand outside registry/paths.py ------------

_FILES = r"(?:schema\.json|contract\.yaml|capsule\.yaml|meta\.yaml)"
#: A string constant (an f-string's values shown as ``{}``) that builds or splits a store path
#: by hand: ``"contracts/"``, ``f"contracts/{n}/…"``, ``f"{where}/meta.yaml"``,
#: ``f"../{n}/schema.json"``, ``"refs/tags/capsules/"``, or a bare file name.
_BY_HAND = re.compile(
    rf"^(?:contracts|capsules)/(?!<)"  # a path from the top (``contracts/<name>/`` is help text)
    rf"|\{{\}}/{_FILES}"  # a file joined onto a directory
    rf"|^\.\./\{{\}}"  # a reference to another contract's schema
    rf"|refs/tags/(?:contracts|capsules)"  # a version tag's ref
    rf"|^{_FILES}$"  # a file's name
)
_DIRS = frozenset({"contracts", "capsules"})


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _template(node: ast.JoinedStr) -> str:
    return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)


def layout_literals(source: str) -> list[tuple[int, str]]:
    """The string constants of ``source`` that build or split a store path by hand, with their lines:
    the patterns of ``_BY_HAND``, and ``"contracts"``/``"capsules"`` compared with a path part.
    Docstrings are prose, and comments are not in the tree."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
            if _BY_HAND.search(text := _template(node)):
                found.append((node.lineno, text))
        elif isinstance(node, ast.Compare):
            found += [
                (node.lineno, c.value)
                for c in (node.left, *node.comparators)
                if isinstance(c, ast.Constant) and c.value in _DIRS
            ]
    found += [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        if _BY_HAND.search(node.value)
    ]
    return sorted(set(found))


@pytest.mark.parametrize(
    "source",
    [
        'where = f"contracts/{name}/contract.yaml"',
        'path.startswith("capsules/")',
        'key.removeprefix("capsules/")',
        'files["schema.json"]',
        'history.change_of(head, f"{where}/meta.yaml")',
        'value = f"../{name}/schema.json"',
        'PREFIX = "refs/tags/contracts/"',
        'if parts[0] == "contracts": pass',
        'if "capsules" != head: pass',
    ],
)
def test_a_layout_literal_is_found(source: str) -> None:
    assert layout_literals(source) != []


@pytest.mark.parametrize(
    "source",
    [
        '"""Reads ``contracts/<name>/contract.yaml``."""',
        'hint = "set it in contract.yaml"',
        'hint = "contract files live directly in contracts/<name>/"',
        'ALLOWED = "capsules/<tenant>/<name>/ and docs/"',
        'router = APIRouter(prefix="/api/v1/capsules", tags=["capsules"])',
        'return {"contracts": items}',
        "where = in_dir(contract_dir(name), CONTRACT_META)",
    ],
)
def test_help_text_routes_and_keys_are_not_layout_literals(source: str) -> None:
    assert layout_literals(source) == []


def test_no_store_path_is_built_or_split_by_hand_outside_the_layout_module() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "paths.py"
        for line, text in layout_literals(path.read_text())
    ]
    assert found == [], "build or split these with registry.paths (or registry.git.refs for refs)"
