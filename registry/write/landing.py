"""The one seam where versions come into being: their signed tags, and who is told.

A version comes into being when the gate lets it onto ``main``; its tag is the receipt.
Every door ends here: ``publish`` (which moves ``main`` itself, tags in the same ref
transaction), the ``post-receive`` hook after a ``git push``, and ``tag-missing``'s
repair. Each returns a :class:`Landing` saying what was published, and hands it to the
caller's ``on_landed`` listener: the read index, events and replicas attach there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import pygit2

from registry.errors import ConcurrentUpdate, VersionExists
from registry.gate.accepted import TAGGED_MARK, Pending, accepted, untagged
from registry.gate.published import NewVersion, tag_message
from registry.git.packing import keep_packed
from registry.git.store import Identity, RefsLocked, Store, TagTaken
from registry.trust.sshsig import SigningKey
from registry.write.registry_key import check_registry_key

#: Which door a landing came through.
Door = Literal["cli", "http", "push", "repair"]


@dataclass(frozen=True)
class LandedVersion:
    """One version that came into being, as its tag records it."""

    version: NewVersion
    commit: pygit2.Oid
    tag_id: pygit2.Oid
    signature: str | None  # capsules: Ed25519 over the content hash, base64

    @property
    def tag_ref(self) -> str:
        return self.version.tag_ref


@dataclass(frozen=True)
class Landing:
    """What one write published: the versions whose tags it created, and where ``main`` is."""

    door: Door
    head: pygit2.Oid
    versions: tuple[LandedVersion, ...]
    at: datetime


OnLanded = Callable[[Landing], None]


def capsule_signature(key: SigningKey, version: NewVersion) -> str | None:
    """A capsule version's ``signature``: the registry key over the 32 content-hash bytes."""
    return key.sign_digest_b64(bytes.fromhex(version.digest)) if version.kind == "capsule" else None


def write_version_tag(
    store: Store,
    version: NewVersion,
    *,
    commit: pygit2.Oid,
    key: SigningKey,
    tagger: Identity,
    signature: str | None = None,
) -> pygit2.Oid:
    """The signed tag object of a version (the ref is created by the caller)."""
    if signature is None:
        signature = capsule_signature(key, version)
    return store.write_tag(
        name=version.tag_name,
        target=commit,
        message=tag_message(version, signature=signature),
        tagger=tagger,
        key=key,
    )


def receipts(
    store: Store, versions: Iterable[Pending], *, key: SigningKey, tagger: Identity
) -> list[LandedVersion]:
    """Write the tag objects of ``versions`` (no refs yet)."""
    out = []
    for p in versions:
        signature = capsule_signature(key, p.version)
        tag = write_version_tag(
            store, p.version, commit=p.commit, key=key, tagger=tagger, signature=signature
        )
        out.append(LandedVersion(p.version, p.commit, tag, signature))
    return out


def land_with_main(
    store: Store,
    versions: Sequence[NewVersion],
    *,
    expected: pygit2.Oid | None,
    new: pygit2.Oid,
    key: SigningKey,
    tagger: Identity,
    reflog: str,
    door: Door,
    on_landed: OnLanded | None = None,
) -> Landing:
    """Move ``main`` to ``new`` and create the tags of ``versions`` there, all or nothing.

    Raises ``MainMoved`` when ``main`` is no longer ``expected`` (the caller rebuilds),
    ``VersionExists`` when a tag appeared meanwhile. The tagged mark follows ``main``
    when nothing was pending before.
    """
    if versions:
        check_registry_key(store, key, at=new)
    landed = receipts(store, [Pending(v, new) for v in versions], key=key, tagger=tagger)
    try:
        store.advance(
            expected=expected,
            new=new,
            tags={v.tag_ref: v.tag_id for v in landed},
            reflog=reflog,
            follow=TAGGED_MARK,
        )
    except TagTaken as exc:
        raise VersionExists(
            f"{exc.name} is published already",
            hint="published versions never change: bump the version",
        ) from None
    except RefsLocked:
        raise ConcurrentUpdate(
            "the store is busy: its refs stayed locked",
            hint="try again; if it persists, remove stale *.lock files under the store's refs/",
        ) from None
    return _announce(store, Landing(door, new, tuple(landed), datetime.now(UTC)), on_landed)


def land_pending(
    store: Store,
    *,
    upto: pygit2.Oid,
    key: SigningKey,
    tagger: Identity,
    door: Door,
    on_landed: OnLanded | None = None,
    known: Iterable[tuple[pygit2.Oid | None, pygit2.Oid]] = (),
    legacy: bool = False,
) -> Landing:
    """Tag every version accepted on ``main`` up to ``upto`` that has no tag yet.

    Each is tagged at the commit that brought it; a tag another writer created first
    is left as it is. Then the tagged mark moves forward to ``upto``. ``known`` adds
    updates of ``main`` the caller saw (a hook's own) to those the reflog records. With ``legacy``,
    versions from before the store kept a reflog are found by scanning ``upto``'s tree
    and tagged there.
    """
    view = accepted(store, upto=upto, known=known)
    pending = list(view.pending)
    if legacy:
        pending += [Pending(v, upto) for v in untagged(store, upto, view)]
    if pending:
        check_registry_key(store, key, at=upto)
    created = [
        v
        for v in receipts(store, pending, key=key, tagger=tagger)
        if store.create_tag_ref(v.tag_ref, v.tag_id)
    ]
    store.move_forward(TAGGED_MARK, upto)
    return _announce(store, Landing(door, upto, tuple(created), datetime.now(UTC)), on_landed)


def _announce(store: Store, landing: Landing, on_landed: OnLanded | None) -> Landing:
    if on_landed is not None and landing.versions:
        on_landed(landing)
    if landing.versions:
        keep_packed(store.path)  # after the listeners: readers hear of a landing first
    return landing
