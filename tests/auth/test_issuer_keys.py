"""Keys from a real issuer on a loopback port: OIDC discovery, JWKS, caching and rotation."""

from __future__ import annotations

import asyncio
import socket
import time

import jwt
import pytest
from auth.issuer import Issuer
from auth.material import Clock, claims, handmade

from registry.auth import AuthConfigError, Authenticator, AuthFailed, AuthSettings, KeysUnavailable
from registry.auth.jwks import DISCOVERY_PATH, HttpFetch, JwksKeys, RefreshPolicy
from registry.problems import Code, Outcome


def bearer(token: str) -> str:
    return f"Bearer {token}"


def oidc(issuer: Issuer, policy: RefreshPolicy, **settings: str) -> Authenticator:
    return Authenticator.from_settings(
        AuthSettings(oidc_issuer_url=issuer.url, oidc_audience="registry", **settings), policy=policy
    )


def refused(auth: Authenticator, token: str) -> AuthFailed:
    with pytest.raises(AuthFailed) as failure:
        auth.authenticate(bearer(token))
    assert failure.value.code is Code.AUTH_INVALID
    return failure.value


def test_rsa_and_ed25519_tokens_of_the_issuer_verify(issuer: Issuer, policy: RefreshPolicy) -> None:
    auth = oidc(issuer, policy)
    rsa_principal = auth.authenticate(
        bearer(issuer.sign("rsa-1", realm_access={"roles": ["anumate-editor"]}))
    )
    ed_principal = auth.authenticate(bearer(issuer.sign("ed-1", sub="bob", tenant="acme")))
    assert (rsa_principal.subject, rsa_principal.roles) == ("alice", {"editor"})
    assert (ed_principal.subject, ed_principal.tenants) == ("bob", {"acme"})


def test_es256_keys_of_a_jwks_verify(issuer: Issuer, ec_key, policy: RefreshPolicy) -> None:
    issuer.add("ec-1", ec_key, "ES256")
    auth = Authenticator.from_settings(AuthSettings(jwks_url=issuer.jwks_url), policy=policy)
    assert auth.authenticate(bearer(issuer.sign("ec-1"))).subject == "alice"


def test_keys_are_fetched_once_and_reused(issuer: Issuer, policy: RefreshPolicy) -> None:
    auth = oidc(issuer, policy)
    for n in range(40):
        auth.authenticate(bearer(issuer.sign("rsa-1" if n % 2 else "ed-1", sub=f"user-{n}")))
    assert issuer.requests == {DISCOVERY_PATH: 1, "/jwks": 1}


def test_a_rotated_key_is_accepted_after_one_refresh(
    issuer: Issuer, rsa_key_2, clock: Clock, policy: RefreshPolicy
) -> None:
    auth = oidc(issuer, policy)
    auth.authenticate(bearer(issuer.sign("rsa-1")))
    issuer.add("rsa-2", rsa_key_2, "RS256")
    issuer.remove("rsa-1")
    clock.advance(2)
    assert auth.authenticate(bearer(issuer.sign("rsa-2", sub="carol"))).subject == "carol"
    assert auth.authenticate(bearer(issuer.sign("rsa-2", sub="dave"))).subject == "dave"
    assert issuer.requests == {DISCOVERY_PATH: 1, "/jwks": 2}


def test_a_key_the_issuer_dropped_stops_verifying_when_the_keys_age_out(
    issuer: Issuer, rsa_key_2, clock: Clock, policy: RefreshPolicy
) -> None:
    auth = oidc(issuer, policy)
    auth.authenticate(bearer(issuer.sign("rsa-1")))
    issuer.add("rsa-2", rsa_key_2, "RS256")
    old = issuer.sign("rsa-1", sub="late")
    issuer.remove("rsa-1")
    clock.advance(policy.max_age + 1)
    assert refused(auth, old).message == "Invalid token: unknown signing key 'rsa-1'"


