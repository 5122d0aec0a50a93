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

import os
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from registry.api.config import ApiConfig
from registry.auth.authenticator import Authenticator
from registry.auth.settings import AuthSettings
from registry.errors import RegistryError, StoreError
from registry.git.store import Store
from registry.index.board import HeadBoard
from registry.index.live import LiveIndex
from registry.ops.process import prepare_serving, start_operations, stop_operations, uvicorn_log_config
from registry.settings import Settings
from registry.trust.registry_key import registry_key
from registry.trust.sshsig import SigningKey
from registry.write.landing import Landing

# What the parent hands its workers (spawned processes read their settings from the environment).
ENV_STORE = "REGISTRY_SERVE_STORE"
ENV_DEV = "REGISTRY_SERVE_DEV"
ENV_BOARD = "REGISTRY_SERVE_BOARD"

UVICORN = {"loop": "uvloop", "http": "httptools", "access_log": False, "log_level": "warning"}
UVICORN["log_config"] = uvicorn_log_config()  # JSON lines on stderr, in every process


@dataclass(frozen=True)
class ServeOptions:
    store: Path
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    dev: bool = False


def authenticator_for(env: MutableMapping[str, str], *, dev: bool) -> Authenticator:
    """The authenticator the environment describes; refuses (exit 2) with no secret or key
    unless ``dev``. In development mode without one, a throwaway secret is put in ``env``,
    so worker processes started from it accept the same tokens."""
    if dev and not AuthSettings.from_env(env).configured:
        env["JWT_SECRET"] = secrets.token_urlsafe(48)
    return Authenticator.from_env(env, dev=dev)


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
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _announce(
    options: ServeOptions, sock: socket.socket, gate: Any, auth: Authenticator, out: TextIO
) -> None:
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


def serve(
    options: ServeOptions, *, env: MutableMapping[str, str] | None = None, out: TextIO = sys.stdout
) -> int:
    """Run the API until SIGTERM (exit 0) or SIGINT; stop everything it started either way.

    uvicorn stops serving gracefully on SIGTERM, then raises the signal again with the
    handler it found: that handler is ``_stopped``, so the cleanup below runs instead of
    the process dying, and a SIGTERM during start-up stops it cleanly as well.
    """
    previous = signal.signal(signal.SIGTERM, _stopped)
    try:
        return _serve(options, os.environ if env is None else env, out)
    except _Stopped:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve(options: ServeOptions, env: MutableMapping[str, str], out: TextIO) -> int:
    import uvicorn

    store = Store.open(options.store)  # a missing store refuses before anything starts
    store_path = store.path.resolve()
    auth = authenticator_for(env, dev=options.dev)  # no secret or key: exit 2, before any work
    settings = Settings.from_env(env)
    prepare_serving(env, workers=options.workers)  # settings checked; tracing; metrics over processes
    if options.workers > 1:
        return _serve_workers(options, store_path, auth, env, out)

    from registry.api.app import create_app

    index = LiveIndex(store_path)
    gate = None
    try:
        index.start()
        start_operations(env, store_path=store_path, index=index)  # logs, traces, events
        gate = _start_gate(store_path, index.landed, out)
        config = ApiConfig(
            store_path=store_path,
            index=index,
            authenticator=auth,
            key=_writer_key(store, settings, out),
            identity=settings.identity,
            dev=options.dev,
        )
        app = create_app(config)
        sock = _bind(options.host, options.port)
        _announce(options, sock, gate, auth, out)
        server = uvicorn.Server(uvicorn.Config(app, **UVICORN))
        server.run(sockets=[sock])
        sock.close()
    finally:
        index.stop()
        _stop_gate(gate)
        stop_operations()  # events told and drained, spans exported
    return 0


def _serve_workers(
    options: ServeOptions,
    store_path: Path,
    auth: Authenticator,
    env: MutableMapping[str, str],
    out: TextIO,
) -> int:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    board_dir = Path(tempfile.mkdtemp(prefix="registry-serve-"))
    board = HeadBoard(board_dir, store_path)
    env.update({ENV_STORE: str(store_path), ENV_DEV: "1" if options.dev else "", ENV_BOARD: str(board_dir)})
    if env is not os.environ:  # workers are spawned: they read the settings from the environment
        os.environ.update(env)
    gate = _start_gate(store_path, lambda landing: _wait_workers(board, landing), out)
    try:
        config = uvicorn.Config(
            "registry.api.server:worker_app", factory=True, workers=options.workers, **UVICORN
        )
        sock = _bind(options.host, options.port)
        _announce(options, sock, gate, auth, out)
        Multiprocess(config, sockets=[sock]).run()
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


def worker_app() -> ASGIApp:
    """The app of one ``--workers`` process (uvicorn's factory): its own index, watching refs."""
    from registry.api.app import create_app

    env = os.environ
    store_path = Path(env[ENV_STORE])
    dev = bool(env.get(ENV_DEV))
    board = HeadBoard(env[ENV_BOARD], store_path)
    store = Store.open(store_path)
    index = LiveIndex(store_path, board=board)
    index.start()
    start_operations(env, store_path=store_path, index=index)  # logs, traces, events
    settings = Settings.from_env(env)
    config = ApiConfig(
        store_path=store_path,
        index=index,
        authenticator=Authenticator.from_env(env, dev=dev),
        key=_writer_key(store, settings, sys.stderr),
        identity=settings.identity,
        dev=dev,
    )
    return _StopsOnShutdown(create_app(config), lambda: (index.stop(), stop_operations()))


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
