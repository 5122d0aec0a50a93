"""The version fast path answers exactly what the FastAPI routes answer, and is logged and counted alike.

Each case is sent twice, with the same ``X-Request-ID`` and ``traceparent``: to the app as
``create_app`` builds it (the fast path in front of the router) and to the same app with
the fast path taken out (every request routed by FastAPI). Status, every header but
``Date`` (in order) and the body must be the same bytes. A spy behind the fast path
shows which requests it answered itself. In-process over httpx's ASGI transport, and
over real uvicorn servers with the settings ``registry serve`` uses.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
import yaml
from api.helpers import READ, SECRET, WRITE, token
from fastapi import FastAPI
from ops.conftest import LogLines
from prometheus_client.parser import text_string_to_metric_families
from starlette.middleware import Middleware

from registry.api.app import create_app
from registry.api.config import ApiConfig
from registry.api.fastpath import VersionFastPath
from registry.api.server import UVICORN
from registry.auth.authenticator import Authenticator
from registry.git.store import Snapshot, Store
from registry.index.live import LiveIndex
from registry.write.publish import Writer, publish

VERSION = "/registry/contracts/ritual.started/1.0.0"
TEMPLATE = "/registry/contracts/{name}/{version}"
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
SAME_IDS = {"X-Request-ID": "fast-or-routed", "traceparent": TRACEPARENT}


def auth(*scopes: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token('ada@example.org', scopes=scopes)}"}


#: (what, path, headers): the answers the fast path must give exactly as the routes give them.
CASES: list[tuple[str, str, dict[str, str]]] = [
    ("a version", VERSION, auth(READ)),
    ("a version, with every scope", VERSION, auth(READ, WRITE)),
    ("the raw schema", f"{VERSION}/schema", auth(READ)),
    ("the raw schema as JSON", f"{VERSION}/schema", {**auth(READ), "Accept": "application/json"}),
    (
        "the raw schema, schema+json asked",
        f"{VERSION}/schema",
        {**auth(READ), "Accept": "application/schema+json"},
    ),
    ("a v1-style version", "/registry/contracts/approval.granted/v1", auth(READ)),
    ("v1 asked as 1.0.0", "/registry/contracts/approval.granted/1.0.0", auth(READ)),
    ("a schema of a v1-style version", "/registry/contracts/approval.granted/v1/schema", auth(READ)),
    ("a missing version", "/registry/contracts/ritual.started/9.9.9", auth(READ)),
    ("a missing version's schema", "/registry/contracts/ritual.started/9.9.9/schema", auth(READ)),
    ("a missing contract", "/registry/contracts/no.such/1.0.0", auth(READ)),
    ("an unparseable version", "/registry/contracts/ritual.started/not-a-version", auth(READ)),
    (
        "a missing version, problem+json",
        "/registry/contracts/no.such/1.0.0",
        {**auth(READ), "Accept": "application/problem+json"},
    ),
    ("no token", VERSION, {}),
    ("an empty Authorization header", VERSION, {"Authorization": ""}),
    ("another scheme", VERSION, {"Authorization": "Basic YWRhOnB3"}),
    ("a malformed token", VERSION, {"Authorization": "Bearer not.a.jwt"}),
    ("a forged signature", VERSION, {"Authorization": auth(READ)["Authorization"][:-4] + "AAAA"}),
    (
        "a token of another secret",
        VERSION,
        {"Authorization": "Bearer " + Authenticator.for_secret("another-secret-" + "o" * 32).dev_token()},
    ),
    ("no token, problem+json", VERSION, {"Accept": "application/problem+json"}),
    ("no read scope", VERSION, auth(WRITE)),
    ("no read scope, schema", f"{VERSION}/schema", auth(WRITE)),
    ("no scope at all, missing version", "/registry/contracts/no.such/1.0.0", auth()),
]
#: Paths beside the version routes that are not theirs: left to FastAPI, answered the same.
ROUTED: list[tuple[str, str, dict[str, str]]] = [
    ("latest", "/registry/contracts/ritual.started/latest", auth(READ)),
    ("the changelog", "/registry/contracts/ritual.started/changelog", auth(READ)),
    ("a contract's versions", "/registry/contracts/ritual.started", auth(READ)),
    ("a trailing slash", f"{VERSION}/", auth(READ)),
    ("an empty version", "/registry/contracts/ritual.started//schema", auth(READ)),
    ("too deep", f"{VERSION}/schema/more", auth(READ)),
    ("HEAD", VERSION, auth(READ)),
    ("a capsule", "/api/v1/capsules", auth(READ)),
]


class Reached:
    """ASGI middleware behind the fast path: the paths it let through to FastAPI."""

    def __init__(self, app: Any, *, seen: list[str]) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen.append(f"{scope['method']} {scope['path']}")
        await self.app(scope, receive, send)


@dataclass
class Apps:
    fast: FastAPI  #: as ``create_app`` builds it
    routed: FastAPI  #: the same, without the fast path
    reached: list[str]  #: what the fast app let through to FastAPI
    index: LiveIndex


def _apps(store: Store, index: LiveIndex) -> Apps:
    def app() -> FastAPI:
        config = ApiConfig(
            store_path=Path(store.path), index=index, authenticator=Authenticator.for_secret(SECRET), key=None
        )
        return create_app(config)

    reached: list[str] = []
    fast, routed = app(), app()
    at = next(i for i, m in enumerate(fast.user_middleware) if m.cls is VersionFastPath)
    fast.user_middleware.insert(at + 1, Middleware(Reached, seen=reached))
    routed.user_middleware = [m for m in routed.user_middleware if m.cls is not VersionFastPath]
    return Apps(fast, routed, reached, index)


@pytest.fixture
def apps(example_store: Store) -> Apps:
    return _apps(example_store, LiveIndex(example_store.path))


@pytest.fixture
def logs() -> Iterator[LogLines]:
    """Every line the process logs, as the server writes it."""
    lines = LogLines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(lines.handler)
    root.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        root.removeHandler(lines.handler)
        root.setLevel(level)


def deprecate(store: Store, name: str, sunset: str, writer: Writer) -> None:
    """Mark a contract deprecated on main (contract.yaml only), as an author would."""

    def build(snap: Snapshot) -> dict[str, bytes | None]:
        path = f"contracts/{name}/contract.yaml"
        meta = yaml.safe_load(snap.read(path) or b"")
        meta.update(deprecated=True, sunset=sunset)
        return {path: yaml.safe_dump(meta, sort_keys=False).encode()}

    publish(store, build, message=f"deprecate {name}", writer=writer, door="cli")


Seen = tuple[int, list[tuple[bytes, bytes]], bytes]


def seen(r: httpx.Response) -> Seen:
    """What a client sees of an answer: status, every header but Date in order, the body."""
    return r.status_code, [(k.lower(), v) for k, v in r.headers.raw if k.lower() != b"date"], r.content


async def _both(apps: Apps, method: str, path: str, headers: dict[str, str]) -> tuple[Seen, Seen]:
    answers = []
    for app in (apps.fast, apps.routed):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry.test") as client:
            answers.append(seen(await client.request(method, path, headers={**SAME_IDS, **headers})))
    return answers[0], answers[1]


def both(apps: Apps, path: str, headers: dict[str, str], method: str = "GET") -> tuple[Seen, Seen]:
    return asyncio.run(_both(apps, method, path, headers))


@pytest.mark.parametrize(("what", "path", "headers"), CASES, ids=[c[0] for c in CASES])
def test_the_fast_path_answers_byte_for_byte_what_the_route_answers(
    apps: Apps, what: str, path: str, headers: dict[str, str]
) -> None:
    fast, routed = both(apps, path, headers)
    assert fast == routed
    assert apps.reached == []  # answered by the fast path itself, refusals included


@pytest.mark.parametrize(("what", "path", "headers"), ROUTED, ids=[c[0] for c in ROUTED])
def test_other_paths_are_left_to_fastapi_and_answered_the_same(
    apps: Apps, what: str, path: str, headers: dict[str, str]
) -> None:
    method = "HEAD" if what == "HEAD" else "GET"
    fast, routed = both(apps, path, headers, method)
    assert fast == routed
    assert apps.reached == [f"{method} {path}"]


def test_a_version_answers_with_its_immutable_validators(apps: Apps) -> None:
    (status, headers, body), _ = both(apps, VERSION, auth(READ))
    got = dict(headers)
    assert status == 200 and json.loads(body)["version"] == "1.0.0"
    assert got[b"cache-control"] == b"public, max-age=31536000, immutable"
    assert got[b"etag"].startswith(b'"') and got[b"content-type"] == b"application/json"
    assert (
        got[b"x-request-id"] == b"fast-or-routed" and got[b"x-trace-id"] == TRACEPARENT.split("-")[1].encode()
    )


@pytest.mark.parametrize("path", [VERSION, f"{VERSION}/schema", "/registry/contracts/approval.granted/v1"])
def test_if_none_match_answers_304_as_the_route_does(apps: Apps, path: str) -> None:
    (_, headers, _), _ = both(apps, path, auth(READ))
    etag = dict(headers)[b"etag"].decode()
    for held in (etag, f"W/{etag}", f'"other", {etag}', "*", '"other"', ""):
        fast, routed = both(apps, path, {**auth(READ), "If-None-Match": held})
        assert fast == routed
        assert fast[0] == (200 if held in ('"other"', "") else 304)
    assert both(apps, path, {"If-None-Match": etag})[0][0] == 401  # a held body is no credential
    assert apps.reached == []


def test_a_deprecated_contract_answers_with_deprecation_and_sunset(
    apps: Apps, example_store: Store, writer: Writer
) -> None:
    before, _ = both(apps, VERSION, auth(READ))
    deprecate(example_store, "ritual.started", "2027-01-31", writer)
    apps.index.refresh()  # a new snapshot: the fast path must not answer from the old one
    for path in (VERSION, f"{VERSION}/schema"):
        fast, routed = both(apps, path, auth(READ))
        assert fast == routed
        got = dict(fast[1])
        assert got[b"deprecation"] == b"true" and got[b"sunset"] == b"Sun, 31 Jan 2027 00:00:00 GMT"
        etag = got[b"etag"].decode()
        fast, routed = both(apps, path, {**auth(READ), "If-None-Match": etag})
        assert fast == routed and fast[0] == 304 and dict(fast[1])[b"deprecation"] == b"true"
    assert dict(before[1])[b"etag"] == dict(both(apps, VERSION, auth(READ))[0][1])[b"etag"]  # same bytes
    assert apps.reached == []


def test_the_openapi_document_is_the_same_with_the_fast_path(apps: Apps) -> None:
    fast, routed = both(apps, "/openapi.json", {})
    assert fast == routed and fast[0] == 200


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _counted(app: FastAPI, path: str, headers: dict[str, str]) -> tuple[float, float]:
    """How much one request moved its count and its latency histogram, by route template."""

    async def go() -> tuple[float, float]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://r.test") as c:
            before = _samples((await c.get("/metrics")).text)
            await c.get(path, headers=headers)
            after = _samples((await c.get("/metrics")).text)
        status = "200" if "Authorization" in headers else "401"
        count = ("registry_http_requests_total", (("method", "GET"), ("route", TEMPLATE), ("status", status)))
        timed = ("registry_http_request_duration_seconds_count", (("method", "GET"), ("route", TEMPLATE)))
        return after.get(count, 0) - before.get(count, 0), after.get(timed, 0) - before.get(timed, 0)

    return asyncio.run(go())


def test_a_fast_request_is_logged_and_counted_as_a_routed_one(apps: Apps, logs: LogLines) -> None:
    for headers in (auth(READ), {}):
        both(apps, VERSION, headers)
        fast, routed = logs.requests()[-2:]
        assert fast.keys() == routed.keys()
        assert {k: v for k, v in fast.items() if k not in ("ts", "duration_ms")} == {
            k: v for k, v in routed.items() if k not in ("ts", "duration_ms")
        }
        assert fast["route"] == TEMPLATE and fast["request_id"] == "fast-or-routed"
        assert fast.get("subject") == ("ada@example.org" if headers else None)
        assert _counted(apps.fast, VERSION, headers) == _counted(apps.routed, VERSION, headers) == (1, 1)
    assert [line["route"] for line in logs.requests() if line["path"] == f"{VERSION}/schema"] == []
    both(apps, f"{VERSION}/schema", auth(READ))
    assert [line["route"] for line in logs.requests()[-2:]] == [f"{TEMPLATE}/schema"] * 2


# -- over real uvicorn servers ---------------------------------------------------------


class Served:
    """One app on a real uvicorn (``registry serve``'s loop and HTTP settings) in a thread."""

    def __init__(self, app: FastAPI) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        settings = {k: v for k, v in UVICORN.items() if k != "log_config"}  # keep the test's logging
        self.server = uvicorn.Server(uvicorn.Config(app, log_config=None, **settings))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def served(apps: Apps) -> Iterator[tuple[Served, Served]]:
    fast, routed = Served(apps.fast), Served(apps.routed)
    try:
        yield fast, routed
    finally:
        fast.stop()
        routed.stop()


@pytest.mark.slow
def test_over_real_uvicorn_the_fast_path_answers_what_the_route_answers(
    served: tuple[Served, Served], apps: Apps
) -> None:
    fast, routed = served
    etag = httpx.get(fast.url + VERSION, headers=auth(READ)).headers["etag"]
    cases = [*CASES, ("304", VERSION, {**auth(READ), "If-None-Match": etag}), *ROUTED[:3]]
    with httpx.Client(base_url=fast.url) as f, httpx.Client(base_url=routed.url) as r:
        for what, path, headers in cases:
            sent = {**SAME_IDS, **headers}
            assert seen(f.get(path, headers=sent)) == seen(r.get(path, headers=sent)), what
    assert set(apps.reached) == {f"GET {path}" for _, path, _ in ROUTED[:3]}
    assert dict(httpx.get(fast.url + VERSION, headers=auth(READ)).headers)["server"] == "uvicorn"
