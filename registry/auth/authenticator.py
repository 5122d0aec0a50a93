"""From an ``Authorization`` header to a :class:`Principal`, or a typed refusal.

An :class:`Authenticator` holds one or two *trusts*: HS tokens verified with the shared
secret, and asymmetric tokens verified with a public key, a JWKS or an OIDC issuer's keys.
A token goes to the trust that serves its header's algorithm, and is verified with the
key that trust picks (by ``kid``) and only with the algorithms that key's type allows.
``exp`` is required; ``exp``, ``nbf`` and ``iat`` are checked with a leeway; ``iss`` and
``aud`` are checked when the trust names them.

It sits on every request, so the usual case costs no network and little time: keys are
cached (see :mod:`registry.auth.jwks`), and a token that verified is remembered for up
to a minute (never past its ``exp``), so the next request with it skips the signature.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import jwt

from registry.auth.basic import token_from_authorization
from registry.auth.errors import AuthConfigError, AuthFailed
from registry.auth.jwks import Fetch, OidcKeys, RefreshPolicy
from registry.auth.keys import FetchNeeded, SharedSecret
from registry.auth.principal import ADMIN, ANY_TENANT, READ_SCOPE, WRITE_SCOPE, Principal
from registry.auth.settings import DEFAULT_LEEWAY, AuthSettings
from registry.auth.tokens import mint
from registry.auth.trusts import Trust, trusts_for

__all__ = ["SECURITY_SCHEMES", "Authenticator", "Trust", "bearer_token", "mint"]

#: OpenAPI security schemes (OpenAPI 3.1 §4.8.27) for ``components.securitySchemes``.
SECURITY_SCHEMES: Mapping[str, Mapping[str, str]] = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A JWT: scopes contracts:read / contracts:write; roles viewer, editor, admin; "
        "tenant or tenants, matched against X-Tenant-ID",
    },
    "basicAuth": {
        "type": "http",
        "scheme": "basic",
        "description": "Basic credentials whose password is the JWT (the user name is ignored), "
        "for Kafka clients (basic.auth.user.info), Kafka Connect and git",
    },
}

MAX_TOKEN_LENGTH = 16 * 1024
_CACHE_SIZE = 4096
_CACHE_SECONDS = 60.0
_SEGMENT = re.compile(r"[A-Za-z0-9_-]+={0,2}")


_TIME_CLAIMS = ("exp", "nbf", "iat")


def _numeric_dates(claims: Mapping[str, Any]) -> None:
    """``exp``, ``nbf`` and ``iat`` are JSON numbers (RFC 7519 §2, NumericDate), when present.

    PyJWT reads them with ``int()``, so ``"4102444800"`` (a string) passed; it is not a date.
    """
    for name in _TIME_CLAIMS:
        value = claims.get(name)
        if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise AuthFailed.invalid(f"the {name} claim must be a number of seconds (RFC 7519 NumericDate)")


def _unverified_header(token: str) -> dict[str, Any]:
    """The JOSE header, read only to choose the key; the JWT library checks it all again.

    (The library's own reader decodes all three segments character by character, which
    was most of the cost of a request.)
    """
    head, dot, _ = token.partition(".")
    if not dot or len(head) > 4096 or not _SEGMENT.fullmatch(head):
        raise AuthFailed.invalid("Invalid header")
    data = head.rstrip("=")
    try:
        header = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        raise AuthFailed.invalid("Invalid header string") from None
    if not isinstance(header, dict):
        raise AuthFailed.invalid("Invalid header string: must be a json object")
    return header


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization`` header: ``Bearer <token>`` (RFC 6750 §2.1), or Basic
    credentials whose password is the token (``registry.auth.basic``; the user name is ignored)."""
    if authorization is None or not authorization.strip():
        raise AuthFailed.missing()
    scheme = authorization.strip().partition(" ")[0].lower()
    token = token_from_authorization(authorization)
    if token is None:
        if scheme == "bearer":
            raise AuthFailed.invalid("the Authorization header holds no token")
        if scheme == "basic":
            raise AuthFailed.invalid(
                "Basic credentials must be base64 of 'user:token', the password being the token"
            )
        raise AuthFailed(
            "Authorization header must use Bearer or Basic scheme",
            hint="send 'Authorization: Bearer <token>', or Basic credentials whose password is the token",
        )
    if len(token) > MAX_TOKEN_LENGTH:
        raise AuthFailed.invalid(f"the token is longer than {MAX_TOKEN_LENGTH} characters")
    return token


