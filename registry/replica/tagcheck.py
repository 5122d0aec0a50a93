"""Whether a version tag carries the registry's signature, by the keys its own commit lists.

A replica serves what it fetched only once the registry signed it. The keys that count
are the admin signers of ``registry.yaml`` at the commit the tag points at: the registry
key is listed there as an admin by ``registry init`` (and by a rotation, which an admin
signs), so a tag written by the registry when that commit was published verifies with
them, and a later change of ``registry.yaml`` cannot make an old forgery valid.
"""

from __future__ import annotations

import struct

import pygit2

from registry.errors import RegistryError
from registry.gate.policy import policy_at
from registry.gate.published import read_published
from registry.git.store import Store
from registry.trust.signers import allowed_keys
from registry.trust.sshsig import verify_ssh

#: What a hostile or damaged tag can make reading it raise: that tag is refused, nothing else.
_UNREADABLE = (RegistryError, ValueError, LookupError, TypeError, struct.error, pygit2.GitError)


def registry_keys_at(store: Store, commit: pygit2.Oid) -> dict[bytes, str]:
    """The raw keys of the admin signers ``registry.yaml`` lists at ``commit``."""
    policy = policy_at(store, commit)
    return allowed_keys([s for s in policy.signers if "admin" in s.roles])


def refusal(store: Store, ref: str, tag_id: str) -> str | None:
    """None when ``tag_id`` is signed by a registry key listed at its commit; else why not."""
    try:
        obj = store.repo[tag_id]
        if obj.type != pygit2.enums.ObjectType.TAG:
            return f"the ref names a {obj.type_str}, not an annotated tag"
        published = read_published(store, ref, tag_id)
        if published.armor is None:
            return "the tag is not signed"
        verify_ssh(published.armor, published.signed_payload, registry_keys_at(store, published.commit))
    except RegistryError as exc:
        return exc.message
    except _UNREADABLE as exc:
        return f"the tag cannot be read: {type(exc).__name__}"
    return None
