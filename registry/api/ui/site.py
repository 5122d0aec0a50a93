"""What every page of the UI shares: the API's door (index, store, callers) and what is worth
keeping between requests (the store policy per head, verifications, changelogs)."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pygit2

from registry.api.door import Door
from registry.api.ui.verification import Verifications
from registry.gate.policy import StorePolicy, policy_at
from registry.git.store import Store
from registry.index.snapshot import IndexSnapshot

#: Changelogs kept at most, each for one contract at one head of ``main``.
MAX_CHANGELOGS = 256


_PLAIN = re.compile(r"^[A-Za-z0-9._-]*$")


def _part(text: str) -> str:
    # Contract names and versions need no escaping: skip quote() for them, a list calls this often.
    return text if _PLAIN.match(text) and text not in (".", "..") else quote(text, safe="")


def url(*parts: str, **query: str) -> str:
    """A UI path with each part escaped: ``url("contracts", name)`` → ``/ui/contracts/<name>``."""
    path = "/ui/" + "/".join(_part(p) for p in parts)
    pairs = [f"{quote(k)}={quote(v, safe='')}" for k, v in query.items() if v is not None]
    return path + ("?" + "&".join(pairs) if pairs else "")


@dataclass
class Site:
    door: Door
    verifications: Verifications = field(default_factory=Verifications)
    _policies: dict[str | None, StorePolicy] = field(default_factory=dict)
    _changelogs: OrderedDict[tuple[Any, ...], Any] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self) -> IndexSnapshot:
        return self.door.snapshot()

    def store(self) -> Store:
        return self.door.store()

    def policy(self, snapshot: IndexSnapshot) -> StorePolicy:
        """``registry.yaml`` as of the snapshot's head (never a newer one)."""
        found = self._policies.get(snapshot.head)
        if found is None:
            head = pygit2.Oid(hex=snapshot.head) if snapshot.head else None
            found = policy_at(self.store(), head)
            self._policies = {snapshot.head: found}  # only the current head is worth keeping
        return found

    def author(self, commit: str) -> str | None:
        return self.door.author_of(commit)

    def contract_link(self, snapshot: IndexSnapshot) -> Callable[[str], str | None]:
        return lambda name: url("contracts", name) if name in snapshot.contracts else None

    def kept(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """A result kept per ``key`` (bounded), built once."""
        with self._lock:
            if key in self._changelogs:
                self._changelogs.move_to_end(key)
                return self._changelogs[key]
        value = build()
        with self._lock:
            self._changelogs[key] = value
            while len(self._changelogs) > MAX_CHANGELOGS:
                self._changelogs.popitem(last=False)
        return value
