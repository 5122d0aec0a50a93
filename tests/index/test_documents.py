"""The index reads accepted YAML to the same values as the gate's loader, only faster."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import EXAMPLE_STORE

from registry.index.documents import flat_mapping, load_accepted
from registry.model import Limits
from registry.validate import load_yaml

FLAT = {
    "what publish writes": "name: order.placed\nversion: 1.0.0\ndescription: An order was placed\n",
    "old-style version": "name: approval.granted\nversion: v1\n",
    "dots and dashes": "name: a-b.c_d\ncompatibility: BACKWARD_TRANSITIVE\n",
    "words with spaces": "description: A ritual run has started.\n",
}

NOT_FLAT = {
    "a float": "version: 1.0\n",
    "an integer": "version: 1\n",
    "a boolean": "deprecated: true\n",
    "a YAML 1.1 boolean": "enabled: yes\n",
    "a null": "sunset: null\n",
    "a date": "sunset: 2027-06-30\n",
    "a key that is a boolean": "on: x\n",
    "a comment": "name: x # note\n",
    "a colon inside": "description: a: b\n",
    "a quoted string": "description: 'quoted'\n",
    "a list": "tags: [a, b]\n",
    "nesting": "labels:\n  team: growth\n",
    "a folded line": "description: a long\n  line\n",
    "no final newline": "name: x",
    "a duplicate key": "name: x\nname: y\n",
    "a trailing space": "name: x \n",
    "an indicator first": "name: -x\n",
    "a document marker": "---\nname: x\n",
    "empty": "",
}

#: Documents the gate never lets onto main, so the index never reads them.
REFUSED_BY_THE_GATE = {"a duplicate key", "a key that is a boolean", "a colon inside", "empty"}


@pytest.mark.parametrize("text", FLAT.values(), ids=FLAT.keys())
def test_flat_files_are_read_without_a_parser_to_what_yaml_says(text: str) -> None:
    assert flat_mapping(text) == load_yaml(text, limits=Limits())


@pytest.mark.parametrize("text", NOT_FLAT.values(), ids=NOT_FLAT.keys())
def test_anything_more_than_plain_strings_goes_to_the_parser(text: str) -> None:
    assert flat_mapping(text) is None


@pytest.mark.parametrize(
    "text",
    [t for k, t in NOT_FLAT.items() if k not in REFUSED_BY_THE_GATE],
    ids=lambda t: t.strip()[:24],
)
def test_what_the_parser_reads_equals_the_gates_loader(text: str) -> None:
    assert load_accepted(text) == load_yaml(text, limits=Limits())


@pytest.mark.parametrize("path", sorted(EXAMPLE_STORE.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_example_store_document_reads_as_the_gate_reads_it(path: Path) -> None:
    data = path.read_bytes()
    assert load_accepted(data) == load_yaml(data, limits=Limits())
