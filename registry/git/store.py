"""The store: a bare Git repository read and written through pygit2.

This module knows git, not registry rules: trees and blobs at a commit, version tag
refs, signed commit and tag objects, and the one compare-and-swap that moves ``main``
and creates version tags together. The gate decides; ``publish`` orchestrates.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

import pygit2
from pygit2.enums import FileMode, ObjectType

from registry.errors import StoreError
from registry.git.refs import MAIN, TAG_PREFIX, packed_refs
from registry.git.treediff import Change, diff_entries, diff_trees
from registry.model import Identity

__all__ = [
    "Identity",  # a value (``registry.model``), re-exported: every writer of the store names one
    "MainMoved",
    "RefsLocked",
    "Signer",
    "Snapshot",
    "Store",
    "TagTaken",
    "git_signature",
]


class Signer(Protocol):
    """What the store signs commits and tags with (``trust.sshsig.SigningKey`` is one)."""

    def sign_ssh(self, message: bytes) -> str:
        """An armored SSH signature of ``message``, without a trailing newline."""
        ...


def git_signature(identity: Identity, when: int | None = None) -> pygit2.Signature:
    """The author, committer or tagger line ``identity`` writes at ``when`` (now by default)."""
    return pygit2.Signature(identity.name, identity.email, int(when if when is not None else time.time()), 0)


# libgit2 caches only trees under 4 KiB by default; a store's contracts/ tree is far larger
# and would be re-read from the pack on every lookup.
pygit2.settings.cache_object_limit(ObjectType.TREE, 4 << 20)


class MainMoved(Exception):
    """``main`` no longer points where the writer started from; rebuild and try again."""


class TagTaken(Exception):
    """A tag ref :meth:`Store.advance` was to create exists already (``name`` is its short name).

    The store's own word: ``write/`` says what it means for a version.
    """

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} exists already")
        self.name = name


class RefsLocked(Exception):
    """The refs :meth:`Store.advance` needs stayed locked through every attempt."""


class Snapshot:
    """The files of the store at one commit (or of an empty store when ``commit`` is None)."""

    def __init__(self, repo: pygit2.Repository, commit: pygit2.Oid | None) -> None:
        self.repo = repo
        self.tree: pygit2.Tree | None = repo[commit].peel(pygit2.Tree) if commit is not None else None

    def _entry(self, path: str) -> pygit2.Object | None:
        if self.tree is None:
            return None
        try:
            return self.tree[path]
        except KeyError:
            return None

    def read(self, path: str) -> bytes | None:
        obj = self._entry(path)
        if obj is None or obj.type != ObjectType.BLOB:
            return None
        return obj.data

    def is_dir(self, path: str) -> bool:
        obj = self._entry(path)
        return obj is not None and obj.type == ObjectType.TREE

    def files(self, path: str) -> dict[str, bytes]:
        """The blobs directly inside a directory, by file name."""
        obj = self._entry(path)
        if obj is None or obj.type != ObjectType.TREE:
            return {}
        return {e.name: self.repo[e.id].data for e in obj if e.type == ObjectType.BLOB}

    def subdirs(self, path: str) -> list[str]:
        obj = self.tree if path in ("", ".") else self._entry(path)
        if obj is None or obj.type != ObjectType.TREE:
            return []
        return [e.name for e in obj if e.type == ObjectType.TREE]

    def changed_paths(self, other: Snapshot) -> list[str]:
        """Paths whose blob differs between ``other`` (older) and this snapshot.

        Subtrees whose ids are equal are skipped without being read, so the cost follows
        the size of the change, not of the store (libgit2's tree diff expands every tree).
        """
        return sorted(diff_trees(self.repo, other.tree, self.tree, ""))

    def changed_entries(self, other: Snapshot, *, limit: int | None = None) -> tuple[list[Change], bool]:
        """The entries that differ from ``other`` (older), with their modes, sorted by path.

        Unlike ``changed_paths`` this keeps what kind of entry each is (file, executable,
        symlink, gitlink, directory), so the gate can refuse what is not a plain file. The
        flag is True when the walk stopped after more than ``limit`` entries.
        """
        changes, truncated = diff_entries(self.repo, other.tree, self.tree, limit=limit)
        return sorted(changes, key=lambda c: c.path), truncated

    def size(self, oid: pygit2.Oid) -> int:
        """An object's size in bytes, read from its header without loading it."""
        return int(self.repo.odb.read_header(oid)[1])

    def blob(self, oid: pygit2.Oid) -> bytes:
        return bytes(self.repo.odb.read(oid)[1])


class Store:
    """A registry store: a bare repository whose ``main`` holds the files."""

    def __init__(self, repo: pygit2.Repository) -> None:
        self.repo = repo
        self.path = Path(repo.path)

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Store:
        try:
            repo = pygit2.Repository(str(path))
        except (pygit2.GitError, KeyError):
            raise StoreError(
                f"{path} is not a git repository",
                hint="create a store with 'registry init STORE.git'",
            ) from None
        return cls(repo)

    @classmethod
    def open_from_env(cls, git_dir: str = ".") -> Store:
        """Open the repository a git hook runs in (its ``GIT_DIR``), quarantined objects included.

        libgit2 reads git's own variables (``GIT_OBJECT_DIRECTORY``, alternates) itself.
        """
        repo = pygit2.Repository(git_dir, pygit2.enums.RepositoryOpenFlag.FROM_ENV)
        return cls(repo)

    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> Store:
        p = Path(path)
        if p.exists() and any(p.iterdir()):
            raise StoreError(f"{p} exists and is not empty", hint="choose a new path for the store")
        repo = pygit2.init_repository(str(p), bare=True, initial_head="main")
        return cls(repo)

    # -- reading -----------------------------------------------------------------

    def head(self) -> pygit2.Oid | None:
        ref = self.repo.references.get(MAIN)
        return ref.target if ref is not None else None

    def snapshot(self, commit: pygit2.Oid | str | None) -> Snapshot:
        """The files at ``commit``; ``None`` is the empty store (not the head: ask for ``head()``)."""
        if commit is None:
            return Snapshot(self.repo, None)
        oid = commit if isinstance(commit, pygit2.Oid) else pygit2.Oid(hex=str(commit))
        return Snapshot(self.repo, oid)

    def config(self, key: str) -> str | None:
        try:
            return self.repo.config[key]
        except KeyError:
            return None

    def set_config(self, key: str, value: str) -> None:
        self.repo.config[key] = value

    def refs_under(self, prefix: str) -> dict[str, str]:
        """Every ref whose name starts with ``prefix`` (ending in '/'), loose or packed.

        libgit2 has no glob over refs in pygit2, and listing every ref would make the
        gate's cost grow with the store; this reads one directory and the packed file.
        """
        # Loose first, then packed: ``git pack-refs`` writes packed-refs before it prunes a
        # loose ref, so in this order a pack running meanwhile cannot hide a ref.
        loose: dict[str, str] = {}
        base = self.path / prefix
        if base.is_dir():
            for dirpath, _dirs, files in os.walk(base):
                for f in files:
                    if f.endswith(".lock"):
                        continue
                    full = Path(dirpath) / f
                    name = full.relative_to(self.path).as_posix()
                    try:
                        text = full.read_text().strip()
                    except OSError:
                        continue
                    if len(text) >= 40 and not text.startswith("ref:"):
                        loose[name] = text
        return {**packed_refs(self.path / "packed-refs").under(prefix), **loose}

    def tag_target(self, tag_oid: str) -> tuple[pygit2.Oid, bytes]:
        """The commit an annotated tag points at, and the tag's raw bytes."""
        obj = self.repo[tag_oid]
        raw = self.repo.odb.read(obj.id)[1]
        return obj.peel(pygit2.Commit).id, raw

    # -- writing -----------------------------------------------------------------

    def write_tree(self, base: pygit2.Oid | None, changes: Mapping[str, bytes | None]) -> pygit2.Oid:
        """The tree of ``base`` with ``changes`` applied (None deletes a file).

        Only the trees along the changed paths are rebuilt: the cost follows the size of
        the change and of the directories it touches, not the size of the store.
        """
        root = self.repo[base].peel(pygit2.Tree) if base is not None else None
        written = self._rebuild(root, _nest(changes))
        return written if written is not None else self.repo.TreeBuilder().write()

    def _rebuild(self, tree: pygit2.Tree | None, changes: _Nested) -> pygit2.Oid | None:
        """``tree`` with ``changes`` applied, or None when nothing is left in it."""
        builder = self.repo.TreeBuilder(tree) if tree is not None else self.repo.TreeBuilder()
        for name, change in changes.items():
            entry = builder.get(name)
            is_tree = entry is not None and entry.filemode == FileMode.TREE
            if isinstance(change, dict):
                below = self.repo[entry.id].peel(pygit2.Tree) if is_tree and entry is not None else None
                oid = self._rebuild(below, change)
                if oid is not None:
                    builder.insert(name, oid, FileMode.TREE)
                elif is_tree:
                    builder.remove(name)
            elif change is None:
                if entry is not None and not is_tree:  # deleting a file never deletes a directory
                    builder.remove(name)
            else:
                builder.insert(name, self.repo.create_blob(change), FileMode.BLOB)
        return builder.write() if len(builder) else None

    def write_commit(
        self,
        *,
        tree: pygit2.Oid,
        parents: list[pygit2.Oid],
        message: str,
        author: Identity,
        committer: Identity,
        key: Signer | None,
        when: int | None = None,
    ) -> pygit2.Oid:
        """A commit object, signed in git's SSH format when ``key`` is given."""
        a, c = git_signature(author, when), git_signature(committer, when)
        if key is None:
            return self.repo.create_commit(None, a, c, message, tree, parents)
        text = self.repo.create_commit_string(a, c, message, tree, parents)
        return self.repo.create_commit_with_signature(text, key.sign_ssh(text.encode()))

    def write_tag(
        self,
        *,
        name: str,
        target: pygit2.Oid,
        message: str,
        tagger: Identity,
        key: Signer,
        when: int | None = None,
    ) -> pygit2.Oid:
        """A signed annotated tag object (not yet a ref); ``name`` is the short tag name."""
        sig = git_signature(tagger, when)
        body = (
            f"object {target}\n"
            "type commit\n"
            f"tag {name}\n"
            f"tagger {sig.name} <{sig.email}> {sig.time} +0000\n"
            "\n"
            f"{message.rstrip()}\n"
        ).encode()
        armor = key.sign_ssh(body) + "\n"
        return self.repo.odb.write(ObjectType.TAG, body + armor.encode())

    def advance(
        self,
        *,
        expected: pygit2.Oid | None,
        new: pygit2.Oid,
        tags: Mapping[str, pygit2.Oid],
        reflog: str,
        follow: str | None = None,
        attempts: int = 50,
    ) -> None:
        """Move ``main`` from ``expected`` to ``new`` and create ``tags``, all or nothing.

        ``follow`` names a ref that moves along with ``main`` when it points where
        ``main`` did (a mark that tracks ``main``); when it points elsewhere, it stays.

        Every ref is locked first, then checked, then written: a racing writer either
        holds a lock (we wait briefly and retry) or has already moved ``main`` (we raise
        ``MainMoved`` so the caller rebuilds on the new head). A tag ref that exists
        already means the version was published by someone else: ``TagTaken``. Refs that
        stay locked through every attempt: ``RefsLocked``.
        """
        for attempt in range(attempts):
            try:
                with self.repo.transaction() as tx:
                    tx.lock_ref(MAIN)
                    for name in tags:
                        tx.lock_ref(name)
                    if follow is not None:
                        tx.lock_ref(follow)
                    if self.head() != expected:
                        raise MainMoved()
                    for name in tags:
                        if self.repo.references.get(name) is not None:
                            raise TagTaken(name.removeprefix(TAG_PREFIX))
                    tx.set_target(MAIN, new, message=reflog)
                    for name, oid in tags.items():
                        tx.set_target(name, oid, message=reflog)
                    if follow is not None:
                        mark = self.repo.references.get(follow)
                        if (mark.target if mark is not None else None) == expected:
                            tx.set_target(follow, new, message=reflog)
                return
            except (pygit2.GitError, OSError) as exc:
                if "lock" not in str(exc).lower() and "exists" not in str(exc).lower():
                    raise StoreError(f"cannot update the store: {exc}") from None
                time.sleep(min(0.002 * (attempt + 1), 0.05))
        raise RefsLocked()

    def move_forward(self, name: str, new: pygit2.Oid, *, attempts: int = 50) -> bool:
        """Point ``name`` at ``new`` unless it already points at ``new`` or past it.

        A compare-and-swap against the value read, retried when another writer moved it
        first, so concurrent writers can only ever move the ref forward.
        """
        for _ in range(attempts):
            ref = self.repo.references.get(name)
            if ref is None:
                try:
                    self.repo.references.create(name, new)
                    return True
                except (pygit2.AlreadyExistsError, ValueError, OSError):
                    continue
            if ref.target == new or self.repo.descendant_of(ref.target, new):
                return False
            try:
                ref.set_target(new)
                return True
            except (pygit2.GitError, OSError):
                time.sleep(0.002)
        return False

    def create_tag_ref(self, name: str, oid: pygit2.Oid) -> bool:
        """Create a tag ref if it does not exist; False when it already does."""
        if self.repo.references.get(name) is not None:
            return False
        try:
            self.repo.references.create(name, oid)
        except (pygit2.AlreadyExistsError, ValueError):
            return False
        return True


_Nested = dict[str, "bytes | _Nested | None"]


def _nest(changes: Mapping[str, bytes | None]) -> _Nested:
    """``{"a/b/c": x}`` as ``{"a": {"b": {"c": x}}}``: the changes grouped by directory."""
    nested: _Nested = {}
    for path, data in changes.items():
        *dirs, leaf = path.split("/")
        level = nested
        for part in dirs:
            below = level.get(part)
            if not isinstance(below, dict):
                below = level[part] = {}
            level = below
        if not isinstance(level.get(leaf), dict):
            level[leaf] = data
    return nested
