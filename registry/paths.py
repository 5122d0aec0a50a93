"""The store's layout: where a contract's or a capsule's files live, built and split here only.

``contracts/<name>/`` holds a contract (``contract.yaml``, ``schema.json``, the files it
names, and ``examples/*.json``); ``capsules/<tenant>/<name>/`` holds a capsule
(``capsule.yaml``, ``meta.yaml``); ``registry.yaml`` at the root is the policy. A version's
tag is named after its directory: ``contracts/<name>/<version>``,
``capsules/<tenant>/<name>/<n>``. A contract's schema refers to another contract's as
``../<name>/schema.json``. Pure functions on strings: any layer may use them, and a path
is never joined or split by hand elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

CONTRACTS = "contracts"
CAPSULES = "capsules"
CONTRACT_META = "contract.yaml"
SCHEMA = "schema.json"
EXAMPLES = "examples"
CAPSULE_DOC = "capsule.yaml"
CAPSULE_META = "meta.yaml"

Kind = Literal["contract", "capsule"]


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
    """``<where>/<file>``: a file of the directory ``where`` (an item directory, mostly)."""
    return f"{where}/{file}"


def example_file(file: str) -> str:
    """``examples/<file>``: an example's path inside its contract's directory."""
    return in_dir(EXAMPLES, file)


def example_of(file: str) -> str | None:
    """The example file name of a path inside a contract directory (``examples/<file>``,
    one level deep), or None."""
    head, sep, tail = file.partition("/")
    if head == EXAMPLES and sep and tail and "/" not in tail:
        return tail
    return None


@dataclass(frozen=True)
class ItemDir:
    """A contract's or capsule's directory, split: ``tenant`` is None for a contract."""

    kind: Kind
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


def parse_file(path: str) -> tuple[ItemDir, str] | None:
    """A file path split into the item directory it lies in (at any depth below it) and its
    path inside that directory: ``contracts/a/examples/x.json`` is contract ``a`` and
    ``examples/x.json``. None for a path in no item directory."""
    parts = path.split("/")
    if parts[0] == CONTRACTS and len(parts) >= 3:
        return ItemDir("contract", parts[1]), "/".join(parts[2:])
    if parts[0] == CAPSULES and len(parts) >= 4:
        return ItemDir("capsule", parts[2], parts[1]), "/".join(parts[3:])
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


def area(path: str) -> Kind | None:
    """Which of the store's two trees a path (or a version's tag name) lies below:
    ``contract`` for ``contracts/…``, ``capsule`` for ``capsules/…``, else None.

    Nothing is asked of the rest of the path: this is the prefix a signer's path rights
    and a tag's namespace go by, well-formed or not.
    """
    head, sep, _ = path.partition("/")
    if not sep:
        return None
    if head == CONTRACTS:
        return "contract"
    if head == CAPSULES:
        return "capsule"
    return None


def capsule_tenant(path: str) -> str | None:
    """The tenant a path below ``capsules/`` belongs to (``capsules/<tenant>/…``, its first
    component there, as written), or None for a path outside ``capsules/``."""
    head, sep, rest = path.partition("/")
    if head != CAPSULES or not sep:
        return None
    return rest.partition("/")[0]


def tag_name(where: str, version: str) -> str:
    """``<where>/<version>``: the name of a version's tag (below ``refs/tags/``), after its
    item directory: ``contracts/<name>/<version>``, ``capsules/<tenant>/<name>/<n>``."""
    return f"{where}/{version}"


def tags_of(where: str) -> str:
    """``<where>/``: the prefix every version tag name of the item at ``where`` starts with."""
    return f"{where}/"


def parse_tag(name: str) -> tuple[ItemDir, str] | None:
    """A version tag name split into its item directory and its version, or None when the
    name has another shape. The version is as written (a capsule's is a number)."""
    where, sep, version = name.rpartition("/")
    item = parse_dir(where) if sep else None
    return (item, version) if item is not None else None


def schema_ref(name: str) -> str:
    """``../<name>/schema.json``: how a contract's schema refers to another contract's
    (a ``$ref`` adds a fragment, ``#/$defs/…``)."""
    return f"../{name}/{SCHEMA}"


def ref_contract(uri: str) -> str | None:
    """The contract a reference to another contract's schema names (``../<name>/schema.json``,
    its fragment already removed), or None. The name is not checked as a contract name."""
    parts = uri.split("/")
    if len(parts) == 3 and parts[0] == ".." and parts[1] and parts[2] == SCHEMA:
        return parts[1]
    return None
