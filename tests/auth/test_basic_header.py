"""A token is read from ``Bearer T`` or from the password of ``Basic`` credentials, and only there."""

from __future__ import annotations

import base64

import pytest

from registry.auth.basic import MAX_CREDENTIALS, token_from_authorization


def basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode()).decode()


def test_a_bearer_token_is_read_whatever_the_scheme_case() -> None:
    assert token_from_authorization("Bearer abc.def") == "abc.def"
    assert token_from_authorization("bearer   abc.def  ") == "abc.def"


def test_a_basic_password_is_the_token_whatever_the_user_name() -> None:
    assert token_from_authorization(basic("git:abc.def")) == "abc.def"
    assert token_from_authorization(basic(":abc.def")) == "abc.def"
    assert token_from_authorization(basic("ada@example.org:abc:def")) == "abc:def"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Bearer",
        "Bearer   ",
        "Token abc",
        "Digest username=x",
        "Basic",
        "Basic not*base64",
        basic("no-colon-here"),
        basic("user:"),
        "Basic " + base64.b64encode(b"user:\xff\xfe").decode(),
        "Basic " + "a" * (MAX_CREDENTIALS + 4),
    ],
)
def test_anything_else_holds_no_token(value: str) -> None:
    assert token_from_authorization(value) is None
