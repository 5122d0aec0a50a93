"""`registry verify` catches what a consumer must not trust: forged digests and untrusted signers."""

from __future__ import annotations

import pygit2

from registry.audit.verify import verify_store
from registry.gate.published import NewVersion
from registry.git.store import Identity, Store
from registry.trust.sshsig import SigningKey
from registry.write.landing import write_version_tag


def test_every_example_version_verifies(example_store: Store) -> None:
    findings = verify_store(example_store)
    assert findings and all(f.ok for f in findings), [f for f in findings if not f.ok]


def test_a_tag_whose_digest_does_not_match_the_content_is_named(
    example_store: Store, key: SigningKey
) -> None:
    head = example_store.head()
    assert head is not None
    forged = NewVersion("contract", "contracts/ritual.started", "9.9.9", "0" * 64)
    tag = write_version_tag(example_store, forged, commit=head, key=key, tagger=Identity())
    example_store.create_tag_ref(forged.tag_ref, tag)
    [finding] = verify_store(example_store, only="contracts/ritual.started/9.9.9")
    assert not finding.ok and "does not hold this contract version" in finding.message
    # Re-point the real version's tag (behind the gate's back) at a forged digest.
    example_store.repo.references.delete("refs/tags/contracts/ritual.started/1.0.0")
    forged = NewVersion("contract", "contracts/ritual.started", "1.0.0", "0" * 64)
    tag = write_version_tag(example_store, forged, commit=head, key=key, tagger=Identity())
    example_store.create_tag_ref(forged.tag_ref, tag)
    [finding] = verify_store(example_store, only="contracts/ritual.started/1.0.0")
    assert not finding.ok and finding.message.startswith("digest mismatch: tag says 0000")


def test_a_capsule_signature_by_another_key_fails(example_store: Store) -> None:
    head = example_store.head()
    stranger = SigningKey.generate()
    ref = "refs/tags/capsules/acme/invoice-reminder/1"
    tag_id = example_store.refs_under("refs/tags/capsules/acme/invoice-reminder/")[ref]
    raw = example_store.repo.odb.read(pygit2.Oid(hex=tag_id))[1]
    message = raw.split(b"\n\n", 1)[1].split(b"-----BEGIN")[0].decode()
    digest = next(line.split(": ")[1] for line in message.splitlines() if line.startswith("content-hash"))
    forged = NewVersion("capsule", "capsules/acme/invoice-reminder", "2", digest)
    bad_tag = write_version_tag(example_store, forged, commit=head, key=stranger, tagger=Identity())
    example_store.create_tag_ref(forged.tag_ref, bad_tag)
    [finding] = verify_store(example_store, only="capsules/acme/invoice-reminder/2")
    assert not finding.ok and "not a listed signer" in finding.message


def test_a_capsule_signed_by_a_stranger_under_a_valid_tag_signature_fails(
    example_store: Store, key: SigningKey
) -> None:
    head = example_store.head()
    published = example_store.refs_under("refs/tags/capsules/acme/invoice-reminder/")
    raw = example_store.repo.odb.read(
        pygit2.Oid(hex=published["refs/tags/capsules/acme/invoice-reminder/1"])
    )[1]
    message = raw.split(b"\n\n", 1)[1].split(b"-----BEGIN")[0].decode()
    digest = next(line.split(": ")[1] for line in message.splitlines() if line.startswith("content-hash"))
    forged = NewVersion("capsule", "capsules/acme/invoice-reminder", "2", digest)
    stranger = SigningKey.generate().sign_digest_b64(bytes.fromhex(digest))
    # The registry's own key signs the tag; only the capsule's signature field is a stranger's.
    tag = write_version_tag(
        example_store, forged, commit=head, key=key, tagger=Identity(), signature=stranger
    )
    example_store.create_tag_ref(forged.tag_ref, tag)
    [finding] = verify_store(example_store, only="capsules/acme/invoice-reminder/2")
    assert not finding.ok
    assert "capsule signature does not verify" in finding.message
