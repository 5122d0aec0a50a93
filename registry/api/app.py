"""The HTTP door: one FastAPI app serving both old APIs from the index, writing through ``publish()``.

``create_app`` only wires: the routers (``contracts.py``, ``capsules.py``), the door's one
error mapping (``errors.py``), the body bound, the OpenAPI document and the health check.
``registry serve`` builds the ``ApiConfig`` and runs the app on uvicorn.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.responses import PlainTextResponse

from registry.api import capsules, contracts, docs_pages, errors, fastpath, git_http, openapi
from registry.api.body_limit import BodyLimit
from registry.api.config import ApiConfig
from registry.api.door import Door
from registry.api.ui import install_ui
from registry.ops import install_operations

DESCRIPTION = """A GitOps registry of contracts (JSON Schemas) and capsules, served from a signed git store.

* `/registry/contracts/…`: the old demon-registry API (camelCase, plain-text errors).
* `/api/v1/capsules/…`: the old capsule registry API (snake_case, RFC 7807 problem+json, `X-Tenant-ID`).
* `/ccompat/…`: Confluent Schema Registry's API, for Kafka serializers (`{error_code, message}` errors).

Every write becomes a signed commit and a signed tag in the store; answers come from an
index of the store, and a write answers once the index holds it.
"""


def create_app(config: ApiConfig) -> FastAPI:
    app = FastAPI(
        title="registry",
        version="1",
        description=DESCRIPTION,
        docs_url=None,  # served by docs_pages, from the package's own assets
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.door = Door(config)
    app.state.config = config
    errors.install(app)
    app.add_middleware(BodyLimit, seconds=config.body_seconds)
    app.include_router(contracts.router)
    app.include_router(capsules.router)
    from registry.api.ccompat import ccompat_app  # the Confluent-compatible door, its own error shape

    door = ccompat_app(config)
    app.mount("/ccompat", door)
    docs_pages.install(app, title=app.title)
    install_ui(app)  # the web UI for people, at /ui/
    app.add_api_route("/healthz", healthz, methods=["GET"], response_class=PlainTextResponse, tags=["health"])
    git_http.install(app)  # the store over git's smart HTTP protocol, fetches only
    if config.follower is not None:  # a read replica: writes go to the primary
        from registry.api.replica import ReplicaWrites, refresh_endpoint

        app.add_api_route(
            "/-/refresh",
            refresh_endpoint(config.follower, config.refresh_secret),
            methods=["POST"],
            include_in_schema=False,
        )
        app.add_middleware(ReplicaWrites, primary=config.follower.primary)
    fastpath.install(app)  # version GETs answered before routing; inside the telemetry below
    from registry.api.ccompat import fastpath as ccompat_fastpath

    ccompat_fastpath.install(app, door.state.ccompat)  # schema ids likewise, with the door's auth
    install_operations(app, config)  # probes, /metrics; request ids, logs, metrics and spans
    openapi.install(app, config.authenticator.security_schemes())
    return app


async def healthz() -> PlainTextResponse:
    """``OK`` while the process serves requests (the old registry's health check)."""
    return PlainTextResponse("OK")
