"""Authentication settings, read from the environment once, at the edge.

==================  ==============================================================
``JWT_SECRET``      HMAC secret: HS256/384/512 tokens (at least 32 bytes; 48 for
                    HS384 and 64 for HS512, RFC 7518 §3.2)
``JWT_ALGORITHM``   optional: accept only this algorithm (``HS256``, ``RS256`` …)
``JWT_PUBLIC_KEY``  a public key (PEM text, a path to a PEM file, or base64 DER):
                    RS*/PS*, ES* or EdDSA tokens, by the key's type
``JWKS_URL``        a JSON Web Key Set to fetch the keys from
``OIDC_ISSUER_URL`` an OpenID Connect issuer: keys by discovery, ``iss`` checked
``OIDC_AUDIENCE``   the ``aud`` tokens verified with the issuer's keys must carry
``JWT_ISSUER``      the ``iss`` every other token must carry
``JWT_AUDIENCE``    the ``aud`` every other token must carry (and, without
                    ``OIDC_AUDIENCE``, tokens of the issuer's keys too)
==================  ==============================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ENV_NAMES = (
    "JWT_SECRET",
    "JWT_ALGORITHM",
    "JWT_PUBLIC_KEY",
    "JWKS_URL",
    "OIDC_ISSUER_URL",
    "OIDC_AUDIENCE",
    "JWT_ISSUER",
    "JWT_AUDIENCE",
)

#: The development secret the old services shipped with; refused outside development mode.
DEFAULT_DEV_SECRET = "dev-secret-change-in-production"
#: Tokens are accepted this many seconds past ``exp`` and before ``nbf``, for clock skew.
DEFAULT_LEEWAY = 30.0


@dataclass(frozen=True)
class AuthSettings:
    """What the server trusts tokens by. Empty strings in the environment count as unset."""

    secret: str | None = None
    algorithm: str | None = None
    public_key: str | None = None  # PEM text, base64 DER, or a path to a PEM file
    jwks_url: str | None = None
    oidc_issuer_url: str | None = None
    oidc_audience: str | None = None
    issuer: str | None = None
    audience: str | None = None
    leeway: float = DEFAULT_LEEWAY

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AuthSettings:
        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        return cls(
            secret=env.get("JWT_SECRET") or None,  # a secret is taken exactly as written
            algorithm=get("JWT_ALGORITHM"),
            public_key=get("JWT_PUBLIC_KEY"),
            jwks_url=get("JWKS_URL"),
            oidc_issuer_url=get("OIDC_ISSUER_URL"),
            oidc_audience=get("OIDC_AUDIENCE"),
            issuer=get("JWT_ISSUER"),
            audience=get("JWT_AUDIENCE"),
        )

    @property
    def configured(self) -> bool:
        """Whether any secret or key is set."""
        return bool(self.secret or self.public_key or self.jwks_url or self.oidc_issuer_url)
