"""Named documents shared by the validation tests."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from registry.model import Limits

HELLO_WORLD: dict[str, Any] = {
    "apiVersion": "anumate.io/v1alpha1",
    "kind": "Capsule",
    "metadata": {
        "name": "hello-world",
        "description": "Simple hello world Capsule",
        "tags": ["example", "hello"],
        "labels": {"team": "growth"},
    },
    "spec": {
        "allowed_tools": ["http.request", "email.send"],
        "policies": ["pii.redaction"],
        "inputs": {"recipient": {"type": "string"}},
        "timeout": 300,
        "steps": [
            {
                "name": "greet",
                "tool": "http.request",
                "config": {"url": "https://example.org"},
                "depends_on": [],
            },
            {"name": "mail", "tool": "email.send", "depends_on": ["greet"]},
        ],
    },
}

RITUAL_WIT = """package demon:ritual@1.0.0;

interface events {
  record ritual-started {
    id: string,
    at: u64,
  }
  started: func(event: ritual-started) -> result<_, string>;
}
"""


@pytest.fixture
def hello() -> dict[str, Any]:
    return copy.deepcopy(HELLO_WORLD)


@pytest.fixture
def limits() -> Limits:
    return Limits()


@pytest.fixture
def ritual_wit() -> str:
    return RITUAL_WIT
