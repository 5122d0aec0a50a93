"""``registry token``: mint a development token with the configured HS secret (``JWT_SECRET``).

The token alone goes to standard output, so ``TOKEN=$(registry token --sub me)`` works;
what it grants goes to standard error. ``JWT_ALGORITHM`` (when HS*), ``JWT_ISSUER`` and
``JWT_AUDIENCE`` are read like the server reads them, so the token fits a server started
with the same environment.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime

from registry.auth.keys import HMAC_ALGORITHMS, HMAC_MIN_BYTES
from registry.auth.principal import READ_SCOPE, ROLE_RANK, normalize_role
from registry.auth.tokens import mint, parse_ttl
from registry.environment import environment
from registry.errors import InvalidInput
from registry.text import printable


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("token", help="mint a development token with JWT_SECRET")
    p.add_argument("--sub", required=True, help="the subject: who the token speaks for")
    p.add_argument(
        "--scopes",
        default=READ_SCOPE,
        help=f"comma-separated scopes, e.g. contracts:read,contracts:write (default: {READ_SCOPE})",
    )
    p.add_argument(
        "--tenant",
        action="append",
        default=[],
        help="a tenant the token grants; repeat or separate with commas; '*' grants every tenant",
    )
    p.add_argument(
        "--role",
        action="append",
        default=[],
        help=f"a role: {', '.join(ROLE_RANK)} (default: none, which servers read as viewer)",
    )
    p.add_argument("--ttl", default="1h", help="lifetime: 90s, 15m, 1h, 7d … (default: 1h)")
    p.add_argument(
        "--algorithm",
        choices=sorted(HMAC_ALGORITHMS),
        help="signing algorithm (default: $JWT_ALGORITHM when it is HS*, else HS256)",
    )
    p.set_defaults(func=run)


def _split(values: list[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def run(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    env = environment() if env is None else env
    secret = env.get("JWT_SECRET")
    if not secret:
        raise InvalidInput(
            "JWT_SECRET is not set",
            hint="export JWT_SECRET with the secret the server verifies tokens with",
        )
    roles = []
    for name in _split(args.role):
        role = normalize_role(name)
        if role is None:
            raise InvalidInput(f"unknown role {name!r}", hint=f"use one of {', '.join(ROLE_RANK)}")
        roles.append(role)
    configured = env.get("JWT_ALGORITHM", "").strip()
    algorithm = args.algorithm or (configured if configured in HMAC_ALGORITHMS else "HS256")
    ttl = parse_ttl(args.ttl)
    now = int(time.time())
    scopes, tenants = _split([args.scopes]), _split(args.tenant)
    with warnings.catch_warnings():  # a short secret is reported below, in our words
        warnings.simplefilter("ignore")
        token = mint(
            secret,
            sub=args.sub,
            scopes=scopes,
            roles=roles,
            tenants=tenants,
            ttl=ttl,
            algorithm=algorithm,
            issuer=env.get("JWT_ISSUER", "").strip() or None,
            audience=env.get("JWT_AUDIENCE", "").strip() or None,
            now=now,
        )
    expires = datetime.fromtimestamp(now + int(ttl.total_seconds()), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    grants = [
        f"scopes {','.join(scopes) or '(none)'}",
        f"roles {','.join(roles) or '(none: viewer)'}",
        f"tenants {','.join(tenants) or '(none)'}",
    ]
    print(
        printable(f"token for {args.sub}: {'; '.join(grants)}; expires {expires} ({algorithm})"),
        file=sys.stderr,
    )
    if len(secret.encode()) < HMAC_MIN_BYTES[algorithm]:
        print(
            f"warning: JWT_SECRET is shorter than {HMAC_MIN_BYTES[algorithm]} bytes; "
            "only a server started with --dev accepts this token",
            file=sys.stderr,
        )
    print(token)
    return 0
