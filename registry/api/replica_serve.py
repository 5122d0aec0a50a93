"""``registry serve --mirror URL --data-dir DIR``: a read replica of a primary's store.

The replica keeps ``DIR/store.git`` as a mirror of the primary (:mod:`registry.replica`),
fetching every ``--fetch-interval`` seconds and at once on ``POST /-/refresh``; it serves
the same read API from its own index of that mirror, holds no registry key and runs no
gate (``GET /ccompat/mode`` says ``READONLY``), answers every write 503 naming the
primary, and publishes no events (those are the primary's). Only versions whose tags
carry the registry's signature reach the index; ``/readyz`` reports its lag and what it
refused, and ``registry_replica_refused_tags_total`` counts the refusals.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TextIO

from registry.api.config import ApiConfig
from registry.api.connections import set_client_limit
from registry.api.serve_config import ServeConfig
from registry.errors import InvalidInput
from registry.events.settings import EventsSettings
from registry.index.live import LiveIndex
from registry.ops.metrics import metrics
from registry.ops.process import prepare_serving, start_operations, stop_operations
from registry.replica.follower import Follower
from registry.replica.mirror import Mirror, SyncResult


def primary_of(url: str) -> str:
    """The primary's HTTP address from its store URL: ``http://h:p/store.git`` -> ``http://h:p``."""
    return (
        url.removesuffix("/").removesuffix("/store.git") if url.startswith(("http://", "https://")) else url
    )


def serve_replica(options: ServeConfig, out: TextIO) -> int:
    import uvicorn

    from registry.api.app import create_app
    from registry.api.server import UVICORN, _announce, _bind, authenticator_for

    assert options.mirror is not None
    if options.data_dir is None:
        raise InvalidInput(
            "--mirror needs --data-dir", hint="give the directory the replica keeps its mirror in"
        )
    if options.workers != 1:
        raise InvalidInput(
            "a replica runs one worker", hint="run more replicas behind the load balancer instead"
        )
    settings = options.replication
    set_client_limit(options.settings.client_connections)
    auth = authenticator_for(options)
    # Events are the primary's: a replica tells no one.
    ops = prepare_serving(replace(options.ops, events=EventsSettings()), workers=1)
    token = settings.mirror_token
    mirror = Mirror(
        Path(options.data_dir).resolve(),
        options.mirror,
        git_config=(f"http.extraHeader=Authorization: Bearer {token}",) if token else (),
    )
    mirror.ensure()
    index = LiveIndex(mirror.path)

    def synced(result: SyncResult) -> None:
        m = metrics()
        m.replica_last_fetch.set_to_current_time()
        if result.refused:
            m.replica_refused.inc(len(result.refused))
        index.refresh()  # readers see the fetch now, not after the watcher's debounce

    follower = Follower(
        mirror,
        primary=options.primary or primary_of(options.mirror),
        interval_s=options.fetch_interval,
        on_synced=synced,
    )
    try:
        index.start()
        start_operations(ops, store_path=mirror.path, index=index)
        follower.start()
        config = ApiConfig(
            store_path=mirror.path,
            index=index,
            authenticator=auth,
            key=None,
            dev=options.dev,
            follower=follower,
            refresh_secret=settings.refresh_secret,
        )
        app = create_app(config)
        sock = _bind(options.host, options.port)
        _announce(options, sock, None, auth, out)
        print(f"registry: replica of {options.mirror}; writes go to {follower.primary}", file=out)
        out.flush()
        server = uvicorn.Server(uvicorn.Config(app, **UVICORN))
        server.run(sockets=[sock])
        sock.close()
    finally:
        follower.stop()
        index.stop()
        stop_operations()
    return 0
