"""What every route of the HTTP door shares: the index it reads, the callers it admits, how it writes.

One :class:`Door` per app, built by ``create_app`` from the ``ApiConfig``. Reads take the
index's current snapshot once per request and answer from it alone. Writes go through
``publish()`` like every other door, signed with the server's registry key and crediting
the caller as the commit's author, and answer only once the index holds what they wrote.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pygit2
from starlette.requests import Request

from registry.api.caching import Encoded, EncodedCache
from registry.api.config import ApiConfig
from registry.api.errors import ReadOnly
from registry.errors import ConcurrentUpdate
from registry.gate.policy import StorePolicy, policy_at
from registry.git.store import Identity, Store
from registry.index.snapshot import IndexSnapshot
from registry.ops.doors import observe_publish
from registry.write.publish import PublishResult, Writer
from registry.write.publisher import Publisher

if TYPE_CHECKING:
    from registry.auth.principal import Principal

#: How long a write waits for the index to hold it before answering 503.
SETTLE_TIMEOUT_S = 10.0


@dataclass
class Door:
    config: ApiConfig
    encoded: EncodedCache = field(default_factory=EncodedCache)
    _local: threading.local = field(default_factory=threading.local)
    _authors: dict[str, str | None] = field(default_factory=dict)
    _per_snapshot: dict[str, tuple[IndexSnapshot, Encoded]] = field(default_factory=dict)
    #: Every write of this door (and of the Confluent-compatible door, which shares it).
    publisher: Publisher = field(init=False)

    def __post_init__(self) -> None:
        # The index hears first, so the writer's next read holds the write.
        self.publisher = Publisher("http", listeners=(self.config.index.landed,), around=observe_publish)

    @classmethod
    def of(cls, request: Request) -> Door:
        door: Door = request.app.state.door
        return door

    # -- reading ------------------------------------------------------------------

    def snapshot(self) -> IndexSnapshot:
        return self.config.index.snapshot

    def policy(self, snapshot: IndexSnapshot) -> StorePolicy:
        """The store policy at ``snapshot``'s head: the snapshot carries it, read once per change."""
        if snapshot.policy is not None:
            return snapshot.policy
        # Only a registry.yaml the index could not read: read it here, so the refusal says why.
        return policy_at(self.store(), pygit2.Oid(hex=snapshot.head) if snapshot.head else None)

    def per_snapshot(self, name: str, snapshot: IndexSnapshot, build: Callable[[], Encoded]) -> Encoded:
        """An answer that depends on the whole snapshot (a list), encoded once per snapshot."""
        held = self._per_snapshot.get(name)
        if held is not None and held[0] is snapshot:
            return held[1]
        encoded = build()
        self._per_snapshot[name] = (snapshot, encoded)
        return encoded

    def store(self) -> Store:
        """The store, opened once per thread (pygit2 repositories are not shared across threads)."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store.open(self.config.store_path)
            self._local.store = store
        return store

    def author_of(self, commit: str) -> str | None:
        """Who a commit credits as its author: for an HTTP write, the caller's subject.

        Commits never change, so each is read once.
        """
        authors: dict[str, str | None] = self._authors
        if commit not in authors:
            try:
                authors[commit] = self.store().repo[pygit2.Oid(hex=commit)].author.name
            except (KeyError, ValueError):
                authors[commit] = None
        return authors[commit]

    # -- callers ------------------------------------------------------------------

    def caller(self, request: Request) -> Principal:
        """The verified caller of a request, or the refusal (401) that says why not."""
        principal: Principal = self.config.authenticator.authenticate(request.headers.get("authorization"))
        request.state.principal = principal  # the request log names the caller's subject
        return principal

    async def caller_async(self, request: Request) -> Principal:
        """``caller`` for a route on the event loop: never blocks it on fetching keys."""
        authenticator = self.config.authenticator
        principal: Principal = await authenticator.authenticate_async(request.headers.get("authorization"))
        request.state.principal = principal  # the request log names the caller's subject
        return principal

    # -- writing ------------------------------------------------------------------

    def writer(self, principal: Principal) -> Writer:
        """The server's registry key and identity, crediting the caller as the commit's author."""
        if self.config.key is None:
            raise ReadOnly(
                "this server cannot write: it has no registry signing key",
                hint="publish through a server started with a signing key, or with "
                "'registry publish --store' or 'git push'",
            )
        name = "".join(c for c in principal.subject if c.isprintable() and c not in "<>") or "user"
        author = Identity(name, f"{_email_local(principal.subject)}@users.registry")
        return Writer(self.config.key, self.config.identity, author=author)

    def publish(
        self, principal: Principal, write: Callable[[Publisher, Store, Writer], PublishResult]
    ) -> PublishResult:
        """Run one write through this door's publisher and wait until the index holds it."""
        result = write(self.publisher, self.store(), self.writer(principal))
        self.settle(str(result.commit))
        return result

    def settle(self, commit: str) -> IndexSnapshot:
        """The index once it holds ``commit``: a client reads its own write at once."""
        snapshot = self.config.index.wait_for(commit, SETTLE_TIMEOUT_S)
        if snapshot is None:
            raise ConcurrentUpdate(
                f"the write {commit[:12]} is in the store but the index has not caught up yet",
                hint="read it again in a moment; the write itself succeeded",
            )
        return snapshot


def _email_local(subject: str) -> str:
    """A subject made safe for the local part of a commit's author e-mail."""
    safe = "".join(c if c.isalnum() or c in "._+-" else "-" for c in subject)
    return safe.strip(".") or "user"
