"""The HTTP door of a read replica: writes sent to the primary, and ``POST /-/refresh``.

A replica serves the same reads as its primary. Every write answers 503 with the
primary's address in ``Location`` (and in the body): in the family's shape for the two
old APIs (plain text, or problem+json with a ``primary`` field), and in Confluent's
``{error_code, message}`` under ``/ccompat``. A few POSTs only read (a compatibility
check, a lint, a Confluent schema lookup, a git fetch) and pass through.

``POST /-/refresh`` is how the primary says "fetch now": it must carry the shared
secret (``REGISTRY_REFRESH_SECRET``) in ``X-Registry-Refresh-Secret`` and may name the
primary's new head as ``{"head": "<commit>"}``. It answers 202 at once; the fetch runs
on the replica's follower thread.
"""

from __future__ import annotations

import hmac
import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from registry.api.errors import PROBLEM_JSON, Family, family_of, problem_body
from registry.errors import RegistryError
from registry.problems import Code
from registry.replica.follower import Follower
from registry.replica.notify import REFRESH_PATH, SECRET_HEADER

READS = frozenset({"GET", "HEAD", "OPTIONS"})
#: POSTs that publish nothing: they pass through on a replica.
READ_POSTS = re.compile(
    r"^/(?:registry/contracts/[^/]+/compatibility"
    r"|api/v1/capsules/[^/]+/lint"
    r"|ccompat/subjects/[^/]+"
    r"|ccompat/compatibility/.*"
    r"|store\.git/git-upload-pack)$"
)
#: Confluent's "forward the request to the leader" error code: the write belongs elsewhere.
CCOMPAT_FORWARD = 50003
MAX_REFRESH_BODY = 4096


class ReplicaWrite(RegistryError):
    """A write sent to a read replica."""

    code = Code.REQUEST_REPLICA


def _refusal(primary: str) -> ReplicaWrite:
    return ReplicaWrite(
        f"this server is a read-only replica; send writes to the primary at {primary}",
        hint=f"publish through {primary} (or push to its store); this replica serves it within seconds",
    )


def is_write(method: str, path: str) -> bool:
    if method in READS or path == REFRESH_PATH:
        return False
    return not (method == "POST" and READ_POSTS.match(path))


def refusal_response(request: Request, primary: str) -> Response:
    """The 503 of a write, in the shape of the API family it was sent to."""
    error = _refusal(primary)
    headers = {"Location": primary, "Retry-After": "0", "X-Registry-Code": str(error.code)}
    path = request.url.path
    if path.startswith("/ccompat/") or path == "/ccompat":
        body = {"error_code": CCOMPAT_FORWARD, "message": error.message, "primary": primary}
        return JSONResponse(body, 503, headers, media_type="application/vnd.schemaregistry.v1+json")
    if family_of(path) is Family.CONTRACTS and PROBLEM_JSON not in request.headers.get("accept", ""):
        return Response(error.message, 503, headers, media_type="text/plain; charset=utf-8")
    content = {**problem_body(request, 503, error), "primary": primary}
    return Response(json.dumps(content, ensure_ascii=False).encode(), 503, headers, media_type=PROBLEM_JSON)


class ReplicaWrites:
    """ASGI middleware: every write answers 503 with the primary's address."""

    def __init__(self, app: ASGIApp, primary: str) -> None:
        self.app = app
        self.primary = primary

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_write(scope["method"], scope["path"]):
            await refusal_response(Request(scope), self.primary)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def refresh_endpoint(follower: Follower, secret: str | None) -> Any:
    """The ``POST /-/refresh`` route of a replica."""

    async def refresh(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if secret is None:
            return _plain(403, "refresh requests are off: this replica has no REGISTRY_REFRESH_SECRET")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return _plain(403, f"a refresh request needs the shared secret in {SECRET_HEADER}")
        head = None
        body = await request.body()
        if body and len(body) <= MAX_REFRESH_BODY:
            try:
                value = json.loads(body).get("head")
            except (ValueError, AttributeError):
                value = None
            if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{40}", value):
                head = value
        follower.trigger(head)
        return JSONResponse({"status": "fetching"}, 202, {"Cache-Control": "no-store"})

    return refresh


def _plain(status: int, text: str) -> Response:
    return Response(text, status, {"Cache-Control": "no-store"}, media_type="text/plain; charset=utf-8")
