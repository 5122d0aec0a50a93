"""What a serving process runs beside the app, and the order it stops in.

``registry serve`` calls, in each process that serves requests:

- :func:`prepare_serving` once, before it starts anything: settings are checked, metrics
  become multiprocess when several processes serve, and this process traces (with
  ``--workers N`` the parent runs the gate, whose spans it exports);
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
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

from registry.events.service import EventsService, Index, start_events
from registry.events.settings import EventsSettings
from registry.ops.logs import configure_logging, uvicorn_log_config
from registry.ops.metrics import MULTIPROC_ENV, EventsMetrics, prepare_multiprocess, process_exiting
from registry.ops.tracing import TracingSettings, configure_tracing, shutdown_tracing

log = logging.getLogger("registry.ops")

__all__ = ["prepare_serving", "start_operations", "stop_operations", "uvicorn_log_config"]

_running: dict[str, Any] = {"events": None, "started": False}


def prepare_serving(env: MutableMapping[str, str], *, workers: int) -> Path | None:
    """Check the operations settings, start tracing, and make metrics multiprocess if needed.

    Metrics are multiprocess when more than one process serves, or when the operator set
    ``PROMETHEUS_MULTIPROC_DIR``: that directory is used (and emptied); else, for
    ``workers > 1``, a fresh temporary one, removed when this process exits. Workers
    inherit the variable. Returns the directory, or None for single-process metrics.
    """
    EventsSettings.from_env(env)  # refuse bad settings before any worker starts
    configure_tracing(TracingSettings.from_env(env))
    given = env.get(MULTIPROC_ENV)
    if not given and workers <= 1:
        return None
    directory = Path(given) if given else Path(tempfile.mkdtemp(prefix="registry-metrics-"))
    if not given:
        atexit.register(shutil.rmtree, directory, True)
    prepare_multiprocess(directory)
    env[MULTIPROC_ENV] = str(directory)
    return directory


def start_operations(env: Mapping[str, str], *, store_path: Path, index: Index) -> EventsService | None:
    """Logs, tracing and events for this serving process (see the module docstring)."""
    configure_logging(env.get("LOG_LEVEL", "INFO"))
    configure_tracing(TracingSettings.from_env(env))
    events = start_events(
        EventsSettings.from_env(env), store_path=store_path, index=index, listener=EventsMetrics()
    )
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
