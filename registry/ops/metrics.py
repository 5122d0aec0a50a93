"""Metrics: what the server does, in Prometheus' text format at ``/metrics``.

Every metric the registry exports is defined here, once, in :class:`Metrics`; the
README's operations section lists the same names. Doors and listeners record into them
(``requests.py`` per request, ``doors.py`` per publish and gate run, the index listener
per refresh, the events publisher per event); nothing in the domain knows of them.

With ``registry serve --workers N`` each worker is its own process. The server then runs
prometheus-client's multiprocess mode: before any worker starts it points
``PROMETHEUS_MULTIPROC_DIR`` at an empty directory (:func:`prepare_multiprocess`), each
process writes its samples to memory-mapped files there, and whichever worker answers a
scrape adds them all up, so ``/metrics`` is the same sum whichever worker answers.
Gauges say how they combine: the versions in the index are the largest any live worker
holds, the last refresh time the oldest one, so a stuck worker shows.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, values
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

from registry.environment import export

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

_LATENCY = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_SLOW = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

LAST_REFRESH = "registry_index_last_refresh_timestamp_seconds"
AGE = "registry_index_age_seconds"


class Metrics:
    """The process's metric families."""

    def __init__(self) -> None:
        self.requests = Counter(
            "registry_http_requests_total",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
        )
        self.latency = Histogram(
            "registry_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by method and route template",
            ["method", "route"],
            buckets=_LATENCY,
        )
        self.in_flight = Gauge(
            "registry_http_requests_in_flight",
            "Requests being answered now",
            multiprocess_mode="livesum",
        )
        self.versions = Gauge(
            "registry_index_versions",
            "Versions the index serves, by kind (contract, capsule)",
            ["kind"],
            multiprocess_mode="livemax",
        )
        self.last_refresh = Gauge(
            LAST_REFRESH,
            "Unix time of the index's last build or refresh (the oldest among live workers)",
            multiprocess_mode="livemin",
        )
        self.refresh_latency = Histogram(
            "registry_index_refresh_duration_seconds",
            "Time to build or refresh the index",
            buckets=_SLOW,
        )
        self.publishes = Counter(
            "registry_publishes_total",
            "Writes through the gate, by door (cli, http, push, repair) and outcome "
            "(published, refused, failed)",
            ["door", "outcome"],
        )
        self.landed = Counter(
            "registry_versions_landed_total",
            "Versions that came into being (their signed tag was created), by door and kind",
            ["door", "kind"],
        )
        self.publish_latency = Histogram(
            "registry_publish_duration_seconds",
            "Time of one write through the gate, gate included, by door",
            ["door"],
            buckets=_SLOW,
        )
        self.refusals = Counter(
            "registry_gate_refusals_total",
            "Problems that refused a write, by door and rule (the problem's code)",
            ["door", "rule"],
        )
        self.gate_latency = Histogram(
            "registry_gate_duration_seconds",
            "Time the gate took to judge a push, by door and verdict (accepted, refused)",
            ["door", "verdict"],
            buckets=_SLOW,
        )
        self.events = Counter(
            "registry_events_published_total",
            "Lifecycle events NATS acknowledged, by CloudEvents type",
            ["type"],
        )
        self.events_failed = Counter(
            "registry_events_publish_failures_total",
            "Attempts to publish an event that NATS did not acknowledge (the event stays queued)",
        )
        self.events_pending = Gauge(
            "registry_events_pending",
            "Events in the outbox waiting for NATS",
            multiprocess_mode="livemax",
        )
        self.events_dropped = Counter(
            "registry_events_dropped_total",
            "Events dropped because the outbox was full (oldest first)",
        )
        self.replica_refused = Counter(
            "registry_replica_refused_tags_total",
            "Version tags a read replica fetched and did not serve: not signed by a registry key "
            "that registry.yaml listed at their commit",
        )
        self.replica_last_fetch = Gauge(
            "registry_replica_last_fetch_timestamp_seconds",
            "Unix time of a read replica's last successful fetch from its primary",
            multiprocess_mode="livemin",
        )


_lock = threading.Lock()
_metrics: Metrics | None = None


def metrics() -> Metrics:
    """The metric families, created on first use (after :func:`prepare_multiprocess`, if any)."""
    global _metrics
    if _metrics is None:
        with _lock:
            if _metrics is None:
                _metrics = Metrics()
    return _metrics


class EventsMetrics:
    """The events publisher's listener (``events.service.EventsListener``): its counts as metrics."""

    def pending(self, count: int) -> None:
        metrics().events_pending.set(count)

    def dropped(self, count: int) -> None:
        metrics().events_dropped.inc(count)

    def failed(self) -> None:
        metrics().events_failed.inc()

    def published(self, event_type: str) -> None:
        metrics().events.labels(event_type).inc()


_multiprocess: dict[str, Path | None] = {"dir": None}


def multiprocess_dir() -> Path | None:
    """Where every serving process keeps its samples; None for single-process metrics."""
    return _multiprocess["dir"]


def use_multiprocess(directory: Path) -> Path:
    """Keep this process's samples in ``directory`` beside its siblings' (a worker, at start).

    prometheus-client reads the directory from the environment, in this process and in
    the workers it starts: it is exported there, through the one environment edge.
    """
    _multiprocess["dir"] = directory
    export(MULTIPROC_ENV, str(directory))
    values.ValueClass = values.get_value_class()
    return directory


def prepare_multiprocess(directory: Path) -> Path:
    """Make ``directory`` the empty home of every process's samples, before workers start.

    The server calls this when it starts more than one worker (or when the operator set
    ``PROMETHEUS_MULTIPROC_DIR``); the workers inherit the variable. Samples of an earlier
    run are removed: prometheus-client needs the directory empty at start.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for entry in directory.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    return use_multiprocess(directory)


def process_exiting() -> None:
    """Let the worker's live gauges go with it (multiprocess mode); a no-op otherwise."""
    path = multiprocess_dir()
    if path is not None and path.is_dir():
        mark_process_dead(os.getpid(), str(path))


class _WithAge:
    """The samples of ``source``, plus the index's age computed at scrape time."""

    def __init__(self, source: Iterable[Metric] | object) -> None:
        self.source = source

    def collect(self) -> Iterator[Metric]:
        last: float | None = None
        for family in self.source.collect():  # type: ignore[attr-defined]
            if family.name == LAST_REFRESH:
                found = [s.value for s in family.samples if s.value > 0]
                last = min(found) if found else None
            yield family
        age = GaugeMetricFamily(AGE, "Seconds since the index was last built or refreshed")
        if last is not None:
            age.add_metric([], max(0.0, time.time() - last))
        yield age


def exposition(accept: str | None) -> tuple[bytes, str]:
    """The body and content type of a scrape, in the format ``accept`` asks for."""
    metrics()
    path = multiprocess_dir()
    if path is not None:
        source: object = CollectorRegistry(auto_describe=False)
        MultiProcessCollector(source, path=str(path))  # type: ignore[arg-type]
    else:
        source = REGISTRY
    out = CollectorRegistry(auto_describe=False)
    out.register(_WithAge(source))  # type: ignore[arg-type]
    encoder, content_type = choose_encoder(accept or "")
    return encoder(out), content_type
