"""The version fast path: a published version's bytes without FastAPI's routing in the way.

A version GET is what runtime consumers send most, and its answer is already bytes
(``caching.py``): most of its cost was the framework finding the route among all the
others and solving its dependencies. :class:`VersionFastPath` is ASGI middleware in
front of the router (inside the request telemetry, so ids, the log line and the metrics
are the same) that recognises exactly the two immutable routes

- ``GET /registry/contracts/{name}/{version}`` (not the literal ``latest`` and
  ``changelog`` routes beside it), and
- ``GET /registry/contracts/{name}/{version}/schema``,

and answers them as the routes do, with the same code: the same :class:`Authenticator`
and ``contracts:read`` scope, the same index snapshot and encoded bodies
(``contracts.version_bundle``/``version_schema``), the same ``ETag``/``If-None-Match``
rule and headers (``caching.answer``), and every refusal rendered by the door's one error
mapping (``errors.render``). It marks the request with the route it stands for, so the log
line and the metrics name the route template. Anything else goes on to FastAPI unchanged.

The two finished responses (200 and 304) of a version are kept per index snapshot, so a
repeated GET builds nothing; a new snapshot (a publish, a deprecation) starts afresh.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request
from starlette.routing import BaseRoute

from registry.api import contracts, errors
from registry.api.caching import IMMUTABLE, Encoded, answer, none_match_holds
from registry.api.door import Door
from registry.auth.principal import READ_SCOPE
from registry.errors import RegistryError
from registry.index.snapshot import IndexSnapshot

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PREFIX = contracts.router.prefix + "/"
#: Bounds the finished responses kept for one snapshot (a crawl cannot hold them all).
MAX_KEPT = 4096


def _route(endpoint: Callable[..., Any]) -> BaseRoute:
    return next(r for r in contracts.router.routes if getattr(r, "endpoint", None) is endpoint)


VERSION_ROUTE = _route(contracts.contract_version)
SCHEMA_ROUTE = _route(contracts.contract_schema)
#: ``/{name}/<word>`` routes declared before ``/{name}/{version}``: those paths are theirs.
LITERALS = frozenset(
    path.removeprefix(PREFIX + "{name}/")
    for r in contracts.router.routes[: contracts.router.routes.index(VERSION_ROUTE)]
    if "GET" in (getattr(r, "methods", None) or ())
    and (path := getattr(r, "path", "")).startswith(PREFIX + "{name}/")
    and "{" not in path.removeprefix(PREFIX + "{name}/")
    and "/" not in path.removeprefix(PREFIX + "{name}/")
)

#: A finished answer: the ETag, the 200's raw headers and body, and the 304's raw headers.
Answer = tuple[str, list[tuple[bytes, bytes]], bytes, list[tuple[bytes, bytes]]]


def _finished(encoded: Encoded, headers: dict[str, str]) -> Answer:
    ok = answer(encoded, cache_control=IMMUTABLE, headers=headers)
    held = answer(encoded, cache_control=IMMUTABLE, headers=headers, held=True)
    return encoded.etag, ok.raw_headers, ok.body, held.raw_headers


class VersionFastPath:
    """ASGI middleware: the two immutable version routes answered directly (see the module)."""

    def __init__(self, app: ASGIApp, *, door: Door) -> None:
        self.app = app
        self.door = door
        self.authenticator = door.config.authenticator
        self._snapshot: IndexSnapshot | None = None
        self._kept: dict[tuple[str, str, str | None], Answer] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not path.startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        parts = path[len(PREFIX) :].split("/")
        if len(parts) == 2 and parts[1] not in LITERALS:
            route = VERSION_ROUTE
        elif len(parts) == 3 and parts[2] == "schema":
            route = SCHEMA_ROUTE
        else:
            await self.app(scope, receive, send)
            return
        name, version = parts[0], parts[1]
        if not name or not version:
            await self.app(scope, receive, send)
            return
        await self._serve(scope, receive, send, route, name, version)

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, route: BaseRoute, name: str, version: str
    ) -> None:
        authorization = if_none_match = accept = None
        for key, value in scope["headers"]:  # the first of each, as Starlette's Headers reads them
            if key == b"authorization":
                authorization = value.decode("latin-1") if authorization is None else authorization
            elif key == b"if-none-match":
                if_none_match = value.decode("latin-1") if if_none_match is None else if_none_match
            elif key == b"accept":
                accept = value.decode("latin-1") if accept is None else accept
        scope["route"] = route  # the log line and the metrics name the route template
        try:
            principal = await self.authenticator.authenticate_async(authorization)
            scope.setdefault("state", {})["principal"] = principal  # the log line names the subject
            principal.require_scope(READ_SCOPE)
            found = self._answer(route, name, version, accept)
        except RegistryError as exc:  # a refusal: in the door's words, as the route would say it
            await errors.render(Request(scope, receive), exc)(scope, receive, send)
            return
        except Exception:  # a bug: let the route meet it too, and its handler log and answer it
            await self.app(scope, receive, send)
            return
        etag, headers, body, held_headers = found
        if if_none_match and none_match_holds(if_none_match, etag):
            await send({"type": "http.response.start", "status": 304, "headers": list(held_headers)})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
        await send({"type": "http.response.body", "body": body})

    def _answer(self, route: BaseRoute, name: str, version: str, accept: str | None) -> Answer:
        """The finished answer for this snapshot; raises ``NotFound`` as the route does."""
        snapshot = self.door.snapshot()
        if snapshot is not self._snapshot or len(self._kept) >= MAX_KEPT:
            self._snapshot, self._kept = snapshot, {}
        key = (name, version, accept if route is SCHEMA_ROUTE else None)
        found = self._kept.get(key)
        if found is None:
            if route is SCHEMA_ROUTE:
                encoded, headers = contracts.version_schema(self.door, snapshot, name, version, accept or "")
            else:
                encoded, headers = contracts.version_bundle(self.door, snapshot, name, version)
            found = self._kept[key] = _finished(encoded, headers)
        return found


def install(app: Any) -> None:
    """Put the fast path in front of ``app``'s router; call before the request telemetry is added."""
    app.add_middleware(VersionFastPath, door=app.state.door)
