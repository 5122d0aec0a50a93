"""The answers' shapes, for the OpenAPI document only.

Routes answer with bytes encoded once (``caching.py``), not through these models; the
models say what those bytes hold, field for field, so ``/docs`` and generated clients
know the old services' shapes. ``test_openapi.py`` checks real answers against them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel as _Base
from pydantic import ConfigDict, Field


class BaseModel(_Base):
    model_config = ConfigDict(extra="forbid")  # an answer holds exactly these fields


class ContractSummary(BaseModel):
    name: str
    version: str
    description: str | None
    createdAt: str


class ContractList(BaseModel):
    contracts: list[ContractSummary]


class ContractBundle(BaseModel):
    name: str
    version: str
    description: str | None
    createdAt: str
    jsonSchema: str = Field(description="schema.json exactly as stored")
    witPath: str | None = Field(description="contracts/<name>/<file>.wit")
    descriptorPath: str | None
    digest: str = Field(description="SHA-256 hex of the compact JSON of the first six fields but createdAt")


class ContractVersionItem(BaseModel):
    version: str
    description: str | None
    createdAt: str
    digest: str


class ContractVersions(BaseModel):
    name: str
    latest: str
    deprecated: bool
    sunset: str | None
    compatibility: str | None
    versions: list[ContractVersionItem]


class ContractCreated(BaseModel):
    status: str = Field(examples=["created"])
    name: str
    version: str
    digest: str
    createdAt: str


class Compatibility(BaseModel):
    name: str
    against: list[str] = Field(description="the published versions compared with")
    compatible: bool
    mode: str
    policy: str
    changes: list[dict[str, Any]]
    breaking: list[dict[str, Any]] = Field(description="each with a witness instance when one was found")
    requiredBump: str
    versionOk: bool | None
    version: dict[str, Any] | None = None
    latestVersion: str | None
    suggestedVersion: str | None


class CapsulePublished(BaseModel):
    capsule_id: str
    version: int
    content_hash: str
    signature: str = Field(description="Ed25519 over the 32 content-hash bytes, base64")
    uri: str
    created_at: str


class Capsule(BaseModel):
    id: str
    name: str
    description: str | None
    tags: list[str]
    owner: str | None
    visibility: str
    status: str
    latest_version: int | None
    created_at: str
    updated_at: str
    etag: str


class Pagination(BaseModel):
    page: int
    page_size: int
    total_items: int
    total_pages: int


class CapsuleList(BaseModel):
    items: list[Capsule]
    pagination: Pagination


class CapsuleVersionSummary(BaseModel):
    version: int
    content_hash: str
    signature: str
    uri: str
    created_at: str
    created_by: str | None


class CapsuleVersion(CapsuleVersionSummary):
    capsule_id: str
    yaml: str
    document: dict[str, Any]


class LintProblem(BaseModel):
    code: str
    message: str
    path: str


class LintResult(BaseModel):
    valid: bool
    content_hash: str | None
    errors: list[LintProblem]
    warnings: list[LintProblem]


class Verification(BaseModel):
    capsule_id: str
    version: int
    valid: bool
    content_hash: str
    signature: str
    signed_by: str | None
    checks: dict[str, bool]
    detail: str


def documented(model: type[_Base], status: int = 200) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route whose answer has ``model``'s shape."""
    return {status: {"model": model}}
