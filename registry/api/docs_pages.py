"""``/docs`` (Swagger UI) and ``/redoc``, with every asset served from the installed package.

FastAPI's pages load their JavaScript and CSS from a CDN, so without internet they are
blank. The assets here come from the ``fastapi-offline`` distribution (Swagger UI's bundle
and CSS, ReDoc's standalone bundle, a favicon), served under :data:`ASSETS` with long
caching; nothing on these pages reaches outside this server. Other pages of the server may
use the same assets through :func:`asset_url`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

#: Where the assets are served.
ASSETS = "/static/docs"
SWAGGER_JS, SWAGGER_CSS, REDOC_JS, FAVICON = (
    "swagger-ui-bundle.js",
    "swagger-ui.css",
    "redoc.standalone.js",
    "favicon.png",
)


def assets_dir() -> Path:
    """The directory of the packaged assets."""
    return Path(str(resources.files("fastapi_offline").joinpath("static")))


def asset_url(request: Request, name: str) -> str:
    """The URL of one asset, under the app's mount point (``root_path``)."""
    return f"{request.scope.get('root_path', '')}{ASSETS}/{name}"


def install(app: FastAPI, *, title: str, openapi_url: str = "/openapi.json") -> None:
    """Serve the assets and the two pages (the app must be built with ``docs_url=None, redoc_url=None``)."""
    app.mount(ASSETS, StaticFiles(directory=assets_dir()), name="docs-assets")

    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{title} - Swagger UI",
            swagger_js_url=asset_url(request, SWAGGER_JS),
            swagger_css_url=asset_url(request, SWAGGER_CSS),
            swagger_favicon_url=asset_url(request, FAVICON),
        )

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=root + openapi_url,
            title=f"{title} - ReDoc",
            redoc_js_url=asset_url(request, REDOC_JS),
            redoc_favicon_url=asset_url(request, FAVICON),
            with_google_fonts=False,
        )

    app.add_api_route("/docs", swagger, methods=["GET"], include_in_schema=False)
    app.add_api_route("/redoc", redoc, methods=["GET"], include_in_schema=False)
