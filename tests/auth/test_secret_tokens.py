"""HS tokens against ``JWT_SECRET``: what verifies, and every way a token is refused (401)."""

from __future__ import annotations

import base64
import time

import jwt
import pytest
from auth.material import OTHER_SECRET, SECRET, claims, handmade

from registry.auth import Authenticator, AuthFailed, AuthSettings, mint
from registry.problems import Code, Outcome


@pytest.fixture
def auth() -> Authenticator:
    return Authenticator.from_env({"JWT_SECRET": SECRET})


def refused(auth: Authenticator, header: str | None) -> AuthFailed:
    with pytest.raises(AuthFailed) as failure:
        auth.authenticate(header)
    assert failure.value.code.outcome is Outcome.UNAUTHENTICATED
    return failure.value


def bearer(token: str) -> str:
    return f"Bearer {token}"


@pytest.mark.parametrize("algorithm", ["HS256", "HS384", "HS512"])
def test_hs_tokens_verify_and_name_their_principal(auth: Authenticator, algorithm: str) -> None:
    token = mint(
        SECRET,
        sub="alice",
        scopes=["contracts:read"],
        roles=["editor"],
        tenants=["acme"],
        algorithm=algorithm,
    )
    p = auth.authenticate(bearer(token))
    assert (p.subject, p.scopes, p.roles, p.tenants) == ("alice", {"contracts:read"}, {"editor"}, {"acme"})
    assert p.claims["sub"] == "alice"


def test_the_bearer_scheme_is_case_insensitive(auth: Authenticator) -> None:
    token = mint(SECRET, sub="alice")
    assert auth.authenticate(f"bearer   {token} ").subject == "alice"


def test_a_token_is_accepted_as_the_password_of_basic_credentials(auth: Authenticator) -> None:
    token = mint(SECRET, sub="alice", scopes=["contracts:read"])
    credentials = base64.b64encode(f"git:{token}".encode()).decode()
    assert auth.authenticate(f"Basic {credentials}").subject == "alice"


@pytest.mark.parametrize("header", [None, "", "   "])
def test_a_missing_header_is_refused_with_the_old_text(auth: Authenticator, header: str | None) -> None:
    failure = refused(auth, header)
    assert failure.code is Code.AUTH_MISSING
    assert failure.message == "Missing Authorization header"
    assert failure.challenge == "Bearer"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Basic YWxpY2U6cHc=", "Invalid token: Invalid header"),  # alice:pw, "pw" is no JWT
        ("Basic YWxpY2U=", "Invalid token: Basic credentials must be base64 of 'user:token'"),
        ("Token abc", "Authorization header must use Bearer scheme"),
        ("Bearer", "Invalid token: the Authorization header holds no token"),
        ("Bearer not-a-jwt", "Invalid token: Invalid header"),
        ("Bearer a.b", "Invalid token: Invalid header string"),
        ("Bearer !!.e30.", "Invalid token: Invalid header"),
        ("Bearer " + "a" * 20000, "Invalid token: the token is longer than 16384 characters"),
    ],
)
def test_a_malformed_header_or_token_is_refused(auth: Authenticator, header: str, message: str) -> None:
    failure = refused(auth, header)
    assert failure.code is Code.AUTH_INVALID
    assert failure.message == message


def test_a_token_signed_with_another_secret_is_refused(auth: Authenticator) -> None:
    failure = refused(auth, bearer(mint(OTHER_SECRET, sub="mallory")))
    assert failure.message == "Invalid token: Signature verification failed"
    assert failure.challenge == 'Bearer error="invalid_token"'


def test_a_tampered_payload_is_refused(auth: Authenticator) -> None:
    header, _, signature = mint(SECRET, sub="alice", roles=["viewer"]).split(".")
    forged = handmade({"alg": "HS256", "typ": "JWT"}, claims(roles=["admin"])).split(".")[1]
    assert refused(auth, bearer(f"{header}.{forged}.{signature}")).code is Code.AUTH_INVALID


def test_an_expired_token_is_refused(auth: Authenticator) -> None:
    token = mint(SECRET, sub="alice", now=time.time() - 3600, ttl=600)
    assert refused(auth, bearer(token)).message == "Invalid token: Signature has expired"


def test_a_token_expired_within_the_leeway_is_accepted(auth: Authenticator) -> None:
    token = mint(SECRET, sub="alice", now=time.time() - 70, ttl=60)  # expired 10 s ago
    assert auth.authenticate(bearer(token)).subject == "alice"


def test_a_token_not_yet_valid_is_refused(auth: Authenticator) -> None:
    token = jwt.encode(claims(nbf=int(time.time()) + 120, exp=int(time.time()) + 600), SECRET)
    assert refused(auth, bearer(token)).message == "Invalid token: The token is not yet valid (nbf)"


def test_a_token_valid_within_the_leeway_is_accepted(auth: Authenticator) -> None:
    token = jwt.encode(claims(nbf=int(time.time()) + 10), SECRET)
    assert auth.authenticate(bearer(token)).subject == "alice"


