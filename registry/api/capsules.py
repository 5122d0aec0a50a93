"""The capsules API (README, "HTTP API"), in the old Anumate service's shape.

Every call names its tenant (``X-Tenant-ID``, which the token must grant; a token with one
tenant may leave it out). Viewers read, editors also create, publish and change metadata,
admins also delete and restore. Errors are RFC 7807 problem+json (``errors.py``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query, Request
from starlette.responses import Response

from registry.api import capsule_views as views
from registry.api import capsule_writes as writes
from registry.api import shapes
from registry.api.bodies import CapsuleText, CreateCapsule, PublishVersion, UpdateCapsule
from registry.api.caching import IMMUTABLE_PRIVATE, SHORT_PRIVATE, Encoded, encode_json, matches, respond
from registry.api.capsule_checks import lint, verify
from registry.api.door import Door
from registry.api.errors import Deleted, Stale
from registry.api.idempotency import HEADER, Idempotency
from registry.api.shapes import documented
from registry.api.writes import idempotent_post
from registry.auth.principal import ADMIN, EDITOR, TENANT_HEADER, VIEWER, Principal
from registry.errors import InvalidInput, InvalidName
from registry.gate.policy import StorePolicy
from registry.gate.published import capsule_id
from registry.index.snapshot import CapsuleEntry, IndexSnapshot
from registry.model import tenant as check_tenant
from registry.paths import capsule_dir

router = APIRouter(prefix="/api/v1/capsules", tags=["capsules"])


def _caller(door: Door, request: Request, role: str) -> tuple[Principal, str]:
    """The verified caller, holding ``role``, and the tenant the request acts for."""
    principal = door.caller(request)
    principal.require_role(role)
    return principal, _tenant(principal, request)


def _as(role: str) -> Any:
    """A dependency: the caller holding ``role``, and its tenant, checked before the body is."""

    def caller(request: Request) -> tuple[Principal, str]:
        return _caller(Door.of(request), request, role)

    return Depends(caller)


AsViewer = Annotated[tuple[Principal, str], _as(VIEWER)]
AsEditor = Annotated[tuple[Principal, str], _as(EDITOR)]


async def _caller_async(door: Door, request: Request, role: str) -> tuple[Principal, str]:
    principal = await door.caller_async(request)
    principal.require_role(role)
    return principal, _tenant(principal, request)


def _tenant(principal: Principal, request: Request) -> str:
    tenant = principal.tenant_for(request.headers.get(TENANT_HEADER))
    try:
        return check_tenant(tenant)
    except InvalidName as exc:
        raise InvalidInput(f"{TENANT_HEADER}: {exc.message}", hint=exc.hint) from None


def _policy(door: Door, snapshot: IndexSnapshot) -> StorePolicy:
    return door.policy(snapshot)


def _capsule_response(request: Request, c: CapsuleEntry, status: int = 200) -> Response:
    encoded = Encoded(encode_json(views.capsule(c)), f'"{c.etag}"')
    return respond(request, encoded, cache_control=SHORT_PRIVATE, status=status)


@router.post(
    "",
    status_code=201,
    summary="Create a capsule: its version 1 and its metadata",
    responses=documented(shapes.CapsulePublished, 201),
)
def create_capsule(
    request: Request,
    who: AsEditor,
    item: CreateCapsule = Body(...),  # noqa: B008 - FastAPI's way of naming a body
    key: str | None = Header(default=None, alias=HEADER),
) -> Response:
    door = Door.of(request)
    principal, tenant = who
    idem = Idempotency.of(
        key, scope=tenant, method="POST", path=request.url.path, body=item.model_dump_json().encode()
    )
    data = writes.document_text(item.yaml, item.document)

    def write(trailers: dict[str, str]) -> str:
        name = writes.document_name(data, _policy(door, door.snapshot()).limits)
        if item.name is not None and item.name != name:
            raise InvalidInput(f"name {item.name!r} differs from the document's metadata.name {name!r}")
        if item.id is not None and item.id != capsule_id(tenant, name):
            raise InvalidInput(
                f"id {item.id!r} is not this capsule's: ids are derived from tenant and name",
                hint=f"leave 'id' out, or send {capsule_id(tenant, name)}",
            )
        meta = {
            "description": item.description,
            "tags": item.tags,
            "owner": item.owner or principal.subject,
            "visibility": writes.choice(item.visibility, writes.VISIBILITY, "visibility"),
        }
        result = door.publish(
            principal,
            lambda publisher, store, writer: writes.create(
                publisher, store, tenant, data, name, meta, writer=writer, trailers=trailers
            ),
        )
        return str(result.commit)

    return idempotent_post(door, idem, write, _published_answer(tenant), location=lambda body: body["uri"])


def _published_answer(tenant: str) -> Any:
    def answer(snapshot: IndexSnapshot, commit: str) -> dict[str, Any] | None:
        found = views.by_commit(snapshot, tenant, commit)
        return views.published(found) if found is not None else None

    return answer


@router.get("", summary="The tenant's capsules, newest first", responses=documented(shapes.CapsuleList))
async def list_capsules(
    request: Request,
    q: str | None = Query(default=None, max_length=256, description="words in name, description or tags"),
    status: str | None = Query(default=None, description="ACTIVE, DEPRECATED or DELETED"),
    page: int = Query(default=1, ge=1, le=1_000_000),
    page_size: int = Query(default=20, ge=1, le=views.MAX_PAGE_SIZE),
) -> Response:
    door = Door.of(request)
    principal, tenant = await _caller_async(door, request, VIEWER)
    wanted = writes.choice(status, writes.STATUS, "status")
    body = views.listing(
        door.snapshot(), principal, tenant, q=q, status=wanted, page=page, page_size=page_size
    )
    return respond(request, Encoded.json(body), cache_control=SHORT_PRIVATE)


@router.get(
    "/{capsule_id}", summary="A capsule's metadata (ETag for If-Match)", responses=documented(shapes.Capsule)
)
async def get_capsule(capsule_id: str, request: Request) -> Response:
    door = Door.of(request)
    principal, tenant = await _caller_async(door, request, VIEWER)
    return _capsule_response(request, views.find(door.snapshot(), capsule_id, principal, tenant))


@router.patch(
    "/{capsule_id}",
    summary="Change a capsule's metadata (If-Match: 409 when stale)",
    responses=documented(shapes.Capsule),
)
def update_capsule(
    capsule_id: str,
    request: Request,
    who: AsEditor,
    item: UpdateCapsule = Body(...),  # noqa: B008 - FastAPI's way of naming a body
) -> Response:
    door = Door.of(request)
    principal, tenant = who
    status = writes.choice(item.status, writes.STATUS, "status")
    changes = {
        "description": item.description,
        "tags": item.tags,
        "owner": item.owner,
        "visibility": writes.choice(item.visibility, writes.VISIBILITY, "visibility"),
        "status": status,
    }
    snapshot = door.snapshot()
    c = views.find(snapshot, capsule_id, principal, tenant)
    if views.DELETED in (status, c.status) and status != c.status:
        principal.require_role(ADMIN)
    return _change(door, request, principal, c, changes, f"update capsule {tenant}/{c.name} metadata")


@router.delete("/{capsule_id}", status_code=204, summary="Soft delete: status DELETED, versions stay")
def delete_capsule(capsule_id: str, request: Request) -> Response:
    door = Door.of(request)
    principal, tenant = _caller(door, request, ADMIN)
    c = views.find(door.snapshot(), capsule_id, principal, tenant)
    if c.status != views.DELETED:
        _change(door, request, principal, c, {"status": views.DELETED}, f"delete capsule {tenant}/{c.name}")
    return Response(status_code=204)


def _change(
    door: Door, request: Request, principal: Principal, c: CapsuleEntry, changes: dict[str, Any], message: str
) -> Response:
    if_match = request.headers.get("if-match")
    if not matches(if_match, f'"{c.etag}"'):
        raise Stale(
            f"capsule {c.id} changed since the ETag you sent", hint="GET it again and retry with its ETag"
        )
    snapshot = door.snapshot()
    where = capsule_dir(c.tenant, c.name)
    seen = (
        door.store().snapshot(snapshot.head).files(where) if if_match is not None and snapshot.head else None
    )
    result = writes.change_meta(
        door.publisher,
        door.store(),
        c.tenant,
        c.name,
        changes,
        seen=seen,
        writer=door.writer(principal),
        message=message,
    )
    if result is None:  # nothing to change: the capsule as it is
        return _capsule_response(request, c)
    return _capsule_response(request, door.settle(str(result.commit)).capsules[c.id])


@router.post(
    "/{capsule_id}/versions",
    status_code=201,
    summary="Publish the capsule's next version",
    responses=documented(shapes.CapsulePublished, 201),
)
def publish_version(
    capsule_id: str,
    request: Request,
    who: AsEditor,
    item: PublishVersion = Body(...),  # noqa: B008 - FastAPI's way of naming a body
    key: str | None = Header(default=None, alias=HEADER),
) -> Response:
    door = Door.of(request)
    principal, tenant = who
    idem = Idempotency.of(
        key, scope=tenant, method="POST", path=request.url.path, body=item.model_dump_json().encode()
    )
    data = writes.document_text(item.yaml, item.document)

    def write(trailers: dict[str, str]) -> str:
        snapshot = door.snapshot()
        c = views.find(snapshot, capsule_id, principal, tenant)
        if c.status == views.DELETED:
            raise Deleted(
                f"capsule {c.id} is deleted; it takes no new versions",
                hint='an admin can restore it with PATCH {"status": "ACTIVE"}',
            )
        name = writes.document_name(data, _policy(door, snapshot).limits)
        if name != c.name:
            raise InvalidInput(
                f"the document's metadata.name is {name!r}, but capsule {c.id} is {c.name!r}",
                hint="publish a version of this capsule under its own name, or create a new capsule",
            )
        result = door.publish(
            principal,
            lambda publisher, store, writer: publisher.capsule(
                store, tenant, data, writer=writer, trailers=trailers
            ),
        )
        return str(result.commit)

    return idempotent_post(door, idem, write, _published_answer(tenant), location=lambda body: body["uri"])


@router.get(
    "/{capsule_id}/versions",
    summary="A capsule's versions, oldest first",
    responses={200: {"model": list[shapes.CapsuleVersionSummary]}},
)
async def list_versions(capsule_id: str, request: Request) -> Response:
    door = Door.of(request)
    principal, tenant = await _caller_async(door, request, VIEWER)
    c = views.find(door.snapshot(), capsule_id, principal, tenant)
    body = [views.version_summary(v, door.author_of(v.commit)) for v in c.versions]
    return respond(request, Encoded.json(body), cache_control=SHORT_PRIVATE)


@router.get(
    "/{capsule_id}/versions/{version}",
    summary="One version with its document (immutable)",
    responses=documented(shapes.CapsuleVersion),
)
async def get_version(capsule_id: str, version: str, request: Request) -> Response:
    door = Door.of(request)
    principal, tenant = await _caller_async(door, request, VIEWER)
    v = views.find_version(views.find(door.snapshot(), capsule_id, principal, tenant), version)
    encoded = door.encoded.get(
        ("capsule", v.tag_id), lambda: Encoded.json(views.version_detail(v, door.author_of(v.commit)))
    )
    return respond(request, encoded, cache_control=IMMUTABLE_PRIVATE)


@router.post(
    "/{capsule_id}/lint",
    summary="Validate a capsule document without publishing it",
    responses=documented(shapes.LintResult),
)
def lint_capsule(
    capsule_id: str,
    request: Request,
    who: AsViewer,
    item: CapsuleText = Body(...),  # noqa: B008 - FastAPI's way of naming a body
) -> Response:
    door = Door.of(request)
    principal, tenant = who
    snapshot = door.snapshot()
    c = views.find(snapshot, capsule_id, principal, tenant)
    body = lint(writes.document_text(item.yaml, item.document), c, _policy(door, snapshot).limits)
    return Response(encode_json(body), 200, {"Cache-Control": "no-store"}, media_type="application/json")


@router.get(
    "/{capsule_id}/versions/{version}/verify",
    summary="Check a version's hash, signature and tag",
    responses=documented(shapes.Verification),
)
def verify_version(capsule_id: str, version: str, request: Request) -> Response:
    door = Door.of(request)
    principal, tenant = _caller(door, request, VIEWER)
    snapshot = door.snapshot()
    v = views.find_version(views.find(snapshot, capsule_id, principal, tenant), version)
    body = verify(door.store(), v, _policy(door, snapshot), door.config.key)
    return Response(encode_json(body), 200, {"Cache-Control": "no-store"}, media_type="application/json")
