"""Lifecycle events from a real ``registry serve`` and a real nats-server: one event per change,
whichever door made it, none twice across restarts, none lost while NATS is away."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from events.natsd import NatsServer, Subscriber, stream_events, wait_for
from ops.served import Served, start_serve
from support import git, registry_cli

from registry.events.outbox import Outbox
from registry.git.store import Store

pytestmark = pytest.mark.git

STREAM = "REGISTRY_EVENTS"
RITUAL = "contracts/ritual.started"
PUBLISHED = "registry.contract.version.published"


@pytest.fixture
def serve(tmp_path: Path, example_store: Store, nats_server: NatsServer) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(*extra: str) -> Served:
        env = {"EVENTS_NATS_URL": nats_server.url, "EVENTS_NATS_STREAM": STREAM}
        served = start_serve(Path(example_store.path), tmp_path / "serve.log", *extra, env=env)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


def schema_file(tmp_path: Path, prop: str) -> Path:
    path = tmp_path / f"{prop}.json"
    path.write_text(json.dumps({"type": "object", "properties": {prop: {"type": "string"}}}))
    return path


def cli_publish(tmp_path: Path, store: Store, name: str, version: str = "1.0.0") -> None:
    out = registry_cli(
        "publish", "contract", "--name", name, "--version", version,
        "--json-schema", str(schema_file(tmp_path, "id")), "--store", str(store.path),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr


def http_publish(served: Served, name: str, version: str = "1.0.0") -> None:
    body = {"name": name, "version": version, "jsonSchema": json.dumps({"type": "object"})}
    answer = served.post("/registry/contracts", body)
    assert answer.status_code == 201, answer.text


def push_version(tmp_path: Path, store: Store, version: str) -> None:
    work = tmp_path / f"work-{version}"
    git("clone", "-q", f"file://{store.path}", str(work))
    doc = json.loads((work / RITUAL / "schema.json").read_text())
    doc["properties"][f"note{version.replace('.', '')}"] = {"type": "string"}
    (work / RITUAL / "schema.json").write_text(json.dumps(doc, indent=2))
    meta = work / RITUAL / "contract.yaml"
    meta.write_text(meta.read_text().replace("version: 1.0.0", f"version: {version}"))
    git("commit", "-qam", f"ritual.started {version}", cwd=work)
    out = git("push", "origin", "HEAD:main", cwd=work, check=False)
    assert out.returncode == 0, out.stderr


def subjects(events: list[dict[str, object]]) -> list[object]:
    return [e["subject"] for e in events]


def stream_holds(nats_server: NatsServer, count: int) -> list[dict[str, object]] | None:
    events = stream_events(nats_server.url, STREAM)
    return events if len(events) >= count else None


def settle(subscriber: Subscriber, count: int) -> None:
    """Wait for ``count`` messages, then a little longer: a duplicate would arrive by then."""
    assert wait_for(lambda: len(subscriber.messages) >= count)
    wait_for(lambda: len(subscriber.messages) > count, timeout=1.5)


def test_a_cli_publish_an_http_publish_and_a_push_make_one_event_each(
    tmp_path: Path, example_store: Store, serve: Callable[..., Served], nats_server: NatsServer,
    subscriber: Subscriber,
) -> None:  # fmt: skip
    served = serve()
    cli_publish(tmp_path, example_store, "by.cli")
    assert wait_for(lambda: stream_holds(nats_server, 1))
    http_publish(served, "by.http")
    assert wait_for(lambda: stream_holds(nats_server, 2))
    push_version(tmp_path, example_store, "1.1.0")
    events = wait_for(lambda: stream_holds(nats_server, 3))
    settle(subscriber, 3)
    assert subjects(events) == ["contracts/by.cli/1.0.0", "contracts/by.http/1.0.0", f"{RITUAL}/1.1.0"]
    assert {e["type"] for e in events} == {PUBLISHED}
    assert all(e["headers"]["Nats-Msg-Id"] == e["id"] for e in events)
    assert len({e["id"] for e in events}) == 3
    assert subjects(subscriber.messages) == subjects(events)  # on the wire once each


def test_a_restart_of_serve_sends_no_duplicate_and_tells_what_changed_meanwhile(
    tmp_path: Path, example_store: Store, serve: Callable[..., Served], nats_server: NatsServer,
    subscriber: Subscriber,
) -> None:  # fmt: skip
    first = serve()
    http_publish(first, "before.restart")
    settle(subscriber, 1)
    assert first.stop() == 0
    cli_publish(tmp_path, example_store, "while.stopped")
    second = serve()
    http_publish(second, "after.restart")
    settle(subscriber, 3)
    expected = [f"contracts/{name}/1.0.0" for name in ("before.restart", "while.stopped", "after.restart")]
    assert subjects(subscriber.messages) == expected
    assert subjects(stream_events(nats_server.url, STREAM)) == expected


def test_events_made_while_nats_is_down_arrive_once_it_is_back(
    tmp_path: Path, example_store: Store, serve: Callable[..., Served], nats_server: NatsServer
) -> None:
    served = serve()
    http_publish(served, "first")
    assert wait_for(lambda: stream_holds(nats_server, 1))
    nats_server.stop()
    http_publish(served, "while.nats.is.down")
    cli_publish(tmp_path, example_store, "also.while.down")
    assert wait_for(lambda: Outbox(example_store.path).count() == 2)
    assert served.get("/readyz").status_code == 200  # NATS being away does not stop the API
    nats_server.start()
    events = wait_for(lambda: stream_holds(nats_server, 3), timeout=30)
    assert subjects(events) == [
        "contracts/first/1.0.0",
        "contracts/while.nats.is.down/1.0.0",
        "contracts/also.while.down/1.0.0",
    ]
    assert wait_for(lambda: Outbox(example_store.path).count() == 0)


def test_sigterm_lets_a_publish_in_flight_finish_and_its_event_go_out(
    example_store: Store, serve: Callable[..., Served], nats_server: NatsServer
) -> None:
    served = serve()
    schema = json.dumps({"type": "object"})
    body = json.dumps({"name": "last.words", "version": "1.0.0", "jsonSchema": schema})
    half = len(body) // 2
    stopping = threading.Event()

    def slow_body() -> Iterator[bytes]:  # the request is in flight when SIGTERM arrives
        yield body[:half].encode()
        stopping.wait(10)
        time.sleep(0.2)
        yield body[half:].encode()

    answers: list[httpx.Response] = []
    headers = {**served.headers, "Content-Type": "application/json", "Content-Length": str(len(body))}
    client = threading.Thread(
        target=lambda: answers.append(
            httpx.post(served.url + "/registry/contracts", content=slow_body(), headers=headers, timeout=30)
        )
    )
    client.start()
    time.sleep(0.3)
    os.kill(served.proc.pid, signal.SIGTERM)
    stopping.set()
    client.join(30)
    assert served.stop() == 0
    assert [a.status_code for a in answers] == [201]
    assert subjects(stream_events(nats_server.url, STREAM)) == ["contracts/last.words/1.0.0"]
    assert any(line["msg"].startswith("events: queued") for line in served.log_lines())


def test_with_several_workers_each_change_is_still_one_event(
    tmp_path: Path, example_store: Store, serve: Callable[..., Served], nats_server: NatsServer,
    subscriber: Subscriber,
) -> None:  # fmt: skip
    served = serve("--workers", "2")
    for n in range(4):  # over the workers uvicorn picks
        http_publish(served, "many.workers", f"1.{n}.0")
    cli_publish(tmp_path, example_store, "many.workers", "1.4.0")
    settle(subscriber, 5)
    assert [m["data"]["version"] for m in subscriber.messages] == [f"1.{n}.0" for n in range(5)]
