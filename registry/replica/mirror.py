"""A replica's store: the primary's refs fetched aside, and promoted only once signed.

``git fetch`` brings the primary's ``main`` and tags into ``refs/mirror/`` of a bare
repository in the data directory. A version tag moves to ``refs/tags/`` (where the index
reads versions) only when :mod:`registry.replica.tagcheck` finds the registry's
signature on it; ``main`` follows the primary's. Tags and ``main`` move in one
``git update-ref --stdin`` transaction, so the index never sees one without the other.
What was refused stays in ``refs/mirror/`` and is checked again only if the primary's
tag changes. ``refs/mirror/`` is hidden from clients of the replica's own git service.
"""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pygit2

from registry.environment import environment
from registry.errors import StoreError
from registry.git.packing import PACK_THRESHOLD, keep_packed
from registry.git.refs import CAPSULE_TAGS, CONTRACT_TAGS, TAG_PREFIX
from registry.git.store import Store
from registry.paths import area
from registry.replica.tagcheck import refusal

log = logging.getLogger("registry.replica")

MIRROR = "refs/mirror/"
MIRROR_MAIN = "refs/mirror/heads/main"
MIRROR_TAGS = "refs/mirror/tags/"
MAIN = "refs/heads/main"
REFSPECS = (f"+{MAIN}:{MIRROR_MAIN}", f"+{TAG_PREFIX}*:{MIRROR_TAGS}*")
#: A fetch that takes longer than this is abandoned (the next one starts over).
FETCH_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class Refused:
    """A version tag the replica does not serve, and why."""

    tag: str  # contracts/<name>/<version>, capsules/<tenant>/<name>/<n>
    tag_id: str
    reason: str
    commit: str | None = None  # what the tag points at, when it can be read


@dataclass(frozen=True)
class SyncResult:
    head: str | None  # the primary's main as fetched, now the replica's
    promoted: tuple[str, ...] = ()
    refused: tuple[Refused, ...] = ()  # newly refused by this sync


