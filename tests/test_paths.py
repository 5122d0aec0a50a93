"""The store's layout, built and split in one place: every path it builds, it splits back."""

from __future__ import annotations

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
