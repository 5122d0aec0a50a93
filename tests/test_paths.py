"""The store's layout, built and split in one place: every path it builds, it splits back."""

from __future__ import annotations

import pytest

from registry.paths import (
    ItemDir,
    capsule_dir,
    capsule_file,
    changed_dirs,
    contract_dir,
    contract_file,
    dir_of,
    parse_dir,
)


def test_a_contract_and_a_capsule_live_where_the_spec_says() -> None:
    assert contract_dir("ritual.started") == "contracts/ritual.started"
    assert contract_file("ritual.started", "schema.json") == "contracts/ritual.started/schema.json"
    assert capsule_dir("acme", "hello") == "capsules/acme/hello"
    assert capsule_file("acme", "hello", "meta.yaml") == "capsules/acme/hello/meta.yaml"


@pytest.mark.parametrize("item", [ItemDir("contract", "ritual.started"), ItemDir("capsule", "hello", "acme")])
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
