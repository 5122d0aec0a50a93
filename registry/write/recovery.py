"""Backup and restore of a store: its refs and objects in a bundle, the rest made afresh.

What a bundle does not hold, and why nothing is lost (docs/deployment.md says the same):

- the signing key: a secret, never inside the store's history; it is kept apart (a
  Kubernetes Secret, a vault) and named on restore;
- config and hooks: made by ``install_hooks`` exactly as ``registry init`` makes them;
- the reflog of ``main``: it records accepted updates only to find versions accepted but not
  tagged yet. A backup says when there are such versions (``registry tag-missing`` first),
  and a restored store finds any that remain by scanning ``main`` (``tag-missing``'s repair);
- the events outbox (``registry-events.sqlite3``): a delivery queue derived from the store.
  A restored server starts from a baseline of what the store holds; the versions that
  events were still to announce are in the bundle and served, and consumers that missed an
  event read them from the API.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from registry.errors import InvalidInput, StoreError
from registry.gate.accepted import accepted, untagged
from registry.gate.published import NewVersion
from registry.git.bundle import BundleRefused, create_bundle, fetch_bundle
from registry.git.refs import CAPSULE_TAGS, CONTRACT_TAGS
from registry.git.store import Store
from registry.settings import SIGNING_KEY_CONFIG
from registry.trust.sshsig import SigningKey
from registry.write.bootstrap import install_hooks
from registry.write.registry_key import check_registry_key


@dataclass(frozen=True)
class Backup:
    refs: int
    versions: int
    untagged: tuple[NewVersion, ...]  # accepted but not tagged: the bundle holds them untagged
    size: int


def pending_versions(store: Store) -> tuple[NewVersion, ...]:
    head = store.head()
    if head is None:
        return ()
    view = accepted(store)
    return tuple([p.version for p in view.pending] + untagged(store, head, view))


def backup(store: Store, file: Path) -> Backup:
    """Write a bundle of every ref of ``store`` to ``file``."""
    try:
        create_bundle(store.path, file)
    except BundleRefused as exc:
        raise InvalidInput(exc.message, hint=exc.hint) from None
    refs = store.refs_under("refs/")
    versions = sum(1 for r in refs if r.startswith((CONTRACT_TAGS, CAPSULE_TAGS)))
    return Backup(len(refs), versions, pending_versions(store), file.stat().st_size)


@dataclass(frozen=True)
class Restored:
    store: Store
    refs: int
    versions: int


def restore(file: Path, path: Path, *, key_path: Path) -> Restored:
    """A working store at ``path`` from a bundle: refs, config, hooks, and the signing key's path.

    The key must be the registry signer the restored ``registry.yaml`` lists, or the store
    could not tag the next version; then nothing is left at ``path``.
    """
    key = SigningKey.load(key_path)
    existed = path.exists()
    store = Store.create(path)
    try:
        try:
            refs = fetch_bundle(store.path, file)
        except BundleRefused as exc:
            raise InvalidInput(exc.message, hint=exc.hint) from None
        head = store.head()
        if head is None:
            raise StoreError(f"{file} holds no main branch", hint="give a bundle 'registry backup' wrote")
        check_registry_key(store, key, at=head)
        store.set_config(SIGNING_KEY_CONFIG, str(key_path.resolve()))
        install_hooks(store)
    except BaseException:
        if existed:  # an empty directory given by the caller: empty it again, keep it
            for child in path.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        else:
            shutil.rmtree(path, ignore_errors=True)
        raise
    versions = sum(1 for r in refs if r.startswith((CONTRACT_TAGS, CAPSULE_TAGS)))
    return Restored(store, len(refs), versions)
