"""Requests generated from the OpenAPI document (schemathesis): the server keeps to the document.

Every operation, both families and the Confluent-compatible door, with valid tokens: no
answer is a 5xx, none has a status or a media type the document leaves out, and every
documented body matches its schema. Bounded for CI (``EXAMPLES`` per operation, generation
only, no example database: under a minute on 2 cores); a release runs longer with
``REGISTRY_SCHEMATHESIS_EXAMPLES=300`` (README, "Releasing").
"""

from __future__ import annotations

import os

import pytest
from api.helpers import READ, WRITE, bearer, capsule_headers
from hypothesis import HealthCheck, Phase, given, settings
from starlette.testclient import TestClient

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import (  # noqa: E402 - only once schemathesis is known to be there
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("REGISTRY_SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_every_generated_request_is_answered_as_the_document_says(client: TestClient) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    headers = {**capsule_headers(role="admin"), **bearer(roles=("admin",), scopes=(READ, WRITE))}
    failures: list[tuple[str, int, str]] = []
    labels: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS)
            except BaseException as exc:  # schemathesis' FailureGroup: record it, go on
                if isinstance(exc, KeyboardInterrupt):
                    raise
                text = " / ".join(str(e).splitlines()[0] for e in getattr(exc, "exceptions", [exc]))
                failures.append((case.operation.label, response.status_code, text[:300]))

        run()
    assert any(label.startswith("POST /ccompat/") for label in labels)  # the Confluent door is there
    assert len(labels) >= 40
    assert failures == []


def test_the_probes_need_no_token_and_the_document_says_so(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/health", "/healthz", "/livez", "/readyz", "/metrics"):
        assert "security" not in paths[path]["get"], path
        assert client.get(path).status_code in (200, 503), path
    assert paths["/registry/contracts"]["get"]["security"]
    assert paths["/ccompat/subjects"]["get"]["security"]
