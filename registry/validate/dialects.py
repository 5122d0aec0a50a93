"""The dialect a schema without ``$schema`` is read in: one rule for every door.

A store names it in ``registry.yaml``'s ``default_dialect`` (default 2020-12);
``registry lint compare`` takes ``--default-dialect``. Reading a schema in a dialect is the
same as writing that dialect's ``$schema`` at its top, so :func:`in_dialect` does exactly
that, and the validator, the linter and the witness search all see one explicit dialect.
Each door applies it where it reads a schema (the gate in ``read_contract`` and for the
published versions it compares with, the HTTP doors through ``StorePolicy.in_dialect``);
a schema's stored bytes are never rewritten.
"""

from __future__ import annotations

from typing import Any

from registry.errors import InvalidInput
from registry.schema_validator import DEFAULT_DIALECT as IMPLICIT_URI
from registry.schema_validator import KNOWN_DIALECTS

#: Dialect names accepted in settings and flags, with the ``$schema`` each stands for.
DIALECTS: dict[str, str] = {
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
    "2019-09": "https://json-schema.org/draft/2019-09/schema",
    "draft-07": "http://json-schema.org/draft-07/schema#",
    "draft-06": "http://json-schema.org/draft-06/schema#",
    "draft-04": "http://json-schema.org/draft-04/schema#",
}
DEFAULT_DIALECT = "2020-12"
# Every dialect named here is one the validator builds; and what every reader (the validator,
# the linter, the witness search) assumes without ``$schema`` is the default here, so leaving
# it implicit in ``in_dialect`` reads it the same.
assert all(uri.rstrip("#") in KNOWN_DIALECTS for uri in DIALECTS.values()), "a dialect the validator lacks"
assert DIALECTS[DEFAULT_DIALECT] == IMPLICIT_URI, "the default dialect differs from the validator's"


def parse_dialect(name: str) -> str:
    """A dialect name checked against :data:`DIALECTS`; InvalidInput naming the choices otherwise."""
    if name not in DIALECTS:
        raise InvalidInput(
            f"unknown dialect {name!r}", hint=f"use one of {', '.join(DIALECTS)} (default {DEFAULT_DIALECT})"
        )
    return name


def in_dialect(schema: Any, default_dialect: str = DEFAULT_DIALECT) -> Any:
    """``schema`` with ``$schema`` made explicit when it names none and the default is not 2020-12.

    2020-12 is what every reader assumes without ``$schema``, so it is left implicit.
    """
    if default_dialect == DEFAULT_DIALECT or not isinstance(schema, dict) or "$schema" in schema:
        return schema
    return {"$schema": DIALECTS[parse_dialect(default_dialect)], **schema}
