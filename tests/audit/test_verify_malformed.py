"""`registry verify` fails a malformed tag alone, by name, and goes on checking the others."""

from __future__ import annotations

import pygit2
import pytest
from pygit2.enums import ObjectType
from support import registry_cli

from registry.audit.verify import verify_store
from registry.gate.published import NewVersion
from registry.git.store import Identity, Store
from registry.trust.sshsig import SigningKey
from registry.write.landing import write_version_tag

CAPSULE = "capsules/acme/invoice-reminder"
REF = f"refs/tags/{CAPSULE}/1"


def retag(store: Store, key: SigningKey, *, signature: str) -> None:
    """Replace the capsule's version-1 tag with one signed by the registry but carrying ``signature``."""
    tag_id = store.refs_under(f"refs/tags/{CAPSULE}/")[REF]
    commit, raw = store.tag_target(tag_id)
    digest = next(
        line.split(": ", 1)[1] for line in raw.decode().splitlines() if line.startswith("content-hash: ")
    )
    store.repo.references.delete(REF)
    version = NewVersion("capsule", CAPSULE, "1", digest)
    forged = write_version_tag(store, version, commit=commit, key=key, tagger=Identity(), signature=signature)
    store.create_tag_ref(REF, forged)


@pytest.mark.parametrize(
    ("signature", "words"),
    [
        ("abc", "not base64"),  # bad padding: binascii.Error before the fix
        ("%%%%", "not base64"),
        ("QUJD" * 3 + "!", "not base64"),
        ("AAAA", "does not verify"),  # valid base64, a 3-byte "signature"
        ("A" * 86 + "==", "does not verify"),  # 64 zero bytes: the right size, the wrong signature
    ],
)
def test_a_malformed_capsule_signature_fails_that_version_only(
    example_store: Store, key: SigningKey, signature: str, words: str
) -> None:
    retag(example_store, key, signature=signature)
    findings = {f.ref: f for f in verify_store(example_store)}
    bad = findings.pop(f"{CAPSULE}/1")
    assert not bad.ok and words in bad.message
    assert findings and all(f.ok for f in findings.values()), [f for f in findings.values() if not f.ok]


def test_verify_from_the_command_line_names_the_version_and_exits_1(
    example_store: Store, key: SigningKey
) -> None:
    retag(example_store, key, signature="abc")
    out = registry_cli("verify", str(example_store.path))
    assert out.returncode == 1, out.stderr
    assert f"FAIL {CAPSULE}/1: capsule signature field is missing or not base64" in out.stderr
    assert "internal error" not in out.stderr and "Traceback" not in out.stderr
    assert "ok   contracts/ritual.started/1.0.0" in out.stdout
    assert out.stdout.rstrip().endswith("1 failed")


def test_a_tag_whose_ssh_armor_is_not_text_fails_alone(example_store: Store) -> None:
    tag_id = example_store.refs_under(f"refs/tags/{CAPSULE}/")[REF]
    raw = example_store.repo.odb.read(pygit2.Oid(hex=tag_id))[1]
    payload = raw.split(b"-----BEGIN SSH SIGNATURE-----")[0]
    garbage = payload + b"-----BEGIN SSH SIGNATURE-----\n\xff\xfe\x00\n-----END SSH SIGNATURE-----\n"
    example_store.repo.references.delete(REF)
    example_store.create_tag_ref(REF, example_store.repo.odb.write(ObjectType.TAG, garbage))
    findings = {f.ref: f for f in verify_store(example_store)}
    bad = findings.pop(f"{CAPSULE}/1")
    assert not bad.ok and bad.message.startswith("cannot be checked:")
    assert all(f.ok for f in findings.values())
