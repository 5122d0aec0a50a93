"""Replaced versions: the same contract version with two contents in ``main``'s history.

A version's content never changes once accepted. Stores written before versions on
``main`` counted as published (whether tagged or not) could have had one replaced
in the window before its tag was written; this walk finds every such case.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from pygit2.enums import SortMode

from registry.errors import RegistryError
from registry.gate.published import version_digest
from registry.git.store import Snapshot, Store
from registry.model import Limits
from registry.paths import CONTRACT_META, SCHEMA, changed_dirs, contract_dir, parse_dir
from registry.validate import load_yaml


@dataclass(frozen=True)
class Replacement:
    """A contract version whose content at ``later`` differs from its content at ``first``."""

    name: str
    version: str
    first: str
    later: str

    def message(self) -> str:
        return (
            f"version {self.version} was replaced on main: its content at commit {self.later[:12]} "
            f"differs from the content accepted at commit {self.first[:12]}; consumers may hold either"
        )


def _fingerprint(snap: Snapshot, name: str) -> tuple[str, str] | None:
    """A contract directory's version and what identifies its content (digest and named files)."""
    files = snap.files(contract_dir(name))
    if CONTRACT_META not in files or SCHEMA not in files:
        return None
    try:
        meta: Any = load_yaml(files[CONTRACT_META], limits=Limits())
        schema_text = files[SCHEMA].decode("utf-8-sig")
    except (RegistryError, UnicodeDecodeError):
        return None
    if not isinstance(meta, dict) or not isinstance(meta.get("version"), str):
        return None
    named = [value if isinstance(value := meta.get(f), str) else None for f in ("wit", "descriptor")]
    description = meta.get("description")
    digest = version_digest(
        name,
        meta["version"],
        description=description if isinstance(description, str) else None,
        schema_text=schema_text,
        wit=named[0],
        descriptor=named[1],
    )
    extra = hashlib.sha256()
    for file in named:
        if isinstance(file, str):
            extra.update(files.get(file, b""))
    return meta["version"], f"{digest}:{extra.hexdigest()}"


def replacements(store: Store) -> list[Replacement]:
    """Every contract version that ``main``'s history holds with more than one content."""
    head = store.head()
    if head is None:
        return []
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    found: list[Replacement] = []
    walker = store.repo.walk(head, SortMode.TOPOLOGICAL | SortMode.REVERSE)
    for commit in walker:
        parent = store.snapshot(commit.parents[0].id if commit.parents else None)
        snap = store.snapshot(commit.id)
        for where in sorted(changed_dirs(snap.changed_paths(parent))):
            item = parse_dir(where)
            if item is None or item.tenant is not None:
                continue
            fingerprint = _fingerprint(snap, item.name)
            if fingerprint is None:
                continue
            key = (item.name, fingerprint[0])
            first = seen.setdefault(key, (fingerprint[1], str(commit.id)))
            if first[0] != fingerprint[1]:
                found.append(Replacement(item.name, fingerprint[0], first[1], str(commit.id)))
                seen[key] = (fingerprint[1], str(commit.id))
    return found
