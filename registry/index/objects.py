"""Reading version tags and the files they point at, straight from the object database.

A cold build reads one tag object and one directory per version: 100,000 versions must
take a few seconds, so each step is the cheapest git offers. Tags are read as raw bytes
(their first line names the commit); each commit's root tree is looked up once and
directories and files are found by path in C; file texts and parsed YAML are kept by
blob id, so a schema that many versions share is read, decoded and stored once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pygit2

from registry.index.documents import load_accepted
from registry.trust.sshsig import split_signed_tag

_TAG = pygit2.enums.ObjectType.TAG
_BLOB = pygit2.enums.ObjectType.BLOB
_TAGGER_TIME = re.compile(rb"\ntagger [^\n]* (\d+) [+-]\d{4}\n")
_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*): (.*?)\s*$", re.M)


@dataclass(frozen=True, slots=True)
class TagRecord:
    """What a version tag says: the commit it points at, when it was made, and its fields."""

    commit: str
    created_at: datetime
    fields: dict[str, str]


def parse_tag(raw: bytes) -> TagRecord | None:
    """The commit, tagger time and ``key: value`` fields of a raw annotated tag object.

    The message's fields are the ones ``registry.gate.published.tag_message`` writes;
    the signature armor after them is cut off first.
    """
    payload, _armor = split_signed_tag(raw)
    end = payload.find(b"\n\n")
    if not payload.startswith(b"object ") or end < 0:
        return None
    header = payload[: end + 1]
    when = _TAGGER_TIME.search(header)
    # The message is a title line, a blank line, then the fields.
    body = payload[end + 2 :].decode("utf-8", "replace").split("\n", 2)
    fields = dict(_FIELD.findall(body[2])) if len(body) == 3 else {}
    return TagRecord(
        header[7:47].decode("ascii"),
        datetime.fromtimestamp(int(when.group(1)) if when else 0, UTC),
        fields,
    )


class ObjectReader:
    """Cached reads of one repository's objects, for one build or refresh (one thread)."""

    def __init__(self, repo: pygit2.Repository) -> None:
        self.repo = repo
        self.odb = repo.odb
        self._roots: dict[str, pygit2.Tree | None] = {}
        self._texts: dict[pygit2.Oid, str] = {}
        self._yaml: dict[pygit2.Oid, Any] = {}
        self._strings: dict[str, str] = {}

    def intern(self, text: str) -> str:
        """One string object for equal texts (commit ids repeat across a commit's versions)."""
        return self._strings.setdefault(text, text)

    def tag(self, tag_id: str) -> TagRecord | None:
        try:
            kind, raw = self.odb.read(tag_id)
        except (KeyError, ValueError, pygit2.GitError):
            return None
        if kind != _TAG:
            return None
        return parse_tag(raw)

    def _root(self, commit: str) -> pygit2.Tree | None:
        if commit not in self._roots:
            try:
                self._roots[commit] = self.repo[commit].peel(pygit2.Tree)
            except (KeyError, ValueError, pygit2.GitError):
                self._roots[commit] = None
        return self._roots[commit]

    def tree(self, commit: str, path: str) -> pygit2.Tree | None:
        """The directory at ``path`` in ``commit`` (libgit2 keeps trees parsed), or None."""
        root = self._root(commit)
        if root is None:
            return None
        try:
            obj = root[path]
        except KeyError:
            return None
        return obj if isinstance(obj, pygit2.Tree) else None

    @staticmethod
    def blob_id(tree: pygit2.Tree, name: str) -> pygit2.Oid | None:
        """The id of the file ``name`` directly inside ``tree``, or None."""
        try:
            obj = tree[name]
        except KeyError:
            return None
        return obj.id if obj.type == _BLOB else None

    def entry_id(self, commit: str, path: str) -> pygit2.Oid | None:
        """The id of the tree or blob at ``path`` in ``commit``, or None."""
        root = self._root(commit)
        if root is None:
            return None
        try:
            return root[path].id
        except KeyError:
            return None

    def text(self, blob: pygit2.Oid) -> str:
        """A blob as text; equal blobs give the same string object."""
        text = self._texts.get(blob)
        if text is None:
            text = self._texts[blob] = self.odb.read(blob)[1].decode("utf-8", "replace")
        return text

    def yaml(self, blob: pygit2.Oid, *, keep: bool = True) -> Any:
        """An accepted YAML blob's value, parsed once per blob id; ``keep=False`` reads a
        blob that no later read will ask for again without holding on to it."""
        if blob in self._yaml:
            return self._yaml[blob]
        value = load_accepted(self.odb.read(blob)[1])
        if keep:
            self._yaml[blob] = value
        return value

    def commit_time(self, commit: str | pygit2.Oid) -> datetime:
        c = self.repo[commit]
        return datetime.fromtimestamp(c.commit_time, UTC)
