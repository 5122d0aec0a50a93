"""A real OpenID Connect issuer on a loopback port, for the key paths of authentication.

It serves ``/.well-known/openid-configuration`` and a JWKS at ``/jwks`` with the public
halves of the keys it holds, counts every request it answers, and signs tokens with its
private keys. Keys can be added and removed while it runs (a rotation), and it can be
made to fail (``down``) or to name another issuer in its discovery document.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


@dataclass(frozen=True)
class IssuerKey:
    kid: str
    private: PrivateKey
    alg: str

    def jwk(self, *, with_alg: bool = True) -> dict[str, Any]:
        public = self.private.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            jwk = RSAAlgorithm.to_jwk(public, as_dict=True)
        elif isinstance(public, ec.EllipticCurvePublicKey):
            jwk = ECAlgorithm.to_jwk(public, as_dict=True)
        else:
            jwk = OKPAlgorithm.to_jwk(public, as_dict=True)
        jwk.update({"kid": self.kid, "use": "sig"})
        if with_alg:
            jwk["alg"] = self.alg
        return jwk


class Issuer:
    """See the module docstring. Use :meth:`running` to start and always stop it."""

    def __init__(self) -> None:
        self.keys: dict[str, IssuerKey] = {}
        self.extra_jwks: list[dict[str, Any]] = []
        self.requests: Counter[str] = Counter()
        self.down = False
        self.claimed_issuer: str | None = None  # what discovery names, when not the real URL
        self._server: ThreadingHTTPServer | None = None

    @classmethod
    @contextmanager
    def running(cls) -> Iterator[Issuer]:
        issuer = cls()
        issuer._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(issuer))
        thread = threading.Thread(target=issuer._server.serve_forever, name="test-issuer", daemon=True)
        thread.start()
        try:
            yield issuer
        finally:
            issuer._server.shutdown()
            issuer._server.server_close()
            thread.join(timeout=10)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def jwks_url(self) -> str:
        return f"{self.url}/jwks"

    def add(self, kid: str, private: PrivateKey, alg: str) -> IssuerKey:
        key = IssuerKey(kid, private, alg)
        self.keys[kid] = key
        return key

    def remove(self, kid: str) -> None:
        del self.keys[kid]

    def sign(
        self,
        kid: str,
        *,
        sub: str = "alice",
        audience: str | None = "registry",
        issuer: str | None = None,
        ttl: float = 300,
        header_kid: str | None = None,
        **claims: Any,
    ) -> str:
        """A token signed with key ``kid``: ``iss`` is this issuer unless ``issuer`` says otherwise."""
        key = self.keys[kid]
        now = int(time.time())
        payload: dict[str, Any] = {"sub": sub, "iss": issuer or self.url, "iat": now, "exp": now + int(ttl)}
        if audience is not None:
            payload["aud"] = audience
        payload.update(claims)
        return jwt.encode(payload, key.private, algorithm=key.alg, headers={"kid": header_kid or kid})

    def discovery(self) -> Mapping[str, Any]:
        return {
            "issuer": self.claimed_issuer or self.url,
            "jwks_uri": self.jwks_url,
            "id_token_signing_alg_values_supported": sorted({k.alg for k in self.keys.values()}),
        }

    def jwks(self) -> Mapping[str, Any]:
        return {"keys": [k.jwk() for k in self.keys.values()] + self.extra_jwks}


def _handler(issuer: Issuer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            issuer.requests[self.path] += 1
            if issuer.down:
                self._answer(503, {"error": "down"})
            elif self.path == "/.well-known/openid-configuration":
                self._answer(200, issuer.discovery())
            elif self.path == "/jwks":
                self._answer(200, issuer.jwks())
            else:
                self._answer(404, {"error": "not found"})

        def _answer(self, status: int, body: Mapping[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
