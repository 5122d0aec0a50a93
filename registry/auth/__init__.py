"""Authentication and tenancy: bearer JWTs to principals, and their scopes, roles and tenants.

HTTP-free: the doors pass the ``Authorization`` and ``X-Tenant-ID`` header values in and
map the typed errors out (``AuthFailed`` → 401, ``Forbidden`` → 403, by code outcome).
"""

from registry.auth.authenticator import SECURITY_SCHEMES, Authenticator, Trust, bearer_token
from registry.auth.errors import AuthConfigError, AuthFailed, Forbidden, KeysUnavailable, TenantRequired
from registry.auth.principal import (
    ADMIN,
    ANY_TENANT,
    EDITOR,
    READ_SCOPE,
    TENANT_HEADER,
    VIEWER,
    WRITE_SCOPE,
    Principal,
)
from registry.auth.settings import AuthSettings
from registry.auth.tokens import mint, parse_ttl

__all__ = [
    "ADMIN",
    "ANY_TENANT",
    "EDITOR",
    "READ_SCOPE",
    "SECURITY_SCHEMES",
    "TENANT_HEADER",
    "VIEWER",
    "WRITE_SCOPE",
    "AuthConfigError",
    "AuthFailed",
    "AuthSettings",
    "Authenticator",
    "Forbidden",
    "KeysUnavailable",
    "Principal",
    "TenantRequired",
    "Trust",
    "bearer_token",
    "mint",
    "parse_ttl",
]
