"""Keeping a store's refs packed as versions are written, and its pushes blind to version tags.

Every version tag is written as a loose ref, and git pays for loose refs on every push
(it reads each to advertise it) and every cold read. ``git pack-refs`` folds them into the
one sorted ``packed-refs`` file. Packing rewrites that whole file, so it is done once
enough loose tags have gathered (``PACK_THRESHOLD``; ``bench/bench_scale.py`` measures it
against packing after every landing), not after each one.

It is git's own ``pack-refs`` that packs, because it is safe under concurrent writers:
it writes the new ``packed-refs`` (a lock, then a rename) before it removes any loose ref,
and it removes a loose ref only under that ref's own lock and only while the ref still
holds the value it packed. A reader that reads the loose refs first and ``packed-refs``
second therefore never misses a ref (``registry.git.refs``, ``registry.index.tagrefs``).
A packer that finds ``packed-refs.lock`` held leaves the work to whoever holds it.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from registry.environment import environment
from registry.git.refs import CAPSULE_TAGS, CONTRACT_TAGS, TAG_PREFIX
from registry.git.store import Store

#: Loose version tags that may gather before they are packed.
PACK_THRESHOLD = 256

#: Refs receive-pack neither advertises nor lets a push update (``receive.hideRefs``).
#: Version tags are the registry's alone (``registry.hooks.ref_policy``) and grow with the
#: store; advertising them made a one-commit push over 20,000 tags ~2x slower even packed.
HIDDEN_FROM_PUSH = (CONTRACT_TAGS.rstrip("/"), CAPSULE_TAGS.rstrip("/"), "refs/registry")

# The environment a hook or a gate server hands down names the pushing repository's
# quarantine; the packer works on the store itself.
_GIT_ENV_DROP = ("GIT_DIR", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH")


def loose_tags(store_path: Path, *, stop_at: int | None = None) -> int:
    """How many loose refs there are under ``refs/tags/`` (counting stops at ``stop_at``)."""
    count = 0
    for _dirpath, _dirs, files in os.walk(store_path / TAG_PREFIX):
        count += sum(1 for f in files if not f.endswith(".lock"))
        if stop_at is not None and count >= stop_at:
            return count
    return count


def pack_refs(store_path: Path) -> bool:
    """Pack every ref now (``git pack-refs --all``); False when another packer holds the lock."""
    env = {k: v for k, v in environment().items() if k not in _GIT_ENV_DROP}
    done = subprocess.run(
        ["git", f"--git-dir={store_path}", "pack-refs", "--all"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0


def keep_packed(store_path: Path, *, threshold: int = PACK_THRESHOLD) -> bool:
    """Pack the refs when ``threshold`` loose tags have gathered; True when it packed."""
    if loose_tags(store_path, stop_at=threshold) < threshold:
        return False
    return pack_refs(store_path)


#: What receive-pack lists of "an alternate's" refs for its connectivity check. During a push
#: the store's own object directory is the quarantine's alternate, so git runs
#: ``for-each-ref`` over the whole store, every version tag included (hiding does not apply
#: there): 660 ms of a 770 ms push at 100,000 versions. Every tag points into ``main``'s
#: history, so the branches alone are as good a boundary for the walk.
ALTERNATE_REFS = "refs/heads/"


def configure_for_scale(store: Store) -> None:
    """The git config that keeps pushes to a large store fast (``init``, ``hooks install``)."""
    config = store.repo.config
    config["core.alternateRefsPrefixes"] = ALTERNATE_REFS
    present = set(config.get_multivar("receive.hideRefs"))
    for prefix in HIDDEN_FROM_PUSH:
        if prefix not in present:
            # A pattern no present value matches: libgit2 adds the value beside the others.
            config.set_multivar("receive.hideRefs", f"^{re.escape(prefix)}$", prefix)
