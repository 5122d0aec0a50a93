"""A replica serves a version tag only when a registry key listed at its commit signed it."""

from __future__ import annotations

import pygit2

from registry.git.store import Identity, Store, git_signature
from registry.replica.tagcheck import refusal
from registry.trust.sshsig import SigningKey

RITUAL = "refs/tags/contracts/ritual.started/1.0.0"


def tag(
    store: Store, key: SigningKey | None, name: str = "contracts/ritual.started/7.0.0"
) -> tuple[str, str]:
    head = store.head()
    assert head is not None
    message = "contract ritual.started 7.0.0\n\ndigest: 00\n"
    if key is None:
        oid = store.repo.create_tag(
            name, head, pygit2.enums.ObjectType.COMMIT, git_signature(Identity()), message
        )
    else:
        oid = store.write_tag(name=name, target=head, message=message, tagger=Identity(), key=key)
    return f"refs/tags/{name}", str(oid)


def test_a_tag_the_registry_signed_is_served(example_store: Store) -> None:
    assert refusal(example_store, RITUAL, example_store.refs_under("refs/tags/contracts/")[RITUAL]) is None


def test_a_tag_signed_by_another_key_is_refused(example_store: Store) -> None:
    ref, oid = tag(example_store, SigningKey.generate())
    reason = refusal(example_store, ref, oid)
    assert reason is not None and "is not a listed signer" in reason


def test_an_unsigned_tag_is_refused(example_store: Store) -> None:
    ref, oid = tag(example_store, None)
    assert refusal(example_store, ref, oid) == "the tag is not signed"


def test_a_ref_to_anything_but_an_annotated_tag_is_refused(example_store: Store) -> None:
    head = str(example_store.head())
    reason = refusal(example_store, RITUAL, head)  # a commit, not a tag
    assert reason == "the ref names a commit, not an annotated tag"
    assert refusal(example_store, RITUAL, "0" * 40) == "the tag cannot be read: KeyError"
