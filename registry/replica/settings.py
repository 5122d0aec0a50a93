"""Replication settings, read from the environment once, at the edge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from registry.errors import InvalidInput

MIN_SECRET_LENGTH = 16


@dataclass(frozen=True)
class ReplicationSettings:
    """``REGISTRY_REPLICAS`` (a primary's replicas, by URL, separated by commas or spaces),
    ``REGISTRY_REFRESH_SECRET`` (what a refresh request must carry) and
    ``REGISTRY_MIRROR_TOKEN`` (a token a replica fetches with, for a primary served over HTTP)."""

    replicas: tuple[str, ...] = ()
    refresh_secret: str | None = None
    mirror_token: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ReplicationSettings:
        replicas = tuple(u for u in env.get("REGISTRY_REPLICAS", "").replace(",", " ").split() if u)
        for url in replicas:
            if not url.startswith(("http://", "https://")):
                raise InvalidInput(
                    f"REGISTRY_REPLICAS names {url!r}, which is not an http(s) URL",
                    hint="list each replica's base URL, e.g. http://replica-1:8080",
                )
        secret = env.get("REGISTRY_REFRESH_SECRET") or None
        if secret is not None and len(secret) < MIN_SECRET_LENGTH:
            raise InvalidInput(
                f"REGISTRY_REFRESH_SECRET is shorter than {MIN_SECRET_LENGTH} characters",
                hint="use a long random value, e.g. the output of: openssl rand -base64 32",
            )
        if replicas and secret is None:
            raise InvalidInput(
                "REGISTRY_REPLICAS is set but REGISTRY_REFRESH_SECRET is not",
                hint="give the primary and its replicas the same REGISTRY_REFRESH_SECRET",
            )
        return cls(replicas, secret, env.get("REGISTRY_MIRROR_TOKEN") or None)
