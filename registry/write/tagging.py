"""Versions that ``main`` holds but no tag records yet, and the repair that tags them.

The post-receive hook tags what a push introduced; if it fails, ``registry verify``
lists the untagged versions and ``registry tag-missing`` creates their tags.
"""

from __future__ import annotations

from collections.abc import Iterable

import pygit2

from registry.digest import capsule_content_hash
from registry.gate.policy import StorePolicy
from registry.gate.published import (
    NewVersion,
    capsule_versions,
    contract_version,
    contract_versions,
    write_version_tag,
)
from registry.git.store import Identity, Snapshot, Store
from registry.trust.sshsig import SigningKey
from registry.validate import read_capsule, read_contract


def contract_version_at(snap: Snapshot, name: str, policy: StorePolicy) -> NewVersion | None:
    """The version a valid contract directory describes, with its digest."""
    doc, _ = read_contract(name, snap.files(f"contracts/{name}"), limits=policy.limits)
    return contract_version(doc) if doc is not None else None


def untagged(
    store: Store, commit: pygit2.Oid, policy: StorePolicy, *, dirs: Iterable[str] | None = None
) -> list[NewVersion]:
    """Versions present at ``commit`` that have no tag, in the given dirs (default: all)."""
    snap = store.snapshot(commit)
    if dirs is None:
        dirs = [f"contracts/{n}" for n in snap.subdirs("contracts")] + [
            f"capsules/{t}/{n}" for t in snap.subdirs("capsules") for n in snap.subdirs(f"capsules/{t}")
        ]
    found: list[NewVersion] = []
    for where in sorted(set(dirs)):
        parts = where.split("/")
        if parts[0] == "contracts" and len(parts) == 2 and snap.is_dir(where):
            version = contract_version_at(snap, parts[1], policy)
            if version is None:
                continue
            tagged = {p.version for p in contract_versions(store, parts[1])}
            if version.version not in tagged:
                found.append(version)
        elif parts[0] == "capsules" and len(parts) == 3 and snap.is_dir(where):
            doc, _ = read_capsule(parts[1], parts[2], snap.files(where), limits=policy.limits)
            if doc is None:
                continue
            content_hash = capsule_content_hash(doc.document)
            published = capsule_versions(store, parts[1], parts[2])
            if content_hash not in {p.digest for p in published}:
                number = int(published[-1].version) + 1 if published else 1
                found.append(NewVersion("capsule", where, str(number), content_hash))
    return found


def changed_dirs(paths: Iterable[str]) -> set[str]:
    """The contract and capsule directories a list of changed paths touches."""
    dirs = set()
    for path in paths:
        parts = path.split("/")
        if parts[0] == "contracts" and len(parts) >= 3:
            dirs.add("/".join(parts[:2]))
        elif parts[0] == "capsules" and len(parts) >= 4:
            dirs.add("/".join(parts[:3]))
    return dirs


def tag_versions(
    store: Store, versions: Iterable[NewVersion], *, commit: pygit2.Oid, key: SigningKey, tagger: Identity
) -> list[str]:
    """Create the signed tags of ``versions`` at ``commit``; return the refs created."""
    created = []
    for version in versions:
        oid = write_version_tag(store, version, commit=commit, key=key, tagger=tagger)
        if store.create_tag_ref(version.tag_ref, oid):
            created.append(version.tag_ref)
    return created
