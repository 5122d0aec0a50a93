"""What the server refuses to start with, and what development mode makes up."""

from __future__ import annotations

import jwt
import pytest
from auth.material import SECRET, public_pem

from registry.auth import SECURITY_SCHEMES, AuthConfigError, Authenticator, AuthFailed, AuthSettings, mint
from registry.auth.settings import DEFAULT_DEV_SECRET
from registry.problems import Code, Outcome


def refuses_to_start(env: dict[str, str], match: str, *, dev: bool = False) -> None:
    with pytest.raises(AuthConfigError, match=match) as failure:
        Authenticator.from_env(env, dev=dev)
    assert failure.value.code is Code.AUTH_CONFIG
    assert failure.value.code.outcome is Outcome.BAD_INPUT


@pytest.mark.parametrize("env", [{}, {"JWT_SECRET": ""}, {"JWKS_URL": "  "}, {"JWT_AUDIENCE": "registry"}])
def test_no_secret_or_key_refuses_to_start(env: dict[str, str]) -> None:
    refuses_to_start(env, "no JWT secret or key is configured")


def test_the_published_default_secret_refuses_to_start() -> None:
    refuses_to_start({"JWT_SECRET": DEFAULT_DEV_SECRET}, "published development default")


@pytest.mark.parametrize("secret", ["secret", "k" * 31])
def test_a_short_secret_refuses_to_start(secret: str) -> None:
    refuses_to_start({"JWT_SECRET": secret}, "too short")


def test_development_mode_accepts_the_default_secret() -> None:
    auth = Authenticator.from_env({"JWT_SECRET": DEFAULT_DEV_SECRET}, dev=True)
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        token = mint(DEFAULT_DEV_SECRET, sub="old-client", scopes=["contracts:read"])
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        assert auth.authenticate(f"Bearer {token}").subject == "old-client"


def test_development_mode_without_settings_makes_a_throwaway_secret() -> None:
    auth = Authenticator.from_env({}, dev=True)
    token = auth.dev_token()
    p = auth.authenticate(f"Bearer {token}")
    assert (p.subject, p.scopes, p.roles, p.tenants) == (
        "dev",
        {"contracts:read", "contracts:write"},
        {"admin"},
        {"*"},
    )
    another = Authenticator.from_env({}, dev=True)
    with pytest.raises(AuthFailed):
        another.authenticate(f"Bearer {token}")


def test_a_dev_token_fits_the_configured_issuer_and_audience() -> None:
    env = {"JWT_SECRET": SECRET, "JWT_ISSUER": "registry-dev", "JWT_AUDIENCE": "registry"}
    auth = Authenticator.from_env(env, dev=True)
    p = auth.authenticate(f"Bearer {auth.dev_token(sub='me', roles=('viewer',), tenant='acme')}")
    assert (p.subject, p.roles, p.tenant_for(None)) == ("me", {"viewer"}, "acme")


def test_no_dev_token_without_a_secret(rsa_key) -> None:
    auth = Authenticator.from_env({"JWT_PUBLIC_KEY": public_pem(rsa_key)}, dev=True)
    with pytest.raises(AuthConfigError, match="no JWT secret"):
        auth.dev_token()


@pytest.mark.parametrize(
    ("env", "match"),
    [
        ({"JWT_SECRET": SECRET, "JWT_ALGORITHM": "none"}, "not an algorithm"),
        ({"JWT_SECRET": SECRET, "JWT_ALGORITHM": "RS256"}, "fits none"),
        ({"JWT_SECRET": "k" * 40, "JWT_ALGORITHM": "HS512"}, "too short for HS512"),
        (
            {"JWT_PUBLIC_KEY": "-----BEGIN PUBLIC KEY-----", "JWKS_URL": "https://issuer.example/jwks"},
            "one source of public keys|together",
        ),
    ],
)
def test_settings_that_cannot_work_refuse_to_start(env: dict[str, str], match: str) -> None:
    refuses_to_start(env, match)


def test_settings_are_read_from_the_environment_only_at_the_edge() -> None:
    env = {
        "JWT_SECRET": " keep spaces ",
        "JWT_ALGORITHM": " HS256 ",
        "OIDC_ISSUER_URL": "https://issuer.example",
        "OIDC_AUDIENCE": "registry",
        "JWT_ISSUER": "",
        "UNRELATED": "x",
    }
    assert AuthSettings.from_env(env) == AuthSettings(
        secret=" keep spaces ",
        algorithm="HS256",
        oidc_issuer_url="https://issuer.example",
        oidc_audience="registry",
    )


def test_describe_names_the_trusts_and_never_the_secret() -> None:
    auth = Authenticator.from_env({"JWT_SECRET": SECRET, "JWT_AUDIENCE": "registry"})
    assert auth.describe() == ["HS256/HS384/HS512 with JWT_SECRET (aud registry)"]
    assert SECRET not in repr(auth.describe())


def test_the_security_schemes_describe_a_bearer_jwt() -> None:
    assert SECURITY_SCHEMES["bearerAuth"]["scheme"] == "bearer"
    assert Authenticator.for_secret(SECRET).security_schemes() == {
        name: dict(scheme) for name, scheme in SECURITY_SCHEMES.items()
    }
