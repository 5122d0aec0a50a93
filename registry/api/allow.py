"""The ``Allow`` header of a 405: every method the app answers at that path.

Starlette names only the methods of the first route whose path matched, so
``DELETE /registry/contracts`` said ``Allow: GET`` although the path takes ``POST`` too
(RFC 9110 §15.5.6: the header lists the methods the target resource supports). The
methods are read from the app's own OpenAPI document, which the schemathesis run holds to
the routes, so the header and the document cannot disagree.
"""

from __future__ import annotations

import functools
import re

from starlette.requests import Request

_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


@functools.lru_cache(maxsize=512)
def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def allowed_methods(request: Request) -> str:
    """``GET, HEAD, POST`` …: the methods of every documented operation whose path matches the request's."""
    path, root = request.scope["path"], request.scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    methods: set[str] = set()
    for template, item in request.app.openapi().get("paths", {}).items():
        if _pattern(template).fullmatch(path):
            methods |= {m.upper() for m in item if m.upper() in _ORDER}
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods, key=_ORDER.index))
