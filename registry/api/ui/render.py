"""Rendering the UI: the Jinja2 templates (autoescaped), the static assets, and the headers every
answer carries.

Every string that comes from the store or the caller reaches the page through a template's
autoescape or :func:`markupsafe.escape`; nothing is marked safe that was not built here.
The Content-Security-Policy allows scripts and styles from this server only, so even a
string that escaped escaping could not run.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import Response

HERE = Path(__file__).parent
STATIC = HERE / "static"

#: Scripts, styles and fetches from this server only; no frames, no plugins, no base URL.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
#: Answers smaller than this are sent as they are: compressing them saves nothing.
GZIP_MIN_BYTES = 1400


def when(value: datetime | float | None) -> str:
    """A time as people read it, in UTC to the minute."""
    if value is None:
        return "—"
    moment = datetime.fromtimestamp(value, UTC) if isinstance(value, float | int) else value
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def short(commit: str | None, length: int = 12) -> str:
    return (commit or "")[:length]


def duration(seconds: float | None) -> str:
    """``4.2 s``, ``3 min``, ``2.5 h``: an age a person can read at a glance."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"


ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters.update(when=when, short=short, duration=duration)


@dataclass(frozen=True)
class Asset:
    """A static file of the package, with a content hash for its immutable URL."""

    body: bytes
    media_type: str
    version: str


def _assets() -> dict[str, Asset]:
    kinds = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
    found = {}
    for path in sorted(STATIC.iterdir()):
        if path.suffix in kinds:
            body = path.read_bytes()
            found[path.name] = Asset(body, kinds[path.suffix], hashlib.sha256(body).hexdigest()[:12])
    return found


ASSETS = _assets()
ENV.globals["asset"] = lambda name: f"/ui/static/{name}?v={ASSETS[name].version}"


def render(template: str, **context: Any) -> str:
    return ENV.get_template(template).render(**context)


def html(body: str, *, status: int = 200, accept_encoding: str = "", cache: str = "no-store") -> Response:
    """An HTML answer with the UI's security headers, gzipped when the client takes it."""
    data = body.encode()
    headers = {**SECURITY_HEADERS, "Cache-Control": cache, "Vary": "Authorization, Accept-Encoding"}
    if len(data) >= GZIP_MIN_BYTES and "gzip" in accept_encoding.lower():
        data = gzip.compress(data, compresslevel=6)
        headers["Content-Encoding"] = "gzip"
    return Response(data, status, headers, media_type="text/html; charset=utf-8")
