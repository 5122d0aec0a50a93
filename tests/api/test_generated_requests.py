"""Requests generated from the OpenAPI document (schemathesis): none of them gets a 500.

Bounded: a few examples per operation, generation only, no example database.
"""

from __future__ import annotations

import pytest
from api.helpers import bearer, capsule_headers
from hypothesis import HealthCheck, Phase, given, settings
from starlette.testclient import TestClient

schemathesis = pytest.importorskip("schemathesis")

pytestmark = pytest.mark.slow
EXAMPLES = 15


def test_no_generated_request_is_a_server_error(client: TestClient) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    headers = {**capsule_headers(role="admin"), **bearer(roles=("admin",))}
    failures: list[tuple[str, int, str]] = []
    for result in schema.get_all_operations():
        operation = result.ok()

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
            if response.status_code >= 500:
                failures.append((case.operation.label, response.status_code, response.text[:300]))

        run()
    assert failures == []
