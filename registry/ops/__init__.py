"""Operating the registry's server: probes, metrics, request logs and traces.

The HTTP door calls :func:`install_operations` once in ``create_app``; the serving process
starts and stops the rest around the app (``process.py``); the doors report publishes,
landings and gate runs through ``doors.py``. Importing this package imports nothing else:
the resident gate uses ``doors.py`` without loading the web framework.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from registry.api.config import ApiConfig

#: Probe paths answered without a request log line (they are still counted).
QUIET_PATHS = frozenset({"/health", "/healthz", "/livez", "/readyz", "/metrics"})


def install_operations(app: FastAPI, config: ApiConfig) -> None:
    """Add the probes, ``/metrics`` and the per-request telemetry to ``app``.

    Call it after the API's routers are included: a ``/healthz`` the app already answers
    is left to it. From here on the index's snapshots feed the index metrics. Its refreshes
    are timed and its landings counted by the listeners it was built with (see
    :func:`index_instruments`).
    """
    from registry.ops.doors import observe_snapshot
    from registry.ops.probes import router
    from registry.ops.requests import RequestTelemetry

    has_healthz = "/healthz" in _paths(app.router.routes)
    replica = config.follower.status if config.follower is not None else None
    app.include_router(router(config.index, config.store_path, healthz=not has_healthz, replica=replica))
    app.add_middleware(RequestTelemetry, skip=QUIET_PATHS)
    observe_snapshot(config.index.snapshot)
    config.index.subscribe(lambda _old, new: observe_snapshot(new))


def index_instruments() -> dict[str, Any]:
    """What a serving process's ``LiveIndex`` is built with: its landings counted by door, its
    refreshes timed and traced (``LiveIndex(path, **index_instruments())``)."""
    from registry.ops.doors import count_landing, observe_refresh

    return {"landing_listeners": (count_landing,), "refresh_timer": observe_refresh}


def _paths(routes: Iterable[Any]) -> set[str]:
    """Every path the routes answer, looking into included routers."""
    found: set[str] = set()
    for route in routes:
        if isinstance(path := getattr(route, "path", None), str):
            found.add(path)
        inner = getattr(route, "original_router", None)
        if inner is not None:
            prefix = getattr(inner, "prefix", "")
            found |= {prefix + p for p in _paths(inner.routes)}
    return found
