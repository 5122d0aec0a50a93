"""The Confluent Schema Registry REST API over the registry's index, for Kafka serializers.

Mounted under a prefix (``/ccompat``) that clients put in ``schema.registry.url``. A
subject is a contract name; its versions are 1, 2, 3 … in publication order; schema ids
come from ``main``'s history (:mod:`registry.index.schema_ids`). Reads need the
``contracts:read`` scope, registering ``contracts:write``; registering a new schema
publishes a contract version through ``publish()``, so it is gated, signed and tagged
like any other version, and answers once the index holds it.

Routes only gather parameters and call :class:`~.service.Ccompat` and :mod:`.subjects`;
every refusal leaves as ``{error_code, message}`` through :mod:`.errors`. What lives in
git (compatibility, modes, published versions) cannot be changed here: those calls
answer 42205 and say where to change it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from starlette.responses import Response

from registry.api.ccompat import subjects, views
from registry.api.ccompat.errors import CcompatError, install
from registry.api.ccompat.service import Ccompat, live
from registry.api.config import ApiConfig
from registry.auth.principal import READ_SCOPE, WRITE_SCOPE, Principal

CONFIG_IN_GIT = (
    "compatibility is set in git: 'compatibility' in contracts/<name>/contract.yaml, or "
    "'default_compatibility' in registry.yaml; change it with a reviewed push"
)
MODE_IN_GIT = "the mode follows the server: READWRITE where it holds the registry's signing key"


def _flag(value: str | None) -> bool:
    """A boolean query parameter as clients send it (``true``, ``True``)."""
    return value is not None and value.strip().lower() == "true"


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise CcompatError(400, 400, "the request body is not JSON") from None


async def _caller(request: Request) -> Principal:
    cc: Ccompat = request.app.state.ccompat
    principal: Principal = await cc.config.authenticator.authenticate_async(
        request.headers.get("authorization")
    )
    return principal


async def _reader(principal: Annotated[Principal, Depends(_caller)]) -> Principal:
    principal.require_scope(READ_SCOPE)
    return principal


async def _writer(principal: Annotated[Principal, Depends(_caller)]) -> Principal:
    principal.require_scope(WRITE_SCOPE)
    return principal


def _ccompat(request: Request) -> Ccompat:
    cc: Ccompat = request.app.state.ccompat
    return cc


Deleted = Annotated[str | None, Query(description="true: soft-deleted ones too")]
DeletedOnly = Annotated[str | None, Query(alias="deletedOnly", description="true: soft-deleted ones only")]
#: The Python client spells it ``deleted_only``.
DeletedOnlySnake = Annotated[str | None, Query(alias="deleted_only", include_in_schema=False)]
Read = Annotated[Principal, Depends(_reader)]
Write = Annotated[Principal, Depends(_writer)]
Body = Annotated[Any, Depends(_json_body)]
CC = Annotated[Ccompat, Depends(_ccompat)]

#: The refusals every route may answer, in Confluent's ``{error_code, message}`` shape.
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "model": views.ErrorBody}
    for status, text in (
        (401, "no credentials, or credentials that do not verify (40101)"),
        (403, "the token lacks the scope or role (40301)"),
        (404, "no such subject (40401), version (40402) or schema (40403)"),
        (409, "incompatible with the subject's earlier versions (409)"),
        (422, "an invalid schema (42201), version (42202), subject (42208) or operation (42205)"),
        (500, "the store is busy or unavailable (50001, 50002)"),
    )
}

router = APIRouter()


@router.get("/")
def root(_: Read) -> Response:
    return views.respond({})


@router.get("/schemas/types")
def schema_types(_: Read) -> Response:
    return views.respond([subjects.SCHEMA_TYPE])


def _page(items: list[Any], offset: int, limit: int) -> list[Any]:
    items = items[max(offset, 0) :]
    return items if limit < 0 else items[:limit]


@router.get("/subjects", responses=ERRORS)
def list_subjects(
    cc: CC,
    _: Read,
    subject_prefix: Annotated[str | None, Query(alias="subjectPrefix")] = None,
    deleted: Deleted = None,
    deleted_only: DeletedOnly = None,
    deleted_only_snake: DeletedOnlySnake = None,
    offset: int = 0,
    limit: int = -1,
) -> Response:
    snapshot, table = cc.view()
    only = _flag(deleted_only) or _flag(deleted_only_snake)
    names = []
    for name, versions in sorted(table.by_subject.items()):
        if not versions or (subject_prefix and not name.startswith(subject_prefix)):
            continue
        shown = bool(live(snapshot, versions))
        if (not shown) if only else (shown or _flag(deleted)):
            names.append(name)
    return views.respond(_page(names, offset, limit))


@router.get("/subjects/{subject}/versions", responses=ERRORS)
def list_versions(
    cc: CC,
    subject: str,
    _: Read,
    deleted: Deleted = None,
    deleted_only: DeletedOnly = None,
    deleted_only_snake: DeletedOnlySnake = None,
    offset: int = 0,
    limit: int = -1,
) -> Response:
    snapshot, table = cc.view()
    every = cc.subject(table, subject, snapshot, deleted=True)
    shown = {n.subject_version for n in live(snapshot, every)}
    if _flag(deleted_only) or _flag(deleted_only_snake):
        return views.respond(
            _page([n.subject_version for n in every if n.subject_version not in shown], offset, limit)
        )
    versions = [n.subject_version for n in every if _flag(deleted) or n.subject_version in shown]
    if not versions:
        raise CcompatError.subject_not_found(subject)
    return views.respond(_page(versions, offset, limit))


@router.get("/subjects/{subject}/versions/{version}", responses=ERRORS)
def get_version(cc: CC, subject: str, version: str, _: Read, deleted: Deleted = None) -> Response:
    snapshot, table = cc.view()
    numbered = cc.version(table, subject, version, snapshot, _flag(deleted))
    return views.respond(cc.version_body(table, numbered))


@router.get("/subjects/{subject}/versions/{version}/schema", responses=ERRORS)
def get_version_schema(cc: CC, subject: str, version: str, _: Read, deleted: Deleted = None) -> Response:
    snapshot, table = cc.view()
    return views.raw_schema(cc.version(table, subject, version, snapshot, _flag(deleted)))


@router.get("/subjects/{subject}/versions/{version}/referencedby")
def referenced_by(cc: CC, subject: str, version: str, _: Read) -> Response:
    snapshot, table = cc.view()
    return views.respond(cc.referenced_by(table, cc.version(table, subject, version, snapshot, True)))


@router.get("/subjects/{subject}/metadata")
def latest_with_metadata(
    cc: CC,
    subject: str,
    _: Read,
    key: Annotated[list[str] | None, Query()] = None,
    value: Annotated[list[str] | None, Query()] = None,
) -> Response:
    _, table = cc.view()
    wanted = dict(zip(key or [], value or [], strict=False))
    matching = [
        n for n in cc.subject(table, subject) if wanted.items() <= views.metadata(n)["properties"].items()
    ]
    if not matching:
        raise CcompatError.version_not_found(subject, f"with metadata {wanted}")
    return views.respond(cc.version_body(table, max(matching, key=lambda n: n.entry.order)))


@router.get("/schemas", responses=ERRORS)
def list_schemas(
    cc: CC,
    _: Read,
    subject_prefix: Annotated[str | None, Query(alias="subjectPrefix")] = None,
    deleted: Deleted = None,
    latest_only: Annotated[str | None, Query(alias="latestOnly")] = None,
    offset: int = 0,
    limit: int = -1,
) -> Response:
    """Every schema version, by id; ``latestOnly`` keeps each subject's latest."""
    snapshot, table = cc.view()
    found: list[Any] = []
    for name, every in sorted(table.by_subject.items()):
        if subject_prefix and not name.startswith(subject_prefix):
            continue
        versions = every if _flag(deleted) else live(snapshot, every)
        if _flag(latest_only) and versions:
            versions = (max(versions, key=lambda n: n.entry.order),)
        found += versions
    found.sort(key=lambda n: n.schema_id)
    return views.respond([cc.version_body(table, n) for n in _page(found, offset, limit)])


