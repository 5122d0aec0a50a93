"""The log format: one JSON object per line, with anything shaped like a credential redacted."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from ops.conftest import token

from registry.ops.logs import JsonFormatter, redact
from registry.trust.sshsig import SigningKey


def line(message: str, *args: object, **extra: object) -> dict[str, object]:
    record = logging.makeLogRecord(
        {"name": "registry.test", "levelname": "INFO", "msg": message, "args": args}
    )
    record.__dict__.update(extra)
    return json.loads(JsonFormatter().format(record))


def test_a_record_is_one_json_object_with_its_extra_fields() -> None:
    out = line("served %s", "x", route="/a/{b}", status=200)
    assert out["msg"] == "served x" and out["route"] == "/a/{b}" and out["status"] == 200
    assert out["level"] == "info" and out["logger"] == "registry.test"


JWT = token("contracts:read")


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        (JWT, JWT.split(".")[1]),
        (f"Authorization: Bearer {JWT}", JWT.split(".")[2]),
        ("Authorization: Bearer opaque-token_123", "opaque-token_123"),
        ("Authorization: basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
        ("nats://events:hunter2@nats.internal:4222", "hunter2"),
    ],
)
def test_credentials_never_reach_a_line(text: str, hidden: str) -> None:
    out = json.dumps(line("saw %s", text, header=text, nested={"list": [text]}))
    assert hidden not in out and "[redacted]" in out


def test_a_private_key_is_redacted_whole(tmp_path: Path) -> None:
    SigningKey.generate().save(tmp_path / "key")
    text = (tmp_path / "key").read_text()
    out = redact(f"loaded {text} ok")
    assert out.startswith("loaded [redacted]") and out.endswith(" ok")
    assert not any(part in out for part in text.splitlines()[1:-1])


def test_ordinary_text_is_left_as_it_is() -> None:
    text = "GET /registry/contracts/ritual.started/1.0.0 200 in 1.2 ms, see https://example.org/docs"
    assert redact(text) == text
