"""What the HTTP door is given: one typed object, built at the edge by ``registry serve``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from registry.git.store import Identity
from registry.trust.sshsig import SigningKey

if TYPE_CHECKING:
    from registry.auth.authenticator import Authenticator
    from registry.index.live import LiveIndex
    from registry.replica.follower import Follower


@dataclass(frozen=True)
class ApiConfig:
    """The store the API serves, the index it reads, who may call it, and the key it writes with.

    ``key`` is None for a server that cannot write (its store has no registry key): writes
    then answer as refused, and reads work as usual.
    """

    store_path: Path
    index: LiveIndex
    authenticator: Authenticator
    key: SigningKey | None
    identity: Identity = field(default_factory=Identity)
    dev: bool = False
    #: Seconds a request body may take to arrive in full; then 408.
    body_seconds: float = 30.0
    #: A read replica's follower (None on a primary): writes answer 503 naming its primary.
    follower: Follower | None = None
    #: What ``POST /-/refresh`` must carry (``REGISTRY_REFRESH_SECRET``).
    refresh_secret: str | None = None
