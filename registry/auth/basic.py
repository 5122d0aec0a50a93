"""The token an ``Authorization`` header carries: ``Bearer T``, or ``Basic`` with T as the password.

Git clients (and many HTTP tools) only speak Basic credentials, so a token is accepted as
the password of ``Basic base64(user:token)`` with any user name. Every door that reads an
``Authorization`` header goes through :func:`token_from_authorization`, so all of them
accept the same two forms.
"""

from __future__ import annotations

import base64
import binascii

#: Longer header values are not decoded (a token is a few kilobytes at most).
MAX_AUTHORIZATION_LENGTH = 65_536


def token_from_authorization(value: str) -> str | None:
    """The token of ``Bearer T`` (RFC 6750 §2.1) or of ``Basic base64(user:T)`` (RFC 7617);
    None for any other scheme, an empty token, or credentials that do not decode."""
    if len(value) > MAX_AUTHORIZATION_LENGTH:
        return None
    scheme, _, rest = value.strip().partition(" ")
    rest = rest.strip()
    if scheme.lower() == "bearer":
        return rest or None
    if scheme.lower() != "basic" or not rest:
        return None
    try:
        decoded = base64.b64decode(rest, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    _user, colon, token = decoded.partition(":")
    if not colon:
        return None
    return token.strip() or None
