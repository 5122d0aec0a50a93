"""Keys made once per session, a running issuer, a clock the tests move by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from auth.issuer import Issuer
from auth.material import Clock
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from registry.auth.jwks import RefreshPolicy


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The issuer is on loopback: no proxy from the environment may stand between."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def rsa_key_2() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def ed_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def policy(clock: Clock) -> RefreshPolicy:
    return RefreshPolicy(clock=clock)


@pytest.fixture
def issuer(rsa_key: rsa.RSAPrivateKey, ed_key: ed25519.Ed25519PrivateKey) -> Iterator[Issuer]:
    """A running issuer that publishes a real RSA key (``rsa-1``) and Ed25519 key (``ed-1``)."""
    with Issuer.running() as running:
        running.add("rsa-1", rsa_key, "RS256")
        running.add("ed-1", ed_key, "EdDSA")
        yield running
