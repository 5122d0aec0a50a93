"""The ways a caller can fail to get in: each a ``RegistryError`` with a stable code.

The doors map them by their code's outcome, like every other registry error:
``AuthFailed`` is *unauthenticated* (HTTP 401: no credentials, or credentials that do not
verify), ``Forbidden`` is *forbidden* (403: a verified caller without the right).
Messages keep the old services' texts where they had one, so their clients see what they
saw before: ``Missing Authorization header``, ``Invalid token: <reason>``,
``Insufficient permissions: contracts:write scope required``, ``Role required: admin``.
"""

from __future__ import annotations

from registry.errors import InvalidInput, RegistryError
from registry.problems import Code


class AuthFailed(RegistryError):
    """No credentials, or credentials that do not verify (401).

    ``code`` is ``auth.missing`` when there was no ``Authorization`` header at all,
    ``auth.invalid`` for everything else: a malformed header, a bad signature, an expired
    token, the wrong issuer or audience, an algorithm that is not accepted.
    """

    code = Code.AUTH_INVALID

    def __init__(self, message: str, *, code: Code = Code.AUTH_INVALID, hint: str | None = None) -> None:
        super().__init__(message, hint=hint, code=code)

    @property
    def challenge(self) -> str:
        """The ``WWW-Authenticate`` value a 401 carries (RFC 6750 §3, §3.1)."""
        return "Bearer" if self.code is Code.AUTH_MISSING else 'Bearer error="invalid_token"'

    @classmethod
    def missing(cls) -> AuthFailed:
        return cls(
            "Missing Authorization header",
            code=Code.AUTH_MISSING,
            hint="send 'Authorization: Bearer <token>'",
        )

    @classmethod
    def invalid(cls, reason: str) -> AuthFailed:
        return cls(f"Invalid token: {reason}")


class Forbidden(RegistryError):
    """A verified caller whose token lacks the scope, role or tenant a request needs (403).

    ``code`` says which: ``auth.scope``, ``auth.role`` or ``auth.tenant``.
    """

    code = Code.AUTH_SCOPE

    def __init__(
        self, message: str, *, code: Code, hint: str | None = None, scope: str | None = None
    ) -> None:
        super().__init__(message, hint=hint, code=code)
        self.scope = scope

    @property
    def challenge(self) -> str | None:
        """The ``WWW-Authenticate`` value for a missing scope (RFC 6750 §3.1), else None."""
        return f'Bearer error="insufficient_scope", scope="{self.scope}"' if self.scope else None


class TenantRequired(InvalidInput):
    """The request names no tenant and the token grants more than one (400)."""

    code = Code.AUTH_TENANT_REQUIRED


class KeysUnavailable(RegistryError):
    """The issuer's keys could not be fetched, so a token naming a new key cannot be judged (503)."""

    code = Code.AUTH_KEYS_UNAVAILABLE


class AuthConfigError(InvalidInput):
    """Settings the server cannot authenticate with: no key, a weak or default secret, a bad URL.

    Its outcome is *bad input*, so ``registry serve`` refuses to start with exit status 2.
    """

    code = Code.AUTH_CONFIG