@router.get("/contexts", responses=ERRORS)
def contexts(_: Read) -> Response:
    """One context, the default: a store is one namespace of subjects."""
    return views.respond(["."])


@router.get("/schemas/ids/{schema_id}")
def get_schema(cc: CC, schema_id: str, _: Read) -> Response:
    _, table = cc.view()
    return views.respond(cc.schema_body(table, cc.schema(table, schema_id)))


@router.get("/schemas/ids/{schema_id}/schema")
def get_schema_text(cc: CC, schema_id: str, _: Read) -> Response:
    _, table = cc.view()
    return views.raw_schema(cc.schema(table, schema_id))


@router.get("/schemas/ids/{schema_id}/subjects")
def get_schema_subjects(cc: CC, schema_id: str, _: Read) -> Response:
    _, table = cc.view()
    return views.respond([cc.schema(table, schema_id).subject])


@router.get("/schemas/ids/{schema_id}/versions")
def get_schema_versions(cc: CC, schema_id: str, _: Read) -> Response:
    _, table = cc.view()
    found = cc.schema(table, schema_id)
    return views.respond([{"subject": found.subject, "version": found.subject_version}])


@router.post("/subjects/{subject}", responses=ERRORS)
def lookup(
    cc: CC,
    subject: str,
    body: Body,
    _: Read,
    normalize: str | None = None,
    deleted: Deleted = None,
) -> Response:
    """The version holding this schema. Schemas always compare as JSON values (member order
    and whitespace aside), so ``normalize`` changes nothing; it is accepted for clients."""
    snapshot, table = cc.view()
    versions = cc.subject(table, subject, snapshot, _flag(deleted))
    found = subjects.same_schema(versions, cc.proposal(body, snapshot, table))
    if found is None:
        raise CcompatError.schema_not_found()
    return views.respond(cc.version_body(table, found))


