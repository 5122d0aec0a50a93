"""A bound on request bodies, checked before any of the body is parsed; and text that is not Unicode.

The old demon-registry refused bodies over 10 MiB with 413; so does this door, in both
families, whether the client announced the size (``Content-Length``) or streams it. The
refusal is rendered by the door's error mapping, so it has the family's shape.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from registry.api.body_unicode import refusal
from registry.api.errors import render
from registry.errors import LimitExceeded

MAX_BODY_BYTES = 10 << 20


def _too_large(limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"Request body exceeds maximum size of {limit} bytes",
        rule="request.body_bytes",
        hint="send a smaller body; a schema or capsule file is far smaller than this",
    )


class BodyLimit:
    """ASGI middleware: 413 for a body over ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await render(Request(scope), _too_large(self.limit), status=413)(scope, receive, send)
            return
        seen = 0
        chunks: list[bytes] = []

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                seen += len(chunk)
                chunks.append(chunk)
                if seen > self.limit:
                    # Raised inside the route, so the door's handler for HTTP errors renders it.
                    raise HTTPException(413, _too_large(self.limit).message)
                if not message.get("more_body", False) and (why := refusal(b"".join(chunks))):
                    raise HTTPException(400, why)
            return message

        await self.app(scope, limited, send)
