"""``registry publish … --registry-endpoint URL``: the same publish, through a registry's HTTP API.

The server runs the same ``publish()`` as ``--store``, so this only carries the request
and turns the answer back into what the local path prints and exits with. Refusals come
back as problem+json (asked for with ``Accept``), so they become the same typed error,
with the same code, message, problems and hint, and the CLI maps them once as usual.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from registry.errors import InvalidInput, RegistryError, StoreError
from registry.gate.published import capsule_id
from registry.model import Limits, capsule_name
from registry.model import tenant as check_tenant
from registry.paths import CAPSULE_DOC
from registry.problems import Code, Problem
from registry.validate import load_yaml
from registry.write.publish import ContractInput

PROBLEM_JSON = "application/problem+json"
TIMEOUT_S = 60.0
#: The code of a refusal from a server that did not name one, by its status.
_BY_STATUS = {
    400: Code.INPUT_INVALID,
    401: Code.AUTH_INVALID,
    403: Code.AUTH_SCOPE,
    404: Code.NOT_FOUND,
    409: Code.VERSION_EXISTS,
    413: Code.LIMIT_EXCEEDED,
    422: Code.CAPSULE_SCHEMA,
}


class Remote:
    """One registry endpoint and the token to call it with."""

    def __init__(
        self, endpoint: str, token: str | None, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise InvalidInput(
                f"registry endpoint {endpoint!r} is not an http(s) URL",
                hint="pass --registry-endpoint http://host:port (or set REGISTRY_ENDPOINT)",
            )
        self.endpoint = endpoint.rstrip("/")
        headers = {"Accept": f"application/json, {PROBLEM_JSON}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(headers=headers, timeout=TIMEOUT_S, transport=transport)

    def post(
        self, path: str, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """The JSON answer of a POST that succeeded; the server's refusal as a typed error."""
        try:
            response = self.client.post(self.endpoint + path, json=dict(body), headers=dict(headers or {}))
        except httpx.HTTPError as exc:
            raise StoreError(
                f"cannot reach the registry at {self.endpoint}: {exc}",
                hint="check --registry-endpoint (or REGISTRY_ENDPOINT) and that the server runs",
            ) from None
        if not response.is_success:
            raise refusal(response)
        try:
            answer = response.json()
        except json.JSONDecodeError:
            answer = None
        if not isinstance(answer, dict):
            raise StoreError(
                f"{self.endpoint} answered {response.status_code} without a JSON object",
                hint="check that --registry-endpoint names a registry server",
            )
        return answer


def refusal(response: httpx.Response) -> RegistryError:
    """The typed error a refused request stands for: its code, message, hint and problems."""
    try:
        body = response.json() if PROBLEM_JSON in response.headers.get("content-type", "") else None
    except json.JSONDecodeError:
        body = None
    if not isinstance(body, dict):
        body = {"detail": response.text.strip() or f"HTTP {response.status_code}"}
    problems = tuple(
        p
        for severity in ("error", "warning")
        for item in body.get(f"{severity}s") or ()
        if (p := _problem(item, severity)) is not None
    )
    return RegistryError(
        str(body.get("detail") or f"HTTP {response.status_code}"),
        hint=body.get("hint"),
        problems=problems,
        code=_code(response.headers.get("x-registry-code"))
        or _BY_STATUS.get(response.status_code, Code.STORE_UNREADABLE),
    )


def _code(text: str | None) -> Code | None:
    try:
        return Code(text) if text else None
    except ValueError:
        return None


def _problem(item: Any, severity: str) -> Problem | None:
    if not isinstance(item, dict) or (code := _code(item.get("code"))) is None:
        return None
    return Problem(
        code,
        str(item.get("message", "")),
        str(item.get("path", "$")),
        "warning" if severity == "warning" else "error",
        item.get("file"),
        item.get("keyword"),
    )


def publish_contract(remote: Remote, item: ContractInput) -> dict[str, Any]:
    """``POST /registry/contracts`` with the old demonctl body, plus the WIT and descriptor texts."""
    body: dict[str, Any] = {
        "name": item.name,
        "version": item.version,
        "description": item.description,
        "jsonSchema": item.schema_text,
    }
    if item.wit:
        body.update(witPath=item.wit[0], wit=item.wit[1])
    if item.descriptor:
        body.update(descriptorPath=item.descriptor[0], descriptor=item.descriptor[1])
    return remote.post("/registry/contracts", body)


def publish_capsule(remote: Remote, tenant: str, text: bytes) -> tuple[str, dict[str, Any]]:
    """The capsule's next version (``POST …/{id}/versions``), or version 1 of a new one.

    Returns the capsule's name and the server's answer.
    """
    tenant = check_tenant(tenant)
    doc = load_yaml(text, limits=Limits(), path_hint=CAPSULE_DOC)
    raw = doc.get("metadata", {}).get("name") if isinstance(doc, dict) else None
    if not isinstance(raw, str):
        raise InvalidInput(
            "capsule.yaml has no metadata.name", hint="a Capsule document names itself in metadata.name"
        )
    name = capsule_name(raw)
    try:
        yaml_text = text.decode()
    except UnicodeDecodeError:
        raise InvalidInput("capsule file is not UTF-8 text") from None
    headers = {"X-Tenant-ID": tenant}
    try:
        answer = remote.post(
            f"/api/v1/capsules/{capsule_id(tenant, name)}/versions", {"yaml": yaml_text}, headers
        )
    except RegistryError as exc:
        if exc.code is not Code.NOT_FOUND:
            raise
        answer = remote.post("/api/v1/capsules", {"yaml": yaml_text}, headers)
    return name, answer
