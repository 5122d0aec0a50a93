"""Signatures: git's SSH format, written and read without ssh-keygen."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from registry.errors import SignatureError
from registry.trust.sshsig import PublicKey, SigningKey, verify_ssh


def test_signature_round_trips_and_names_the_principal(key: SigningKey) -> None:
    armor = key.sign_ssh(b"hello")
    assert verify_ssh(armor, b"hello", {key.public.raw: "registry"}) == "registry"


def test_a_changed_message_fails(key: SigningKey) -> None:
    armor = key.sign_ssh(b"hello")
    with pytest.raises(SignatureError, match="bad signature"):
        verify_ssh(armor, b"hellO", {key.public.raw: "registry"})


def test_an_unlisted_key_is_refused_with_a_hint(key: SigningKey) -> None:
    other = SigningKey.generate()
    with pytest.raises(SignatureError, match="not a listed signer") as info:
        verify_ssh(other.sign_ssh(b"x"), b"x", {key.public.raw: "registry"})
    assert "registry.yaml" in (info.value.hint or "")


def test_ssh_keygen_accepts_our_signature(tmp_path: Path, key: SigningKey) -> None:
    message = tmp_path / "msg"
    message.write_bytes(b"payload\n")
    sig = tmp_path / "msg.sig"
    sig.write_text(key.sign_ssh(b"payload\n") + "\n")
    allowed = tmp_path / "allowed"
    allowed.write_text(f"registry {key.public.openssh()}\n")
    result = subprocess.run(
        ["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", "registry", "-n", "git", "-s", str(sig)],
        input=message.read_text(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_we_accept_ssh_keygen_signatures(tmp_path: Path) -> None:
    keyfile = tmp_path / "k"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keyfile)], check=True)
    message = tmp_path / "m"
    message.write_bytes(b"data")
    subprocess.run(
        ["ssh-keygen", "-q", "-Y", "sign", "-f", str(keyfile), "-n", "git", str(message)], check=True
    )
    pub = PublicKey.parse((tmp_path / "k.pub").read_text())
    armor = (tmp_path / "m.sig").read_text()
    assert verify_ssh(armor, b"data", {pub.raw: "author"}) == "author"
    assert SigningKey.load(keyfile).public == pub


def test_saved_key_files_are_private_and_readable_back(tmp_path: Path) -> None:
    key = SigningKey.generate()
    line = key.save(tmp_path / "k", comment="ops")
    assert (tmp_path / "k").stat().st_mode & 0o077 == 0
    assert line.startswith("ssh-ed25519 ") and line.endswith(" ops")
    assert SigningKey.load(tmp_path / "k").public == key.public


def test_public_key_parse_refuses_other_types() -> None:
    with pytest.raises(Exception, match="Ed25519"):
        PublicKey.parse("ssh-rsa AAAAB3NzaC1yc2E= x")
