"""Who a verified token speaks for, and what it may do: scopes, roles and tenants.

A :class:`Principal` is built from a token's claims once its signature and times are
checked. Its questions (``require_scope``, ``require_role``, ``tenant_for``) answer by
returning or by raising a typed refusal, so every door refuses with the same words.

Claims read (every one optional but ``sub``):

===============  ================================================================
``scopes``       list of strings, or one space-separated string (the old registry)
``scope``        space-separated string (OAuth 2.0, RFC 8693 §4.2)
``scp``          list or space-separated string (Azure AD, Okta)
``roles``        list or string: ``viewer``, ``editor``, ``admin``, exactly (no case folding)
``realm_access`` Keycloak: ``{"roles": [...]}``; ``anumate-viewer|editor|admin`` too
``tenant``       string, or a list of strings
``tenants``      list of strings, or one string; ``"*"`` grants every tenant
===============  ================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from registry.auth.errors import AuthFailed, Forbidden, TenantRequired
from registry.problems import Code

READ_SCOPE = "contracts:read"
WRITE_SCOPE = "contracts:write"

VIEWER, EDITOR, ADMIN = "viewer", "editor", "admin"
#: Each role includes the rights of those below it: admin ⊇ editor ⊇ viewer.
ROLE_RANK: Mapping[str, int] = MappingProxyType({VIEWER: 1, EDITOR: 2, ADMIN: 3})
#: The role names a token may carry, and the role each one means.
ROLE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        **{role: role for role in ROLE_RANK},
        **{f"anumate-{role}": role for role in ROLE_RANK},
    }
)
#: The role of a token that names none of the above, as the old capsule service gave it.
DEFAULT_ROLE = VIEWER

ANY_TENANT = "*"
TENANT_HEADER = "X-Tenant-ID"


def normalize_role(name: str) -> str | None:
    """``viewer``, ``editor`` or ``admin`` for a role name a token may carry, else None.

    Exact: ``ADMIN`` or `` admin`` is not ``admin``. A token's issuer writes role names as
    configured; folding case would let a name nobody granted as a role become one.
    """
    return ROLE_NAMES.get(name)


@dataclass(frozen=True)
class Principal:
    """The caller a verified token names: its subject, scopes, roles, tenants and claims.

    ``roles`` holds only ``viewer``, ``editor`` and ``admin``; ``tenants`` may hold
    ``"*"`` (every tenant). ``claims`` is the token's payload, read-only.
    """

    subject: str
    scopes: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    tenants: frozenset[str] = frozenset()
    claims: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Principal:
        """The principal of a verified payload; a malformed claim makes the token invalid.

        A token that names no known role gets ``viewer``, as the old capsule service did;
        tenants are never implied: a token without ``tenant``/``tenants`` reaches none.
        """
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise AuthFailed.invalid("the token names no subject (sub)")
        scopes = _strings(claims, "scopes") | _strings(claims, "scope") | _strings(claims, "scp")
        role_names = _strings(claims, "roles")
        realm = claims.get("realm_access")
        if realm is not None:
            if not isinstance(realm, Mapping):
                raise AuthFailed.invalid("claim 'realm_access' must be an object")
            role_names |= _strings(realm, "roles", where="realm_access.roles")
        roles = frozenset(r for name in role_names if (r := normalize_role(name)))
        tenants = _strings(claims, "tenant", split=False) | _strings(claims, "tenants", split=False)
        return cls(
            subject=subject,
            scopes=scopes,
            roles=roles or frozenset({DEFAULT_ROLE}),
            tenants=tenants,
            claims=MappingProxyType(dict(claims)),
        )

    @property
    def role(self) -> str | None:
        """The highest role the token carries."""
        return max(self.roles, key=ROLE_RANK.__getitem__, default=None)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def require_scope(self, scope: str) -> None:
        """Refuse (403, ``auth.scope``) unless the token carries ``scope``."""
        if scope not in self.scopes:
            raise Forbidden(
                f"Insufficient permissions: {scope} scope required",
                code=Code.AUTH_SCOPE,
                hint=f"use a token whose 'scopes' claim includes {scope}",
                scope=scope,
            )

    def has_role(self, role: str) -> bool:
        """Whether the token's highest role includes ``role`` (admin ⊇ editor ⊇ viewer)."""
        needed = ROLE_RANK.get(role)
        if needed is None:
            raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLE_RANK)}")
        return any(ROLE_RANK[r] >= needed for r in self.roles)

    def require_role(self, role: str) -> None:
        """Refuse (403, ``auth.role``) unless the token's roles include ``role``."""
        if not self.has_role(role):
            raise Forbidden(
                f"Role required: {role}",
                code=Code.AUTH_ROLE,
                hint=f"use a token with the role {role} (or anumate-{role}) or a higher one",
            )

    def may_access_tenant(self, tenant: str) -> bool:
        return ANY_TENANT in self.tenants or tenant in self.tenants

    def tenant_for(self, header_value: str | None) -> str:
        """The tenant a request acts for: its ``X-Tenant-ID``, which the token must grant.

        With no header (or an empty one), a token that names exactly one tenant acts for
        it. Raises ``Forbidden`` (403, ``auth.tenant``) for a tenant the token does not
        grant or a token that grants none, ``TenantRequired`` (400) when the header is
        missing and the token grants several, or when it is ``*``.
        """
        if header_value == ANY_TENANT:
            raise TenantRequired(f"{TENANT_HEADER} must name one tenant, not '{ANY_TENANT}'")
        if header_value:
            if self.may_access_tenant(header_value):
                return header_value
            raise Forbidden(
                f"Access denied: the token does not grant tenant {header_value!r}",
                code=Code.AUTH_TENANT,
                hint=f"send the {TENANT_HEADER} of a tenant named in the token's 'tenant' or 'tenants' claim",
            )
        if not self.tenants:
            raise Forbidden(
                "Access denied: the token grants no tenant",
                code=Code.AUTH_TENANT,
                hint="use a token with a 'tenant' or 'tenants' claim",
            )
        if len(self.tenants) == 1 and ANY_TENANT not in self.tenants:
            (only,) = self.tenants
            return only
        raise TenantRequired(
            f"{TENANT_HEADER} header required",
            hint=f"the token grants several tenants; name one with {TENANT_HEADER}",
        )


def _strings(
    claims: Mapping[str, Any], name: str, *, where: str | None = None, split: bool = True
) -> frozenset[str]:
    """A claim that is a list of strings or one (space-separated, if ``split``) string, as a set."""
    value = claims.get(name)
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset(value.split() if split else [value] if value else [])
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return frozenset(item for item in value if item)
    raise AuthFailed.invalid(f"claim '{where or name}' must be a string or a list of strings")
