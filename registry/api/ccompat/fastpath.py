"""The Confluent door's fast path: a schema by id, or a subject's numbered version, encoded once.

Kafka deserializers look up every schema id they meet, so ``GET /schemas/ids/{id}`` is the
door's hottest call, and its answer only changes with the index snapshot. Like the
version fast path of the contracts API (``registry.api.fastpath``), :class:`CcompatFastPath`
is ASGI middleware in front of the whole app (inside the request telemetry, so the ids,
log line and metrics are the same) that recognises exactly

- ``GET <prefix>/schemas/ids/{id}`` (any query: ``subject``, ``format`` and ``fetchMaxId``
  change nothing in the answer, as for the route), and
- ``GET <prefix>/subjects/{subject}/versions/{n}`` for a number ``n`` (``deleted=true``
  and ``latest`` go to the route; ``format`` changes nothing),

and answers them with the route's code: the same authenticator and ``contracts:read``
scope, the same :class:`~.service.Ccompat` lookups (soft-deleted versions are 404 as
there) and bodies (``views``), every refusal rendered by the door's error mapping. It
marks the request with the route it stands for, so the log and metrics name that route.
Finished answers, refusals of a missing id included, are kept per index snapshot, so a
repeated GET builds nothing; a new snapshot starts afresh.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from starlette.routing import BaseRoute

from registry.api.ccompat import errors, routes, views
from registry.api.ccompat.errors import CcompatError
from registry.api.ccompat.service import Ccompat
from registry.auth.principal import READ_SCOPE
from registry.errors import RegistryError
from registry.index.snapshot import IndexSnapshot

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Bounds the answers kept for one snapshot (a crawl of every id cannot hold them all).
MAX_KEPT = 8192
#: Longer path segments are left to the route (which refuses them in its own words).
MAX_SEGMENT = 512


def _route(endpoint: Callable[..., Any]) -> BaseRoute:
    return next(r for r in routes.router.routes if getattr(r, "endpoint", None) is endpoint)


SCHEMA_ROUTE = _route(routes.get_schema)
VERSION_ROUTE = _route(routes.get_version)

#: A finished answer: status, raw headers, body.
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def _finished(status: int, body: Any) -> Answer:
    response = views.respond(body, status)
    return status, response.raw_headers, bytes(response.body)


def _refusal(error: CcompatError) -> Answer:
    response = errors.render(error)
    return response.status_code, response.raw_headers, bytes(response.body)


def _asks_deleted(query: bytes) -> bool:
    """Whether ``?deleted=true`` is asked (clients send ``deleted=false`` on every version GET)."""
    if not query:
        return False
    return any(v.strip().lower() == "true" for v in parse_qs(query.decode("latin-1")).get("deleted", ()))


class CcompatFastPath:
    """ASGI middleware: the door's two immutable reads answered directly (see the module)."""

    def __init__(self, app: ASGIApp, *, ccompat: Ccompat, prefix: str = "/ccompat") -> None:
        self.app = app
        self.cc = ccompat
        self.prefix = prefix.rstrip("/") + "/"
        self.authenticator = ccompat.config.authenticator
        self._snapshot: IndexSnapshot | None = None
        self._kept: dict[tuple[str, str, str], Answer] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self._match(scope)
        if found is None:
            await self.app(scope, receive, send)
            return
        await self._serve(scope, receive, send, *found)

    def _match(self, scope: Scope) -> tuple[BaseRoute, str, str] | None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope.get("root_path"):
            return None
        path: str = scope["path"]
        if not path.startswith(self.prefix):
            return None
        parts = path[len(self.prefix) :].split("/")
        if any(not p or len(p) > MAX_SEGMENT for p in parts):
            return None
        if len(parts) == 3 and parts[0] == "schemas" and parts[1] == "ids":
            return SCHEMA_ROUTE, parts[2], ""
        if len(parts) == 4 and parts[0] == "subjects" and parts[2] == "versions" and parts[3].isdigit():
            if _asks_deleted(scope.get("query_string") or b""):
                return None
            return VERSION_ROUTE, parts[1], parts[3]
        return None

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, route: BaseRoute, first: str, second: str
    ) -> None:
        authorization = None
        for key, value in scope["headers"]:  # the first one, as Starlette's Headers reads it
            if key == b"authorization":
                authorization = value.decode("latin-1")
                break
        scope["route"] = route  # the log line and the metrics name the route template
        try:
            principal = await self.authenticator.authenticate_async(authorization)
            scope.setdefault("state", {})["principal"] = principal  # the log line names the subject
            principal.require_scope(READ_SCOPE)
            status, headers, body = self._answer(route, first, second)
        except RegistryError as exc:  # a refusal of the caller: in the door's words
            await errors.render(errors.error_of(exc))(scope, receive, send)
            return
        except Exception:  # a bug: let the route meet it too, and its handler log and answer it
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": status, "headers": list(headers)})
        await send({"type": "http.response.body", "body": body})

    def _answer(self, route: BaseRoute, first: str, second: str) -> Answer:
        snapshot, table = self.cc.view()
        if snapshot is not self._snapshot or len(self._kept) >= MAX_KEPT:
            self._snapshot, self._kept = snapshot, {}
        key = ("id" if route is SCHEMA_ROUTE else "version", first, second)
        found = self._kept.get(key)
        if found is None:
            try:
                if route is SCHEMA_ROUTE:
                    found = _finished(200, self.cc.schema_body(table, self.cc.schema(table, first)))
                else:
                    found = _finished(
                        200, self.cc.version_body(table, self.cc.version(table, first, second, snapshot))
                    )
            except CcompatError as exc:
                found = _refusal(exc)
            self._kept[key] = found
        return found


def install(app: Any, ccompat: Ccompat, prefix: str = "/ccompat") -> None:
    """Put the door's fast path in front of ``app``; call before the request telemetry is added."""
    app.add_middleware(CcompatFastPath, ccompat=ccompat, prefix=prefix)
