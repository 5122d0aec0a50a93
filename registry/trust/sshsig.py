"""Ed25519 keys and git's SSH signature format, written and checked without ``ssh-keygen``.

Commits and tags signed here verify with stock ``git verify-commit``/``verify-tag``
given an allowed-signers file; checking them back needs only ``cryptography``.
The wire format is OpenSSH's PROTOCOL.sshsig.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from registry.errors import InvalidInput, SignatureError

NAMESPACE = b"git"
_MAGIC = b"SSHSIG"
_BEGIN = "-----BEGIN SSH SIGNATURE-----"
_END = "-----END SSH SIGNATURE-----"
_KEY_TYPE = b"ssh-ed25519"


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _read_string(buf: bytes, pos: int) -> tuple[bytes, int]:
    if pos + 4 > len(buf):
        raise SignatureError("truncated SSH signature")
    (n,) = struct.unpack(">I", buf[pos : pos + 4])
    end = pos + 4 + n
    if end > len(buf):
        raise SignatureError("truncated SSH signature")
    return buf[pos + 4 : end], end


def _signed_data(message: bytes, namespace: bytes, hash_alg: bytes = b"sha512") -> bytes:
    # What is signed omits the version field that the blob carries (PROTOCOL.sshsig).
    digest = hashlib.new(hash_alg.decode(), message).digest()
    return _MAGIC + _string(namespace) + _string(b"") + _string(hash_alg) + _string(digest)


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key, as raw bytes, with its ``ssh-ed25519 …`` spelling."""

    raw: bytes

    @classmethod
    def parse(cls, line: str) -> PublicKey:
        """Read an ``ssh-ed25519 AAAA… [comment]`` line."""
        parts = line.strip().split()
        if len(parts) < 2 or parts[0] != "ssh-ed25519":
            raise InvalidInput(
                f"not an Ed25519 public key: {line.strip()[:40]!r}",
                hint="give the 'ssh-ed25519 AAAA…' line from the key's .pub file",
            )
        try:
            blob = base64.b64decode(parts[1], validate=True)
            kind, pos = _read_string(blob, 0)
            raw, _ = _read_string(blob, pos)
        except (ValueError, SignatureError):
            raise InvalidInput(f"malformed ssh-ed25519 key: {parts[1][:20]}…") from None
        if kind != _KEY_TYPE or len(raw) != 32:
            raise InvalidInput("malformed ssh-ed25519 key")
        return cls(raw)

    @property
    def blob(self) -> bytes:
        return _string(_KEY_TYPE) + _string(self.raw)

    def openssh(self) -> str:
        return "ssh-ed25519 " + base64.b64encode(self.blob).decode()

    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.blob).digest()
        return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")

    def verify_raw(self, signature: bytes, data: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, data)
        except InvalidSignature:
            return False
        return True


