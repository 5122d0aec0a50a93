"""Keys a token may be verified with, and which algorithms each key allows.

A key decides its algorithms, never the token: an RSA key verifies only RS*/PS*, an
Ed25519 key only EdDSA, a shared secret only HS*. A token whose header names another
algorithm is refused before any signature is checked, so an HS256 token "signed" with a
public key's PEM text never verifies against that key (the algorithm confusion of
RFC 8725 §2.1), and ``alg: none`` never verifies against anything.

Sources of keys: :class:`SharedSecret` (``JWT_SECRET``), :class:`StaticKey`
(``JWT_PUBLIC_KEY``), and the fetched key sets of :mod:`registry.auth.jwks`.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key, load_pem_public_key
from cryptography.x509 import load_pem_x509_certificate
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from jwt.exceptions import InvalidKeyError

from registry.auth.errors import AuthConfigError

#: HMAC algorithms and the shortest secret each may use: the hash's size (RFC 7518 §3.2).
HMAC_MIN_BYTES: Mapping[str, int] = {"HS256": 32, "HS384": 48, "HS512": 64}
HMAC_ALGORITHMS = frozenset(HMAC_MIN_BYTES)
SECRET_HINT = "use a random secret of at least 32 bytes (64 for HS512), e.g. `openssl rand -hex 32`"
#: Below this many bits, estimated from how often each byte occurs, a secret is trivially guessable
#: (32 × ``a`` has 0, ``ab`` repeated 32); a random hex secret of 32 bytes has about 250.
MIN_SECRET_BITS = 48
#: And a secret of fewer distinct bytes than this is a pattern, however long (``ab`` × 32).
MIN_SECRET_SYMBOLS = 4


def weakness(secret: bytes) -> str | None:
    """Why ``secret`` is too weak to sign tokens with (only whitespace, trivially low entropy), or None.

    The estimate is the secret's length times the Shannon entropy of its byte frequencies: it
    cannot tell a random secret from a famous one, but it does catch the repeated characters
    and blanks that a careless configuration gives.
    """
    if not secret.strip():
        return "is only whitespace"
    counts = Counter(secret)
    bits = sum(n * math.log2(len(secret) / n) for n in counts.values())
    if bits < MIN_SECRET_BITS or len(counts) < MIN_SECRET_SYMBOLS:
        return f"is trivially guessable ({len(counts)} distinct bytes, about {bits:.0f} bits of entropy)"
    return None


RSA_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
EC_ALGORITHMS: Mapping[str, str] = {
    "secp256r1": "ES256",
    "secp384r1": "ES384",
    "secp521r1": "ES512",
    "secp256k1": "ES256K",
}
EDDSA_ALGORITHMS = frozenset({"EdDSA"})
ASYMMETRIC_ALGORITHMS = RSA_ALGORITHMS | frozenset(EC_ALGORITHMS.values()) | EDDSA_ALGORITHMS
#: RSA keys shorter than this are refused (NIST SP 800-131A).
MIN_RSA_BITS = 2048

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey | ed448.Ed448PublicKey


@dataclass(frozen=True)
class VerifyingKey:
    """One key and the algorithms it may verify (sorted, as the JWT library takes them)."""

    key: Any  # a public key object, or the secret's bytes
    algorithms: tuple[str, ...]
    kid: str | None = None


class FetchNeeded(Exception):
    """A key lookup that would have to go to the network; raised only when fetching is not allowed."""


class KeySource(Protocol):
    """Where the keys for some algorithms come from."""

    @property
    def algorithms(self) -> frozenset[str]:
        """Every algorithm some key of this source may verify."""
        ...

    @property
    def issuer(self) -> str | None:
        """The issuer this source vouches for (OIDC discovery), else None."""
        ...

    def key_for(self, kid: str | None, alg: str, *, may_fetch: bool = True) -> VerifyingKey:
        """The key a token with this header verifies against.

        Raises ``AuthFailed`` when no key fits, ``KeysUnavailable`` when the keys cannot
        be fetched, and ``FetchNeeded`` when ``may_fetch`` is false and the answer needs
        the network.
        """
        ...

    def describe(self) -> str: ...


class _OneKey:
    """A source of exactly one configured key, named by the setting it came from."""

    _key: VerifyingKey
    setting = ""

    @property
    def algorithms(self) -> frozenset[str]:
        return frozenset(self._key.algorithms)

    @property
    def issuer(self) -> None:
        return None

    def key_for(self, kid: str | None, alg: str, *, may_fetch: bool = True) -> VerifyingKey:
        return self._key

    def describe(self) -> str:
        return f"{'/'.join(self._key.algorithms)} with {self.setting}"


class SharedSecret(_OneKey):
    """An HMAC secret: verifies HS256/384/512, each only when the secret is long enough.

    ``allow_short`` accepts a secret shorter than 32 bytes with every HS algorithm, for
    development servers only.
    """

    setting = "JWT_SECRET"

    def __init__(
        self, secret: str | bytes, *, only: frozenset[str] | None = None, allow_short: bool = False
    ) -> None:
        raw = secret.encode() if isinstance(secret, str) else bytes(secret)
        if allow_short:
            allowed = HMAC_ALGORITHMS
        else:
            allowed = frozenset(alg for alg, size in HMAC_MIN_BYTES.items() if len(raw) >= size)
        if only is not None:
            allowed &= only
        if not allowed:
            wanted = ", ".join(sorted(only or HMAC_ALGORITHMS))
            message = f"JWT_SECRET has {len(raw)} bytes, too short for {wanted}"
            raise AuthConfigError(message, hint=SECRET_HINT)
        if not allow_short and (weak := weakness(raw)):
            raise AuthConfigError(f"JWT_SECRET {weak}", hint=SECRET_HINT)
        self.secret = raw
        self._key = VerifyingKey(raw, tuple(sorted(allowed)))


class StaticKey(_OneKey):
    """One configured public key (``JWT_PUBLIC_KEY``); its type decides its algorithms."""

    setting = "JWT_PUBLIC_KEY"

    def __init__(self, key: PublicKey, *, only: frozenset[str] | None = None) -> None:
        allowed = algorithms_for(key)
        if only is not None:
            allowed &= only
        if not allowed:
            raise AuthConfigError(
                f"JWT_ALGORITHM {', '.join(sorted(only or ()))} does not fit the configured public key",
                hint=f"this key verifies {', '.join(sorted(algorithms_for(key)))}",
            )
        self._key = VerifyingKey(key, tuple(sorted(allowed)))


def algorithms_for(key: Any) -> frozenset[str]:
    """The algorithms a public key may verify, by its type (and curve); refuses weak or unknown keys."""
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise AuthConfigError(f"RSA key of {key.key_size} bits; at least {MIN_RSA_BITS} are required")
        return RSA_ALGORITHMS
    if isinstance(key, ec.EllipticCurvePublicKey):
        alg = EC_ALGORITHMS.get(key.curve.name)
        if alg is None:
            raise AuthConfigError(f"EC key on curve {key.curve.name}, which no JWT algorithm uses")
        return frozenset({alg})
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        return EDDSA_ALGORITHMS
    raise AuthConfigError(
        f"unsupported key type {type(key).__name__}",
        hint="give an RSA, EC (P-256/384/521) or Ed25519/Ed448 public key",
    )


def load_public_key(text: str) -> PublicKey:
    """A public key from PEM text (a public key or a certificate) or bare base64 DER.

    Bare base64 is how Keycloak shows a realm's key; ``\\n`` written as two characters
    (as env files often carry PEM) is read as a line break. A private key is refused: the
    server only ever needs the public half.
    """
    text = text.strip().replace("\\n", "\n")
    try:
        if "-----BEGIN CERTIFICATE-----" in text:
            key: Any = load_pem_x509_certificate(text.encode()).public_key()
        elif "-----BEGIN" in text:
            if "PRIVATE KEY-----" in text:
                raise AuthConfigError("JWT_PUBLIC_KEY holds a private key", hint="give the public key only")
            key = load_pem_public_key(text.encode())
        else:
            key = load_der_public_key(base64.b64decode("".join(text.split()), validate=True))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise AuthConfigError(
            f"JWT_PUBLIC_KEY is not a public key: {exc}",
            hint="give PEM text, a path to a PEM file, or the base64 DER of a public key",
        ) from exc
    algorithms_for(key)
    return key


_JWK_LOADERS: Mapping[str, Any] = {"RSA": RSAAlgorithm, "EC": ECAlgorithm, "OKP": OKPAlgorithm}


def key_from_jwk(jwk: Mapping[str, Any]) -> VerifyingKey | None:
    """The verifying key of one JWK (RFC 7517), or None when it is not one to verify with.

    Skipped: symmetric (``oct``) keys, which a key set must never hand out; keys for
    encryption (``use`` other than ``sig``, ``key_ops`` without ``verify``); keys whose
    ``alg`` does not fit their type; weak, malformed or unknown keys. A JWK's ``alg``
    narrows its key to that one algorithm.
    """
    loader = _JWK_LOADERS.get(jwk.get("kty"))  # type: ignore[arg-type]
    if loader is None or jwk.get("use", "sig") != "sig":
        return None
    ops = jwk.get("key_ops")
    if ops is not None and (not isinstance(ops, list) or "verify" not in ops):
        return None
    kid = jwk.get("kid")
    if kid is not None and not isinstance(kid, str):
        return None
    try:
        key = loader.from_jwk(dict(jwk))
        if hasattr(key, "private_bytes"):
            key = key.public_key()
        allowed = algorithms_for(key)
    except (InvalidKeyError, AuthConfigError, ValueError, TypeError, KeyError):
        return None
    alg = jwk.get("alg")
    if alg is not None:
        if alg not in allowed:
            return None
        allowed = frozenset({alg})
    return VerifyingKey(key, tuple(sorted(allowed)), kid)