@dataclass
class Mirror:
    """The replica's bare store at ``DATA_DIR/store.git``, following ``url``."""

    data_dir: Path
    url: str
    #: Extra git settings (``key=value``) for the fetch: an ``http.extraHeader`` with a token.
    git_config: tuple[str, ...] = ()
    refused: dict[str, Refused] = field(default_factory=dict)
    #: Signed contract tags not served because a refused one comes before them.
    held_back: tuple[str, ...] = ()
    #: Loose version tags that may gather before a sync packs the refs, as on the primary.
    pack_threshold: int = PACK_THRESHOLD

    @property
    def path(self) -> Path:
        return self.data_dir / "store.git"

    def ensure(self) -> Store:
        """The store, created empty on first use."""
        if not (self.path / "HEAD").exists():
            self.path.mkdir(parents=True, exist_ok=True)
            store = Store.create(self.path)
        else:
            store = Store.open(self.path)
        if store.config("uploadpack.hideRefs") is None:
            store.set_config("uploadpack.hideRefs", MIRROR.rstrip("/"))
        return store

    def fetch(self) -> None:
        """Fetch the primary's ``main`` and tags into ``refs/mirror/``; StoreError on failure."""
        args = ["git", f"--git-dir={self.path}", "fetch", "--quiet", "--no-tags", "--no-write-fetch-head"]
        args += ["--", self.url, *REFSPECS]
        env = {**environment(), "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true"}
        # Settings go by environment, not ``-c``: a token in them stays out of the process list.
        env["GIT_CONFIG_COUNT"] = str(len(self.git_config))
        for i, setting in enumerate(self.git_config):
            key, _, value = setting.partition("=")
            env[f"GIT_CONFIG_KEY_{i}"], env[f"GIT_CONFIG_VALUE_{i}"] = key, value
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=FETCH_TIMEOUT_S, env=env)
        except subprocess.TimeoutExpired:
            raise StoreError(f"fetching {self.url} took over {FETCH_TIMEOUT_S:.0f} s") from None
        if done.returncode != 0:
            detail = " ".join(done.stderr.split())[:500] or f"exit {done.returncode}"
            raise StoreError(
                f"fetching {self.url} failed: {detail}", hint="check the primary's URL and access"
            )

    def promote(self, store: Store) -> SyncResult:
        """Serve every newly fetched tag the registry signed, and the primary's ``main``.

        A contract version tagged at or after the commit of a refused contract tag is held
        back too: the primary numbers the refused version among its Confluent schema ids
        (ids follow the order of the tags' commits), so serving a later version here would
        give it an id that means another schema on the primary.
        """
        fetched = store.refs_under(MIRROR_TAGS)
        served = {**store.refs_under(CONTRACT_TAGS), **store.refs_under(CAPSULE_TAGS)}
        signed: dict[str, str] = {}
        new_refusals: list[Refused] = []
        for mirror_ref, tag_id in sorted(fetched.items()):
            ref = TAG_PREFIX + mirror_ref.removeprefix(MIRROR_TAGS)
            if not ref.startswith((CONTRACT_TAGS, CAPSULE_TAGS)) or served.get(ref) == tag_id:
                continue
            name = ref.removeprefix(TAG_PREFIX)
            known = self.refused.get(name)
            if known is not None and known.tag_id == tag_id:
                continue
            if ref in served:
                reason = "the primary's tag changed after this replica served it; tags never move"
            else:
                reason = refusal(store, ref, tag_id)
            if reason is None:
                signed[ref] = tag_id
                self.refused.pop(name, None)
                continue
            found = Refused(name, tag_id, reason, _commit_of(store, tag_id))
            self.refused[name] = found
            new_refusals.append(found)
            log.warning("not serving %s (tag %s): %s", name, tag_id[:12], reason)
        for gone in [n for n in self.refused if MIRROR_TAGS + n not in fetched]:
            del self.refused[gone]  # the primary no longer has it
        promote, self.held_back = self._hold_back(store, signed)
        head = store.repo.references.get(MIRROR_MAIN)
        head_hex = str(head.target) if head is not None else None
        lines = [f"create {ref} {tag_id}" for ref, tag_id in promote.items()]
        if head_hex is not None and head_hex != (str(store.head()) if store.head() else None):
            lines.append(f"update {MAIN} {head_hex}")
        if lines:
            self._update_refs(lines)
        return SyncResult(head_hex, tuple(r.removeprefix(TAG_PREFIX) for r in promote), tuple(new_refusals))

    def _hold_back(self, store: Store, signed: dict[str, str]) -> tuple[dict[str, str], tuple[str, ...]]:
        """``signed`` split into what to promote, and the contract tags held back behind a
        refused contract tag (see ``promote``)."""
        blocking = {
            r.commit for r in self.refused.values() if r.commit is not None and area(r.tag) == "contract"
        }
        if not blocking:
            return signed, ()
        promote: dict[str, str] = {}
        held: list[str] = []
        for ref, tag_id in signed.items():
            commit = _commit_of(store, tag_id)
            if ref.startswith(CONTRACT_TAGS) and commit is not None and _at_or_after(store, commit, blocking):
                held.append(ref.removeprefix(TAG_PREFIX))
            else:
                promote[ref] = tag_id
        if held:
            log.warning(
                "holding back %d contract version(s) behind a refused tag: %s", len(held), ", ".join(held)
            )
        return promote, tuple(held)

    def sync(self) -> SyncResult:
        """Fetch, then promote what the registry signed, then keep the refs packed.

        A fetch and a promotion each write a loose ref per new tag; left loose they would
        slow every read of the replica's refs as its store grows, as on the primary.
        """
        self.ensure()
        self.fetch()
        result = self.promote(Store.open(self.path))
        keep_packed(self.path, threshold=self.pack_threshold)
        return result

    def _update_refs(self, lines: list[str]) -> None:
        text = "".join(f"{line}\n" for line in ["start", *lines, "commit"])
        done = subprocess.run(
            ["git", f"--git-dir={self.path}", "update-ref", "--stdin"],
            input=text,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise StoreError(f"moving the replica's refs failed: {' '.join(done.stderr.split())[:500]}")

    def holds(self, commit: str) -> bool:
        """Whether the replica's ``main`` is ``commit`` or descends from it."""
        repo = pygit2.Repository(str(self.path))
        ref = repo.references.get(MAIN)
        if ref is None:
            return False
        try:
            return str(ref.target) == commit or bool(repo.descendant_of(ref.target, pygit2.Oid(hex=commit)))
        except (KeyError, ValueError, pygit2.GitError):
            return False


def _commit_of(store: Store, tag_id: str) -> str | None:
    try:
        return str(store.repo[tag_id].peel(pygit2.Commit).id)
    except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
        return None


def _at_or_after(store: Store, commit: str, blocking: set[str]) -> bool:
    if commit in blocking:
        return True
    oid = pygit2.Oid(hex=commit)
    for other in blocking:
        try:
            if store.repo.descendant_of(oid, pygit2.Oid(hex=other)):
                return True
        except (KeyError, ValueError, pygit2.GitError):
            continue
    return False
