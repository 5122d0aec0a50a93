"""One typed settings object, built at the edge from flags and the environment (``environment.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from registry.environment import environment
from registry.errors import InvalidInput
from registry.model import Identity

#: The store's git config entry naming the registry key (``trust.registry_key`` reads it).
SIGNING_KEY_CONFIG = "registry.signingKey"


@dataclass(frozen=True)
class Settings:
    store: Path | None = None
    signing_key: Path | None = None
    identity: Identity = field(default_factory=Identity)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **flags: object) -> Settings:
        """Flags win; ``REGISTRY_STORE``/``REGISTRY_SIGNING_KEY`` fill what they leave out."""
        env = environment() if env is None else env
        store = flags.get("store") or env.get("REGISTRY_STORE")
        key = flags.get("signing_key") or env.get("REGISTRY_SIGNING_KEY")
        identity = Identity(
            env.get("REGISTRY_IDENTITY_NAME", "registry"),
            env.get("REGISTRY_IDENTITY_EMAIL", "registry@localhost"),
        )
        return cls(Path(str(store)) if store else None, Path(str(key)) if key else None, identity)

    def require_store(self) -> Path:
        if self.store is None:
            raise InvalidInput("no store given", hint="pass --store PATH or set REGISTRY_STORE")
        return self.store
