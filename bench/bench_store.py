"""Store benchmark: sequential publishes per second, and listing and reading every version
of a store with 10,000 versions.

    .venv/bin/python bench/bench_store.py [--publishes 40] [--contracts 1000 --versions 10]

Each figure comes with a baseline measured in the same run on the same machine:
- a publish against a bare unsigned commit + ref update through pygit2 (no gate, no signing);
- reading every version against `git for-each-ref` printing every tag's object and commit.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import build_store

from registry.gate.published import contract_versions
from registry.git.refs import CONTRACT_TAGS
from registry.git.store import Identity, Store, git_signature
from registry.trust.sshsig import SigningKey
from registry.write.bootstrap import init_store
from registry.write.publish import ContractInput, Writer, publish_contract


def bench_publish(tmp: Path, n: int) -> None:
    key = SigningKey.generate()
    key.save(tmp / "k")
    writer = Writer(key, Identity())
    store, _ = init_store(tmp / "pub.git", key=key, key_path=tmp / "k", writer=writer)
    times = []
    for i in range(n):
        schema = json.dumps(
            {"type": "object", "properties": {f"f{j}": {"type": "string"} for j in range(i + 1)}}
        )
        t0 = time.perf_counter()
        publish_contract(store, ContractInput("bench.event", f"1.{i}.0", schema), writer=writer, door="cli")
        times.append(time.perf_counter() - t0)
    base = []
    head = store.head()
    for i in range(n):
        t0 = time.perf_counter()
        tree = store.write_tree(head, {"contracts/bench.event/schema.json": str(i).encode()})
        head = store.repo.create_commit(
            "refs/heads/baseline", git_signature(Identity()), git_signature(Identity()), "x", tree, [head]
        )
        base.append(time.perf_counter() - t0)
    med, bmed = statistics.median(times), statistics.median(base)
    print(
        f"publish (sequential, {n} versions of one contract): median {med * 1000:.1f} ms, "
        f"{1 / med:.0f} publishes/s"
    )
    print(
        f"  baseline unsigned pygit2 commit + ref update: median {bmed * 1000:.2f} ms; "
        f"ratio {med / bmed:.1f}x"
    )


def bench_read(tmp: Path, contracts: int, versions: int) -> None:
    t0 = time.perf_counter()
    store = build_store(tmp / "big.git", contracts=contracts, versions=versions, key_path=tmp / "bk")
    print(f"built a store of {contracts * versions} versions in {time.perf_counter() - t0:.1f} s")
    fresh = Store.open(store.path)
    t0 = time.perf_counter()
    names = {ref.split("/")[3] for ref in fresh.refs_under(CONTRACT_TAGS)}
    t_list = time.perf_counter() - t0
    t0 = time.perf_counter()
    count = 0
    for name in names:
        for published in contract_versions(fresh, name):
            snap = fresh.snapshot(published.commit)
            assert snap.read(f"contracts/{name}/schema.json") is not None
            count += 1
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = subprocess.run(
        [
            "git",
            f"--git-dir={store.path}",
            "for-each-ref",
            "--format=%(objectname) %(*objectname)",
            "refs/tags/contracts/",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    t_git = time.perf_counter() - t0
    assert count == contracts * versions == len(out.splitlines())
    print(
        f"list {len(names)} contracts: {t_list * 1000:.0f} ms; list and read all {count} versions "
        f"(tag, commit, schema blob): {t_read * 1000:.0f} ms ({t_read / count * 1e6:.0f} µs/version)"
    )
    print(
        f"  baseline git for-each-ref of every tag and its commit: {t_git * 1000:.0f} ms; "
        f"ratio {t_read / t_git:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--publishes", type=int, default=40)
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        bench_publish(Path(d), args.publishes)
        bench_read(Path(d), args.contracts, args.versions)


if __name__ == "__main__":
    main()
