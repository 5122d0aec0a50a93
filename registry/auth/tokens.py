"""Minting HS tokens: for ``registry token``, development servers and tests.

A minted token carries the claims the registry reads (see :mod:`registry.auth.principal`):
``sub``, ``scopes`` (a list, as the old registry's tokens had it), ``roles``, and
``tenant`` (one) or ``tenants`` (several), with ``iat``, ``nbf`` and ``exp``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

import jwt

from registry.auth.errors import AuthConfigError
from registry.auth.keys import HMAC_ALGORITHMS
from registry.errors import InvalidInput

_TTL = re.compile(r"(?P<n>\d+)\s*(?P<unit>[smhdw]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MAX_TTL = timedelta(days=366)


def parse_ttl(text: str) -> timedelta:
    """``90``, ``90s``, ``15m``, ``1h``, ``7d``, ``2w``, or a sum such as ``1h30m``; at most a year."""
    compact = text.strip().lower()
    total, pos = 0, 0
    for match in _TTL.finditer(compact):
        if match.start() != pos:
            break
        total += int(match["n"]) * _UNIT_SECONDS[match["unit"]]
        pos = match.end()
    if not compact or pos != len(compact):
        raise InvalidInput(f"cannot read the duration {text!r}", hint="write it as 90s, 15m, 1h, 7d or 1h30m")
    ttl = timedelta(seconds=total)
    if not timedelta(0) < ttl <= MAX_TTL:
        raise InvalidInput(
            f"duration {text!r} out of range", hint="give more than 0 seconds and at most 366d"
        )
    return ttl


def mint(
    secret: str | bytes,
    *,
    sub: str,
    scopes: Iterable[str] = (),
    roles: Iterable[str] = (),
    tenants: Iterable[str] = (),
    ttl: timedelta | float = timedelta(hours=1),
    algorithm: str = "HS256",
    issuer: str | None = None,
    audience: str | None = None,
    extra: Mapping[str, Any] | None = None,
    now: float | None = None,
) -> str:
    """A signed HS token for ``sub``; see the module docstring for its claims.

    ``now`` (Unix seconds) is for tests that need a token from the past or the future.
    """
    if algorithm not in HMAC_ALGORITHMS:
        raise AuthConfigError(
            f"cannot mint {algorithm} tokens with a secret", hint="use HS256, HS384 or HS512"
        )
    if not sub:
        raise InvalidInput("a token needs a subject", hint="pass --sub NAME")
    issued = int(time.time() if now is None else now)
    seconds = ttl.total_seconds() if isinstance(ttl, timedelta) else float(ttl)
    claims: dict[str, Any] = {"sub": sub, "iat": issued, "nbf": issued, "exp": issued + int(seconds)}
    if scope_list := list(dict.fromkeys(scopes)):
        claims["scopes"] = scope_list
    if role_list := list(dict.fromkeys(roles)):
        claims["roles"] = role_list
    tenant_list = list(dict.fromkeys(tenants))
    if len(tenant_list) == 1:
        claims["tenant"] = tenant_list[0]
    elif tenant_list:
        claims["tenants"] = tenant_list
    if issuer:
        claims["iss"] = issuer
    if audience:
        claims["aud"] = audience
    claims.update(extra or {})
    key = secret.encode() if isinstance(secret, str) else secret
    return jwt.encode(claims, key, algorithm=algorithm)
