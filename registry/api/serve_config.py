"""What ``registry serve`` is told: one frozen configuration, parsed once from flags and the environment.

It is made of the parts each door already owns: the registry's :class:`Settings` (store,
key, identity), the :class:`AuthSettings` tokens are verified with, the operations'
:class:`OpsSettings` (logs, traces, events, metrics), and where to listen. The command
parses it at the edge; ``serve`` hands it to every worker process as it is (uvicorn
pickles it into each spawned worker), so no process reads the environment again.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from registry.auth.settings import AuthSettings
from registry.errors import InvalidInput
from registry.ops.process import OpsSettings
from registry.replica.settings import ReplicationSettings
from registry.settings import Settings


@dataclass(frozen=True)
class ServeConfig:
    """Everything a serving process needs to know; see the module docstring."""

    settings: Settings
    auth: AuthSettings = field(default_factory=AuthSettings)
    ops: OpsSettings = field(default_factory=OpsSettings)
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    dev: bool = False
    #: Where ``--workers`` processes post the head their index holds; set by the parent.
    board: Path | None = None
    #: A primary's replicas to tell, or a replica's token for fetching over HTTP.
    replication: ReplicationSettings = field(default_factory=ReplicationSettings)
    #: A read replica: the primary's store URL (anything ``git fetch`` takes), and where
    #: the mirror lives; the store is then ``data_dir/store.git``.
    mirror: str | None = None
    data_dir: Path | None = None
    fetch_interval: float = 30.0
    #: The primary's HTTP address, named in a replica's refusals of writes.
    primary: str | None = None

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str],
        *,
        store: str | Path | None = None,
        host: str = "127.0.0.1",
        port: int = 8080,
        workers: int = 1,
        dev: bool = False,
        mirror: str | None = None,
        data_dir: Path | None = None,
        fetch_interval: float = 30.0,
        primary: str | None = None,
    ) -> ServeConfig:
        """Flags win over the environment; a bad setting refuses here, before anything starts."""
        if mirror is not None:
            if data_dir is None:
                raise InvalidInput(
                    "--mirror needs --data-dir", hint="name the directory the replica keeps its mirror in"
                )
            store = Path(data_dir) / "store.git"
        settings = Settings.from_env(env, store=store)
        settings.require_store()
        if not 0 <= port <= 65535:
            raise InvalidInput(f"port {port} is out of range", hint="use a port from 0 to 65535")
        return cls(
            settings=settings,
            auth=AuthSettings.from_env(env),
            ops=OpsSettings.from_env(env),
            host=host,
            port=port,
            workers=workers,
            dev=dev,
            replication=ReplicationSettings.from_env(env),
            mirror=mirror,
            data_dir=data_dir,
            fetch_interval=fetch_interval,
            primary=primary,
        )

    @property
    def store(self) -> Path:
        return self.settings.require_store()

    def with_dev_secret(self) -> ServeConfig:
        """In development mode without a secret or key: a throwaway secret, the same in every worker."""
        if not self.dev or self.auth.configured:
            return self
        return replace(self, auth=replace(self.auth, secret=secrets.token_urlsafe(48)))
