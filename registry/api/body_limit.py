"""A bound on request bodies, checked before any of the body is parsed; and text that is not Unicode.

The old demon-registry refused bodies over 10 MiB with 413; so does this door, in both
families, whether the client announced the size (``Content-Length``) or streams it. The
refusal is rendered by the door's error mapping, so it has the family's shape.
"""

from __future__ import annotations

import asyncio

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from registry.api.body_unicode import refusal
from registry.api.errors import render
from registry.errors import LimitExceeded

MAX_BODY_BYTES = 10 << 20
#: Seconds a body may take to arrive (``REGISTRY_BODY_TIMEOUT`` sets the server's).
BODY_SECONDS = 30.0


def _too_slow(seconds: float) -> str:
    return f"the request body did not arrive in full within {seconds:g} seconds; send it at once"


def _too_large(limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"Request body exceeds maximum size of {limit} bytes",
        rule="request.body_bytes",
        hint="send a smaller body; a schema or capsule file is far smaller than this",
    )


class BodyLimit:
    """ASGI middleware: 413 for a body over ``limit`` bytes, 408 for one not in full after ``seconds``."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES, seconds: float = BODY_SECONDS) -> None:
        self.app = app
        self.limit = limit
        self.seconds = seconds

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
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        complete = False

        async def limited() -> Message:
            nonlocal seen, complete
            if complete:  # the body is in: later calls wait for the client to go, unbounded
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0.001))
            except TimeoutError:
                # A client that announced a body and trickles it (or stops) holds a worker: cut it off.
                raise HTTPException(408, _too_slow(self.seconds)) from None
            if message["type"] == "http.request":
                complete = not message.get("more_body", False)
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
