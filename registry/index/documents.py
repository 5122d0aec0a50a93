"""Reading YAML the gate has already accepted, fast.

The gate reads every document with ``registry.validate.load_yaml``: limits, duplicate
keys, JSON-only values. That care costs about 0.3 ms for a three-line ``contract.yaml``,
which a store of 100,000 versions cannot pay at start-up. What the index reads is only
what the gate let onto ``main``, so it needs the same *values*, not the checks:

- a flat ``key: plain scalar`` file (what ``registry publish`` writes for a contract) is
  read line by line, and each scalar is typed by PyYAML's own resolver, so the result is
  the one YAML gives; anything else (quotes, nesting, flow style, comments, booleans,
  numbers) falls through to
- libyaml with PyYAML's safe constructor, where dates stay the strings they were written
  as (like the gate's loader, so a capsule's content hash is computed over the same
  document).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.resolver import Resolver

_STR = "tag:yaml.org,2002:str"
_PLAIN_IMPLICIT = (True, False)
_RESOLVER = Resolver()
# A plain scalar whose first character starts none of YAML's implicit types (bool, int,
# float, null, timestamp, merge, value) is a string without asking the resolver.
_TYPED_FIRST = frozenset(ch for ch in Resolver.yaml_implicit_resolvers if ch)

# "key: value" where the value is a plain scalar that cannot start with an indicator
# (YAML 1.2 section 7.3.3) and holds no ": ", " #" or tab (which would end or split it).
_FLAT_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): ([^\s'\"\[\]{}#&*!|>%@`,?:-][^\t\n]*)\n")


def _plain_string(value: str) -> bool:
    if value[-1] in " :" or ": " in value or " #" in value:
        return False
    if value[0] not in _TYPED_FIRST:
        return True
    return _RESOLVER.resolve(yaml.ScalarNode, value, _PLAIN_IMPLICIT) == _STR


def flat_mapping(text: str) -> dict[str, str] | None:
    """A mapping of plain string scalars read without a YAML parser, or None when the text
    is anything more than that (the caller then parses it for real)."""
    out: dict[str, str] = {}
    pos = 0
    for m in _FLAT_LINE.finditer(text):
        if m.start() != pos:
            return None
        pos = m.end()
        key, value = m.group(1), m.group(2)
        if key in out or not _plain_string(key) or not _plain_string(value):
            return None
        out[key] = value
    return out if pos == len(text) and out else None


class _AcceptedLoader(yaml.CSafeLoader):  # type: ignore[misc,name-defined]
    """libyaml and the safe constructor; timestamps are not resolved (they stay strings)."""


_AcceptedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}


def load_accepted(data: bytes | str) -> Any:
    """The value of an accepted YAML document (None when it cannot be read at all)."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    flat = flat_mapping(text)
    if flat is not None:
        return flat
    try:
        return yaml.load(text, Loader=_AcceptedLoader)  # a safe loader
    except yaml.YAMLError:
        return None
