"""Problems: one thing wrong (or doubtful) with a change, and the typed codes they carry.

Every code is a member of :class:`Code`, spelled ``family.rule``. Each code has an
:class:`Outcome`, which is what the doors map: the CLI's exit status, the review's
verdict and the HTTP status all follow from it, so a new rule is one line here.
``docs/problems.md`` documents every code; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Literal


class Outcome(Enum):
    """What kind of refusal a code is; the doors map this, never the code itself."""

    BAD_INPUT = "bad_input"  # unreadable input or a bad flag: nothing could be judged
    INVALID = "invalid"  # the input breaks a rule: fix it and retry
    CONFLICT = "conflict"  # the store already holds something this clashes with
    BREAKING = "breaking"  # a change its version or compatibility mode does not allow
    FORBIDDEN = "forbidden"  # the writer may not do this
    UNAUTHENTICATED = "unauthenticated"  # no credentials, or credentials that do not verify
    LIMIT = "limit"  # too large, deep or slow to judge
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"  # the store is busy or unreadable: try again


class Code(StrEnum):
    # files and names
    FILE_TOO_LARGE = "file.too_large"
    FILE_ENCODING = "file.encoding"
    FILE_MISSING = "file.missing"
    FILE_UNEXPECTED = "file.unexpected"
    FILE_MODE = "file.mode"
    NAME_INVALID = "name.invalid"
    NAME_MISMATCH = "name.mismatch"
    LAYOUT_PATH = "layout.path"
    LAYOUT_SIZE = "layout.size"
    # YAML and JSON syntax
    YAML_SYNTAX = "yaml.syntax"
    YAML_DEPTH = "yaml.depth"
    YAML_ALIASES = "yaml.aliases"
    YAML_EXPANSION = "yaml.expansion"
    YAML_DUPLICATE_KEY = "yaml.duplicate_key"
    YAML_KEY_TYPE = "yaml.key_type"
    YAML_VALUE_TYPE = "yaml.value_type"
    JSON_SYNTAX = "json.syntax"
    JSON_DEPTH = "json.depth"
    JSON_DUPLICATE_KEY = "json.duplicate_key"
    JSON_NUMBER = "json.number"
    # contract schemas and metadata
    SCHEMA_DIALECT = "schema.dialect"
    SCHEMA_METASCHEMA = "schema.metaschema"
    SCHEMA_REF_UNRESOLVED = "schema.ref_unresolved"
    SCHEMA_LIMIT = "schema.limit"
    CONTRACT_TYPE = "contract.type"
    CONTRACT_REQUIRED = "contract.required"
    CONTRACT_UNKNOWN_KEY = "contract.unknown_key"
    CONTRACT_FIELD = "contract.field"
    CONTRACT_DELETED = "contract.deleted"
    CONTRACT_REF_UNRESOLVED = "contract.ref_unresolved"
    CONTRACT_REF_EXTERNAL = "contract.ref_external"
    # data-contract rules and examples
    RULE_FIELD = "rule.field"
    RULE_DUPLICATE = "rule.duplicate"
    RULE_SYNTAX = "rule.syntax"
    RULE_EVALUATION = "rule.evaluation"
    RULE_MIGRATION = "rule.migration"
    EXAMPLE_INVALID = "example.invalid"
    EXAMPLE_RULE = "example.rule"
    WIT_FILE = "wit.file"
    WIT_SYNTAX = "wit.syntax"
    # capsules
    CAPSULE_SCHEMA = "capsule.schema"
    CAPSULE_RESERVED_TOOL = "capsule.reserved_tool"
    CAPSULE_DUPLICATE_TOOL = "capsule.duplicate_tool"
    CAPSULE_TOOL_NOT_ALLOWED = "capsule.tool_not_allowed"
    CAPSULE_UNUSED_TOOL = "capsule.unused_tool"
    CAPSULE_DUPLICATE_STEP = "capsule.duplicate_step"
    CAPSULE_UNKNOWN_DEPENDENCY = "capsule.unknown_dependency"
    CAPSULE_DEPENDENCY_CYCLE = "capsule.dependency_cycle"
    CAPSULE_ID = "capsule.id"
    CAPSULE_DELETED = "capsule.deleted"
    CAPSULE_CONTENT_PUBLISHED = "capsule.content_published"
    # versions
    VERSION_EXISTS = "version.exists"
    VERSION_IMMUTABLE = "version.immutable"
    VERSION_ORDER = "version.order"
    VERSION_BUMP = "version.bump"
    VERSION_BREAKING = "version.breaking"
    VERSION_INCOMPATIBLE = "version.incompatible"
    # the store policy (registry.yaml)
    POLICY_TYPE = "policy.type"
    POLICY_UNKNOWN_KEY = "policy.unknown_key"
    POLICY_VALUE = "policy.value"
    POLICY_SIGNER = "policy.signer"
    POLICY_DELETED = "policy.deleted"
    # pushes and refs
    REF_IMMUTABLE = "ref.immutable"
    REF_NON_FAST_FORWARD = "ref.non_fast_forward"
    REF_NAMESPACE = "ref.namespace"
    REF_NAME = "ref.name"
    # signatures and rights
    SIGNATURE_INVALID = "signature.invalid"
    SIGNATURE_PERMISSION = "signature.permission"
    SIGNATURE_REGISTRY_KEY = "signature.registry_key"  # the writer's key is not registry.yaml's
    # authentication and tenancy (the HTTP doors)
    AUTH_MISSING = "auth.missing"
    AUTH_INVALID = "auth.invalid"
    AUTH_SCOPE = "auth.scope"
    AUTH_ROLE = "auth.role"
    AUTH_TENANT = "auth.tenant"
    AUTH_TENANT_REQUIRED = "auth.tenant_required"
    AUTH_KEYS_UNAVAILABLE = "auth.keys_unavailable"
    AUTH_CONFIG = "auth.config"
    # bounds
    LIMIT_EXCEEDED = "limit.exceeded"
    # failures that are not a rule of the change
    INPUT_INVALID = "input.invalid"
    NOT_FOUND = "store.not_found"
    STORE_UNREADABLE = "store.unreadable"
    STORE_BUSY = "store.busy"
    # requests to the HTTP door
    REQUEST_STALE = "request.stale"  # If-Match names an etag that is no longer current
    REQUEST_KEY_REUSED = "request.key_reused"  # an idempotency key sent again with another body
    REQUEST_READ_ONLY = "request.read_only"  # a write to a server that holds no registry key
    REQUEST_REPLICA = "request.replica"  # a write to a read replica: it belongs to the primary

    @property
    def outcome(self) -> Outcome:
        return _OUTCOMES.get(self, Outcome.INVALID)


_OUTCOMES: dict[Code, Outcome] = {
    Code.CAPSULE_CONTENT_PUBLISHED: Outcome.CONFLICT,
    Code.VERSION_EXISTS: Outcome.CONFLICT,
    Code.VERSION_IMMUTABLE: Outcome.CONFLICT,
    Code.VERSION_ORDER: Outcome.CONFLICT,
    Code.CONTRACT_DELETED: Outcome.CONFLICT,
    Code.CAPSULE_DELETED: Outcome.CONFLICT,
    Code.REF_IMMUTABLE: Outcome.CONFLICT,
    Code.REF_NON_FAST_FORWARD: Outcome.CONFLICT,
    Code.VERSION_BUMP: Outcome.BREAKING,
    Code.VERSION_BREAKING: Outcome.BREAKING,
    Code.VERSION_INCOMPATIBLE: Outcome.BREAKING,
    Code.SIGNATURE_INVALID: Outcome.FORBIDDEN,
    Code.SIGNATURE_PERMISSION: Outcome.FORBIDDEN,
    Code.SIGNATURE_REGISTRY_KEY: Outcome.UNAVAILABLE,
    Code.REF_NAMESPACE: Outcome.FORBIDDEN,
    Code.AUTH_MISSING: Outcome.UNAUTHENTICATED,
    Code.AUTH_INVALID: Outcome.UNAUTHENTICATED,
    Code.AUTH_SCOPE: Outcome.FORBIDDEN,
    Code.AUTH_ROLE: Outcome.FORBIDDEN,
    Code.AUTH_TENANT: Outcome.FORBIDDEN,
    Code.AUTH_TENANT_REQUIRED: Outcome.BAD_INPUT,
    Code.AUTH_KEYS_UNAVAILABLE: Outcome.UNAVAILABLE,
    Code.AUTH_CONFIG: Outcome.BAD_INPUT,
    Code.FILE_TOO_LARGE: Outcome.LIMIT,
    Code.LAYOUT_SIZE: Outcome.LIMIT,
    Code.YAML_DEPTH: Outcome.LIMIT,
    Code.YAML_ALIASES: Outcome.LIMIT,
    Code.YAML_EXPANSION: Outcome.LIMIT,
    Code.JSON_DEPTH: Outcome.LIMIT,
    Code.JSON_NUMBER: Outcome.LIMIT,
    Code.SCHEMA_LIMIT: Outcome.LIMIT,
    Code.LIMIT_EXCEEDED: Outcome.LIMIT,
    Code.INPUT_INVALID: Outcome.BAD_INPUT,
    Code.NOT_FOUND: Outcome.NOT_FOUND,
    Code.STORE_UNREADABLE: Outcome.UNAVAILABLE,
    Code.STORE_BUSY: Outcome.UNAVAILABLE,
    Code.REQUEST_STALE: Outcome.CONFLICT,
    Code.REQUEST_READ_ONLY: Outcome.FORBIDDEN,
    Code.REQUEST_REPLICA: Outcome.UNAVAILABLE,
}

# The order in which a refusal's kind is chosen when a change breaks several rules: the
# most specific first, so a door answers "already published" rather than "invalid".
OUTCOME_PRECEDENCE = (
    Outcome.CONFLICT,
    Outcome.BREAKING,
    Outcome.FORBIDDEN,
    Outcome.UNAUTHENTICATED,
    Outcome.LIMIT,
    Outcome.INVALID,
    Outcome.BAD_INPUT,
    Outcome.NOT_FOUND,
    Outcome.UNAVAILABLE,
)

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) with a document.

    ``path`` is a JSONPath into the document (``$.spec.steps[0].tool``); ``file`` is
    the store path of the document when the problem is reported for a whole change.
    ``keyword`` names the schema keyword or field behind a family code
    (``schema.metaschema`` failing on ``format``).
    """

    code: Code
    message: str
    path: str = "$"
    severity: Severity = "error"
    file: str | None = None
    keyword: str | None = None

    @property
    def rule(self) -> str:
        """The code, with the keyword behind a family code: ``schema.metaschema[format]``."""
        return f"{self.code}[{self.keyword}]" if self.keyword else str(self.code)

    def at(self, file: str) -> Problem:
        """The same problem, attributed to a store file."""
        return Problem(self.code, self.message, self.path, self.severity, file, self.keyword)

    def render(self) -> str:
        where = f"{self.file}: " if self.file else ""
        at = f" at {self.path}" if self.path and self.path != "$" else ""
        return f"{where}{self.message} [{self.rule}{at}]"

    def as_dict(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {
            "code": str(self.code),
            "message": self.message,
            "path": self.path,
            "file": self.file,
            "severity": self.severity,
        }
        if self.keyword is not None:
            out["keyword"] = self.keyword
        return out
