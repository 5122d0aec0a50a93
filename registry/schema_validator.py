"""The one way the package builds a JSON Schema validator: references resolve locally or not at all.

A validator built with jsonschema's defaults resolves a ``$ref`` it does not hold by fetching
it: ``http://…`` goes out on the network, ``file:///dev/zero`` is read until memory runs out,
a listener that never answers pins the thread. Every schema the registry validates with comes
from a pusher or an API client, so every validator here carries a reference registry that
holds the drafts' own metaschemas and refuses every other retrieval; an unknown reference
is then an ordinary unresolvable one. ``tests/test_schema_validator.py`` scans the package so
no other module builds a validator any other way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from jsonschema import (
    Draft4Validator,
    Draft6Validator,
    Draft7Validator,
    Draft201909Validator,
    Draft202012Validator,
    FormatChecker,
    validators,
)
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource


def _refuse(uri: str) -> Resource[Any]:
    """A reference outside the schema and the drafts' metaschemas: never fetched."""
    raise NoSuchResource(ref=uri)


#: Refuses every retrieval; jsonschema adds the drafts' metaschemas to it (and nothing else).
LOCKED_REGISTRY: Registry[Any] = Registry(retrieve=_refuse)  # type: ignore[call-arg]

_CLASSES: dict[str, type[Validator]] = {
    "http://json-schema.org/draft-04/schema": Draft4Validator,
    "http://json-schema.org/draft-06/schema": Draft6Validator,
    "http://json-schema.org/draft-07/schema": Draft7Validator,
    "https://json-schema.org/draft/2019-09/schema": Draft201909Validator,
    "https://json-schema.org/draft/2020-12/schema": Draft202012Validator,
}
DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class Dialect(NamedTuple):
    """A JSON Schema draft the registry knows, named by its metaschema URI."""

    uri: str

    @property
    def id_keyword(self) -> str:
        """``id`` in draft-04, ``$id`` after it."""
        return "id" if self.uri == "http://json-schema.org/draft-04/schema" else "$id"

    @property
    def formats(self) -> dict[str, Any]:
        """The draft's own format checks (name → (function, errors it raises))."""
        return dict(_CLASSES[self.uri].FORMAT_CHECKER.checkers)

    @property
    def format_checker(self) -> FormatChecker:
        """The draft's own format checker."""
        return _CLASSES[self.uri].FORMAT_CHECKER


KNOWN_DIALECTS: tuple[str, ...] = tuple(_CLASSES)


def dialect(schema: Any) -> Dialect | None:
    """The draft a schema names in ``$schema``; 2020-12 when it names none; None when unknown."""
    if not isinstance(schema, dict) or "$schema" not in schema:
        return Dialect(DEFAULT_DIALECT)
    uri = schema["$schema"]
    if not isinstance(uri, str) or uri.rstrip("#") not in _CLASSES:
        return None
    return Dialect(uri.rstrip("#"))


Keyword = Callable[[Any, Any, Any, Any], Any]


def build(
    schema: Any,
    *,
    under: Dialect | None = None,
    format_checker: FormatChecker | None = None,
    keywords: Mapping[str, Keyword] | None = None,
) -> Validator:
    """A validator for ``schema`` under ``under`` (else its own ``$schema``, else 2020-12).

    ``keywords`` replaces the implementation of keywords the draft has (others are ignored);
    ``format_checker`` makes ``format`` assert. References resolve inside ``schema`` and the
    drafts' metaschemas only.
    """
    chosen = under or dialect(schema) or Dialect(DEFAULT_DIALECT)
    cls = _CLASSES[chosen.uri]
    if keywords:
        cls = validators.extend(cls, {k: v for k, v in keywords.items() if k in cls.VALIDATORS})
    return cls(schema, registry=LOCKED_REGISTRY, format_checker=format_checker)  # type: ignore[call-arg]


def metaschema(under: Dialect, *, format_checker: FormatChecker | None = None) -> Validator:
    """A validator of schemas written in ``under``: its metaschema, applied with the locked registry."""
    return build(_CLASSES[under.uri].META_SCHEMA, under=under, format_checker=format_checker)
