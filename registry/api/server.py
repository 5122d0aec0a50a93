"""``registry serve``: the HTTP API on uvicorn, the store's resident gate, and the live index.

One process (``--workers 1``, the default) runs everything: the index, the gate on
``STORE/registry-gate.sock`` whose ``post-receive`` refreshes that index before
``git push`` returns, and the app. Shutdown (SIGTERM or SIGINT) lets uvicorn finish the
requests in flight, then stops the watcher and closes the gate socket.

With ``--workers N`` uvicorn's parent process supervises N worker processes sharing the
port. The **parent owns the gate socket** (it outlives any worker uvicorn restarts, and
there must be exactly one gate per store); it holds no index. Every worker builds its
own index, watches the refs, and posts the head it holds on a :class:`HeadBoard`; the
gate's ``post-receive`` and each worker's own writes wait until every worker holds the
new head, so a client reads its write whichever worker answers next.
"""

from __future__ import annotations

import functools
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from registry.api.config import ApiConfig
from registry.api.connections import LimitedHttpToolsProtocol, set_client_limit
from registry.api.serve_config import ServeConfig
from registry.auth.authenticator import Authenticator
from registry.errors import InvalidInput, RegistryError, StoreError
from registry.git.store import Store
from registry.index.board import HeadBoard
from registry.index.live import LiveIndex
from registry.ops import index_instruments
from registry.ops.process import prepare_serving, start_operations, stop_operations, uvicorn_log_config
from registry.replica.notify import Notifier
from registry.replica.settings import ReplicationSettings
from registry.settings import Settings
from registry.trust.keyfile import require_owner_only
from registry.trust.registry_key import registry_key, registry_key_path
from registry.trust.sshsig import SigningKey
from registry.write.landing import Landing

# httptools, counting each client's open connections (``api/connections.py``).
UVICORN: dict[str, Any] = {
    "loop": "uvloop",
    "http": LimitedHttpToolsProtocol,
    "access_log": False,
    "log_level": "warning",
}
UVICORN["log_config"] = uvicorn_log_config()  # JSON lines on stderr, in every process


def authenticator_for(config: ServeConfig) -> Authenticator:
    """The authenticator ``config`` describes; refuses (exit 2) with no secret or key unless
    ``dev`` (then ``config`` carries a throwaway secret: see ``ServeConfig.with_dev_secret``)."""
    return Authenticator.from_settings(config.auth, dev=config.dev)


def replica_notifier(settings: ReplicationSettings) -> Notifier | None:
    """The notifier of ``REGISTRY_REPLICAS``, or None when this primary has no replicas."""
    if not settings.replicas or settings.refresh_secret is None:
        return None
    return Notifier(settings.replicas, settings.refresh_secret)


def tell_replicas(index: LiveIndex, notifier: Notifier | None) -> None:
    """Every new snapshot (a landing in this process, or a change the watcher saw) asks the
    replicas to fetch; fire and forget, so a push never waits on them."""
    if notifier is not None:
        index.subscribe(lambda _old, new: notifier.notify(new.head))


def _writer_key(store: Store, settings: Settings, out: TextIO) -> SigningKey | None:
    try:
        return registry_key(store, settings.signing_key)
    except (RegistryError, OSError, ValueError) as exc:
        print(f"registry: warning: no registry key ({exc}); writes will be refused", file=out)
        return None


def _start_gate(store_path: Path, on_landed: Callable[[Landing], None], out: TextIO) -> Any:
    """The resident gate in a thread, or None when another process already serves it."""
    from registry.hooks.server import GateServer

    try:
        gate = GateServer(store_path, on_landed=on_landed)
    except StoreError as exc:
        print(
            f"registry: warning: {exc.message}; pushes are judged there, and this server sees "
            "them through its ref watcher (not before git push returns)",
            file=out,
        )
        return None
    threading.Thread(
        target=gate.serve_forever, kwargs={"poll_interval": 0.05}, name="registry-gate", daemon=True
    ).start()
    return gate