class SigningKey:
    """An Ed25519 private key that signs commits, tags and digests."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public = PublicKey(raw)

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SigningKey:
        """Read an OpenSSH (or PKCS#8 PEM) Ed25519 private key file."""
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InvalidInput(
                f"cannot read signing key {p}: {exc.strerror}",
                hint="make one with 'registry keygen --out PATH' or set REGISTRY_SIGNING_KEY",
            ) from None
        try:
            if b"OPENSSH PRIVATE KEY" in data:
                key = serialization.load_ssh_private_key(data, password=None)
            else:
                key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as exc:
            raise InvalidInput(f"cannot read signing key {p}: {exc}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise InvalidInput(f"signing key {p} is not an Ed25519 key", hint="use 'registry keygen'")
        return cls(key)

    def save(self, path: str | os.PathLike[str], *, comment: str = "registry") -> str:
        """Write PATH (private, mode 0600) and PATH.pub; return the public line."""
        p = Path(path)
        pem = self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # an existing file (--force) keeps its mode otherwise
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        line = f"{self.public.openssh()} {comment}"
        Path(f"{p}.pub").write_text(line + "\n")
        return line

    def sign_digest_b64(self, digest: bytes) -> str:
        """Ed25519 over the raw digest bytes, base64: the API's ``signature`` field."""
        return base64.b64encode(self._key.sign(digest)).decode()

    def sign_ssh(self, message: bytes, *, namespace: bytes = NAMESPACE) -> str:
        """An armored SSH signature of ``message``, with no trailing newline.

        The trailing newline is left off on purpose: libgit2 would otherwise add a
        continuation line to the commit header and the object would differ from git's.
        """
        sig = self._key.sign(_signed_data(message, namespace))
        blob = (
            _MAGIC
            + struct.pack(">I", 1)
            + _string(self.public.blob)
            + _string(namespace)
            + _string(b"")
            + _string(b"sha512")
            + _string(_string(_KEY_TYPE) + _string(sig))
        )
        b64 = base64.b64encode(blob).decode()
        lines = [b64[i : i + 70] for i in range(0, len(b64), 70)]
        return "\n".join([_BEGIN, *lines, _END])


@dataclass(frozen=True)
class SshSignature:
    """The parts of an armored SSH signature."""

    key: PublicKey
    namespace: bytes
    hash_alg: bytes
    signature: bytes


def parse_armor(armor: str | bytes) -> SshSignature:
    """Read an armored SSH signature (PROTOCOL.sshsig), refusing anything but Ed25519."""
    text = armor.decode() if isinstance(armor, bytes) else armor
    text = text.strip()
    if not (text.startswith(_BEGIN) and text.endswith(_END)):
        raise SignatureError("not an SSH signature", hint="sign with gpg.format=ssh and an Ed25519 key")
    body = "".join(text[len(_BEGIN) : -len(_END)].split())
    try:
        blob = base64.b64decode(body, validate=True)
    except ValueError:
        raise SignatureError("SSH signature is not valid base64") from None
    if not blob.startswith(_MAGIC) or blob[6:10] != struct.pack(">I", 1):
        raise SignatureError("unsupported SSH signature version")
    pos = 10
    key_blob, pos = _read_string(blob, pos)
    namespace, pos = _read_string(blob, pos)
    _reserved, pos = _read_string(blob, pos)
    hash_alg, pos = _read_string(blob, pos)
    sig_blob, pos = _read_string(blob, pos)
    if hash_alg not in (b"sha512", b"sha256"):
        raise SignatureError(f"unsupported signature hash {hash_alg.decode(errors='replace')}")
    kind, kpos = _read_string(key_blob, 0)
    raw_key, _ = _read_string(key_blob, kpos)
    if kind != _KEY_TYPE or len(raw_key) != 32:
        raise SignatureError(
            f"signature key type {kind.decode(errors='replace')} is not accepted",
            hint="the registry accepts Ed25519 (ssh-ed25519) signatures only",
        )
    skind, spos = _read_string(sig_blob, 0)
    raw_sig, _ = _read_string(sig_blob, spos)
    if skind != _KEY_TYPE or len(raw_sig) != 64:
        raise SignatureError("malformed Ed25519 signature")
    return SshSignature(PublicKey(raw_key), namespace, hash_alg, raw_sig)


def verify_ssh(
    armor: str | bytes,
    message: bytes,
    allowed: Mapping[bytes, str],
    *,
    namespace: bytes = NAMESPACE,
) -> str:
    """Check an armored signature over ``message``; return the signer's principal.

    ``allowed`` maps raw public keys to principals, like git's allowed-signers file.
    Raises ``SignatureError`` naming what failed.
    """
    sig = parse_armor(armor)
    key = sig.key
    if sig.namespace != namespace:
        ns = sig.namespace.decode(errors="replace")
        raise SignatureError(f"signature namespace is {ns!r}, expected {namespace.decode()!r}")
    if not key.verify_raw(sig.signature, _signed_data(message, sig.namespace, sig.hash_alg)):
        raise SignatureError(f"bad signature by key {key.fingerprint()}")
    principal = allowed.get(key.raw)
    if principal is None:
        raise SignatureError(
            f"signing key {key.fingerprint()} is not a listed signer",
            hint="add the key's 'ssh-ed25519 …' line to the signers of registry.yaml (an admin change)",
        )
    return principal


def split_signed_tag(raw: bytes) -> tuple[bytes, bytes | None]:
    """Split a raw tag object into (signed payload, armored signature or None)."""
    marker = (_BEGIN + "\n").encode()
    idx = raw.find(marker)
    if idx < 0:
        return raw, None
    return raw[:idx], raw[idx:]


def allowed_signers_line(principal: str, key: PublicKey) -> str:
    """A line of git's ``gpg.ssh.allowedSignersFile``."""
    return f'{principal} namespaces="git" {key.openssh()}'
