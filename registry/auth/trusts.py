"""From settings to trusts: which key verifies which algorithms, and what ``iss``/``aud`` to expect.

===================================  ==========================  ===========================
key source                           ``iss`` checked against     ``aud`` checked against
===================================  ==========================  ===========================
``JWT_SECRET`` (HS*)                 ``JWT_ISSUER``              ``JWT_AUDIENCE``
``JWT_PUBLIC_KEY`` or ``JWKS_URL``   ``JWT_ISSUER``              ``OIDC_AUDIENCE`` or ``JWT_AUDIENCE``
``OIDC_ISSUER_URL`` (discovery)      the discovered issuer       ``OIDC_AUDIENCE`` or ``JWT_AUDIENCE``
===================================  ==========================  ===========================

A check whose setting is unset is not made. ``JWT_SECRET`` may stand beside one source of
public keys (say, HS tokens for automation and an identity provider for people); the
algorithms of the two never overlap, so a token's algorithm names the one key it may meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from registry.auth.errors import AuthConfigError
from registry.auth.jwks import Fetch, JwksKeys, OidcKeys, RefreshPolicy, check_url
from registry.auth.keys import (
    ASYMMETRIC_ALGORITHMS,
    HMAC_ALGORITHMS,
    KeySource,
    SharedSecret,
    StaticKey,
    load_public_key,
)
from registry.auth.settings import DEFAULT_DEV_SECRET, AuthSettings


@dataclass(frozen=True)
class Trust:
    """One way to trust a token: where its key comes from, and the ``iss``/``aud`` it must carry.

    ``issuer`` None means the source's own (an OIDC issuer's), or no check.
    """

    keys: KeySource
    issuer: str | None = None
    audience: str | None = None


def trusts_for(
    settings: AuthSettings, *, dev: bool, fetch: Fetch | None = None, policy: RefreshPolicy | None = None
) -> list[Trust]:
    """The trusts ``settings`` describe (see the module docstring); refuses settings that cannot work."""
    only = frozenset({settings.algorithm}) if settings.algorithm else None
    if only is not None and not only <= HMAC_ALGORITHMS | ASYMMETRIC_ALGORITHMS:
        raise AuthConfigError(
            f"JWT_ALGORITHM {settings.algorithm!r} is not an algorithm this server verifies",
            hint="use one of " + ", ".join(sorted(HMAC_ALGORITHMS | ASYMMETRIC_ALGORITHMS)),
        )
    trusts: list[Trust] = []
    if settings.secret is not None and (only is None or only <= HMAC_ALGORITHMS):
        if settings.secret == DEFAULT_DEV_SECRET and not dev:
            raise AuthConfigError(
                "JWT_SECRET is the published development default",
                hint="set a random secret (e.g. `openssl rand -hex 32`), or start with --dev",
            )
        source = SharedSecret(settings.secret, only=only, allow_short=dev)
        trusts.append(Trust(source, settings.issuer, settings.audience))
    asymmetric = _asymmetric_source(settings, only, fetch, policy or RefreshPolicy())
    if asymmetric is not None:
        audience = settings.oidc_audience or settings.audience
        trusts.append(Trust(asymmetric, None if settings.oidc_issuer_url else settings.issuer, audience))
    if not trusts:
        raise AuthConfigError(
            f"JWT_ALGORITHM {settings.algorithm} fits none of the configured secrets and keys",
            hint="unset JWT_ALGORITHM, or set the secret or key it needs",
        )
    return trusts


def _asymmetric_source(
    settings: AuthSettings, only: frozenset[str] | None, fetch: Fetch | None, policy: RefreshPolicy
) -> KeySource | None:
    if only is not None and only <= HMAC_ALGORITHMS:
        return None
    if settings.public_key and (settings.jwks_url or settings.oidc_issuer_url):
        raise AuthConfigError(
            "JWT_PUBLIC_KEY is set together with JWKS_URL or OIDC_ISSUER_URL",
            hint="set one source of public keys",
        )
    if settings.public_key:
        return StaticKey(load_public_key(_key_text(settings.public_key)), only=only)
    jwks_url = check_url(settings.jwks_url, "JWKS_URL") if settings.jwks_url else None
    if settings.oidc_issuer_url:
        issuer_url = check_url(settings.oidc_issuer_url, "OIDC_ISSUER_URL")
        return OidcKeys(issuer_url, fetch=fetch, jwks_url=jwks_url, only=only, policy=policy)
    if jwks_url:
        return JwksKeys(jwks_url, fetch=fetch, only=only, policy=policy)
    return None


def _key_text(value: str) -> str:
    """``JWT_PUBLIC_KEY`` as key text: the value itself, or the file it names."""
    if "-----BEGIN" in value or len(value) > 4096:
        return value
    looks_like_path = value.startswith(("/", ".", "~")) or value.endswith((".pem", ".crt", ".pub"))
    path = Path(value).expanduser()
    try:
        is_file = path.is_file()
    except OSError:  # bare base64 holds '/' and can make a "path" no file system accepts
        is_file = False
    if not is_file:
        if looks_like_path:
            raise AuthConfigError(f"JWT_PUBLIC_KEY names no file: {value}")
        return value
    try:
        return path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise AuthConfigError(f"cannot read JWT_PUBLIC_KEY file {value}: {exc}") from exc
