"""Rotating the registry key: one change the old key signs, then the store signs with the new one.

Version tags are verified against the ``registry`` signer that ``registry.yaml`` lists, so a
key changed in config alone would write tags that every verification then fails. Every
landing checks the key first (``registry.write.registry_key``), and a rotation is one change that
the old key signs: a commit listing the new key as ``registry`` (an admin's signature, as
every change to ``registry.yaml`` needs), after which the store's config names the new
key. Tags written before keep verifying: each is checked against the keys ``registry.yaml``
listed at the commit it tags (``registry.audit.verify``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from registry.errors import InvalidInput
from registry.gate.policy import POLICY_FILE, policy_at
from registry.git.store import Identity, Snapshot, Store
from registry.settings import SIGNING_KEY_CONFIG
from registry.trust.signers import Signer
from registry.trust.sshsig import PublicKey, SigningKey
from registry.write.publish import Writer, publish
from registry.write.registry_key import REGISTRY_PRINCIPAL, check_registry_key


@dataclass(frozen=True)
class Rotation:
    commit: str
    old: PublicKey
    new: PublicKey


def rotate_key(
    store: Store, *, old: SigningKey, new: SigningKey, new_path: Path, identity: Identity
) -> Rotation:
    """List ``new`` as the registry signer in a commit ``old`` signs, then switch the store to it.

    The commit passes the gate like any change to ``registry.yaml`` (an admin listed at the
    head must sign it); only then does the store's config name ``new_path``, so a failure
    leaves the store signing with ``old`` as before.
    """
    head = store.head()
    if head is None:
        raise InvalidInput("the store is empty", hint="create it with 'registry init STORE.git'")
    check_registry_key(store, old, at=head)
    if new.public.raw == old.public.raw:
        raise InvalidInput("the new key is the current registry key", hint="give a new key's path")
    current = policy_at(store, head).signer(REGISTRY_PRINCIPAL)
    assert current is not None  # check_registry_key found it
    rotated = policy_at(store, head).with_signer(
        Signer(REGISTRY_PRINCIPAL, new.public, current.roles, current.tenants)
    )

    def build(snap: Snapshot) -> Mapping[str, bytes | None]:
        text = (snap.read(POLICY_FILE) or b"").decode()
        old_line = old.public.openssh()
        # One line changes when the old key is written once, so the review shows just that;
        # otherwise the whole file is written out anew from the parsed policy.
        if text.count(old_line) == 1:
            return {POLICY_FILE: text.replace(old_line, new.public.openssh()).encode()}
        return {POLICY_FILE: rotated.to_yaml().encode()}

    result = publish(
        store,
        build,
        message="rotate the registry key",
        writer=Writer(old, identity),
        trailers={"Old-Key": old.public.fingerprint(), "New-Key": new.public.fingerprint()},
        door="cli",
    )
    store.set_config(SIGNING_KEY_CONFIG, str(new_path.resolve()))
    return Rotation(result.commit, old.public, new.public)
