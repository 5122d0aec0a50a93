"""Secrets, a hand-moved clock and hand-made tokens shared by the authentication tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

SECRET = "s3cret-for-tests-" + "x" * 47  # 64 bytes: long enough for HS512
OTHER_SECRET = "another-secret-" + "y" * 49


class Clock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def public_pem(private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(**extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": "alice", "iat": now, "exp": now + 300, **extra}


def handmade(header: dict[str, Any], payload: dict[str, Any], *, hmac_key: bytes | None = None) -> str:
    """A compact JWS built by hand: unsigned, or HMAC-SHA256 with any bytes at all as the key.

    The JWT library refuses to make the tokens an attacker would send (``alg: none``, or an
    HS256 token keyed with a public key's PEM text), so the tests make them themselves.
    """
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    if hmac_key is None:
        return signing_input + "."
    signature = hmac.new(hmac_key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"