def test_made_up_key_ids_cannot_hammer_the_issuer(
    issuer: Issuer, clock: Clock, policy: RefreshPolicy
) -> None:
    auth = oidc(issuer, policy)
    auth.authenticate(bearer(issuer.sign("rsa-1")))
    clock.advance(5)
    for n in range(200):  # a flood of new ids at one moment: one fetch at most
        refused(auth, issuer.sign("rsa-1", header_kid=f"bogus-{n}"))
    assert issuer.requests["/jwks"] == 2
    for _ in range(29):  # the same id again, once a second: no fetch within 30 s
        clock.advance(1)
        refused(auth, issuer.sign("rsa-1", header_kid="bogus-0"))
    assert issuer.requests["/jwks"] == 2
    clock.advance(1)
    refused(auth, issuer.sign("rsa-1", header_kid="bogus-0"))
    assert issuer.requests["/jwks"] == 3


def test_the_issuer_is_checked(issuer: Issuer, policy: RefreshPolicy) -> None:
    auth = oidc(issuer, policy)
    assert refused(auth, issuer.sign("rsa-1", issuer="https://evil.example")).message == (
        "Invalid token: Invalid issuer"
    )


@pytest.mark.parametrize("audience", ["someone-else", None])
def test_the_audience_is_checked(issuer: Issuer, policy: RefreshPolicy, audience: str | None) -> None:
    auth = oidc(issuer, policy)
    assert refused(auth, issuer.sign("ed-1", audience=audience)).message in (
        "Invalid token: Audience doesn't match",
        'Invalid token: Token is missing the "aud" claim',
    )


def test_an_expired_issuer_token_is_refused(issuer: Issuer, policy: RefreshPolicy) -> None:
    auth = oidc(issuer, policy)
    assert refused(auth, issuer.sign("rsa-1", ttl=-120)).message == "Invalid token: Signature has expired"


def test_an_algorithm_that_does_not_fit_the_named_key_is_refused(
    issuer: Issuer, ed_key, policy: RefreshPolicy
) -> None:
    auth = oidc(issuer, policy)
    token = jwt.encode(
        claims(iss=issuer.url, aud="registry"), ed_key, algorithm="EdDSA", headers={"kid": "rsa-1"}
    )
    assert refused(auth, token).message == "Invalid token: algorithm EdDSA does not fit the key 'rsa-1'"


def test_hs_tokens_and_symmetric_keys_in_the_set_are_never_used(
    issuer: Issuer, policy: RefreshPolicy
) -> None:
    secret = b"published-in-the-jwks-by-mistake-0123456789"
    issuer.extra_jwks.append({"kty": "oct", "kid": "oct-1", "k": jwt.utils.base64url_encode(secret).decode()})
    auth = oidc(issuer, policy)
    forged = handmade(
        {"alg": "HS256", "kid": "oct-1"}, claims(iss=issuer.url, aud="registry"), hmac_key=secret
    )
    assert refused(auth, forged).message == "Invalid token: the algorithm 'HS256' is not accepted"
    auth.authenticate(bearer(issuer.sign("rsa-1")))  # the other keys still serve


def test_a_discovery_document_naming_another_issuer_is_refused(issuer: Issuer, policy: RefreshPolicy) -> None:
    issuer.claimed_issuer = "https://evil.example"
    auth = oidc(issuer, policy)
    with pytest.raises(KeysUnavailable, match=r"names the issuer 'https://evil\.example'") as failure:
        auth.authenticate(bearer(issuer.sign("rsa-1")))
    assert failure.value.code.outcome is Outcome.UNAVAILABLE


def test_an_unreachable_issuer_is_unavailable_not_unauthenticated(
    issuer: Issuer, clock: Clock, policy: RefreshPolicy
) -> None:
    issuer.down = True
    auth = oidc(issuer, policy)
    token = issuer.sign("rsa-1")
    with pytest.raises(KeysUnavailable) as failure:
        auth.authenticate(bearer(token))
    assert failure.value.code is Code.AUTH_KEYS_UNAVAILABLE
    with pytest.raises(KeysUnavailable):  # retried no sooner than min_interval
        auth.authenticate(bearer(token))
    assert issuer.requests[DISCOVERY_PATH] == 1
    issuer.down = False
    clock.advance(2)
    assert auth.authenticate(bearer(token)).subject == "alice"


