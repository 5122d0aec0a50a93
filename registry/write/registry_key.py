"""The key a writer signs version tags with must be the ``registry`` signer ``registry.yaml`` lists.

Version tags are verified against that signer, so a key changed in config alone would write
tags that every verification then fails; every landing checks the key first.
"""

from __future__ import annotations

import pygit2

from registry.errors import RegistryKeyNotListed
from registry.gate.policy import policy_at
from registry.git.store import Store
from registry.trust.sshsig import PublicKey, SigningKey

#: The principal ``registry init`` lists for the registry's own key.
REGISTRY_PRINCIPAL = "registry"

ROTATE_HINT = (
    "point registry.signingKey (or REGISTRY_SIGNING_KEY) back at the key registry.yaml lists; "
    "to change keys, run 'registry key rotate STORE --new-key PATH' with the current key, "
    "which lists the new key in a commit the current key signs"
)


def listed_registry_key(store: Store, at: pygit2.Oid | None) -> PublicKey | None:
    signer = policy_at(store, at).signer(REGISTRY_PRINCIPAL)
    return signer.key if signer is not None else None


def check_registry_key(store: Store, key: SigningKey, *, at: pygit2.Oid) -> None:
    """Refuse to sign version tags at ``at`` with a key that is not its registry signer."""
    listed = listed_registry_key(store, at)
    if listed is not None and listed.raw == key.public.raw:
        return
    has = f"lists {listed.fingerprint()}" if listed is not None else "lists no 'registry' signer"
    raise RegistryKeyNotListed(
        f"the registry key {key.public.fingerprint()} is not the registry's signer: registry.yaml {has}; "
        "tags signed with it would fail verification, so nothing was written",
        hint=ROTATE_HINT,
    )
