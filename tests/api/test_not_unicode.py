"""Text that is not Unicode (a lone UTF-16 surrogate, bytes that are not UTF-8) is a 4xx naming the field.

Over a real server: before, ``"\\udc80"`` in a description was a 500, ``{"name": "\\ud800"}``
reset the connection, and the Confluent-compatible door published a schema text holding one.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from api.helpers import READ, WRITE, Server, bearer, capsule_headers

from registry.git.store import Store

pytestmark = pytest.mark.slow

JSON = {"Content-Type": "application/json"}
CCOMPAT = {"Content-Type": "application/vnd.schemaregistry.v1+json"}
# Raw bodies, so the escapes reach the server as written.
CASES: list[tuple[str, str, bytes, dict[str, str], str]] = [
    (
        "/registry/contracts",
        "description",
        b'{"name": "x.y", "version": "1.0.0", "description": "\\udc80", "jsonSchema": "{}"}',
        JSON,
        "$.description",
    ),
    (
        "/registry/contracts",
        "name",
        b'{"name": "\\ud800", "version": "1.0.0", "jsonSchema": "{}"}',
        JSON,
        "$.name",
    ),
    (
        "/registry/contracts/ritual.started/compatibility",
        "property name",
        b'{"jsonSchema": {"type": "object", "properties": {"\\udc80": {}}}}',
        JSON,
        "$.jsonSchema.properties (a member name)",
    ),
    (
        "/registry/contracts/ritual.started/compatibility",
        "schema text",
        b'{"jsonSchema": "{\\"description\\": \\"\\\\udc80\\"}"}',
        JSON,
        "$.description",
    ),
    (
        "/ccompat/subjects/ritual.started/versions",
        "schema text",
        b'{"schemaType": "JSON", '
        b'"schema": "{\\"type\\": \\"object\\", \\"description\\": \\"\\\\ud800x\\"}"}',
        CCOMPAT,
        "$.description",
    ),
    (
        "/ccompat/compatibility/subjects/ritual.started/versions/latest",
        "schemaType",
        b'{"schema": "{}", "schemaType": "\\ud800"}',
        CCOMPAT,
        "$.schemaType",
    ),
    (
        "/api/v1/capsules",
        "yaml",
        b'{"yaml": "apiVersion: \\"\\\\udc80\\""}',
        JSON,
        "$.apiVersion",
    ),
    ("/registry/contracts", "bytes", b'{"name": "\xed\xa0\x80", "version": "1.0.0"}', JSON, "not UTF-8"),
]


@pytest.fixture
def api(server: Callable[[], Server]) -> Server:
    return server()


def test_text_that_is_not_unicode_is_refused_at_every_door_naming_the_field(
    api: Server, example_store: Store
) -> None:
    head = example_store.head()
    auth = {**bearer(scopes=(READ, WRITE)), **capsule_headers(role="admin")}
    answers = []
    for path, what, body, headers, field in CASES:
        response = httpx.post(api.url + path, content=body, headers={**auth, **headers}, timeout=30)
        answers.append((path, what, response.status_code, field in response.text, response.text[:300]))
    assert [a for a in answers if not (400 <= a[2] < 500 and a[3])] == []
    assert example_store.head() == head
    # The server is still there for the next client.
    assert httpx.get(api.url + "/healthz", timeout=5).status_code == 200