def test_a_token_without_exp_is_refused(auth: Authenticator) -> None:
    token = jwt.encode({"sub": "alice"}, SECRET)
    assert refused(auth, bearer(token)).message == 'Invalid token: Token is missing the "exp" claim'


def test_a_token_without_subject_is_refused(auth: Authenticator) -> None:
    token = jwt.encode({"exp": int(time.time()) + 60}, SECRET)
    assert "no subject" in refused(auth, bearer(token)).message


def test_the_verified_token_cache_never_outlives_exp() -> None:
    auth = Authenticator.from_settings(AuthSettings(secret=SECRET, leeway=0))
    token = mint(SECRET, sub="alice", ttl=1)
    assert auth.authenticate(bearer(token)).subject == "alice"
    time.sleep(max(0.0, jwt.decode(token, SECRET, algorithms=["HS256"])["exp"] - time.time()) + 0.1)
    assert refused(auth, bearer(token)).message == "Invalid token: Signature has expired"


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE", ""])
def test_alg_none_is_refused(auth: Authenticator, alg: str) -> None:
    token = handmade({"alg": alg, "typ": "JWT"}, claims(scopes=["contracts:write"]))
    failure = refused(auth, bearer(token))
    assert failure.message == f"Invalid token: the algorithm {alg!r} is not accepted"


def test_a_header_without_alg_is_refused(auth: Authenticator) -> None:
    assert "not accepted" in refused(auth, bearer(handmade({"typ": "JWT"}, claims()))).message


def test_an_asymmetric_token_is_refused_by_a_secret_only_server(auth: Authenticator, rsa_key) -> None:
    token = jwt.encode(claims(), rsa_key, algorithm="RS256")
    assert refused(auth, bearer(token)).message == "Invalid token: the algorithm 'RS256' is not accepted"


class TestIssuerAndAudience:
    @pytest.fixture
    def auth(self) -> Authenticator:
        return Authenticator.from_env(
            {"JWT_SECRET": SECRET, "JWT_ISSUER": "https://issuer.example", "JWT_AUDIENCE": "registry"}
        )

    def test_the_right_issuer_and_audience_are_accepted(self, auth: Authenticator) -> None:
        token = mint(SECRET, sub="alice", issuer="https://issuer.example", audience="registry")
        assert auth.authenticate(bearer(token)).subject == "alice"

    def test_an_audience_list_that_holds_ours_is_accepted(self, auth: Authenticator) -> None:
        token = jwt.encode(claims(iss="https://issuer.example", aud=["other", "registry"]), SECRET)
        assert auth.authenticate(bearer(token)).subject == "alice"

    @pytest.mark.parametrize("issuer", ["https://evil.example", None])
    def test_a_wrong_or_missing_issuer_is_refused(self, auth: Authenticator, issuer: str | None) -> None:
        token = mint(SECRET, sub="alice", issuer=issuer, audience="registry")
        failure = refused(auth, bearer(token))
        assert failure.message in (
            "Invalid token: Invalid issuer",
            'Invalid token: Token is missing the "iss" claim',
        )

    @pytest.mark.parametrize("audience", ["someone-else", None])
    def test_a_wrong_or_missing_audience_is_refused(self, auth: Authenticator, audience: str | None) -> None:
        token = mint(SECRET, sub="alice", issuer="https://issuer.example", audience=audience)
        failure = refused(auth, bearer(token))
        assert failure.message in (
            "Invalid token: Audience doesn't match",
            'Invalid token: Token is missing the "aud" claim',
        )


def test_without_a_configured_audience_any_audience_is_accepted(auth: Authenticator) -> None:
    token = mint(SECRET, sub="alice", audience="whatever")
    assert auth.authenticate(bearer(token)).subject == "alice"


def test_jwt_algorithm_narrows_the_accepted_algorithms() -> None:
    auth = Authenticator.from_env({"JWT_SECRET": SECRET, "JWT_ALGORITHM": "HS256"})
    assert auth.authenticate(bearer(mint(SECRET, sub="alice"))).subject == "alice"
    token = mint(SECRET, sub="alice", algorithm="HS512")
    assert refused(auth, bearer(token)).message == "Invalid token: the algorithm 'HS512' is not accepted"


def test_a_secret_is_used_only_with_the_hashes_it_is_long_enough_for() -> None:
    """RFC 7518 §3.2: the key must be at least as long as the hash output."""
    secret = "k" * 32
    auth = Authenticator.from_env({"JWT_SECRET": secret})
    assert auth.authenticate(bearer(mint(secret, sub="alice"))).subject == "alice"
    with pytest.warns(jwt.InsecureKeyLengthWarning):
        token = mint(secret, sub="alice", algorithm="HS512")
    assert "not accepted" in refused(auth, bearer(token)).message


def test_a_token_verified_once_is_answered_from_memory_and_still_checked(auth: Authenticator) -> None:
    token = mint(SECRET, sub="alice")
    first = auth.authenticate(bearer(token))
    assert auth.authenticate(bearer(token)) is first
    other = mint(OTHER_SECRET, sub="alice")
    refused(auth, bearer(other))
