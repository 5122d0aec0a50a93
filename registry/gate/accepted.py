"""Versions accepted on ``main``, tagged or not.

A version is published the moment the gate lets it onto ``main``; its tag is the signed
receipt written right after. Between the two (or forever, when a client is killed before
``post-receive`` runs) the version is *pending*: untagged, yet just as immutable. The gate
counts pending versions as published, so nothing can land the same version with other
content in that window, and the landing seam tags them.

Pending versions are found without scanning history: the store keeps a reflog of
``main`` (every push and every publish appends ``old new``), and the ref
``refs/registry/tagged`` marks the newest ``main`` commit up to which every version has
its tag. Only the updates after that mark are read: usually none, or the one push whose
``post-receive`` is still running. A repository without the mark (a clone under review)
has no pending versions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pygit2

from registry.digest import capsule_content_hash
from registry.gate.policy import StorePolicy, policy_at
from registry.gate.published import (
    NewVersion,
    Published,
    capsule_versions,
    contract_version,
    contract_versions,
)
from registry.git.refs import MAIN
from registry.git.store import Snapshot, Store
from registry.paths import CAPSULES, CONTRACTS, capsule_dir, changed_dirs, contract_dir, in_dir, parse_dir
from registry.validate import read_capsule, read_contract

#: The newest commit of ``main`` whose versions (and all before it) are tagged.
TAGGED_MARK = "refs/registry/tagged"

# A reflog line: "<old> <new> <name> <<email>> <time> <tz>\t<message>"; only the ids matter.
_ZERO = "0" * 40


@dataclass(frozen=True)
class Pending:
    """A version accepted on ``main`` at ``commit`` that has no tag yet."""

    version: NewVersion
    commit: pygit2.Oid


def main_updates(store: Store, *, since: str | None) -> list[tuple[pygit2.Oid | None, pygit2.Oid]]:
    """The updates of ``main`` after the one that made it ``since``, oldest first.

    Read from the end of the reflog backwards, so the cost follows the number of
    updates since the mark, not the length of the store's history.
    """
    path = store.path / "logs" / MAIN
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    updates: list[tuple[pygit2.Oid | None, pygit2.Oid]] = []
    end = len(data)
    while end > 0:
        start = data.rfind(b"\n", 0, end - 1) + 1
        line = data[start:end]
        end = start
        old, _, rest = line.partition(b" ")
        new = rest[:40].decode("ascii", "replace")
        if len(new) != 40:
            continue
        if since is not None and new == since:
            break
        old_text = old.decode("ascii", "replace")
        updates.append((None if old_text == _ZERO else pygit2.Oid(hex=old_text), pygit2.Oid(hex=new)))
    updates.reverse()
    return updates


def contract_version_at(snap: Snapshot, name: str, policy: StorePolicy) -> NewVersion | None:
    """The version a valid contract directory describes, with its digest."""
    files = snap.files(contract_dir(name))
    doc, _ = read_contract(name, files, limits=policy.limits, default_dialect=policy.default_dialect)
    return contract_version(doc) if doc is not None else None


@dataclass
class Accepted:
    """What the gate counts as published: every version tag, and every pending version."""

    store: Store
    pending: list[Pending] = field(default_factory=list)

    def contract(self, name: str) -> list[Published]:
        """Every accepted version of a contract; pending ones have no tag id."""
        tagged = contract_versions(self.store, name)
        return tagged + self._pending(contract_dir(name), {p.version for p in tagged})

    def capsule(self, tenant: str, name: str) -> list[Published]:
        """Every accepted version of a capsule, by number."""
        tagged = capsule_versions(self.store, tenant, name)
        pending = self._pending(capsule_dir(tenant, name), {p.version for p in tagged})
        return sorted(tagged + pending, key=lambda p: int(p.version))

    def _pending(self, key: str, tagged: set[str]) -> list[Published]:
        return [
            Published(
                version=p.version.version,
                tag_ref=p.version.tag_ref,
                tag_id="",
                commit=p.commit,
                fields={"digest": p.version.digest},
                signed_payload=b"",
                armor=None,
            )
            for p in self.pending
            if p.version.key == key and p.version.version not in tagged
        ]

    def versions_at(self, commit: pygit2.Oid, dirs: Iterable[str]) -> list[NewVersion]:
        """The versions that ``dirs`` hold at ``commit`` and that nothing accepted yet records."""
        snap = self.store.snapshot(commit)
        policy = policy_at(self.store, commit)
        found: list[NewVersion] = []
        for where in sorted(set(dirs)):
            item = parse_dir(where)
            if item is None or not snap.is_dir(where):
                continue
            if item.tenant is None:
                version = contract_version_at(snap, item.name, policy)
                known = {p.version for p in self.contract(item.name)}
                if version is not None and version.version not in known:
                    found.append(version)
            else:
                doc, _ = read_capsule(item.tenant, item.name, snap.files(where), limits=policy.limits)
                if doc is None:
                    continue
                content_hash = capsule_content_hash(doc.document)
                accepted = self.capsule(item.tenant, item.name)
                if content_hash not in {p.digest for p in accepted}:
                    number = max((int(p.version) for p in accepted), default=0) + 1
                    found.append(NewVersion("capsule", where, str(number), content_hash))
        return found


def accepted(
    store: Store,
    *,
    upto: pygit2.Oid | None = None,
    known: Iterable[tuple[pygit2.Oid | None, pygit2.Oid]] = (),
) -> Accepted:
    """Tags plus the versions of every ``main`` update since the tagged mark, up to ``upto``.

    ``known`` adds updates the caller saw itself (a hook's stdin), for a store whose
    reflog does not record them.
    """
    mark = store.repo.references.get(TAGGED_MARK)
    view = Accepted(store)
    # Only a store keeps the mark (init, hooks install and every landing set it): a clone's
    # own reflog records local commits, not accepted versions, and is never read.
    updates = main_updates(store, since=str(mark.target)) if mark is not None else []
    seen = {new for _, new in updates}
    updates += [(old, new) for old, new in known if new not in seen]
    for old, new in updates:
        if upto is not None and new != upto and not store.repo.descendant_of(upto, new):
            continue
        paths = store.snapshot(new).changed_paths(store.snapshot(old))
        view.pending += [Pending(v, new) for v in view.versions_at(new, changed_dirs(paths))]
    return view


def untagged(store: Store, commit: pygit2.Oid, view: Accepted | None = None) -> list[NewVersion]:
    """Versions present at ``commit`` in any directory that neither a tag nor the reflog records.

    Stores made before the reflog was kept can hold such versions; ``registry verify``
    lists them and ``registry tag-missing`` tags them at ``commit``.
    """
    snap = store.snapshot(commit)
    dirs = [contract_dir(n) for n in snap.subdirs(CONTRACTS)] + [
        capsule_dir(t, n) for t in snap.subdirs(CAPSULES) for n in snap.subdirs(in_dir(CAPSULES, t))
    ]
    return (view or accepted(store)).versions_at(commit, dirs)
