"""Tokens against ``JWT_PUBLIC_KEY``: the key's type picks the algorithms, never the token."""

from __future__ import annotations

import base64
from pathlib import Path

import jwt
import pytest
from auth.material import SECRET, claims, handmade, public_pem
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from registry.auth import AuthConfigError, Authenticator, AuthFailed
from registry.auth.trusts import _key_text
from registry.problems import Code, Outcome


def bearer(token: str) -> str:
    return f"Bearer {token}"


def refused(auth: Authenticator, token: str) -> str:
    with pytest.raises(AuthFailed) as failure:
        auth.authenticate(bearer(token))
    assert failure.value.code is Code.AUTH_INVALID
    return failure.value.message


@pytest.mark.parametrize("algorithm", ["RS256", "RS512", "PS256"])
def test_rsa_tokens_verify_with_the_rsa_public_key(rsa_key, algorithm: str) -> None:
    auth = Authenticator.from_env({"JWT_PUBLIC_KEY": public_pem(rsa_key)})
    token = jwt.encode(claims(roles=["admin"]), rsa_key, algorithm=algorithm)
    assert auth.authenticate(bearer(token)).roles == {"admin"}


def test_es256_tokens_verify_with_a_p256_key(ec_key) -> None:
    auth = Authenticator.from_env({"JWT_PUBLIC_KEY": public_pem(ec_key)})
    assert auth.authenticate(bearer(jwt.encode(claims(), ec_key, algorithm="ES256"))).subject == "alice"


def test_eddsa_tokens_verify_with_an_ed25519_key(ed_key) -> None:
    auth = Authenticator.from_env({"JWT_PUBLIC_KEY": public_pem(ed_key)})
    assert auth.authenticate(bearer(jwt.encode(claims(), ed_key, algorithm="EdDSA"))).subject == "alice"


def test_the_key_may_be_a_path_bare_base64_or_pem_with_escaped_newlines(rsa_key, tmp_path: Path) -> None:
    pem = public_pem(rsa_key)
    path = tmp_path / "issuer.pem"
    path.write_text(pem)
    der = rsa_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    token = jwt.encode(claims(), rsa_key, algorithm="RS256")
    for value in (str(path), base64.b64encode(der).decode(), pem.replace("\n", "\\n")):
        auth = Authenticator.from_env({"JWT_PUBLIC_KEY": value})
        assert auth.authenticate(bearer(token)).subject == "alice"


def test_an_hs256_token_keyed_with_the_public_pem_is_refused(rsa_key) -> None:
    """The classic confusion: the attacker signs HS256 with the server's public key as the secret."""
    pem = public_pem(rsa_key)
    forged = handmade({"alg": "HS256", "typ": "JWT"}, claims(roles=["admin"]), hmac_key=pem.encode())
    auth = Authenticator.from_env({"JWT_PUBLIC_KEY": pem})
    assert refused(auth, forged) == "Invalid token: the algorithm 'HS256' is not accepted"


def test_the_confusion_fails_also_when_a_secret_is_configured_beside_the_key(rsa_key) -> None:
    pem = public_pem(rsa_key)
    auth = Authenticator.from_env({"JWT_PUBLIC_KEY": pem, "JWT_SECRET": SECRET})
    forged = handmade({"alg": "HS256", "typ": "JWT"}, claims(roles=["admin"]), hmac_key=pem.encode())
    assert refused(auth, forged) == "Invalid token: Signature verification failed"
    # and each kind of token still verifies with its own key
    assert auth.authenticate(bearer(jwt.encode(claims(), SECRET, algorithm="HS256"))).subject == "alice"
    assert auth.authenticate(bearer(jwt.encode(claims(), rsa_key, algorithm="RS256"))).subject == "alice"


def test_an_rs256_token_is_never_checked_against_the_secret(rsa_key) -> None:
    auth = Authenticator.from_env({"JWT_SECRET": SECRET})
    forged = handmade({"alg": "RS256", "typ": "JWT"}, claims(), hmac_key=SECRET.encode())
    assert refused(auth, forged) == "Invalid token: the algorithm 'RS256' is not accepted"


def test_an_algorithm_of_another_key_type_is_refused(rsa_key, ec_key) -> None:
    auth = Authenticator.from_env({"JWT_PUBLIC_KEY": public_pem(ec_key)})
    assert "not accepted" in refused(auth, jwt.encode(claims(), rsa_key, algorithm="RS256"))
    p384 = ec.generate_private_key(ec.SECP384R1())
    assert "not accepted" in refused(auth, jwt.encode(claims(), p384, algorithm="ES384"))


def test_a_token_signed_by_another_key_of_the_same_type_is_refused(rsa_key, rsa_key_2) -> None:
    auth = Authenticator.from_env({"JWT_PUBLIC_KEY": public_pem(rsa_key)})
    message = refused(auth, jwt.encode(claims(), rsa_key_2, algorithm="RS256"))
    assert message == "Invalid token: Signature verification failed"


def test_jwt_algorithm_narrows_a_public_key(rsa_key) -> None:
    auth = Authenticator.from_env({"JWT_PUBLIC_KEY": public_pem(rsa_key), "JWT_ALGORITHM": "RS256"})
    assert "not accepted" in refused(auth, jwt.encode(claims(), rsa_key, algorithm="PS256"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not a key", "not a public key"),
        ("/nonexistent/key.pem", "names no file"),
    ],
)
def test_an_unreadable_public_key_refuses_to_start(value: str, message: str) -> None:
    with pytest.raises(AuthConfigError, match=message) as failure:
        Authenticator.from_env({"JWT_PUBLIC_KEY": value})
    assert failure.value.code.outcome is Outcome.BAD_INPUT


def test_a_private_key_is_not_taken_for_a_public_one(rsa_key) -> None:
    pem = rsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    with pytest.raises(AuthConfigError, match="private key"):
        Authenticator.from_env({"JWT_PUBLIC_KEY": pem})


def test_a_weak_rsa_key_refuses_to_start() -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(AuthConfigError, match="1024 bits"):
        Authenticator.from_env({"JWT_PUBLIC_KEY": public_pem(weak)})


def test_bare_base64_that_no_file_system_could_name_is_read_as_the_key(rsa_key) -> None:
    """Base64 holds '/': a long run between two of them is a path component no file system accepts."""
    der = rsa_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    text = base64.b64encode(der).decode()
    unnameable = "A" * 300 + "/" + text
    assert _key_text(unnameable) == unnameable
    auth = Authenticator.from_env({"JWT_PUBLIC_KEY": text})
    assert auth.authenticate(bearer(jwt.encode(claims(), rsa_key, algorithm="RS256"))).subject == "alice"
