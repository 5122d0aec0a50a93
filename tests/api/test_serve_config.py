"""``registry serve``'s one configuration: parsed once, frozen, and whole enough to hand to a worker."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from registry.api.serve_config import ServeConfig
from registry.errors import InvalidInput

ENV = {
    "REGISTRY_STORE": "/srv/store.git",
    "REGISTRY_SIGNING_KEY": "/srv/key",
    "JWT_SECRET": "s" * 40,
    "EVENTS_NATS_URL": "nats://a:4222, nats://b:4222",
    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel:4318",
    "LOG_LEVEL": "DEBUG",
    "PROMETHEUS_MULTIPROC_DIR": "/tmp/m",
}


def test_every_part_is_parsed_from_one_environment() -> None:
    config = ServeConfig.from_env(ENV, workers=3)
    assert config.store == Path("/srv/store.git")
    assert config.settings.signing_key == Path("/srv/key")
    assert config.auth.secret == "s" * 40
    assert config.ops.events.nats_urls == ("nats://a:4222", "nats://b:4222")
    assert config.ops.tracing.url == "http://otel:4318/v1/traces"
    assert config.ops.log_level == "DEBUG"
    assert config.ops.metrics_dir == Path("/tmp/m")
    assert config.workers == 3


def test_a_flag_wins_over_the_environment() -> None:
    assert ServeConfig.from_env(ENV, store="/elsewhere.git").store == Path("/elsewhere.git")


def test_it_is_frozen_and_survives_the_trip_to_a_worker() -> None:
    config = ServeConfig.from_env(ENV)
    with pytest.raises(FrozenInstanceError):
        config.port = 1  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(config)) == config


@pytest.mark.parametrize(
    ("env", "flags", "words"),
    [
        ({}, {}, "no store given"),
        (ENV, {"port": 70000}, "port 70000 is out of range"),
        ({**ENV, "EVENTS_SUBJECT_PREFIX": "a.*"}, {}, "EVENTS_SUBJECT_PREFIX"),
    ],
)
def test_a_bad_setting_refuses_before_anything_starts(env: dict, flags: dict, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        ServeConfig.from_env(env, **flags)


def test_a_development_secret_is_made_once_for_every_worker() -> None:
    bare = ServeConfig.from_env({"REGISTRY_STORE": "/s"}, dev=True)
    assert not bare.auth.configured
    made = bare.with_dev_secret()
    assert made.auth.secret and len(made.auth.secret) >= 48
    assert made.with_dev_secret() is made  # configured now: kept as it is
    assert ServeConfig.from_env(ENV, dev=True).with_dev_secret().auth.secret == "s" * 40
