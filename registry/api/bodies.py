"""Request bodies of both API families: the old services' fields, and what this registry adds.

Contracts take the old ``demonctl contracts publish`` body (camelCase), plus the texts of
the WIT and descriptor files, which the store keeps itself. Capsules take the old
service's bodies (snake_case), with the document as ``yaml`` text or as a ``document``
object. Unknown fields are ignored, as the old services ignored them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class PublishContract(BaseModel):
    """The old ``demonctl contracts publish`` body; ``wit`` and ``descriptor`` carry file texts."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field(max_length=128, examples=["ritual.started"])
    version: str = Field(max_length=128, examples=["1.0.0"])
    description: str | None = Field(default=None, max_length=65536)
    jsonSchema: str | dict[str, Any] | bool | None = Field(
        default=None, description="the JSON Schema: its file text, or the schema as a JSON object"
    )
    witPath: str | None = Field(default=None, description="file name of the WIT interface (basename kept)")
    descriptorPath: str | None = Field(default=None, description="file name of the descriptor")
    wit: str | None = Field(default=None, description="the WIT file's text; needed with witPath")
    descriptor: str | None = Field(
        default=None, description="the descriptor's text; needed with descriptorPath"
    )


CompatibilityMode = Literal[
    "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE", "NONE"
]


class CheckCompatibility(BaseModel):
    """A proposed schema, and optionally the version it would get and the mode to judge it in."""

    model_config = ConfigDict(extra="ignore")

    jsonSchema: str | dict[str, Any] | bool | None = None
    wit: str | None = Field(
        default=None, description="the proposed WIT interface's text, judged against the published WIT"
    )
    version: str | None = Field(default=None, max_length=128)
    # Exactly as documented: the enum is what the server accepts, in its spelling.
    mode: CompatibilityMode | None = Field(default=None, description="default: the contract's own mode")
    policy: Literal["lenient", "strict"] | None = Field(default=None, description="default: the contract's")


_TEXT = "the Capsule document's YAML text (send this or 'document')"
_DOCUMENT = "the Capsule document as a JSON object (send this or 'yaml')"


class CapsuleText(BaseModel):
    model_config = ConfigDict(extra="ignore")

    yaml: str | None = Field(default=None, max_length=4 << 20, description=_TEXT)
    document: dict[str, Any] | None = Field(default=None, description=_DOCUMENT)


class CreateCapsule(CapsuleText):
    """The old service's create body, with ``document`` as an alternative to ``yaml``."""

    name: str | None = Field(default=None, max_length=255, description="must equal metadata.name when sent")
    id: str | None = Field(
        default=None, max_length=64, description="must equal the id derived from tenant and name"
    )
    description: str | None = Field(default=None, max_length=4096)
    tags: list[str] | None = Field(default=None, max_length=50)
    owner: str | None = Field(default=None, max_length=255, description="default: the caller's subject")
    visibility: str | None = Field(
        default=None, description="PRIVATE, INTERNAL (old: org) or PUBLIC; left out, the store's default"
    )


class PublishVersion(CapsuleText):
    message: str | None = Field(default=None, max_length=255, description="accepted for old clients; unused")


class UpdateCapsule(BaseModel):
    """Metadata to change; fields left out keep their value."""

    model_config = ConfigDict(extra="ignore")

    description: str | None = Field(default=None, max_length=4096)
    tags: list[str] | None = Field(default=None, max_length=50)
    owner: str | None = Field(default=None, max_length=255)
    visibility: str | None = Field(default=None, description="PRIVATE, INTERNAL (old: org) or PUBLIC")
    status: str | None = Field(default=None, description="ACTIVE, DEPRECATED or DELETED (admins only)")
