"""Events settings come from the environment once; every event type has its subject."""

from __future__ import annotations

import pytest

from registry.errors import InvalidInput
from registry.events.cloudevents import EventType
from registry.events.settings import EventsSettings


def test_events_are_off_without_a_nats_url() -> None:
    assert not EventsSettings.from_env({}).enabled


def test_the_environment_names_servers_stream_prefix_and_bound() -> None:
    s = EventsSettings.from_env(
        {
            "EVENTS_NATS_URL": "nats://a:4222, nats://b:4222",
            "EVENTS_NATS_STREAM": "REGISTRY",
            "EVENTS_SUBJECT_PREFIX": "acme.registry",
            "EVENTS_OUTBOX_MAX": "10",
        }
    )
    assert s.enabled and s.nats_urls == ("nats://a:4222", "nats://b:4222")
    assert (s.stream, s.subject_prefix, s.outbox_max) == ("REGISTRY", "acme.registry", 10)


@pytest.mark.parametrize(
    "env",
    [
        {"EVENTS_SUBJECT_PREFIX": "registry.>"},
        {"EVENTS_SUBJECT_PREFIX": "registry..events"},
        {"EVENTS_OUTBOX_MAX": "0"},
        {"EVENTS_OUTBOX_MAX": "many"},
    ],
)
def test_settings_that_cannot_work_are_refused_at_start(env: dict[str, str]) -> None:
    with pytest.raises(InvalidInput):
        EventsSettings.from_env({"EVENTS_NATS_URL": "nats://127.0.0.1:4222", **env})


def test_every_type_has_a_subject_and_capsule_subjects_name_the_tenant() -> None:
    subjects = {t: t.nats_subject("registry.events", "acme") for t in EventType}
    assert subjects == {
        EventType.CONTRACT_VERSION_PUBLISHED: "registry.events.contract.version.published",
        EventType.CONTRACT_DEPRECATED: "registry.events.contract.deprecated",
        EventType.CONTRACT_DELETED: "registry.events.contract.deleted",
        EventType.CONTRACT_RESTORED: "registry.events.contract.restored",
        EventType.CAPSULE_VERSION_PUBLISHED: "registry.events.capsule.acme.version.published",
        EventType.CAPSULE_UPDATED: "registry.events.capsule.acme.updated",
        EventType.CAPSULE_DELETED: "registry.events.capsule.acme.deleted",
    }
    with pytest.raises(ValueError):
        EventType.CAPSULE_DELETED.nats_subject("registry.events", None)
