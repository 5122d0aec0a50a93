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
#: Seconds a request body may take to arrive in full (``REGISTRY_BODY_TIMEOUT``), and an idle
#: keep-alive connection may stay open (``REGISTRY_IDLE_TIMEOUT``): a client that sends a
#: ``Content-Length`` and then trickles, or holds connections open, cannot pin the server.
DEFAULT_BODY_SECONDS = 30.0
DEFAULT_IDLE_SECONDS = 5.0
#: Connections one client address may hold open at once, per serving process
#: (``REGISTRY_CLIENT_CONNECTIONS``); past that a connection is answered 429 and closed.
DEFAULT_CLIENT_CONNECTIONS = 64


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise InvalidInput(f"{name}={text!r} is not a number of seconds", hint=f"set {name} to 0.1 … 3600")
    return value


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        raise InvalidInput(
            f"{name}={text!r} is not a count", hint=f"set {name} to a whole number, 1 … 100000"
        )
    return int(text)


@dataclass(frozen=True)
class Settings:
    store: Path | None = None
    signing_key: Path | None = None
    identity: Identity = field(default_factory=Identity)
    body_seconds: float = DEFAULT_BODY_SECONDS
    idle_seconds: float = DEFAULT_IDLE_SECONDS
    client_connections: int = DEFAULT_CLIENT_CONNECTIONS

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
        return cls(
            Path(str(store)) if store else None,
            Path(str(key)) if key else None,
            identity,
            _seconds(env, "REGISTRY_BODY_TIMEOUT", DEFAULT_BODY_SECONDS),
            _seconds(env, "REGISTRY_IDLE_TIMEOUT", DEFAULT_IDLE_SECONDS),
            _count(env, "REGISTRY_CLIENT_CONNECTIONS", DEFAULT_CLIENT_CONNECTIONS),
        )

    def require_store(self) -> Path:
        if self.store is None:
            raise InvalidInput("no store given", hint="pass --store PATH or set REGISTRY_STORE")
        return self.store