def test_cached_keys_keep_serving_while_the_issuer_is_down(
    issuer: Issuer, clock: Clock, policy: RefreshPolicy
) -> None:
    auth = oidc(issuer, policy)
    auth.warm()
    issuer.down = True
    assert auth.authenticate(bearer(issuer.sign("rsa-1", sub="x"))).subject == "x"
    clock.advance(policy.max_age + 1)  # stale keys and a failed refresh: keep the old ones
    assert auth.authenticate(bearer(issuer.sign("ed-1", sub="y"))).subject == "y"
    assert issuer.requests["/jwks"] == 2


def test_warm_fetches_before_the_first_request(issuer: Issuer, policy: RefreshPolicy) -> None:
    auth = oidc(issuer, policy)
    auth.warm()
    assert issuer.requests == {DISCOVERY_PATH: 1, "/jwks": 1}
    auth.authenticate(bearer(issuer.sign("ed-1")))
    assert issuer.requests == {DISCOVERY_PATH: 1, "/jwks": 1}


def test_a_jwks_url_without_discovery_checks_jwt_issuer(issuer: Issuer, policy: RefreshPolicy) -> None:
    auth = Authenticator.from_settings(
        AuthSettings(jwks_url=issuer.jwks_url, issuer=issuer.url, audience="registry"), policy=policy
    )
    assert auth.authenticate(bearer(issuer.sign("rsa-1"))).subject == "alice"
    assert refused(auth, issuer.sign("rsa-1", issuer="https://evil.example")).message == (
        "Invalid token: Invalid issuer"
    )
    assert DISCOVERY_PATH not in issuer.requests


def test_from_env_reads_the_issuer_settings(issuer: Issuer) -> None:
    auth = Authenticator.from_env({"OIDC_ISSUER_URL": issuer.url + "/", "OIDC_AUDIENCE": "registry"})
    assert auth.authenticate(bearer(issuer.sign("ed-1"))).subject == "alice"
    assert auth.security_schemes()["oidc"] == {
        "type": "openIdConnect",
        "openIdConnectUrl": issuer.url + DISCOVERY_PATH,
    }


def test_the_async_door_fetches_in_a_thread_and_then_answers_inline(
    issuer: Issuer, policy: RefreshPolicy
) -> None:
    auth = oidc(issuer, policy)

    async def main() -> tuple[str, str]:
        first = await auth.authenticate_async(bearer(issuer.sign("rsa-1", sub="first")))
        second = await auth.authenticate_async(bearer(issuer.sign("ed-1", sub="second")))
        return first.subject, second.subject

    assert asyncio.run(main()) == ("first", "second")
    assert issuer.requests == {DISCOVERY_PATH: 1, "/jwks": 1}


@pytest.mark.parametrize(
    "env",
    [
        {"OIDC_ISSUER_URL": "http://issuer.example"},
        {"JWKS_URL": "http://issuer.example/jwks"},
        {"JWKS_URL": "ftp://127.0.0.1/jwks"},
    ],
)
def test_keys_are_fetched_over_https_or_from_this_machine_only(env: dict[str, str]) -> None:
    with pytest.raises(AuthConfigError, match="https"):
        Authenticator.from_env(env)


def test_a_slow_issuer_times_out_quickly(policy: RefreshPolicy) -> None:
    """A port that accepts nothing answers within the short connect timeout, as unavailable."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)  # accepts into the backlog and never answers
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        keys = JwksKeys(url + "/jwks", fetch=HttpFetch(timeout=0.3, connect_timeout=0.3), policy=policy)
        started = time.monotonic()
        with pytest.raises(KeysUnavailable):
            keys.refresh()
        assert time.monotonic() - started < 5


def test_a_token_without_kid_uses_the_one_key_that_fits_its_algorithm(
    issuer: Issuer, rsa_key_2, clock: Clock, policy: RefreshPolicy
) -> None:
    auth = oidc(issuer, policy)
    token = jwt.encode(
        claims(iss=issuer.url, aud="registry"), issuer.keys["rsa-1"].private, algorithm="RS256"
    )
    assert auth.authenticate(bearer(token)).subject == "alice"
    issuer.add("rsa-2", rsa_key_2, "RS256")
    clock.advance(policy.max_age + 1)
    other = jwt.encode(claims(iss=issuer.url, aud="registry", sub="bob"), rsa_key_2, algorithm="RS256")
    assert "names no key id" in refused(auth, other).message
