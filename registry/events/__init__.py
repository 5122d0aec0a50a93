"""Lifecycle events: CloudEvents on NATS for every change the index sees, whichever door made it.

``registry serve`` calls :func:`start_events` when ``EVENTS_NATS_URL`` is set and
``EventsService.stop`` on shutdown. ``cloudevents.py`` holds the event types and subjects.
"""

from __future__ import annotations

from registry.events.service import EventsService, start_events
from registry.events.settings import EventsSettings

__all__ = ["EventsService", "EventsSettings", "start_events"]