def _stop_gate(gate: Any) -> None:
    if gate is not None:
        gate.shutdown()
        gate.server_close()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:  # in use, not an address of this machine, a privileged port …
        sock.close()
        raise InvalidInput(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="choose another --port (0 picks a free one) or --host, or stop what listens there "
            f"(ss -ltnp 'sport = :{port}')",
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _announce(options: ServeConfig, sock: socket.socket, gate: Any, auth: Authenticator, out: TextIO) -> None:
    host, port = sock.getsockname()[:2]
    where = f"[{host}]" if ":" in host else host
    workers = f"{options.workers} worker{'s' if options.workers != 1 else ''}"
    gate_text = f"gate on {gate.socket_file}" if gate is not None else "gate served elsewhere"
    print(f"registry: serving {options.store} on http://{where}:{port} ({workers}; {gate_text})", file=out)
    if options.dev:
        print("registry: development mode; a token for every scope and role (12 h):", file=out)
        print(f"registry: development token: {auth.dev_token()}", file=out)
    out.flush()


class _Stopped(Exception):
    """SIGTERM arrived: stop what was started, and exit 0."""


def _stopped(_signum: int, _frame: Any) -> None:
    raise _Stopped


def serve(config: ServeConfig, *, out: TextIO = sys.stdout) -> int:
    """Run the API until SIGTERM (exit 0) or SIGINT; stop everything it started either way.

    uvicorn stops serving gracefully on SIGTERM, then raises the signal again with the
    handler it found: that handler is ``_stopped``, so the cleanup below runs instead of
    the process dying, and a SIGTERM during start-up stops it cleanly as well.
    """
    previous = signal.signal(signal.SIGTERM, _stopped)
    try:
        return _serve(config.with_dev_secret(), out)
    except _Stopped:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve(config: ServeConfig, out: TextIO) -> int:
    import uvicorn

    if config.mirror is not None:
        from registry.api.replica_serve import serve_replica

        return serve_replica(config, out)
    store = Store.open(config.store)  # a missing store refuses before anything starts
    store_path = store.path.resolve()
    auth = authenticator_for(config)  # no secret or key: exit 2, before any work
    if (key_path := registry_key_path(store, config.settings.signing_key)) is not None and key_path.is_file():
        require_owner_only(key_path)  # others can read it: refuse (exit 2) with the chmod to run
    ops = prepare_serving(config.ops, workers=config.workers)  # tracing; metrics over processes
    config = replace(config, settings=replace(config.settings, store=store_path), ops=ops)
    if config.workers > 1:
        return _serve_workers(config, auth, out)

    from registry.api.app import create_app

    set_client_limit(config.settings.client_connections)
    index = LiveIndex(store_path, **index_instruments())
    notifier = replica_notifier(config.replication)
    gate = None
    try:
        index.start()
        start_operations(config.ops, store_path=store_path, index=index)  # logs, traces, events
        tell_replicas(index, notifier)
        gate = _start_gate(store_path, index.landed, out)
        app = create_app(
            ApiConfig(
                store_path=store_path,
                index=index,
                authenticator=auth,
                key=_writer_key(store, config.settings, out),
                identity=config.settings.identity,
                dev=config.dev,
                body_seconds=config.settings.body_seconds,
            )
        )
        sock = _bind(config.host, config.port)
        _announce(config, sock, gate, auth, out)
        keep_alive = config.settings.idle_seconds
        server = uvicorn.Server(uvicorn.Config(app, timeout_keep_alive=keep_alive, **UVICORN))
        server.run(sockets=[sock])
        sock.close()
    finally:
        index.stop()
        _stop_gate(gate)
        if notifier is not None:
            notifier.stop()
        stop_operations()  # events told and drained, spans exported
    return 0


def _serve_workers(config: ServeConfig, auth: Authenticator, out: TextIO) -> int:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    board_dir = Path(tempfile.mkdtemp(prefix="registry-serve-"))
    board = HeadBoard(board_dir, config.store)
    config = replace(config, board=board_dir)
    gate = _start_gate(config.store, lambda landing: _wait_workers(board, landing), out)
    try:
        # Workers are spawned: uvicorn pickles the factory, and with it the whole configuration.
        factory = functools.partial(worker_app, config)
        keep_alive = config.settings.idle_seconds
        workers = uvicorn.Config(
            factory, factory=True, workers=config.workers, timeout_keep_alive=keep_alive, **UVICORN
        )
        sock = _bind(config.host, config.port)
        _announce(config, sock, gate, auth, out)
        Multiprocess(workers, sockets=[sock]).run()
        sock.close()
    finally:
        _stop_gate(gate)
        shutil.rmtree(board_dir, ignore_errors=True)
    return 0


def _wait_workers(board: HeadBoard, landing: Landing) -> None:
    """The parent's gate: a push returns once every worker's index holds what it tagged."""
    if not board.wait_all(str(landing.head)):
        print(f"registry: warning: not every worker holds {landing.head} yet", file=sys.stderr)


ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


def worker_app(config: ServeConfig) -> ASGIApp:
    """The app of one ``--workers`` process (uvicorn's factory): its own index, watching refs."""
    from registry.api.app import create_app

    assert config.board is not None, "the parent names the board before it starts workers"
    store_path = config.store
    set_client_limit(config.settings.client_connections)  # in this worker, which holds the connections
    board = HeadBoard(config.board, store_path)
    store = Store.open(store_path)
    index = LiveIndex(store_path, board=board, **index_instruments())
    index.start()
    start_operations(config.ops, store_path=store_path, index=index)  # logs, traces, events
    tell_replicas(index, replica_notifier(config.replication))
    api = ApiConfig(
        store_path=store_path,
        index=index,
        authenticator=authenticator_for(config),
        key=_writer_key(store, config.settings, sys.stderr),
        identity=config.settings.identity,
        dev=config.dev,
        body_seconds=config.settings.body_seconds,
    )
    return _StopsOnShutdown(create_app(api), lambda: (index.stop(), stop_operations()))


class _StopsOnShutdown:
    """An ASGI app that runs ``stop`` when the server's lifespan ends, then lets the app end."""

    def __init__(self, app: Any, stop: Callable[[], None]) -> None:
        self.app = app
        self.stop = stop

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def receive_and_stop() -> Any:
            message = await receive()
            if message["type"] == "lifespan.shutdown":
                self.stop()
            return message

        await self.app(scope, receive_and_stop, send)
