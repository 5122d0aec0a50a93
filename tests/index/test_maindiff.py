"""The changed directories between two trees, found around the change only, are exactly the
ones an entry-by-entry comparison finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.index.maindiff import changed_names

NAME = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True).filter(lambda n: ".." not in n)
OID = st.binary(min_size=20, max_size=20)
TREES = st.dictionaries(NAME, OID, max_size=40)


def raw_tree(entries: dict[str, bytes]) -> bytes:
    """A git tree object's body of directories (git sorts a directory as its name plus '/')."""
    return b"".join(
        b"40000 " + name.encode() + b"\0" + oid
        for name, oid in sorted(entries.items(), key=lambda e: e[0] + "/")
    )


def brute_force(old: dict[str, bytes], new: dict[str, bytes]) -> set[str]:
    return {n for n in old.keys() | new.keys() if old.get(n) != new.get(n)}


@settings(max_examples=400, deadline=None)
@given(TREES, TREES)
def test_any_two_trees(old: dict[str, bytes], new: dict[str, bytes]) -> None:
    assert changed_names(raw_tree(old), raw_tree(new)) == brute_force(old, new)


@settings(max_examples=400, deadline=None)
@given(TREES, st.dictionaries(NAME, st.one_of(st.none(), OID), max_size=4))
def test_a_few_changes_to_a_tree(old: dict[str, bytes], edits: dict[str, bytes | None]) -> None:
    new = dict(old)
    for name, oid in edits.items():
        if oid is None:
            new.pop(name, None)
        else:
            new[name] = oid
    assert changed_names(raw_tree(old), raw_tree(new)) == brute_force(old, new)


def test_a_file_where_directories_belong_asks_for_the_general_diff() -> None:
    old = raw_tree({"a": b"\1" * 20})
    new = old + b"100644 b\0" + b"\2" * 20
    assert changed_names(old, new) is None
