"""What ``registry lint compare`` reads besides two schema files: WIT files, and contract directories.

``--current-wit``/``--proposed-wit`` name a ``.wit`` file or a directory of them (one
package). ``--current``/``--proposed`` may name contract directories instead of schema
files: their ``schema.json``, the WIT file ``contract.yaml`` names, and, unless given as
flags, its version and compatibility mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from registry.errors import InvalidInput, ValidationFailed
from registry.lint.wit import WitFiles
from registry.lint.wit.resolve import resolve
from registry.model import Limits
from registry.paths import CONTRACT_META, SCHEMA
from registry.validate import load_yaml


@dataclass(frozen=True)
class ContractDir:
    schema_path: str
    wit: WitFiles
    version: str | None
    compatibility: str | None


def read_wit(path: str | None) -> WitFiles:
    """The ``.wit`` files at ``path`` (a file or a directory), resolved once to refuse bad input early."""
    if path is None:
        return None
    where = Path(path)
    found = sorted(where.glob("*.wit")) if where.is_dir() else [where]
    if not found or not all(p.is_file() for p in found):
        raise InvalidInput(f"{path}: no such WIT file", hint="name a .wit file or a directory of them")
    limit = Limits().max_file_bytes
    files: dict[str, str] = {}
    for p in found:
        data = p.read_bytes()
        if len(data) > limit:
            raise InvalidInput(
                f"{p}: larger than {limit} bytes", hint="a contract's WIT file has the same limit"
            )
        files[p.name] = data.decode("utf-8", "replace")
    resolve(files)  # WitUnresolved is bad input: exit 2 with the parser's message
    return files


def read_contract_dir(path: str) -> ContractDir:
    """A contract directory as the gate reads it: its schema file, its WIT, version and mode."""
    where = Path(path)
    meta_path = where / CONTRACT_META
    meta: Any = {}
    if meta_path.is_file():
        try:
            meta = load_yaml(meta_path.read_bytes(), limits=Limits(), path_hint=str(meta_path)) or {}
        except ValidationFailed as exc:
            raise InvalidInput(f"{meta_path} is not valid YAML: {exc.message}") from None
    meta = meta if isinstance(meta, dict) else {}
    named = meta.get("wit")
    wit = read_wit(str(where / named)) if isinstance(named, str) and "/" not in named else None
    version = meta.get("version")
    mode = meta.get("compatibility")
    return ContractDir(
        str(where / SCHEMA),
        wit,
        str(version) if version is not None else None,
        mode if isinstance(mode, str) else None,
    )
