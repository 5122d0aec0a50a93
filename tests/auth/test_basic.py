"""Basic credentials whose password is the token: read like a bearer token, everywhere."""

from __future__ import annotations

import base64

import pytest
from auth.material import OTHER_SECRET, SECRET

from registry.auth import Authenticator, AuthFailed, mint
from registry.auth.basic import token_from_authorization


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer   abc ", "abc"),
        (basic("kafka", "abc.def.ghi"), "abc.def.ghi"),
        (basic("", "abc"), "abc"),
        (basic("a:b", "c"), "b:c"),  # the first colon ends the user name (RFC 7617 §2)
        ("BASIC " + base64.b64encode(b"u:t").decode(), "t"),
    ],
)
def test_the_token_is_the_bearer_token_or_the_basic_password(header: str, token: str) -> None:
    assert token_from_authorization(header) == token


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer   ", "Token abc", "Basic", "Basic !!!", basic("user", ""), "Basic dXNlcg=="],
)
def test_anything_else_holds_no_token(header: str) -> None:
    assert token_from_authorization(header) is None


def test_basic_credentials_authenticate_as_the_token_they_carry() -> None:
    auth = Authenticator.from_env({"JWT_SECRET": SECRET})
    token = mint(SECRET, sub="alice", scopes=["contracts:read"])
    principal = auth.authenticate(basic("whoever", token))
    assert (principal.subject, principal.scopes) == ("alice", {"contracts:read"})


def test_basic_credentials_with_a_bad_token_are_refused_like_a_bearer_one() -> None:
    auth = Authenticator.from_env({"JWT_SECRET": SECRET})
    with pytest.raises(AuthFailed) as failure:
        auth.authenticate(basic("alice", mint(OTHER_SECRET, sub="alice")))
    assert failure.value.message == "Invalid token: Signature verification failed"
