"""A principal's scopes, roles and tenants, read from claims, and the refusals it raises."""

from __future__ import annotations

import dataclasses

import pytest

from registry.auth import AuthFailed, Forbidden, Principal, TenantRequired
from registry.problems import Code, Outcome


def principal(**claims: object) -> Principal:
    return Principal.from_claims({"sub": "alice", **claims})


@pytest.mark.parametrize(
    ("claims", "roles"),
    [
        ({"roles": ["editor"]}, {"editor"}),
        ({"roles": "admin"}, {"admin"}),
        ({"realm_access": {"roles": ["anumate-admin", "offline_access"]}}, {"admin"}),
        ({"realm_access": {"roles": ["anumate-viewer"]}, "roles": ["editor"]}, {"viewer", "editor"}),
        ({"roles": ["Anumate-Editor", "ADMIN"]}, {"viewer"}),  # names match exactly: neither is a role
        ({"roles": ["uma_authorization"]}, {"viewer"}),
        ({}, {"viewer"}),
    ],
)
def test_roles_are_read_from_roles_and_realm_access_and_normalized(claims: dict, roles: set[str]) -> None:
    assert principal(**claims).roles == roles


def test_a_token_without_a_known_role_is_a_viewer_as_in_the_old_capsule_service() -> None:
    p = principal()
    p.require_role("viewer")
    with pytest.raises(Forbidden):
        p.require_role("editor")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("viewer", {"viewer"}),
        ("editor", {"viewer", "editor"}),
        ("admin", {"viewer", "editor", "admin"}),
    ],
)
def test_roles_include_those_below_them(role: str, allowed: set[str]) -> None:
    p = principal(roles=[role])
    for needed in ("viewer", "editor", "admin"):
        assert p.has_role(needed) is (needed in allowed)


def test_a_missing_role_is_forbidden_with_the_old_text() -> None:
    with pytest.raises(Forbidden) as refused:
        principal(roles=["editor"]).require_role("admin")
    assert refused.value.code is Code.AUTH_ROLE
    assert refused.value.code.outcome is Outcome.FORBIDDEN
    assert refused.value.message == "Role required: admin"


def test_an_unknown_role_asked_for_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        principal().require_role("owner")


@pytest.mark.parametrize(
    "claims",
    [
        {"scopes": ["contracts:read", "contracts:write"]},
        {"scopes": "contracts:read contracts:write"},
        {"scope": "contracts:read contracts:write openid"},
        {"scp": ["contracts:read", "contracts:write"]},
        {"scope": "contracts:read", "scopes": ["contracts:write"]},
    ],
)
def test_scopes_come_from_scopes_scope_or_scp(claims: dict) -> None:
    p = principal(**claims)
    p.require_scope("contracts:read")
    p.require_scope("contracts:write")


@pytest.mark.parametrize("scope", ["contracts:read", "contracts:write"])
def test_a_missing_scope_is_forbidden_with_the_old_text(scope: str) -> None:
    with pytest.raises(Forbidden) as refused:
        principal(scopes=["something:else"]).require_scope(scope)
    assert refused.value.code is Code.AUTH_SCOPE
    assert refused.value.code.outcome is Outcome.FORBIDDEN
    assert refused.value.message == f"Insufficient permissions: {scope} scope required"
    assert refused.value.challenge == f'Bearer error="insufficient_scope", scope="{scope}"'


def test_the_tenant_header_must_be_one_the_token_grants() -> None:
    p = principal(tenants=["acme", "globex"])
    assert p.tenant_for("acme") == "acme"
    assert p.tenant_for("globex") == "globex"
    with pytest.raises(Forbidden) as refused:
        p.tenant_for("initech")
    assert refused.value.code is Code.AUTH_TENANT
    assert refused.value.code.outcome is Outcome.FORBIDDEN


def test_a_single_tenant_claim_is_used_when_the_header_is_absent() -> None:
    p = principal(tenant="acme")
    assert p.tenant_for(None) == "acme"
    assert p.tenant_for("") == "acme"
    assert p.tenant_for("acme") == "acme"
    with pytest.raises(Forbidden):
        p.tenant_for("globex")


def test_a_wildcard_grants_every_tenant_but_names_none() -> None:
    p = principal(tenants=["*"])
    assert p.tenant_for("anyone") == "anyone"
    with pytest.raises(TenantRequired) as missing:
        p.tenant_for(None)
    assert missing.value.code is Code.AUTH_TENANT_REQUIRED
    assert missing.value.code.outcome is Outcome.BAD_INPUT


def test_the_header_names_one_tenant_never_the_wildcard() -> None:
    for tenants in (["*"], ["acme"]):
        with pytest.raises(TenantRequired, match="must name one tenant"):
            principal(tenants=tenants).tenant_for("*")


def test_several_tenants_and_no_header_needs_the_header() -> None:
    with pytest.raises(TenantRequired, match="X-Tenant-ID header required"):
        principal(tenants=["acme", "globex"]).tenant_for(None)


def test_a_token_without_tenants_reaches_none() -> None:
    p = principal(roles=["admin"])
    for header in ("acme", None):
        with pytest.raises(Forbidden) as refused:
            p.tenant_for(header)
        assert refused.value.code is Code.AUTH_TENANT


def test_a_tenant_claim_is_one_name_even_with_spaces() -> None:
    assert principal(tenant="acme corp").tenants == {"acme corp"}


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": None},
        {"sub": ""},
        {"sub": 42},
        {"sub": "alice", "roles": 5},
        {"sub": "alice", "roles": ["admin", 1]},
        {"sub": "alice", "realm_access": ["admin"]},
        {"sub": "alice", "tenants": {"acme": True}},
        {"sub": "alice", "scopes": [None]},
    ],
)
def test_a_malformed_claim_makes_the_token_invalid(claims: dict) -> None:
    with pytest.raises(AuthFailed) as refused:
        Principal.from_claims(claims)
    assert refused.value.code is Code.AUTH_INVALID
    assert refused.value.code.outcome is Outcome.UNAUTHENTICATED
    assert refused.value.message.startswith("Invalid token: ")


def test_a_principal_cannot_be_changed() -> None:
    p = principal(roles=["viewer"], tenant="acme")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.roles = frozenset({"admin"})  # type: ignore[misc]
    with pytest.raises(TypeError):
        p.claims["roles"] = ["admin"]  # type: ignore[index]
