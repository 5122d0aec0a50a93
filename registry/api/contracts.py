"""The contracts API (README, "HTTP API"), in the old demon-registry's shape.

Reads need the ``contracts:read`` scope, writes ``contracts:write``. Bodies are camelCase;
errors are plain text with the old service's words and statuses (``errors.py``). A
version's bundle and raw schema are encoded once and served with a strong ETag and an
immutable lifetime; what moves with each publish (``latest``, lists, versions, the
changelog) gets a short one. Every answer about a deprecated contract carries
``Deprecation`` (and ``Sunset`` when set).
"""

from __future__ import annotations

from typing import Annotated, Any

import pygit2
from fastapi import APIRouter, Body, Depends, Header, Request
from starlette.responses import Response

from registry.api import contract_views as views
from registry.api import shapes
from registry.api.bodies import CheckCompatibility, PublishContract
from registry.api.caching import IMMUTABLE, SHORT, Encoded, deprecation_headers, encode_json, respond
from registry.api.compatibility import compatibility, read_schema, schema_text
from registry.api.door import Door
from registry.api.idempotency import CONTRACTS_SCOPE, HEADER, Idempotency
from registry.api.shapes import documented
from registry.api.writes import idempotent_post
from registry.auth.principal import READ_SCOPE, WRITE_SCOPE, Principal
from registry.errors import InvalidInput
from registry.index.snapshot import ContractEntry, ContractVersionEntry, IndexSnapshot
from registry.model import contract_name
from registry.write.publish import ContractInput

router = APIRouter(prefix="/registry/contracts", tags=["contracts"])

SCHEMA_JSON = "application/schema+json"


def _reader(door: Door, request: Request) -> Principal:
    principal = door.caller(request)
    principal.require_scope(READ_SCOPE)
    return principal


def write_caller(request: Request) -> Principal:
    """The caller of a write, checked before its body is: 401, then 403, then 400, as the old
    registry answered."""
    principal = Door.of(request).caller(request)
    principal.require_scope(WRITE_SCOPE)
    return principal


def read_caller(request: Request) -> Principal:
    return _reader(Door.of(request), request)


AsWriter = Annotated[Principal, Depends(write_caller)]
AsReader = Annotated[Principal, Depends(read_caller)]


async def _reader_async(door: Door, request: Request) -> Principal:
    principal = await door.caller_async(request)
    principal.require_scope(READ_SCOPE)
    return principal


def _headers(contract: ContractEntry) -> dict[str, str]:
    return deprecation_headers(contract.deprecated, contract.sunset)


def _bundle(door: Door, v: ContractVersionEntry) -> Encoded:
    return door.encoded.get(("contract", v.tag_id), lambda: Encoded.json(views.bundle(v)))


@router.get("", summary="List every published contract version", responses=documented(shapes.ContractList))
async def list_contracts(request: Request) -> Response:
    door = Door.of(request)
    await _reader_async(door, request)
    snapshot = door.snapshot()
    encoded = door.per_snapshot("contracts", snapshot, lambda: Encoded.json(views.listing(snapshot)))
    return respond(request, encoded, cache_control=SHORT)


@router.get(
    "/{name}", summary="A contract's published versions", responses=documented(shapes.ContractVersions)
)
async def contract_versions(name: str, request: Request) -> Response:
    door = Door.of(request)
    await _reader_async(door, request)
    contract = views.find(door.snapshot(), name)
    return respond(
        request, Encoded.json(views.versions(contract)), cache_control=SHORT, headers=_headers(contract)
    )


@router.get(
    "/{name}/latest",
    summary="The latest version's bundle (highest SemVer)",
    responses=documented(shapes.ContractBundle),
)
async def latest(name: str, request: Request) -> Response:
    door = Door.of(request)
    await _reader_async(door, request)
    contract = views.find(door.snapshot(), name)
    return respond(request, _bundle(door, contract.latest), cache_control=SHORT, headers=_headers(contract))


@router.get("/{name}/changelog", summary="Markdown changelog of every published version")
def changelog(name: str, request: Request) -> Response:
    door = Door.of(request)
    _reader(door, request)
    snapshot = door.snapshot()
    contract = views.find(snapshot, name)
    # The store's default mode may change on main too: one changelog per contract and head.
    key = ("changelog", name, contract.versions[-1].tag_id, snapshot.head)

    def build() -> Encoded:
        policy = door.policy(snapshot)
        return Encoded.of(views.changelog(contract, policy).encode(), "text/markdown; charset=utf-8")

    return respond(request, door.encoded.get(key, build), cache_control=SHORT, headers=_headers(contract))


@router.get(
    "/{name}/{version}",
    summary="One version's bundle (immutable)",
    responses=documented(shapes.ContractBundle),
)
async def contract_version(name: str, version: str, request: Request) -> Response:
    door = Door.of(request)
    await _reader_async(door, request)
    encoded, headers = version_bundle(door, door.snapshot(), name, version)
    return respond(request, encoded, cache_control=IMMUTABLE, headers=headers)