@router.post("/subjects/{subject}/versions")
def register(cc: CC, subject: str, body: Body, principal: Write) -> Response:
    numbered = cc.register(principal, subject, body)
    return views.respond({"id": numbered.schema_id, **cc.version_body(cc.view()[1], numbered)})


@router.post("/compatibility/subjects/{subject}/versions/{version}")
def compatible_with(
    cc: CC, subject: str, version: str, body: Body, _: Read, verbose: str | None = None
) -> Response:
    snapshot, table = cc.view()
    against = cc.version(table, subject, version)
    policy = cc.policy(snapshot)
    proposal = cc.proposal(body, snapshot, table)
    entry = snapshot.contracts.get(subject)
    if version in ("latest", "-1"):
        # What registering would be judged against: the gate's versions, not the latest alone.
        report = subjects.plan(entry, proposal, policy, cc.bundler(snapshot)).report
    else:
        mode, lint = subjects.lint_settings(entry, policy)
        report = subjects.compare([against.entry], proposal, mode, lint, cc.bundler(snapshot), policy=policy)
    return views.respond(views.compatibility_body(report, _flag(verbose), subjects.messages(report)))


@router.post("/compatibility/subjects/{subject}/versions")
def compatible_with_all(cc: CC, subject: str, body: Body, _: Read, verbose: str | None = None) -> Response:
    snapshot, table = cc.view()
    policy = cc.policy(snapshot)
    proposal = cc.proposal(body, snapshot, table)
    report = subjects.plan(snapshot.contracts.get(subject), proposal, policy, cc.bundler(snapshot)).report
    return views.respond(views.compatibility_body(report, _flag(verbose), subjects.messages(report)))


@router.get("/config")
def global_config(cc: CC, _: Read) -> Response:
    snapshot, _table = cc.view()
    mode, _lint = subjects.lint_settings(None, cc.policy(snapshot))
    return views.respond({"compatibilityLevel": mode.value})


@router.get("/config/{subject}", responses=ERRORS)
def subject_config(
    cc: CC,
    subject: str,
    _: Read,
    default_to_global: Annotated[str | None, Query(alias="defaultToGlobal")] = None,
) -> Response:
    """The subject's mode: its ``contract.yaml``'s own, else ``registry.yaml``'s default, with
    or without ``defaultToGlobal`` (a subject always has the mode the gate applies to it)."""
    snapshot, _table = cc.view()
    mode, _lint = subjects.lint_settings(snapshot.contracts.get(subject), cc.policy(snapshot))
    return views.respond({"compatibilityLevel": mode.value})


def _mode(cc: Ccompat) -> Response:
    return views.respond({"mode": "READONLY" if cc.read_only else "READWRITE"})


@router.get("/mode")
def global_mode(cc: CC, _: Read) -> Response:
    return _mode(cc)


@router.get("/mode/{subject}")
def subject_mode(cc: CC, subject: str, _: Read) -> Response:
    return _mode(cc)


def refusal(message: str) -> Callable[[Principal], Response]:
    def refuse(_: Write) -> Response:
        raise CcompatError.not_permitted(message)

    return refuse


for path in ("/config", "/config/{subject}"):
    router.add_api_route(path, refusal(CONFIG_IN_GIT), methods=["PUT", "DELETE"], include_in_schema=False)
for path in ("/mode", "/mode/{subject}"):
    router.add_api_route(path, refusal(MODE_IN_GIT), methods=["PUT", "DELETE"], include_in_schema=False)


@router.delete("/subjects/{subject}", responses=ERRORS)
def delete_subject(cc: CC, subject: str, principal: Write, permanent: str | None = None) -> Response:
    """Soft delete (admins): ``deleted: true`` in ``contract.yaml`` by a signed commit; the
    subject leaves ``/subjects`` and ``latest``, its ids keep resolving. Permanent: refused."""
    return views.respond(cc.delete(principal, subject, None, _flag(permanent)))


@router.delete("/subjects/{subject}/versions/{version}", responses=ERRORS)
def delete_version(
    cc: CC, subject: str, version: str, principal: Write, permanent: str | None = None
) -> Response:
    """Soft delete of one version (admins): listed under ``deleted`` in ``contract.yaml``."""
    return views.respond(cc.delete(principal, subject, version, _flag(permanent))[0])


def ccompat_app(config: ApiConfig) -> FastAPI:
    """The Confluent-compatible API as its own app, to mount under a prefix such as ``/ccompat``.

    Its own app, so that every answer under the prefix, unknown paths and refusals of the
    caller included, has Confluent's ``{error_code, message}`` shape.
    """
    app = FastAPI(title="registry: Confluent-compatible Schema Registry API", docs_url=None, redoc_url=None)
    app.state.ccompat = Ccompat(config)
    install(app)
    app.include_router(router)
    return app
