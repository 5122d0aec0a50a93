"""The store's layout: where a contract's or a capsule's files live, built and split here only.

``contracts/<name>/`` holds a contract (``contract.yaml``, ``schema.json`` and the files
it names); ``capsules/<tenant>/<name>/`` holds a capsule (``capsule.yaml``, ``meta.yaml``);
``registry.yaml`` at the root is the policy. Pure functions on strings: any layer may use
them, and a path is never joined or split by hand elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

CONTRACTS = "contracts"
CAPSULES = "capsules"
CONTRACT_META = "contract.yaml"
SCHEMA = "schema.json"
CAPSULE_DOC = "capsule.yaml"
CAPSULE_META = "meta.yaml"


def contract_dir(name: str) -> str:
    """``contracts/<name>``: one contract's directory."""
    return f"{CONTRACTS}/{name}"


def capsule_dir(tenant: str, name: str) -> str:
    """``capsules/<tenant>/<name>``: one capsule's directory."""
    return f"{CAPSULES}/{tenant}/{name}"


def contract_file(name: str, file: str) -> str:
    return f"{contract_dir(name)}/{file}"


def capsule_file(tenant: str, name: str, file: str) -> str:
    return f"{capsule_dir(tenant, name)}/{file}"


def in_dir(where: str, file: str) -> str:
    """A file of the item directory ``where``."""
    return f"{where}/{file}"


@dataclass(frozen=True)
class ItemDir:
    """A contract's or capsule's directory, split: ``tenant`` is None for a contract."""

    kind: Literal["contract", "capsule"]
    name: str
    tenant: str | None = None

    @property
    def path(self) -> str:
        return contract_dir(self.name) if self.tenant is None else capsule_dir(self.tenant, self.name)


def parse_dir(path: str) -> ItemDir | None:
    """The item directory ``path`` is exactly (``contracts/<n>``, ``capsules/<t>/<n>``), or None."""
    parts = path.split("/")
    if parts[0] == CONTRACTS and len(parts) == 2:
        return ItemDir("contract", parts[1])
    if parts[0] == CAPSULES and len(parts) == 3:
        return ItemDir("capsule", parts[2], parts[1])
    return None


def dir_of(path: str) -> str | None:
    """The item directory a file path lies in (at any depth below it), or None."""
    parts = path.split("/")
    if parts[0] == CONTRACTS and len(parts) >= 3:
        return "/".join(parts[:2])
    if parts[0] == CAPSULES and len(parts) >= 4:
        return "/".join(parts[:3])
    return None


def changed_dirs(paths: Iterable[str]) -> set[str]:
    """The contract and capsule directories a list of changed file paths touches."""
    return {d for path in paths if (d := dir_of(path)) is not None}
