"""HTTP caching: versions encoded once with a strong ETag, conditional GETs, and cache lifetimes.

A published version never changes, so its response body is encoded once, kept as bytes
beside a strong ETag (a hash of exactly those bytes), and served from there: no JSON
encoding on the hot path, and ``If-None-Match`` answers 304 without a body. What can
change (``latest``, lists, capsule metadata) is encoded per request and gets a short
lifetime. Deprecation is a property of the contract on ``main``, not of the version's
bytes, so its headers (RFC 9745 ``Deprecation``, RFC 8594 ``Sunset``) are added per response.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

#: A published version, as the spec says (section 7). Contract versions are public data.
IMMUTABLE = "public, max-age=31536000, immutable"
#: A capsule version: as immutable, but a tenant's and behind visibility rules, so never
#: kept by a shared cache.
IMMUTABLE_PRIVATE = "private, max-age=31536000, immutable"
#: ``latest``, lists, a contract's versions and its changelog: they move with every publish.
SHORT = "public, max-age=10"
#: Capsule metadata and lists: short-lived, and per tenant and caller.
SHORT_PRIVATE = "private, max-age=10"
JSON = "application/json"


@dataclass(frozen=True)
class Encoded:
    """A response body encoded once, with its strong ETag."""

    body: bytes
    etag: str
    media_type: str = JSON

    @classmethod
    def of(cls, body: bytes, media_type: str = JSON) -> Encoded:
        return cls(body, f'"{hashlib.sha256(body).hexdigest()[:32]}"', media_type)

    @classmethod
    def json(cls, value: Any) -> Encoded:
        return cls.of(encode_json(value))


def encode_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


class EncodedCache:
    """Encoded bodies of immutable things, by a key that names exactly one version.

    Bounded (the oldest entry out first), so a crawl of a huge store cannot hold every
    body at once; safe to share between threads.
    """

    def __init__(self, capacity: int = 20_000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Any, Encoded] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, build: Callable[[], Encoded]) -> Encoded:
        found = self._items.get(key)
        if found is not None:
            return found
        made = build()
        with self._lock:
            self._items[key] = made
            if len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return made

    def __len__(self) -> int:
        return len(self._items)


def _etags(header: str) -> list[str]:
    return [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]


def not_modified(request: Request, etag: str) -> bool:
    """Whether ``If-None-Match`` already holds ``etag`` (weak comparison, RFC 9110 13.1.2)."""
    return none_match_holds(request.headers.get("if-none-match"), etag)


def none_match_holds(header: str | None, etag: str) -> bool:
    """:func:`not_modified` for the header's value alone (the version fast path has no Request)."""
    if not header:
        return False
    tags = _etags(header)
    return "*" in tags or etag.removeprefix("W/") in tags


def matches(header: str | None, etag: str) -> bool:
    """Whether ``If-Match`` holds ``etag`` (strong comparison, RFC 9110 13.1.1); absent is a match.

    A bare etag without quotes is accepted too, as the old capsule service's clients sent it.
    """
    if header is None:
        return True
    tags = [t.strip() for t in header.split(",") if t.strip()]
    bare = etag.strip('"')
    return "*" in tags or any(t == etag or t.strip('"') == bare for t in tags if not t.startswith("W/"))


def respond(
    request: Request,
    encoded: Encoded,
    *,
    cache_control: str,
    headers: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The encoded body, or 304 when the client already holds it; always with its validators."""
    held = status == 200 and not_modified(request, encoded.etag)
    return answer(encoded, cache_control=cache_control, headers=headers, status=status, held=held)


def answer(
    encoded: Encoded,
    *,
    cache_control: str,
    headers: Mapping[str, str] | None = None,
    status: int = 200,
    held: bool = False,
) -> Response:
    """The response of :func:`respond`: 304 without a body when the client ``held`` it."""
    out = {"ETag": encoded.etag, "Cache-Control": cache_control, **(headers or {})}
    if held:
        return Response(status_code=304, headers=out)
    return Response(encoded.body, status, out, media_type=encoded.media_type)


def http_date(value: str) -> str | None:
    """An RFC 3339 date or date-time as an HTTP-date (RFC 9110 5.6.7); None when unreadable."""
    try:
        if len(value) == 10:
            when = datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
        else:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
            when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except ValueError:
        return None
    return format_datetime(when, usegmt=True)


def deprecation_headers(deprecated: bool, sunset: str | None) -> dict[str, str]:
    """``Deprecation`` and ``Sunset`` for a deprecated contract; nothing for a current one.

    The store records that a contract is deprecated, not since when, so ``Deprecation``
    says ``true`` (the form clients of the draft that RFC 9745 grew from read).
    """
    if not deprecated:
        return {}
    out = {"Deprecation": "true"}
    if sunset and (when := http_date(sunset)):
        out["Sunset"] = when
    return out
