"""The UI's routes: the page shell, the static assets, and each page's content.

- ``/ui/…`` (any path): the shell, the same for every page, holding no data and needing no
  token; its script reads the token (from session storage, a login form or ``#token=…``)
  and fetches the page's content;
- ``/ui/f/…``: a page's content as an HTML fragment, for a bearer token checked by the
  API's authenticator, with the API's scopes, roles and tenants; a refusal is a fragment
  too, with the API's status;
- ``/ui/static/…``: the stylesheet and the script, from the package, immutable per hash.

None of them is in the OpenAPI document: they are for people, not clients.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from registry.api.door import Door
from registry.api.errors import Family, status_of
from registry.api.ui import capsule_pages, contract_pages, health
from registry.api.ui.contract_pages import Page
from registry.api.ui.render import ASSETS, SECURITY_HEADERS, html, render
from registry.api.ui.site import Site, url
from registry.auth.principal import Principal
from registry.errors import NotFound, RegistryError

router = APIRouter(prefix="/ui", include_in_schema=False)
Build = Callable[[Site, Principal], Page]


def _site(request: Request) -> Site:
    site: Site = request.app.state.ui
    return site


async def _fragment(request: Request, build: Build) -> Response:
    """A page's content for the caller, or the refusal, as an HTML fragment."""
    site = _site(request)
    encoding = request.headers.get("accept-encoding", "")
    try:
        principal = await site.door.caller_async(request)
        page = await run_in_threadpool(build, site, principal)
    except RegistryError as exc:
        status = status_of(exc, Family.CAPSULES)
        body = render("error.html", status=status, error=exc, url=url)
        return html(body, status=status, accept_encoding=encoding)

    def rendered() -> str:
        return render(page.template, title=page.title, **page.context)

    body = rendered() if page.cache_key is None else site.kept(page.cache_key, rendered)
    return html(body, accept_encoding=encoding)


@router.get("")
def ui_root() -> Response:
    return RedirectResponse("/ui/", status_code=308)


@router.get("/static/{name}")
def static(name: str, v: str | None = None) -> Response:
    asset = ASSETS.get(name)
    if asset is None:
        return Response("not found", 404, media_type="text/plain")
    immutable = v == asset.version
    cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
    headers = {**SECURITY_HEADERS, "Cache-Control": cache}
    return Response(asset.body, 200, headers, media_type=asset.media_type)


@router.get("/f/")
@router.get("/f/contracts")
async def contracts_fragment(request: Request, q: str | None = None) -> Response:
    return await _fragment(request, lambda s, p: contract_pages.contract_list(s, p, q))


@router.get("/f/contracts/{name}")
async def contract_fragment(request: Request, name: str) -> Response:
    return await _fragment(request, lambda s, p: contract_pages.contract_page(s, p, name))


@router.get("/f/contracts/{name}/versions/{version}")
async def version_fragment(request: Request, name: str, version: str) -> Response:
    return await _fragment(request, lambda s, p: contract_pages.version_page(s, p, name, version))


@router.get("/f/contracts/{name}/compare")
async def compare_fragment(
    request: Request, name: str, old: str | None = None, new: str | None = None
) -> Response:
    return await _fragment(request, lambda s, p: contract_pages.compare_page(s, p, name, old, new))


@router.get("/f/capsules")
async def capsules_fragment(request: Request, tenant: str | None = None, q: str | None = None) -> Response:
    return await _fragment(request, lambda s, p: capsule_pages.capsule_list(s, p, tenant, q))


@router.get("/f/capsules/{capsule_id}")
async def capsule_fragment(request: Request, capsule_id: str, version: str | None = None) -> Response:
    return await _fragment(request, lambda s, p: capsule_pages.capsule_page(s, p, capsule_id, version))


@router.get("/f/health")
async def health_fragment(request: Request) -> Response:
    return await _fragment(request, health.health_page)


@router.get("/f/{rest:path}")
async def unknown_fragment(request: Request, rest: str) -> Response:
    def missing(_site: Site, _principal: Principal) -> Page:
        raise NotFound("there is no such page", hint="start again from the list of contracts")

    return await _fragment(request, missing)


@router.get("/{rest:path}")
def shell(rest: str, request: Request) -> Response:
    """The page shell, whatever the page: its script fetches the content."""
    return html(
        render("shell.html"), accept_encoding=request.headers.get("accept-encoding", ""), cache="no-cache"
    )


def install_ui(app: FastAPI) -> None:
    """Serve the UI from ``app``, reading what the API's door (``app.state.door``) reads."""
    door: Door = app.state.door
    app.state.ui = Site(door)
    app.include_router(router)
