"""One flow for every POST that publishes: replay a known idempotency key, or write and answer.

The answer is always rebuilt from the index (``answer(snapshot, commit)``), never from
what the write returned, so the first answer and every replay of it are the same bytes,
whichever process serves them and however long after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from registry.api.caching import encode_json
from registry.api.door import Door
from registry.api.idempotency import Idempotency
from registry.errors import ConcurrentUpdate, RegistryError
from registry.index.snapshot import IndexSnapshot

Answer = Callable[[IndexSnapshot, str], dict[str, Any] | None]
REPLAYED = "Idempotent-Replayed"


def idempotent_post(
    door: Door,
    idem: Idempotency,
    write: Callable[[dict[str, str]], str],
    answer: Answer,
    *,
    location: Callable[[dict[str, Any]], str] | None = None,
) -> Response:
    """201 with the answer of ``write`` (the commit it made), or of the write a key already made."""
    store = door.store()
    commit = idem.recorded(door.snapshot(), store)
    replayed = commit is not None
    if commit is None:
        try:
            commit = write(idem.trailers())
        except RegistryError:
            # A request with the same key may have won a race with this one: answer as it did.
            if idem.key is None:
                raise
            door.config.index.refresh()
            commit = idem.recorded(door.snapshot(), store)
            if commit is None:
                raise
            replayed = True
    snapshot = door.settle(commit)
    body = answer(snapshot, commit)
    if body is None:
        raise ConcurrentUpdate(
            f"commit {commit[:12]} is in the store but its version is not in the index yet",
            hint="send the same request again in a moment; it will get the same answer",
        )
    headers = {"Cache-Control": "no-store"}
    if replayed:
        headers[REPLAYED] = "true"
    if location is not None:
        headers["Location"] = location(body)
    return Response(encode_json(body), 201, headers, media_type="application/json")
