"""No door fetches a schema's remote ``$ref``: a loopback listener named in one sees no connection.

The compatibility checks validate instances against the proposed schema (the witness
search); a validator with jsonschema's default reference registry would fetch the ``$ref``.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from api.helpers import READ, WRITE, bearer
from starlette.testclient import TestClient

from registry.git.store import Store


class Listener:
    """A loopback HTTP listener that counts connections and answers each with an empty schema."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(1)
                try:
                    conn.recv(65536)
                    conn.sendall(
                        b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                    )
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


def hostile(url: str) -> dict[str, Any]:
    """A schema that is only a remote ``$ref``: breaking against ritual.started, so a witness is searched."""
    return {"$ref": f"{url}/x.json"}


H = bearer(scopes=(READ, WRITE))
DOORS = [
    "/registry/contracts/ritual.started/compatibility",
    "/ccompat/compatibility/subjects/ritual.started/versions/latest?verbose=true",
    "/ccompat/compatibility/subjects/ritual.started/versions",
    "/ccompat/subjects/ritual.started/versions",
]


@pytest.mark.parametrize("path", DOORS)
def test_a_remote_ref_is_never_fetched(
    client: TestClient, example_store: Store, listener: Listener, path: str
) -> None:
    schema = hostile(listener.url)
    if path.startswith("/ccompat"):
        body: dict[str, Any] = {"schema": json.dumps(schema), "schemaType": "JSON"}
    else:
        body = {"jsonSchema": schema, "mode": "BACKWARD"}
    head = example_store.head()
    response = client.post(path, headers=H, json=body)
    assert response.status_code < 500, response.text
    assert listener.connections == 0
    assert example_store.head() == head


def test_a_read_token_suffices_to_ask_and_still_nothing_is_fetched(
    client: TestClient, example_store: Store, listener: Listener
) -> None:
    response = client.post(
        DOORS[0], headers=bearer(scopes=(READ,)), json={"jsonSchema": hostile(listener.url)}
    )
    assert response.status_code == 200, response.text
    assert response.json()["compatible"] is False
    assert listener.connections == 0
