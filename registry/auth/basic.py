"""The token an ``Authorization`` header carries: a bearer token, or Basic credentials around one.

Kafka Connect, ksqlDB, Flink, most schema-registry UIs, Confluent's clients
(``basic.auth.user.info`` with ``basic.auth.credentials.source=USER_INFO``) and git
clients speak only Basic credentials (RFC 7617). So ``Authorization: Basic
base64(USER:TOKEN)`` is accepted wherever ``Authorization: Bearer TOKEN`` is: the
password is the token, verified exactly as a bearer token is. The user name is ignored
(the token alone says who calls, in its ``sub``); clients need one, so any name does,
such as ``token`` or the caller's own.
"""

from __future__ import annotations

import base64
import binascii

#: Bounds the header read here, before any decoding (a token is bounded again by the verifier).
MAX_CREDENTIALS = 16384


def token_from_authorization(value: str) -> str | None:
    """The token of ``Bearer T`` or of ``Basic base64(user:T)``; None for anything else.

    Scheme names are case-insensitive (RFC 9110 §11.1). None also for Basic credentials
    that are not base64 of UTF-8 ``user:password`` text, or that hold no password.
    """
    scheme, _, rest = value.strip().partition(" ")
    rest = rest.strip()
    if scheme.lower() == "bearer":
        return rest or None
    if scheme.lower() != "basic" or not rest or len(rest) > MAX_CREDENTIALS:
        return None
    try:
        decoded = base64.b64decode(rest, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    _user, colon, password = decoded.partition(":")
    if not colon or not password.strip():
        return None
    return password.strip()
