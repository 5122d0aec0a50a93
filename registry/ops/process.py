"""What a serving process runs beside the app, and the order it stops in.

``registry serve`` calls, in each process that serves requests:

- :func:`prepare_serving` once, before it starts anything: metrics become multiprocess
  when several processes serve, and this process traces (with ``--workers N`` the
  parent runs the gate, whose spans it exports);
- :func:`start_operations` once its index is built and watching: JSON logs, tracing when
  ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, lifecycle events when ``EVENTS_NATS_URL`` is set;
- :func:`stop_operations` after the HTTP server finished its requests in flight and the
  index stopped watching: the events publisher tells what the index saw last and sends
  what NATS takes within its drain timeout (the rest stays in the outbox), NATS is
  drained, buffered spans are exported, and a worker's live gauges are let go.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from registry.events.service import EventsService, Index, start_events
from registry.events.settings import EventsSettings
from registry.ops.logs import configure_logging, uvicorn_log_config
from registry.ops.metrics import (
    MULTIPROC_ENV,
    EventsMetrics,
    prepare_multiprocess,
    process_exiting,
    use_multiprocess,
)
from registry.ops.tracing import TracingSettings, configure_tracing, shutdown_tracing

log = logging.getLogger("registry.ops")

__all__ = ["OpsSettings", "prepare_serving", "start_operations", "stop_operations", "uvicorn_log_config"]

_running: dict[str, Any] = {"events": None, "started": False}


@dataclass(frozen=True)
class OpsSettings:
    """What a serving process runs beside the app: logs, traces, events and where metrics go.

    ``LOG_LEVEL`` (``INFO``), the ``OTEL_*`` variables (``tracing.py``), the ``EVENTS_*``
    variables (``events/settings.py``) and ``PROMETHEUS_MULTIPROC_DIR``.
    """

    log_level: str = "INFO"
    tracing: TracingSettings = field(default_factory=TracingSettings)
    events: EventsSettings = field(default_factory=EventsSettings)
    #: Every serving process's metric samples; None for single-process metrics.
    metrics_dir: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OpsSettings:
        """Parsed once: bad events settings refuse here, before any worker starts."""
        given = env.get(MULTIPROC_ENV)
        return cls(
            log_level=env.get("LOG_LEVEL", "INFO"),
            tracing=TracingSettings.from_env(env),
            events=EventsSettings.from_env(env),
            metrics_dir=Path(given) if given else None,
        )


def prepare_serving(settings: OpsSettings, *, workers: int) -> OpsSettings:
    """Start tracing, and make metrics multiprocess if needed; the settings workers get.

    Metrics are multiprocess when more than one process serves, or when the operator set
    ``PROMETHEUS_MULTIPROC_DIR``: that directory is used (and emptied); else, for
    ``workers > 1``, a fresh temporary one, removed when this process exits. The settings
    returned name it, for the workers.
    """
    configure_tracing(settings.tracing)
    if settings.metrics_dir is None and workers <= 1:
        return settings
    directory = settings.metrics_dir or Path(tempfile.mkdtemp(prefix="registry-metrics-"))
    if settings.metrics_dir is None:
        atexit.register(shutil.rmtree, directory, True)
    prepare_multiprocess(directory)
    return replace(settings, metrics_dir=directory)


def start_operations(settings: OpsSettings, *, store_path: Path, index: Index) -> EventsService | None:
    """Logs, tracing and events for this serving process (see the module docstring)."""
    configure_logging(settings.log_level)
    configure_tracing(settings.tracing)
    if settings.metrics_dir is not None:
        use_multiprocess(settings.metrics_dir)  # a worker: its samples beside its siblings'
    events = start_events(settings.events, store_path=store_path, index=index, listener=EventsMetrics())
    _running.update(events=events, started=True)
    return events


def stop_operations() -> None:
    """Stop what :func:`start_operations` started, last first; safe to call more than once."""
    if not _running["started"]:
        return
    events: EventsService | None = _running["events"]
    _running.update(events=None, started=False)
    try:
        if events is not None:
            events.stop()
    finally:
        shutdown_tracing()
        process_exiting()
