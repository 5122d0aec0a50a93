"""Refs stay packed as versions are written, safely beside concurrent writers and readers,
and stores hide version tags from pushes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from support import git, refs

from registry.git.packing import ALTERNATE_REFS, HIDDEN_FROM_PUSH, keep_packed, loose_tags, pack_refs
from registry.git.refs import CONTRACT_TAGS
from registry.git.store import Store
from registry.index.tagrefs import TagRefs
from registry.write.bootstrap import install_hooks
from registry.write.publish import ContractInput, Writer, publish_contract

pytestmark = pytest.mark.git

SCHEMA = '{"type": "object"}'


def test_init_hides_version_tags_from_pushes(empty_store: Store) -> None:
    out = git(f"--git-dir={empty_store.path}", "config", "--get-all", "receive.hideRefs").stdout
    assert out.split() == list(HIDDEN_FROM_PUSH)


def test_hooks_install_configures_an_existing_store_once(empty_store: Store) -> None:
    git(f"--git-dir={empty_store.path}", "config", "--unset-all", "receive.hideRefs")
    install_hooks(empty_store)
    install_hooks(empty_store)
    out = git(f"--git-dir={empty_store.path}", "config", "--get-all", "receive.hideRefs").stdout
    assert out.split() == list(HIDDEN_FROM_PUSH)


def test_clones_still_see_every_version_tag(example_store: Store, tmp_path: Path) -> None:
    work = tmp_path / "c"
    git("clone", "-q", "--mirror", f"file://{example_store.path}", str(work))
    tags = [r for r in refs(Store.open(work)) if r.startswith(CONTRACT_TAGS)]
    assert tags and tags == [r for r in refs(example_store) if r.startswith(CONTRACT_TAGS)]


def test_loose_tags_are_packed_once_past_the_threshold(empty_store: Store, writer: Writer) -> None:
    for i in range(3):
        publish_contract(empty_store, ContractInput(f"c{i}", "1.0.0", SCHEMA), writer=writer, door="cli")
    assert loose_tags(empty_store.path) == 3
    assert not keep_packed(empty_store.path, threshold=4)
    publish_contract(empty_store, ContractInput("c3", "1.0.0", SCHEMA), writer=writer, door="cli")
    # Landings pack at the default threshold; here a threshold of 4 is now reached.
    assert keep_packed(empty_store.path, threshold=4)
    assert loose_tags(empty_store.path) == 0
    packed = (empty_store.path / "packed-refs").read_text()
    assert all(f"{CONTRACT_TAGS}c{i}/1.0.0" in packed for i in range(4))
    assert len(empty_store.refs_under(CONTRACT_TAGS)) == 4
    assert git(f"--git-dir={empty_store.path}", "fsck", "--no-dangling").returncode == 0


_WRITER = """
import sys, pygit2
repo = pygit2.Repository(sys.argv[1])
target = repo.references.get("refs/heads/main").target
for i in range(int(sys.argv[3])):
    repo.references.create(f"refs/tags/contracts/{sys.argv[2]}-{i}/1.0.0", target)
"""


def test_packing_beside_writers_and_a_reader_loses_no_ref(empty_store: Store) -> None:
    """Writers create loose tags, a packer packs in a loop, and a reader that reads the way
    the index does never sees a ref it saw before go missing."""
    path = empty_store.path
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), f"w{n}", "60"]) for n in range(3)]
    stop = threading.Event()
    lost: list[str] = []

    def read() -> None:
        seen: set[str] = set()
        while not stop.is_set():
            now = set(TagRefs.read(path)) | set(Store.open(path).refs_under(CONTRACT_TAGS))
            lost.extend(seen - now)
            seen |= now

    reader = threading.Thread(target=read)
    reader.start()
    packs = 0
    while any(w.poll() is None for w in writers):
        packs += pack_refs(path)
    stop.set()
    reader.join()
    assert all(w.returncode == 0 for w in writers)
    assert packs > 0 and lost == []
    assert pack_refs(path) and loose_tags(path) == 0
    assert len(Store.open(path).refs_under(CONTRACT_TAGS)) == 180


def test_a_push_lists_only_branches_of_the_store_it_is_quarantined_from(
    example_store: Store, tmp_path: Path
) -> None:
    # During a push the store is the quarantine's alternate; git lists "its" refs for the
    # connectivity check, and with every version tag that was most of a push at 100k.
    work = tmp_path / "w"
    git("clone", "-q", f"file://{example_store.path}", str(work))
    (work / "docs").mkdir(exist_ok=True)
    (work / "docs" / "note.md").write_text("a note\n")
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "a note", cwd=work)
    trace = tmp_path / "trace.json"
    pushed = git("push", "-q", "origin", "HEAD:main", cwd=work, env={"GIT_TRACE2_EVENT": str(trace)})
    assert pushed.returncode == 0, pushed.stderr
    listings = [
        event["argv"]
        for event in map(json.loads, trace.read_text().splitlines())
        if event.get("event") == "child_start" and "for-each-ref" in event.get("argv", [])
    ]
    assert listings, "git lists the alternate's refs during a push"
    assert all(argv[-1] == ALTERNATE_REFS for argv in listings), listings
