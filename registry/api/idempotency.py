"""``X-Idempotency-Key``: a retried POST gets the first answer, from any process, after any restart.

The key is not kept in memory. A write that carries one records it in its commit as two
trailers: ``Idempotency-Key: <scope>/<key>`` and ``Idempotency-Request: <sha256>`` (of the
method, path and body). The scope is the tenant for capsules and ``_contracts`` for the
contracts API (tenant names start with a letter or digit, so the two never meet). The
index maps every recorded ``<scope>/<key>`` to its commit, so any process serving the
store finds it, and the answer is rebuilt from the index, exactly as the first one was.

The same key with a different request is refused with 422 (``request.key_reused``), as
draft-ietf-httpapi-idempotency-key-header says: the key names one request, and answering
another with it would hide that the second one was never carried out.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pygit2

from registry.api.errors import KeyReused
from registry.errors import InvalidInput
from registry.git.store import Store
from registry.index.snapshot import IndexSnapshot

HEADER = "X-Idempotency-Key"
KEY_TRAILER = "Idempotency-Key"
REQUEST_TRAILER = "Idempotency-Request"
CONTRACTS_SCOPE = "_contracts"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII: one token in one trailer line


@dataclass(frozen=True)
class Idempotency:
    """One POST's idempotency key (None when it sent none) and its request fingerprint."""

    scope: str
    key: str | None
    fingerprint: str

    @classmethod
    def of(cls, header: str | None, *, scope: str, method: str, path: str, body: bytes) -> Idempotency:
        if header is not None and not _KEY.match(header):
            raise InvalidInput(
                f"{HEADER} must be 1 to 255 visible ASCII characters",
                hint="use a UUID or another token without spaces",
            )
        digest = hashlib.sha256(f"{method} {path}\n".encode() + body).hexdigest()
        return cls(scope, header, digest)

    @property
    def name(self) -> str:
        return f"{self.scope}/{self.key}"

    def trailers(self) -> dict[str, str]:
        """What the write's commit records; nothing without a key."""
        if self.key is None:
            return {}
        return {KEY_TRAILER: self.name, REQUEST_TRAILER: self.fingerprint}

    def recorded(self, snapshot: IndexSnapshot, store: Store) -> str | None:
        """The commit that first answered this key, or None when it is new.

        Raises ``KeyReused`` when that commit answered a different request.
        """
        if self.key is None:
            return None
        commit = snapshot.idempotency.get(self.name)
        if commit is None:
            return None
        if commit_trailers(store, commit).get(REQUEST_TRAILER) != self.fingerprint:
            raise KeyReused(
                f"{HEADER} {self.key!r} was already used for a different request",
                hint="send a new key for a new request; resend the first request unchanged to "
                "get its answer again",
            )
        return commit


def commit_trailers(store: Store, commit: str) -> dict[str, str]:
    """The ``Key: value`` trailers of a commit's message (its last paragraph)."""
    try:
        message = store.repo[pygit2.Oid(hex=commit)].message
    except (KeyError, ValueError):
        return {}
    last = message.rstrip("\n").split("\n\n")[-1]
    out: dict[str, str] = {}
    for line in last.splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            out[key.strip()] = value.strip()
    return out
