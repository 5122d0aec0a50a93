"""The registry's own signing key: the one a flag or the environment names, else the store's.

Settings only carry the path; a door that writes loads the key here, so the values know
nothing of keys or stores.
"""

from __future__ import annotations

from pathlib import Path

from registry.errors import InvalidInput
from registry.git.store import Store
from registry.settings import SIGNING_KEY_CONFIG
from registry.trust.sshsig import SigningKey


def registry_key_path(store: Store, path: Path | None) -> Path | None:
    """``path`` when given, else where the store's ``registry.signingKey`` points; None if nowhere."""
    return path or (Path(p) if (p := store.config(SIGNING_KEY_CONFIG)) else None)


def registry_key(store: Store, path: Path | None) -> SigningKey:
    """The key at ``path`` when given, else the one the store's ``registry.signingKey`` names."""
    path = registry_key_path(store, path)
    if path is None:
        raise InvalidInput(
            "no registry signing key",
            hint="pass --signing-key PATH, set REGISTRY_SIGNING_KEY, or set registry.signingKey "
            "in the store's git config",
        )
    return SigningKey.load(path)
