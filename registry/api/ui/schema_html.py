"""A JSON Schema pretty-printed as HTML, its ``$ref``s turned into links.

A ``$ref`` to another contract of the store (``../<name>/schema.json#/…``, the only
cross-contract form the gate accepts) links to that contract's page; a local one
(``#/$defs/x``) links to the place it names on the same page. Any other ``$ref`` stays
text: nothing a schema says can become a link off this server, let alone a
``javascript:`` one. Every key and value is escaped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import Markup, escape

from registry.errors import InvalidName
from registry.model import contract_name
from registry.paths import ref_contract

_INDENT = "  "


def anchor_id(pointer: str) -> str:
    """An element id for a JSON pointer: stable, and valid whatever the pointer holds."""
    return "s-" + hashlib.sha256(pointer.encode()).hexdigest()[:12]


def _escape_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _local_target(ref: str, doc: Any) -> str | None:
    """The pointer a local ``$ref`` names, when it names a place in ``doc``."""
    if not ref.startswith("#"):
        return None
    pointer = ref[1:]
    if pointer and not pointer.startswith("/"):
        return None  # an anchor name ($anchor), not a pointer
    node = doc
    for token in pointer.split("/")[1:] if pointer else []:
        token = _unescape_token(token)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return pointer


def _other_contract(ref: str) -> str | None:
    """The contract a ``$ref`` to another contract's schema names, when it is a contract name."""
    name = ref_contract(ref.partition("#")[0])
    if name is None:
        return None
    try:
        return contract_name(name)
    except InvalidName:
        return None


def _refs(doc: Any) -> Iterator[str]:
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def render_schema(doc: Any, *, contract_link: Callable[[str], str | None]) -> Markup:
    """``doc`` as indented JSON in HTML; ``contract_link(name)`` is the page of a contract, or None."""
    return Markup(_Writer(doc, contract_link).html())


def _scalar(value: Any) -> str:
    return str(escape(json.dumps(value, ensure_ascii=False)))


class _Writer:
    """One rendering: the document, the places its local refs name, and the output so far."""

    def __init__(self, doc: Any, contract_link: Callable[[str], str | None]) -> None:
        self.doc = doc
        self.contract_link = contract_link
        self.targets = {t for ref in _refs(doc) if (t := _local_target(ref, doc)) is not None}
        self.out: list[str] = []

    def html(self) -> str:
        if "" in self.targets:
            self.out.append(f'<span class="target" id="{anchor_id("")}"></span>')
        self.write(self.doc, "", 0)
        return "".join(self.out)

    def link(self, ref: str) -> str | None:
        local = _local_target(ref, self.doc)
        if local is not None:
            return "#" + anchor_id(local)
        other = _other_contract(ref)
        return self.contract_link(other) if other is not None else None

    def write(self, node: Any, pointer: str, depth: int) -> None:
        if isinstance(node, dict) and node:
            self.members(node, pointer, depth)
        elif isinstance(node, list) and node:
            self.out.append("[\n")
            for i, value in enumerate(node):
                self.out.append(_INDENT * (depth + 1))
                self.write(value, f"{pointer}/{i}", depth + 1)
                self.out.append(",\n" if i < len(node) - 1 else "\n")
            self.out.append(_INDENT * depth + "]")
        elif isinstance(node, str):
            self.out.append(f'<span class="s">{_scalar(node)}</span>')
        else:
            self.out.append(_scalar(node))

    def members(self, node: dict[str, Any], pointer: str, depth: int) -> None:
        out = self.out
        out.append("{\n")
        for i, (key, value) in enumerate(node.items()):
            child = f"{pointer}/{_escape_token(str(key))}"
            out.append(_INDENT * (depth + 1))
            opened = child in self.targets
            if opened:
                out.append(f'<span class="target" id="{anchor_id(child)}">')
            out.append(f'<span class="k">{_scalar(key)}</span>: ')
            href = self.link(value) if key == "$ref" and isinstance(value, str) else None
            if href is not None:
                out.append(f'<a class="ref" href="{escape(href)}">{_scalar(value)}</a>')
            else:
                self.write(value, child, depth + 1)
            if opened:
                out.append("</span>")
            out.append(",\n" if i < len(node) - 1 else "\n")
        out.append(_INDENT * depth + "}")


def pretty(text: str) -> str:
    """A schema's text indented the same way whatever its author's layout (for diffs)."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    except ValueError:
        return text