@router.get("/{name}/{version}/schema", summary="One version's JSON Schema, as stored (immutable)")
async def contract_schema(name: str, version: str, request: Request) -> Response:
    door = Door.of(request)
    await _reader_async(door, request)
    encoded, headers = version_schema(door, door.snapshot(), name, version, request.headers.get("accept", ""))
    return respond(request, encoded, cache_control=IMMUTABLE, headers=headers)


def version_bundle(
    door: Door, snapshot: IndexSnapshot, name: str, version: str
) -> tuple[Encoded, dict[str, str]]:
    """A version's bundle and its contract's deprecation headers (404 when absent).

    Shared with the version fast path (``fastpath.py``), so both answer the same bytes.
    """
    contract, found = views.find_version(snapshot, name, version)
    return _bundle(door, found), _headers(contract)


def version_schema(
    door: Door, snapshot: IndexSnapshot, name: str, version: str, accept: str
) -> tuple[Encoded, dict[str, str]]:
    """A version's raw schema, in the media type ``accept`` chooses, and its deprecation headers."""
    contract, found = views.find_version(snapshot, name, version)
    media = schema_media_type(accept)
    encoded = door.encoded.get(
        ("schema", found.tag_id, media), lambda: Encoded.of(found.schema_text.encode(), media)
    )
    return encoded, _headers(contract)


def schema_media_type(accept: str) -> str:
    """``application/schema+json``, or ``application/json`` when that is all the client takes."""
    return SCHEMA_JSON if _wants_schema_json(accept) else "application/json"


def _wants_schema_json(accept: str) -> bool:
    """``application/schema+json`` unless the client asked for plain ``application/json`` only."""
    kinds = {part.split(";")[0].strip().lower() for part in accept.split(",") if part.strip()}
    return not kinds or SCHEMA_JSON in kinds or "application/json" not in kinds


@router.post(
    "",
    status_code=201,
    summary="Publish a contract version (old demonctl body)",
    responses=documented(shapes.ContractCreated, 201),
)
def publish(
    request: Request,
    principal: AsWriter,
    item: PublishContract = Body(...),  # noqa: B008 - FastAPI's way of naming a body
    key: str | None = Header(default=None, alias=HEADER),
) -> Response:
    door = Door.of(request)
    body = item.model_dump_json().encode()
    idem = Idempotency.of(key, scope=CONTRACTS_SCOPE, method="POST", path=request.url.path, body=body)
    contract = _contract_input(item)

    def write(trailers: dict[str, str]) -> str:
        result = door.publish(
            principal,
            lambda publisher, store, writer: publisher.contract(
                store, contract, writer=writer, trailers=trailers
            ),
        )
        return str(result.commit)

    def answer(snapshot: IndexSnapshot, commit: str) -> dict[str, Any] | None:
        found = views.by_commit(snapshot, item.name, commit)
        return views.created(found) if found is not None else None

    return idempotent_post(door, idem, write, answer)


def _contract_input(item: PublishContract) -> ContractInput:
    """The publish body as the domain takes it; a path without its file's text cannot be stored."""
    wit = _file(item.witPath, item.wit, "wit", f"{item.name.rsplit('.', 1)[-1]}.wit")
    descriptor = _file(item.descriptorPath, item.descriptor, "descriptor", "descriptor.json")
    return ContractInput(
        item.name, item.version, schema_text(item.jsonSchema), item.description, wit, descriptor
    )


def _file(path: str | None, text: str | None, field: str, default: str) -> tuple[str, str] | None:
    if text is None:
        if path:
            raise InvalidInput(
                f"{field}Path names a file but '{field}' does not carry its text",
                hint=f"the registry stores the file itself: send its text in '{field}' "
                f"(and its file name in '{field}Path')",
            )
        return None
    return ((path or default).replace("\\", "/").rsplit("/", 1)[-1], text)


@router.post(
    "/{name}/compatibility",
    summary="Check a proposed schema against the published versions",
    responses=documented(shapes.Compatibility),
)
def check_compatibility(
    name: str,
    request: Request,
    _: AsReader,
    item: CheckCompatibility = Body(...),  # noqa: B008 - FastAPI's way of naming a body
) -> Response:
    door = Door.of(request)
    contract_name(name)
    snapshot = door.snapshot()
    policy = door.policy(snapshot)
    schema = read_schema(schema_text(item.jsonSchema), policy)
    body = compatibility(
        name,
        snapshot.contracts.get(name),
        schema,
        version=item.version,
        mode=item.mode,
        lint_policy=item.policy,
        policy=policy,
        wit=item.wit,
    )
    return Response(encode_json(body), 200, {"Cache-Control": "no-store"}, media_type="application/json")


def _oid(snapshot: IndexSnapshot) -> pygit2.Oid | None:
    """The commit the snapshot was built from: settings are read there, never at a newer head."""
    return pygit2.Oid(hex=snapshot.head) if snapshot.head else None
