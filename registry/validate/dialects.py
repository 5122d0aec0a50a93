"""The dialect a schema without ``$schema`` is read in: one rule for every door.

A store names it in ``default_dialect`` (default 2020-12); ``registry lint compare`` takes
``--default-dialect``. Reading a schema in a dialect is the same as writing that dialect's
``$schema`` at its top, so :func:`in_dialect` does exactly that, and the validator, the
linter and the witness search all see one explicit dialect.
"""

from __future__ import annotations

from typing import Any

from registry.errors import InvalidInput

#: Dialect names accepted in settings and flags, with the ``$schema`` each stands for.
DIALECTS: dict[str, str] = {
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
    "2019-09": "https://json-schema.org/draft/2019-09/schema",
    "draft-07": "http://json-schema.org/draft-07/schema#",
    "draft-06": "http://json-schema.org/draft-06/schema#",
    "draft-04": "http://json-schema.org/draft-04/schema#",
}
DEFAULT_DIALECT = "2020-12"


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
