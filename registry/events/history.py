"""``main``'s history as change detection reads it: which commit changed a file, and order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pygit2

#: How far back to look for the commit that changed a file before settling for ``head``.
MAX_WALK = 10_000


class MainHistory:
    """Reads a store's commits (opened per call's thread: pygit2 objects stay in one thread)."""

    def __init__(self, store_path: Path) -> None:
        self.repo = pygit2.Repository(str(store_path))

    def change_of(self, head: str, path: str) -> tuple[str, datetime]:
        """The newest commit up to ``head`` whose first parent held other content at ``path``."""
        commit = self.repo[pygit2.Oid(hex=head)]
        assert isinstance(commit, pygit2.Commit)
        here = _entry(commit.tree, path)
        for _ in range(MAX_WALK):
            if not commit.parents:
                break
            parent = commit.parents[0]
            if _entry(parent.tree, path) != here:
                break
            commit = parent
        return str(commit.id), datetime.fromtimestamp(commit.commit_time, UTC)

    def behind(self, head: str, than: str) -> bool:
        try:
            return head != than and self.repo.descendant_of(pygit2.Oid(hex=than), pygit2.Oid(hex=head))
        except (pygit2.GitError, KeyError, ValueError):
            return False


def _entry(tree: pygit2.Tree, path: str) -> pygit2.Oid | None:
    try:
        return tree[path].id
    except KeyError:
        return None
