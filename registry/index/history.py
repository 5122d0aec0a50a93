"""What ``main``'s history says that no tag does: when a capsule's directory last changed,
and which idempotency keys the HTTP door recorded.

Both walk commits from the head back only as far as they must: to the commit where a
directory took its current form (never past its newest version's commit, which is
where it last changed when nothing came after), and for keys, to the previous head a
refresh already read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

import pygit2
from pygit2.enums import SortMode

#: The commit trailer the HTTP door writes for ``X-Idempotency-Key``: ``<tenant>/<key>``.
IDEMPOTENCY_TRAILER = "Idempotency-Key"
_TRAILER_BYTES = IDEMPOTENCY_TRAILER.encode() + b": "
_TRAILER_LINE = re.compile(rb"^" + re.escape(_TRAILER_BYTES) + rb"(\S+)[ \t]*$", re.M)


def _entry(tree: pygit2.Tree, path: str) -> pygit2.Oid | None:
    try:
        return tree[path].id
    except KeyError:
        return None


def last_changed(
    repo: pygit2.Repository,
    head: pygit2.Oid,
    paths: Mapping[str, pygit2.Oid | None],
    *,
    stop_at: Mapping[str, pygit2.Oid | None] | None = None,
) -> dict[str, datetime]:
    """When each directory in ``paths`` (path -> its tree id at ``head``) took that form.

    Walks ``main``'s first parents from ``head``: a path is settled at the commit whose
    parent holds something else there, or at ``stop_at[path]`` (a commit known to have
    changed it, such as its newest version's). The answer is that commit's time.
    """
    stop_at = stop_at or {}
    pending = dict(paths)
    found: dict[str, datetime] = {}
    commit = repo[head]
    while pending:
        when = datetime.fromtimestamp(commit.commit_time, UTC)
        parents = commit.parent_ids
        parent = repo[parents[0]] if parents else None
        parent_tree = parent.tree if parent is not None else None
        for path, tree_id in list(pending.items()):
            stop = stop_at.get(path)
            before = _entry(parent_tree, path) if parent_tree is not None else None
            if parent is None or before != tree_id or (stop is not None and commit.id == stop):
                found[path] = when
                del pending[path]
        if parent is None:
            break
        commit = parent
    return found


def idempotency_keys(
    repo: pygit2.Repository, head: pygit2.Oid, *, since: pygit2.Oid | None = None
) -> dict[str, str]:
    """``<tenant>/<key>`` -> the first commit whose message records it, for the commits
    reachable from ``head`` and not from ``since``.

    Only commit messages are read (the trailer is searched in the raw bytes first), so
    a walk over a long history costs one object read per commit.
    """
    walker = repo.walk(head, SortMode.TOPOLOGICAL | SortMode.REVERSE)
    if since is not None:
        walker.hide(since)
    keys: dict[str, str] = {}
    for commit in walker:
        raw = commit.raw_message
        if _TRAILER_BYTES not in raw:
            continue
        for key in _TRAILER_LINE.findall(raw):
            keys.setdefault(key.decode("utf-8", "replace"), str(commit.id))
    return keys


def merge_first(older: Mapping[str, str], newer: Iterable[tuple[str, str]]) -> dict[str, str] | None:
    """``older`` plus the keys of ``newer`` it lacks (the first record wins), or None when
    nothing is added."""
    added = {k: v for k, v in newer if k not in older}
    if not added:
        return None
    return {**older, **added}