class Authenticator:
    """Verifies bearer tokens against the configured trusts; see the module docstring."""

    def __init__(
        self,
        trusts: Sequence[Trust],
        *,
        leeway: float = DEFAULT_LEEWAY,
        dev: bool = False,
    ) -> None:
        by_alg: dict[str, Trust] = {}
        for trust in trusts:
            for alg in trust.keys.algorithms:
                if alg in by_alg:
                    raise AuthConfigError(
                        f"two key sources verify {alg}",
                        hint="set one of JWT_PUBLIC_KEY, JWKS_URL and OIDC_ISSUER_URL",
                    )
                by_alg[alg] = trust
        if not by_alg:
            raise AuthConfigError("no algorithm is accepted", hint="set JWT_SECRET or a public key source")
        self.trusts = tuple(trusts)
        self.leeway = leeway
        self.dev = dev
        self._by_alg = by_alg
        self._minting_secret = next((t.keys.secret for t in trusts if isinstance(t.keys, SharedSecret)), None)
        self._verified: dict[str, tuple[Principal, float]] = {}

    # -- construction -----------------------------------------------------------------

    @classmethod
    def for_secret(
        cls, secret: str | bytes, *, issuer: str | None = None, audience: str | None = None, dev: bool = False
    ) -> Authenticator:
        """HS tokens only, verified with ``secret`` (at least 32 bytes unless ``dev``)."""
        raw = secret.encode() if isinstance(secret, str) else secret
        source = SharedSecret(raw, allow_short=dev)
        return cls([Trust(source, issuer, audience)], dev=dev)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str], *, dev: bool = False, fetch: Fetch | None = None
    ) -> Authenticator:
        """The authenticator the environment describes (see :mod:`registry.auth.settings`).

        Refuses (``AuthConfigError``, exit status 2) when nothing is configured, when
        ``JWT_SECRET`` is the well-known development default or shorter than 32 bytes, or
        when a setting cannot be used, unless ``dev``: then a missing configuration gets a
        throwaway random secret, and a short or default secret is accepted.
        """
        settings = AuthSettings.from_env(env)
        return cls.from_settings(settings, dev=dev, fetch=fetch)

    @classmethod
    def from_settings(
        cls,
        settings: AuthSettings,
        *,
        dev: bool = False,
        fetch: Fetch | None = None,
        policy: RefreshPolicy | None = None,
    ) -> Authenticator:
        """The authenticator ``settings`` describe; see :meth:`from_env`."""
        if not settings.configured and dev:
            settings = AuthSettings(secret=secrets.token_urlsafe(48), leeway=settings.leeway)
        if not settings.configured:
            raise AuthConfigError(
                "no JWT secret or key is configured",
                hint="set JWT_SECRET, JWT_PUBLIC_KEY, JWKS_URL or OIDC_ISSUER_URL, "
                "or start with --dev for a throwaway secret",
            )
        trusts = trusts_for(settings, dev=dev, fetch=fetch, policy=policy or RefreshPolicy())
        return cls(trusts, leeway=settings.leeway, dev=dev)

    # -- verification -----------------------------------------------------------------

    def authenticate(self, authorization_header: str | None) -> Principal:
        """The principal of a request's ``Authorization`` header.

        Raises ``AuthFailed`` (401) and, when the issuer's keys cannot be fetched,
        ``KeysUnavailable`` (503). May block on the network for a few seconds when a
        token names a key not yet fetched; :meth:`authenticate_async` never blocks a loop.
        """
        return self._authenticate(authorization_header, may_fetch=True)

    async def authenticate_async(self, authorization_header: str | None) -> Principal:
        """:meth:`authenticate` for an event loop: inline, or in a thread when keys must be fetched."""
        try:
            return self._authenticate(authorization_header, may_fetch=False)
        except FetchNeeded:
            return await asyncio.to_thread(self._authenticate, authorization_header, may_fetch=True)

    def warm(self) -> None:
        """Fetch every remote key set now (at start), so the first request need not."""
        for trust in self.trusts:
            refresh = getattr(trust.keys, "refresh", None)
            if refresh is not None:
                refresh()

    def _authenticate(self, authorization_header: str | None, *, may_fetch: bool) -> Principal:
        token = bearer_token(authorization_header)
        now = time.time()
        hit = self._verified.get(token)
        if hit is not None and now < hit[1]:
            return hit[0]
        principal, until = self._verify(token, now, may_fetch=may_fetch)
        if len(self._verified) >= _CACHE_SIZE:
            self._verified.clear()
        self._verified[token] = (principal, until)
        return principal

    def _verify(self, token: str, now: float, *, may_fetch: bool) -> tuple[Principal, float]:
        header = _unverified_header(token)
        alg, kid = header.get("alg"), header.get("kid")
        trust = self._by_alg.get(alg) if isinstance(alg, str) else None
        if trust is None:
            raise AuthFailed.invalid(f"the algorithm {alg!r} is not accepted")
        if kid is not None and not isinstance(kid, str):
            raise AuthFailed.invalid("the key id (kid) is not a string")
        key = trust.keys.key_for(kid, alg, may_fetch=may_fetch)
        if alg not in key.algorithms:
            raise AuthFailed.invalid(f"the algorithm {alg} does not fit the key")
        issuer = trust.issuer or trust.keys.issuer
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=key.algorithms,
                options={"require": ["exp"], "verify_aud": trust.audience is not None},
                audience=trust.audience,
                issuer=issuer,
                leeway=self.leeway,
            )
        except jwt.PyJWTError as exc:
            raise AuthFailed.invalid(str(exc)) from None
        _numeric_dates(claims)
        principal = Principal.from_claims(claims)
        return principal, min(float(claims["exp"]) + self.leeway, now + _CACHE_SECONDS)

    # -- development and description --------------------------------------------------

    def dev_token(
        self,
        sub: str = "dev",
        scopes: Sequence[str] = (READ_SCOPE, WRITE_SCOPE),
        roles: Sequence[str] = (ADMIN,),
        tenant: str | Sequence[str] | None = ANY_TENANT,
        ttl: timedelta = timedelta(hours=12),
    ) -> str:
        """A token this authenticator accepts, minted with its secret, for printing at start."""
        if self._minting_secret is None:
            raise AuthConfigError(
                "no JWT secret to mint a development token with",
                hint="set JWT_SECRET, or unset the keys so --dev makes a throwaway secret",
            )
        trust = next(t for t in self.trusts if isinstance(t.keys, SharedSecret))
        algorithm = "HS256" if "HS256" in trust.keys.algorithms else min(trust.keys.algorithms)
        tenants = [tenant] if isinstance(tenant, str) else list(tenant or ())
        return mint(
            self._minting_secret,
            sub=sub,
            scopes=scopes,
            roles=roles,
            tenants=tenants,
            ttl=ttl,
            algorithm=algorithm,
            issuer=trust.issuer,
            audience=trust.audience,
        )

    def describe(self) -> list[str]:
        """One line per trust, for the server's start-up log (no secrets)."""
        lines = []
        for trust in self.trusts:
            checks = [f"iss {trust.issuer}"] if trust.issuer else []
            checks += [f"aud {trust.audience}"] if trust.audience else []
            lines.append(trust.keys.describe() + (f" ({', '.join(checks)})" if checks else ""))
        return lines

    def security_schemes(self) -> dict[str, dict[str, str]]:
        """``SECURITY_SCHEMES``, with an ``openIdConnect`` scheme when an OIDC issuer is trusted."""
        schemes = {name: dict(scheme) for name, scheme in SECURITY_SCHEMES.items()}
        for trust in self.trusts:
            if isinstance(trust.keys, OidcKeys):
                url = trust.keys.issuer_url.rstrip("/") + "/.well-known/openid-configuration"
                schemes["oidc"] = {"type": "openIdConnect", "openIdConnectUrl": url}
        return schemes
