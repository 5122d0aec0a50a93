"""Keys fetched from an issuer: a JWKS URL, or one found by OIDC discovery.

Keys are fetched once and kept; a request whose key is known never touches the network.
The set is fetched again when it is older than ``max_age``, and when a token names a key
id (``kid``) the set does not hold, which is how a key rotation reaches the server. Those
fetches are bounded so that a flood of tokens with made-up key ids cannot hammer the
issuer: the same unknown id triggers a fetch at most once per ``unknown_kid_retry``
seconds, and no two fetches of a document are closer than ``min_interval`` seconds.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from registry.auth.errors import AuthConfigError, AuthFailed, KeysUnavailable
from registry.auth.keys import ASYMMETRIC_ALGORITHMS, FetchNeeded, VerifyingKey, key_from_jwk

log = logging.getLogger(__name__)

#: GET a URL and return its JSON object; raises ``KeysUnavailable``.
Fetch = Callable[[str], Mapping[str, Any]]

DISCOVERY_PATH = "/.well-known/openid-configuration"
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
_MAX_KIDS_REMEMBERED = 1024


def check_url(url: str, what: str) -> str:
    """``url`` if it is https, or http to this machine (for tests and sidecars); else refuse.

    Keys fetched over plain HTTP from elsewhere could be swapped on the way.
    """
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return url
    raise AuthConfigError(
        f"{what} must be an https URL, got {url!r}",
        hint="plain http is accepted only for localhost",
    )


class HttpFetch:
    """GET JSON over HTTP with short timeouts, no redirects and a size bound.

    A client is made per fetch: fetches are rare, and nothing is left open to close.
    """

    def __init__(
        self, *, timeout: float = 3.0, connect_timeout: float = 2.0, max_bytes: int = 1 << 20
    ) -> None:
        self.timeout = httpx.Timeout(timeout, connect=connect_timeout)
        self.max_bytes = max_bytes

    def __call__(self, url: str) -> Mapping[str, Any]:
        body = bytearray()
        try:
            with (
                httpx.Client(timeout=self.timeout, headers={"Accept": "application/json"}) as client,
                client.stream("GET", url) as response,
            ):
                if response.status_code != 200:
                    raise KeysUnavailable(f"{url} answered HTTP {response.status_code}")
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise KeysUnavailable(f"{url} answered more than {self.max_bytes} bytes")
        except httpx.HTTPError as exc:
            raise KeysUnavailable(f"cannot fetch {url}: {exc or type(exc).__name__}") from exc
        try:
            document = json.loads(body)
        except ValueError as exc:
            raise KeysUnavailable(f"{url} did not answer JSON: {exc}") from exc
        if not isinstance(document, dict):
            raise KeysUnavailable(f"{url} did not answer a JSON object")
        return document


@dataclass(frozen=True)
class RefreshPolicy:
    """When fetched keys are fetched again; ``clock`` is monotonic seconds."""

    max_age: float = 600.0
    unknown_kid_retry: float = 30.0
    min_interval: float = 1.0
    clock: Callable[[], float] = time.monotonic


@dataclass(frozen=True)
class _KeySet:
    by_kid: Mapping[str | None, tuple[VerifyingKey, ...]]
    fetched_at: float

    def find(self, kid: str | None, alg: str) -> VerifyingKey | None:
        if kid is not None:
            candidates = self.by_kid.get(kid, ())
        else:
            candidates = tuple(k for keys in self.by_kid.values() for k in keys if alg in k.algorithms)
            if len(candidates) > 1:
                raise AuthFailed.invalid("the token names no key id (kid) and the issuer has several keys")
        for key in candidates:
            if alg in key.algorithms:
                return key
        if candidates:
            raise AuthFailed.invalid(f"algorithm {alg} does not fit the key {kid!r}")
        return None


def _parse_jwks(document: Mapping[str, Any], url: str, now: float) -> _KeySet:
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise KeysUnavailable(f"{url} is not a JWKS: no 'keys' list")
    by_kid: dict[str | None, tuple[VerifyingKey, ...]] = {}
    skipped = 0
    for jwk in keys:
        key = key_from_jwk(jwk) if isinstance(jwk, dict) else None
        if key is None:
            skipped += 1
            continue
        by_kid[key.kid] = (*by_kid.get(key.kid, ()), key)
    if skipped:
        log.info("%s: %d of %d keys are not signature keys this server can use", url, skipped, len(keys))
    return _KeySet(by_kid, now)


class JwksKeys:
    """The keys of a JWKS URL, cached, refreshed on age and on unknown key ids."""

    def __init__(
        self,
        url: str,
        *,
        fetch: Fetch | None = None,
        only: frozenset[str] | None = None,
        issuer: str | None = None,
        policy: RefreshPolicy = RefreshPolicy(),
    ) -> None:
        self.url = url
        self._fetch = fetch or HttpFetch()
        self._algorithms = _asymmetric(only)
        self._issuer = issuer
        self.policy = policy
        self._lock = threading.Lock()
        self._set: _KeySet | None = None
        self._last_attempt = float("-inf")
        self._kid_attempts: dict[str, float] = {}
        #: How many times the key set was fetched (successfully or not).
        self.fetches = 0

    @property
    def algorithms(self) -> frozenset[str]:
        return self._algorithms

    @property
    def issuer(self) -> str | None:
        return self._issuer

    def describe(self) -> str:
        return f"{'/'.join(sorted(self._algorithms))} with the keys at {self.url}"

    def refresh(self) -> None:
        """Fetch the key set now (at start, to fail early and keep the first request fast)."""
        with self._lock:
            self._set = self._fetch_set(self.policy.clock())

    def key_for(self, kid: str | None, alg: str, *, may_fetch: bool = True) -> VerifyingKey:
        now = self.policy.clock()
        keys = self._set
        if keys is None or now - keys.fetched_at >= self.policy.max_age:
            keys = self._current(now, may_fetch)
        found = keys.find(kid, alg)
        if found is not None:
            return found
        if kid is not None and self._may_retry(kid, now):
            if not may_fetch:
                raise FetchNeeded
            found = self._find_after_refresh(kid, alg)
            if found is not None:
                return found
        raise AuthFailed.invalid(f"unknown signing key {kid!r}" if kid else "no key of the issuer fits")

    def _current(self, now: float, may_fetch: bool) -> _KeySet:
        """The key set, fetched when there is none yet or it is older than ``max_age``."""
        with self._lock:
            keys = self._set
            if keys is not None and now - keys.fetched_at < self.policy.max_age:
                return keys
            if now - self._last_attempt < self.policy.min_interval:
                if keys is None:
                    raise KeysUnavailable(f"the keys at {self.url} could not be fetched; retrying shortly")
                return keys
            if not may_fetch:
                raise FetchNeeded
            try:
                self._set = self._fetch_set(now)
            except KeysUnavailable as exc:
                if keys is None:
                    raise
                log.warning("keeping the keys fetched earlier: %s", exc.message)
                return keys
            return self._set

    def _may_retry(self, kid: str, now: float) -> bool:
        return (
            now - self._kid_attempts.get(kid, float("-inf")) >= self.policy.unknown_kid_retry
            and now - self._last_attempt >= self.policy.min_interval
        )

    def _find_after_refresh(self, kid: str, alg: str) -> VerifyingKey | None:
        with self._lock:
            now = self.policy.clock()
            if self._set is not None and (found := self._set.find(kid, alg)) is not None:
                return found  # another thread's refresh brought it
            if not self._may_retry(kid, now):
                return None
            if len(self._kid_attempts) >= _MAX_KIDS_REMEMBERED:
                self._kid_attempts.clear()
            self._kid_attempts[kid] = now
            self._set = self._fetch_set(now)
            return self._set.find(kid, alg)

    def _fetch_set(self, now: float) -> _KeySet:
        self._last_attempt = now
        self.fetches += 1
        return _parse_jwks(self._fetch(self.url), self.url, now)


class OidcKeys:
    """The keys of an OpenID Connect issuer, found by discovery (OIDC Discovery 1.0 §4).

    The discovery document's ``issuer`` must be the configured issuer URL (§4.3; a
    trailing slash aside), and becomes the ``iss`` every token must carry. ``jwks_url``,
    when given, is used instead of the document's ``jwks_uri``.
    """

    def __init__(
        self,
        issuer_url: str,
        *,
        fetch: Fetch | None = None,
        jwks_url: str | None = None,
        only: frozenset[str] | None = None,
        policy: RefreshPolicy = RefreshPolicy(),
    ) -> None:
        self.issuer_url = issuer_url
        self._fetch = fetch or HttpFetch()
        self._jwks_url = jwks_url
        self._only = only
        self.policy = policy
        self._lock = threading.Lock()
        self._keys: JwksKeys | None = None
        self._last_attempt = float("-inf")
        #: How many times the discovery document was fetched.
        self.fetches = 0

    @property
    def algorithms(self) -> frozenset[str]:
        return _asymmetric(self._only)

    @property
    def issuer(self) -> str | None:
        return self._keys.issuer if self._keys is not None else None

    @property
    def jwks(self) -> JwksKeys | None:
        """The key set discovery found, once it has run."""
        return self._keys

    def describe(self) -> str:
        return f"{'/'.join(sorted(self.algorithms))} with the keys of the OIDC issuer {self.issuer_url}"

    def refresh(self) -> None:
        """Run discovery and fetch the keys now."""
        self._discovered(may_fetch=True).refresh()

    def key_for(self, kid: str | None, alg: str, *, may_fetch: bool = True) -> VerifyingKey:
        return self._discovered(may_fetch).key_for(kid, alg, may_fetch=may_fetch)

    def _discovered(self, may_fetch: bool) -> JwksKeys:
        keys = self._keys
        if keys is not None:
            return keys
        with self._lock:
            if self._keys is not None:
                return self._keys
            now = self.policy.clock()
            if now - self._last_attempt < self.policy.min_interval:
                raise KeysUnavailable(f"OIDC discovery at {self.issuer_url} failed; retrying shortly")
            if not may_fetch:
                raise FetchNeeded
            self._last_attempt = now
            self.fetches += 1
            url = self.issuer_url.rstrip("/") + DISCOVERY_PATH
            document = self._fetch(url)
            issuer = document.get("issuer")
            if not isinstance(issuer, str) or issuer.rstrip("/") != self.issuer_url.rstrip("/"):
                raise KeysUnavailable(
                    f"{url} names the issuer {issuer!r}, not {self.issuer_url!r}",
                    hint="set OIDC_ISSUER_URL to the issuer exactly as its discovery document names it",
                )
            jwks_uri = self._jwks_url or document.get("jwks_uri")
            if not isinstance(jwks_uri, str):
                raise KeysUnavailable(f"{url} names no jwks_uri")
            try:
                check_url(jwks_uri, "the discovered jwks_uri")
            except AuthConfigError as exc:
                raise KeysUnavailable(exc.message) from exc
            self._keys = JwksKeys(
                jwks_uri, fetch=self._fetch, only=self._only, issuer=issuer, policy=self.policy
            )
            return self._keys


def _asymmetric(only: frozenset[str] | None) -> frozenset[str]:
    return ASYMMETRIC_ALGORITHMS & only if only is not None else ASYMMETRIC_ALGORITHMS
