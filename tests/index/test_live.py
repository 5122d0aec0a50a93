"""The live index: a writer in this process reads its own write at once, a change by any
other process shows without a restart, and readers only ever see whole snapshots."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import git, registry_cli

from registry.git.store import Store
from registry.hooks.server import GateServer
from registry.index.build import build
from registry.index.live import LiveIndex
from registry.index.snapshot import IndexSnapshot
from registry.write.publish import ContractInput, Writer, publish_contract


def schema(*props: str) -> str:
    return json.dumps({"type": "object", "properties": {p: {"type": "string"} for p in ("id", *props)}})


@pytest.fixture
def index(example_store: Store) -> Iterator[LiveIndex]:
    live = LiveIndex(example_store.path, step_ms=10)
    try:
        yield live
    finally:
        live.stop()


def eventually(check, *, within: float) -> float:
    """Seconds until ``check()`` is true; fails after ``within``."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < within, "not seen in time"
        time.sleep(0.005)
    return time.monotonic() - started


def test_a_publish_through_the_landing_seam_is_readable_when_publish_returns(
    example_store: Store, writer: Writer, index: LiveIndex
) -> None:
    result = publish_contract(
        example_store,
        ContractInput("order.placed", "1.0.0", schema()),
        writer=writer,
        on_landed=index.landed,
        door="cli",
    )
    snap = index.snapshot
    assert snap.head == result.commit
    assert snap.contracts["order.placed"].latest.commit == result.commit


@pytest.mark.git
def test_a_publish_by_another_process_becomes_visible_without_a_restart(
    tmp_path: Path, example_store: Store, index: LiveIndex
) -> None:
    index.start()
    (tmp_path / "order.json").write_text(schema())
    out = registry_cli(
        "publish", "contract", "--name", "order.placed", "--version", "1.0.0",
        "--json-schema", str(tmp_path / "order.json"), "--store", str(example_store.path),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    eventually(lambda: "order.placed" in index.snapshot.contracts, within=5)
    assert index.snapshot.head == str(example_store.head())


def test_wait_for_returns_once_the_index_holds_the_commit_or_none_after_the_timeout(
    example_store: Store, writer: Writer, index: LiveIndex
) -> None:
    result = publish_contract(
        example_store, ContractInput("order.placed", "1.0.0", schema()), writer=writer, door="cli"
    )
    snap = index.wait_for(result.commit, 5)  # no watcher: wait_for reads the store itself
    assert snap is not None and "order.placed" in snap.contracts
    older = build(example_store).head
    assert index.wait_for(older, 1) is snap  # an ancestor of the head is held too
    started = time.monotonic()
    assert index.wait_for("0" * 40, 0.3) is None
    assert time.monotonic() - started < 2


def test_concurrent_refreshes_all_see_a_write_made_before_they_were_asked(
    example_store: Store, writer: Writer, index: LiveIndex
) -> None:
    result = publish_contract(
        example_store, ContractInput("order.placed", "1.0.0", schema()), writer=writer, door="cli"
    )
    seen: list[str | None] = []
    threads = [threading.Thread(target=lambda: seen.append(index.refresh().head)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [result.commit] * 8


def test_subscribers_hear_every_swap_with_the_old_and_new_snapshot(
    example_store: Store, writer: Writer, index: LiveIndex
) -> None:
    heard: list[tuple[IndexSnapshot, IndexSnapshot]] = []
    unsubscribe = index.subscribe(lambda old, new: heard.append((old, new)))
    first = index.snapshot
    publish_contract(
        example_store,
        ContractInput("order.placed", "1.0.0", schema()),
        writer=writer,
        on_landed=index.landed,
        door="cli",
    )
    index.refresh()  # nothing changed: no swap, nothing heard
    assert heard == [(first, index.snapshot)]
    unsubscribe()
    publish_contract(
        example_store,
        ContractInput("order.placed", "1.1.0", schema("a")),
        writer=writer,
        on_landed=index.landed,
        door="cli",
    )
    assert len(heard) == 1


def test_readers_never_see_half_an_update(example_store: Store, writer: Writer, index: LiveIndex) -> None:
    stop = threading.Event()
    broken: list[str] = []

    def read() -> None:
        while not stop.is_set():
            snap = index.snapshot
            count = sum(len(c.versions) for c in snap.contracts.values()) + sum(
                len(c.versions) for c in snap.capsules.values()
            )
            if count != len(snap.tags):
                broken.append(snap.head or "")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(5):
            publish_contract(
                example_store,
                ContractInput("order.placed", f"1.{i}.0", schema(*(f"p{j}" for j in range(i)))),
                writer=writer,
                on_landed=index.landed,
                door="cli",
            )
    finally:
        stop.set()
        reader.join()
    assert broken == []
    assert len(index.snapshot.contracts["order.placed"].versions) == 5


@pytest.mark.git
def test_a_push_to_a_store_whose_gate_tells_the_index_is_readable_when_git_push_returns(
    tmp_path: Path, example_store: Store, index: LiveIndex
) -> None:
    server = GateServer(example_store.path, on_landed=index.landed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        work = tmp_path / "work"
        git("clone", "-q", f"file://{example_store.path}", str(work))
        ritual = work / "contracts/ritual.started"
        doc = json.loads((ritual / "schema.json").read_text())
        doc["properties"]["note"] = {"type": "string"}
        (ritual / "schema.json").write_text(json.dumps(doc, indent=2))
        meta = ritual / "contract.yaml"
        meta.write_text(meta.read_text().replace("version: 1.0.0", "version: 1.1.0"))
        git("commit", "-qam", "ritual: note", cwd=work)
        out = git("push", "origin", "HEAD:main", cwd=work, check=False)
        assert out.returncode == 0, out.stderr
        # No watcher runs: only the gate's post-receive told the index.
        versions = [v.version for v in index.snapshot.contracts["ritual.started"].versions]
        assert versions == ["1.0.0", "1.1.0"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_stop_ends_the_watcher(example_store: Store, index: LiveIndex) -> None:
    index.start()
    watchers = [t for t in threading.enumerate() if t.name == "registry-index-watch"]
    assert len(watchers) == 1
    index.stop()
    watchers[0].join(2)
    assert not watchers[0].is_alive()
