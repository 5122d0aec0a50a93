"""The store over git's smart HTTP protocol, read-only: ``git clone http://HOST:PORT/store.git``.

No protocol of our own: each request runs git's ``git http-backend`` as a CGI program
on the store the server serves (its ``refs/mirror/`` hidden, on a replica). Callers
authenticate as on the read API, with a token carrying ``contracts:read``; git clients
send it as the password of Basic credentials (any user name), so an unauthenticated
request is answered 401 with a ``Basic`` challenge, which makes git ask for them.
Only fetches are served: a push (``git-receive-pack``) is refused with 403, any method
but GET and POST with 405, and git's "dumb" file-by-file protocol is off.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from registry.api.door import Door
from registry.auth.errors import AuthFailed, Forbidden
from registry.auth.principal import READ_SCOPE
from registry.environment import environment

log = logging.getLogger("registry.api.git")

PREFIX = "/store.git"
UPLOAD_PACK = "git-upload-pack"
RECEIVE_PACK = "git-receive-pack"
CHALLENGE = 'Basic realm="registry", charset="UTF-8"'
#: git settings for every request: no pushes, no dumb protocol, the replica's staging refs hidden.
CONFIG = (("http.receivepack", "false"), ("http.getanyfile", "false"), ("uploadpack.hideRefs", "refs/mirror"))
CHUNK = 65536


def _backend() -> str:
    exec_path = subprocess.run(["git", "--exec-path"], capture_output=True, text=True, check=True).stdout
    return str(Path(exec_path.strip()) / "git-http-backend")


_BACKEND: list[str] = []


def backend() -> str:
    """The path of ``git http-backend`` (asked of git once)."""
    if not _BACKEND:
        _BACKEND.append(_backend())
    return _BACKEND[0]


def _plain(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    return Response(text + "\n", status, headers, media_type="text/plain; charset=utf-8")


def _service(rest: str, query: str) -> str | None:
    """Which git service a request is for; None for anything but the smart protocol."""
    if rest == "/info/refs":
        for part in query.split("&"):
            if part.startswith("service="):
                return part.removeprefix("service=")
        return None
    if rest in (f"/{UPLOAD_PACK}", f"/{RECEIVE_PACK}"):
        return rest[1:]
    return None


def _environment(request: Request, store: Path, rest: str, user: str) -> dict[str, str]:
    env = {k: v for k, v in environment().items() if k in ("PATH", "HOME", "LANG", "GIT_CONFIG_NOSYSTEM")}
    env.update(
        {
            "GIT_PROJECT_ROOT": str(store.parent),
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": f"/{store.name}{rest}",
            "REQUEST_METHOD": request.method,
            "QUERY_STRING": request.url.query,
            "CONTENT_TYPE": request.headers.get("content-type", ""),
            "REMOTE_USER": user,
            "REMOTE_ADDR": request.client.host if request.client else "",
            "GIT_CONFIG_COUNT": str(len(CONFIG)),
        }
    )
    for i, (key, value) in enumerate(CONFIG):
        env[f"GIT_CONFIG_KEY_{i}"], env[f"GIT_CONFIG_VALUE_{i}"] = key, value
    for header in ("content-encoding", "git-protocol"):
        if header in request.headers:
            env["HTTP_" + header.upper().replace("-", "_")] = request.headers[header]
    return env


async def git_service(request: Request) -> Response:
    """``/store.git/…``: git's smart HTTP protocol, fetches only."""
    rest = request.url.path.removeprefix(PREFIX)
    if request.method not in ("GET", "POST"):
        return _plain(
            405, "the store is served read-only over HTTP: only git fetches", {"Allow": "GET, POST"}
        )
    service = _service(rest, request.url.query)
    if service == RECEIVE_PACK:
        return _plain(
            403, "pushes over HTTP are refused: push to the primary's store over SSH (or as a file path)"
        )
    if service != UPLOAD_PACK or (rest == "/info/refs") != (request.method == "GET"):
        return _plain(404, "not a git fetch: clone http://HOST:PORT/store.git")
    door = Door.of(request)
    try:
        principal = await door.caller_async(request)
        principal.require_scope(READ_SCOPE)
    except AuthFailed as exc:
        return _plain(401, exc.message, {"WWW-Authenticate": CHALLENGE})
    except Forbidden as exc:
        return _plain(403, exc.message)
    user = "".join(c for c in principal.subject if c.isprintable())[:200]
    body = await request.body()
    return await _run(_environment(request, door.config.store_path, rest, user), body)


async def _run(env: dict[str, str], body: bytes) -> Response:
    proc = await asyncio.create_subprocess_exec(
        backend(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**env, "CONTENT_LENGTH": str(len(body))},
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None

    async def feed() -> None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(body)
            await proc.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            proc.stdin.close()

    feeding = asyncio.ensure_future(feed())
    status, headers = 200, {}
    while True:
        line = (await proc.stdout.readline()).decode("latin-1").rstrip("\r\n")
        if not line:
            break
        name, _, value = line.partition(":")
        if name.lower() == "status":
            status = int(value.strip().split()[0])
        else:
            headers[name.strip()] = value.strip()
    media_type = headers.pop("Content-Type", None)

    async def stream() -> AsyncIterator[bytes]:
        assert proc.stdout is not None and proc.stderr is not None
        finished = False
        try:
            while chunk := await proc.stdout.read(CHUNK):
                yield chunk
            finished = True
        finally:
            if not finished and proc.returncode is None:  # the client went away
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
            await feeding
            errors = await proc.stderr.read()
            await proc.wait()
            if errors.strip():
                log.warning("git http-backend: %s", errors.decode(errors="replace").strip()[:2000])

    return StreamingResponse(stream(), status, headers, media_type=media_type)


def install(app: object) -> None:
    """Add ``/store.git/…`` to the app (not in the OpenAPI document: it is git's protocol)."""
    app.add_api_route(  # type: ignore[attr-defined]
        PREFIX + "/{rest:path}",
        git_service,
        methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
        include_in_schema=False,
    )
