"""A long-running gate for one store, so that a push does not pay Python's imports each time.

The hooks (``registry.hooks.client``) send their stdin and ``GIT_*`` environment over a Unix
socket in the store directory; the server answers with the exit code and the ``remote:``
text. The verdict is the same function's as in-process: only the start-up cost differs.
"""

from __future__ import annotations

import io
import json
import os
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pygit2

from registry.errors import StoreError
from registry.git.store import Store
from registry.hooks.client import SOCKET_NAME, decode_request, encode_reply
from registry.hooks.receive import post_receive, pre_receive
from registry.ops.doors import observe_gate
from registry.write.landing import OnLanded


def _store_for(git_dir: str, env: dict[str, str]) -> Store:
    """The store as the hook sees it: the repository plus the push's quarantined objects."""
    repo = pygit2.Repository(git_dir)
    for key in ("GIT_OBJECT_DIRECTORY", "GIT_QUARANTINE_PATH"):
        path = env.get(key)
        if path and os.path.isdir(path):
            repo.odb.add_disk_alternate(path)
    for path in env.get("GIT_ALTERNATE_OBJECT_DIRECTORIES", "").split(os.pathsep):
        if path and os.path.isdir(path):
            repo.odb.add_disk_alternate(path)
    return Store(repo)


class StorePool:
    """Open stores kept between pushes for ``post-receive``, which sees no quarantine.

    libgit2 parses ``packed-refs`` whole once per repository object before its first ref
    write (4 ms at 10,000 versions, and growing with them), then keeps it while the file is
    unchanged: a store kept open writes the tagged mark in well under a millisecond.
    A store serves one request at a time; a second concurrent push opens another.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._free: list[Store] = []
        self._lock = threading.Lock()

    @contextmanager
    def store(self) -> Iterator[Store]:
        with self._lock:
            store = self._free.pop() if self._free else None
        if store is None:
            store = Store.open(self._path)
        try:
            yield store
        finally:
            with self._lock:
                self._free.append(store)


def answer(
    store_path: Path,
    request: bytes,
    *,
    on_landed: OnLanded | None = None,
    stores: StorePool | None = None,
) -> tuple[int, str]:
    """Run one hook request; the exit code and text the hook prints.

    ``on_landed`` hears of the versions ``post-receive`` tagged, before the push returns;
    ``stores`` lends ``post-receive`` a store kept open between pushes.
    """
    hook, git_dir, stdin_text, env = decode_request(request)
    if Path(git_dir).resolve() != store_path.resolve():
        return 1, f"registry: this gate serves {store_path}, not {git_dir}\n"
    out = io.StringIO()
    stdin = io.StringIO(stdin_text)
    if hook == "pre-receive":
        store = _store_for(git_dir, env)  # the push's objects are still in quarantine
        with observe_gate("push") as gate:  # the gate's time, verdict and refusals by rule
            gate.exit = pre_receive(stdin, store=store, env=env, out=out, on_decision=gate.decided)
        return gate.exit, out.getvalue()
    if hook == "post-receive":
        if stores is None or env.get("GIT_ALTERNATE_OBJECT_DIRECTORIES"):
            code = post_receive(stdin, store=_store_for(git_dir, env), out=out, on_landed=on_landed)
        else:
            with stores.store() as store:
                code = post_receive(stdin, store=store, out=out, on_landed=on_landed)
        return code, out.getvalue()
    return 1, f"registry: unknown hook {hook!r}\n"


class GateServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def __init__(
        self,
        store_path: Path,
        *,
        log: Callable[[str], None] = lambda _line: None,
        on_landed: OnLanded | None = None,
    ) -> None:
        self.store_path = store_path
        self.log = log
        self.on_landed = on_landed
        self.stores = StorePool(store_path)
        self.socket_file = store_path / SOCKET_NAME
        _clear_stale(self.socket_file)
        old = os.umask(0o077)  # only the store's owner may ask the gate
        try:
            super().__init__(str(self.socket_file), _Handler)
        finally:
            os.umask(old)

    def server_close(self) -> None:
        super().server_close()
        self.socket_file.unlink(missing_ok=True)


class _Handler(socketserver.StreamRequestHandler):
    server: GateServer

    def handle(self) -> None:
        started = time.perf_counter()
        try:
            request = self.rfile.read()
            code, text = answer(
                self.server.store_path, request, on_landed=self.server.on_landed, stores=self.server.stores
            )
        except Exception as exc:
            # No reply: the hook then judges the push in-process, with the same rules.
            self.server.log(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
            return
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        hook = request.split(b"\0", 1)[0].decode(errors="replace")
        self.server.log(json.dumps({"hook": hook, "exit": code, "ms": elapsed}))
        self.wfile.write(encode_reply(code, text))


def _clear_stale(path: Path) -> None:
    if not path.exists():
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink()
            return
    raise StoreError(f"a gate server already answers on {path}", hint="stop it first, or leave it running")
