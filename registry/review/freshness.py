"""Whether a clone's version tags keep up with the history it reviews.

The gate reads published versions from the ``contracts/<name>/<version>`` tags. A clone
that fetched ``main`` without the tags of its last accepted pushes (``git fetch --no-tags``,
a shallow CI checkout) would compare a change with an older version and ask for the wrong
bump. Every contract version ``main``'s history holds at BASE must have its tag here; those
that do not are listed, so the review can refuse loudly instead of judging wrongly.
"""

from __future__ import annotations

import pygit2

from registry.errors import InvalidInput, ValidationFailed
from registry.git.refs import TAG_PREFIX
from registry.git.store import Store
from registry.model import Limits
from registry.paths import CONTRACT_META, CONTRACTS, contract_dir, contract_file, tag_name
from registry.validate.yamlsafe import load_yaml


def missing_tags(store: Store, base: pygit2.Oid) -> list[str]:
    """The tags (``contracts/<name>/<version>``) of contract versions at ``base`` that this clone lacks."""
    snapshot = store.snapshot(base)
    missing = []
    for name in sorted(snapshot.subdirs(CONTRACTS)):
        raw = snapshot.read(contract_file(name, CONTRACT_META))
        if raw is None:
            continue
        try:
            doc = load_yaml(raw, limits=Limits())
        except ValidationFailed:
            continue  # the gate reports a broken file on its own
        version = doc.get("version") if isinstance(doc, dict) else None
        tag = tag_name(contract_dir(name), version) if isinstance(version, str) else None
        if tag is not None and TAG_PREFIX + tag not in store.repo.references:
            missing.append(tag)
    return missing


def require_fresh_tags(store: Store, base: pygit2.Oid) -> None:
    """Refuse (exit 2) a review whose clone lacks the tags of versions ``base`` already published."""
    missing = missing_tags(store, base)
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise InvalidInput(
            f"this clone's version tags are behind main's history: it lacks {shown}, so the review "
            "would compare with older versions and ask for the wrong version",
            hint="fetch the tags (git fetch --tags origin; in GitHub Actions: actions/checkout with "
            "fetch-depth: 0 and fetch-tags: true), then review again",
        )
