"""The events publisher against a real nats-server: one event per change, whatever happens to NATS
or to the publisher in between."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from events.natsd import NatsServer, Subscriber, stream_events, wait_for

from registry.events.outbox import Outbox
from registry.events.service import EventsService
from registry.events.settings import EventsSettings
from registry.git.store import Store
from registry.index.live import LiveIndex
from registry.ops.metrics import EventsMetrics, metrics
from registry.write.publish import ContractInput, Writer, publish_capsule, publish_contract

pytestmark = pytest.mark.git

STREAM = "REGISTRY"


def settings(server: NatsServer, *, stream: str | None = STREAM, **more: object) -> EventsSettings:
    return EventsSettings(nats_urls=(server.url,), stream=stream, **more)  # type: ignore[arg-type]


@pytest.fixture
def index(example_store: Store) -> Iterator[LiveIndex]:
    live = LiveIndex(example_store.path)
    live.start()
    try:
        yield live
    finally:
        live.stop()


def contract(store: Store, writer: Writer, index: LiveIndex, name: str, version: str = "1.0.0") -> str:
    schema = json.dumps({"type": "object", "properties": {"id": {"type": "string"}}})
    result = publish_contract(
        store, ContractInput(name, version, schema), writer=writer, door="http", on_landed=index.landed
    )
    return str(result.landing.versions[0].tag_id)


def capsule(store: Store, writer: Writer, timeout: int) -> None:
    text = store.snapshot(store.head()).read("capsules/acme/onboard-customer/capsule.yaml")
    doc = yaml.safe_load(text or b"")
    doc["spec"]["timeout"] = timeout
    publish_capsule(
        store, "acme", yaml.safe_dump(doc).encode(), writer=writer, door="cli"
    )  # another process, as it were


def types(events: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(e["type"], e["subject"]) for e in events]


def test_each_change_is_one_event_in_the_stream(
    example_store: Store, writer: Writer, index: LiveIndex, nats_server: NatsServer, subscriber: Subscriber
) -> None:
    service = EventsService(settings(nats_server), store_path=example_store.path, index=index).start()
    try:
        tag = contract(example_store, writer, index, "billing.paid")
        capsule(example_store, writer, 600)  # seen by the watcher, not by a landing
        events = wait_for(
            lambda: (
                len(stream_events(nats_server.url, STREAM)) >= 2 and stream_events(nats_server.url, STREAM)
            )
        )
    finally:
        service.stop()
    assert types(events) == [
        ("registry.contract.version.published", "contracts/billing.paid/1.0.0"),
        ("registry.capsule.version.published", "capsules/acme/onboard-customer/2"),
    ]
    first = events[0]
    assert first["subject"] == "contracts/billing.paid/1.0.0"
    assert first["specversion"] == "1.0" and first["data"]["tag"] == "contracts/billing.paid/1.0.0"
    assert first["headers"]["Nats-Msg-Id"] == first["id"]
    assert events[1]["data"]["tenant"] == "acme"
    assert sorted(m["id"] for m in subscriber.messages) == sorted(e["id"] for e in events)
    assert tag  # the event's id is derived from this tag object (see test_changes)


def test_events_wait_while_nats_is_down_and_go_out_when_it_returns(
    example_store: Store, writer: Writer, index: LiveIndex, nats_server: NatsServer
) -> None:
    nats_server.stop()
    service = EventsService(settings(nats_server), store_path=example_store.path, index=index).start()
    try:
        contract(example_store, writer, index, "while.down")
        assert wait_for(lambda: Outbox(example_store.path).count() == 1)
        nats_server.start()
        events = wait_for(lambda: stream_events(nats_server.url, STREAM), timeout=20)
        assert wait_for(lambda: Outbox(example_store.path).count() == 0)
    finally:
        service.stop()
    assert types(events) == [("registry.contract.version.published", "contracts/while.down/1.0.0")]


def test_a_restarted_publisher_tells_what_changed_while_it_was_away_and_nothing_twice(
    example_store: Store, writer: Writer, index: LiveIndex, nats_server: NatsServer, subscriber: Subscriber
) -> None:
    first = EventsService(settings(nats_server), store_path=example_store.path, index=index).start()
    contract(example_store, writer, index, "before.restart")
    assert wait_for(lambda: len(subscriber.messages) == 1)
    first.stop()
    contract(example_store, writer, index, "during.restart")
    second = EventsService(settings(nats_server), store_path=example_store.path, index=index).start()
    try:
        contract(example_store, writer, index, "after.restart")
        assert wait_for(lambda: len(subscriber.messages) >= 3)
        wait_for(lambda: len(subscriber.messages) > 3, timeout=1.5)  # a duplicate would show by now
    finally:
        second.stop()
    names = [m["data"]["name"] for m in subscriber.messages]
    assert names == ["before.restart", "during.restart", "after.restart"]


def test_of_two_processes_serving_one_store_only_one_tells(
    example_store: Store, writer: Writer, index: LiveIndex, nats_server: NatsServer, subscriber: Subscriber
) -> None:
    other_index = LiveIndex(example_store.path)
    other_index.start()
    services = [
        EventsService(settings(nats_server, stream=None), store_path=example_store.path, index=i).start()
        for i in (index, other_index)
    ]
    try:
        contract(example_store, writer, index, "told.once")
        contract(example_store, writer, other_index, "told.once", "1.1.0")
        assert wait_for(lambda: len(subscriber.messages) >= 2)
        services[0].stop()  # the other one takes over
        contract(example_store, writer, other_index, "told.once", "1.2.0")
        assert wait_for(lambda: len(subscriber.messages) >= 3, timeout=30)  # takeover waits for a tick
        wait_for(lambda: len(subscriber.messages) > 3, timeout=1.5)
    finally:
        for s in services:
            s.stop()
        other_index.stop()
    assert [m["data"]["version"] for m in subscriber.messages] == ["1.0.0", "1.1.0", "1.2.0"]


def test_a_full_outbox_drops_the_oldest_and_says_so(
    example_store: Store, writer: Writer, index: LiveIndex, nats_server: NatsServer, tmp_path: Path
) -> None:
    nats_server.stop()
    dropped = metrics().events_dropped._value.get()
    service = EventsService(
        settings(nats_server, outbox_max=2),
        store_path=example_store.path,
        index=index,
        listener=EventsMetrics(),  # the serving process's listener: the drop shows as a metric
    ).start()
    try:
        for n in range(3):
            contract(example_store, writer, index, "crowded", f"1.{n}.0")
        assert wait_for(lambda: metrics().events_dropped._value.get() == dropped + 1)
        queued = Outbox(example_store.path).pending()
    finally:
        service.stop()
    assert [json.loads(q.body)["data"]["version"] for q in queued] == ["1.1.0", "1.2.0"]
