"""A 405 names every method the path takes (RFC 9110 §15.5.6), in every family."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

OTHERS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", template)


def test_every_405_lists_every_documented_method_of_its_path(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    checked = 0
    wrong = []
    for template, item in paths.items():
        documented = {m.upper() for m in item if m.upper() in OTHERS}
        for method in OTHERS:
            if method in documented:
                continue
            response = client.request(method, concrete(template))
            if response.status_code != 405:
                continue  # another route of the same shape answers that method
            checked += 1
            allow = {m.strip() for m in response.headers.get("allow", "").split(",")}
            if not documented <= allow:
                wrong.append((method, template, response.headers.get("allow")))
    assert checked > 30
    assert wrong == []
