"""Probes for load balancers and orchestrators, and the metrics endpoint.

- ``/health`` and ``/healthz`` answer at once while the process serves (``/healthz`` with
  the old registry's text ``OK``);
- ``/livez``: the process is alive (``OK``);
- ``/readyz``: ready to take traffic: the index holds a first snapshot, the store can be
  read, and how long ago the index was last refreshed. 503 until the first snapshot, or
  while the store cannot be read; on a read replica, also its lag and what it refused;
- ``/metrics``: Prometheus' text format (``metrics.py``).

None of them needs a token: they say nothing about the store's content beyond a count.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from registry.index.snapshot import IndexSnapshot
from registry.ops.metrics import exposition


class Index(Protocol):
    """What the probes read of the live index."""

    @property
    def snapshot(self) -> IndexSnapshot | None: ...


NO_STORE = {"Cache-Control": "no-store"}


def store_readable(store_path: Path) -> tuple[bool, str | None]:
    """Whether the store's ``main`` can be read now; the reason when not."""
    import pygit2

    try:
        repo = pygit2.Repository(str(store_path))
        ref = repo.references.get("refs/heads/main")
        if ref is not None:
            repo[ref.target]  # the commit object itself, not only the ref file
        return True, None
    except (pygit2.GitError, KeyError, OSError, ValueError) as exc:
        return False, f"{type(exc).__name__}: {exc}"


def readiness(
    index: Index, store_path: Path, replica: Callable[[], dict[str, Any]] | None = None
) -> tuple[bool, dict[str, Any]]:
    """Whether the server is ready, and the facts that say so.

    A read replica adds its lag (``replica``: the last successful fetch, whether the
    primary's head is known to be ahead) and the tags it refused to serve; it is not
    ready before it holds anything from its primary.
    """
    snapshot = index.snapshot
    loaded = snapshot is not None and snapshot.built_at > 0
    readable, reason = store_readable(store_path)
    body: dict[str, Any] = {
        "status": "ready" if loaded and readable else "not ready",
        "index": {
            "loaded": loaded,
            "head": snapshot.head if loaded and snapshot is not None else None,
            "versions": snapshot.version_count if loaded and snapshot is not None else 0,
            "age_seconds": round(max(0.0, time.time() - snapshot.built_at), 3)
            if loaded and snapshot is not None
            else None,
        },
        "store": {"readable": readable, **({"error": reason} if reason else {})},
    }
    ready = loaded and readable
    if replica is not None:
        body["replica"] = status = replica()
        held = snapshot is not None and snapshot.head is not None
        ready = ready and (held or status.get("last_fetch") is not None)
        body["status"] = "ready" if ready else "not ready"
    return ready, body


def router(
    index: Index,
    store_path: Path,
    *,
    healthz: bool = True,
    replica: Callable[[], dict[str, Any]] | None = None,
) -> APIRouter:
    """The probe and metrics routes; ``healthz=False`` when another router answers ``/healthz``."""
    r = APIRouter(tags=["operations"])

    @r.get("/health", summary="the process serves")
    def health() -> Response:
        return JSONResponse({"status": "ok"}, headers=NO_STORE)

    if healthz:

        @r.get("/healthz", summary="the process serves (the old registry's probe)")
        def healthz_probe() -> Response:
            return PlainTextResponse("OK", headers=NO_STORE)

    @r.get("/livez", summary="the process is alive")
    def livez() -> Response:
        return PlainTextResponse("OK", headers=NO_STORE)

    @r.get("/readyz", summary="the index is loaded and the store readable")
    def readyz() -> Response:
        ready, body = readiness(index, store_path, replica)
        return JSONResponse(body, status_code=200 if ready else 503, headers=NO_STORE)

    @r.get("/metrics", summary="Prometheus metrics")
    def metrics_endpoint(request: Request) -> Response:
        body, content_type = exposition(request.headers.get("accept"))
        return Response(body, media_type=content_type, headers=NO_STORE)

    return r
