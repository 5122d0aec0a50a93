"""``/docs`` and ``/redoc`` load nothing from outside the server: every asset they name is served here."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

#: Attributes through which a page loads something: scripts, styles, icons, and the spec URL.
LOADS = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']|url:\s*['"]([^'"]+)['"]""")


@pytest.mark.parametrize(("page", "kinds"), [("/docs", 3), ("/redoc", 2)])
def test_a_docs_page_loads_only_what_this_server_serves(client: TestClient, page: str, kinds: int) -> None:
    response = client.get(page)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    urls = [a or b for a, b in LOADS.findall(response.text)]
    assert "/openapi.json" in urls
    assets = [u for u in urls if u != "/openapi.json"]
    assert len(assets) >= kinds, urls
    assert all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "cdn" not in response.text.lower() and "fonts.googleapis" not in response.text
    for url in assets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 100, url
        wanted = {"js": "javascript", "css": "text/css", "png": "image/png"}[url.rsplit(".", 1)[-1]]
        assert wanted in asset.headers["content-type"], (url, asset.headers["content-type"])


def test_the_docs_pages_and_their_assets_need_no_token(client: TestClient) -> None:
    for path in ("/docs", "/redoc", "/openapi.json", "/static/docs/swagger-ui-bundle.js"):
        assert client.get(path).status_code == 200, path


def test_the_docs_pages_are_not_operations_of_the_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not any(p.startswith(("/docs", "/redoc", "/static")) for p in paths)
