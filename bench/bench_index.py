"""Index benchmark: the cold build of a store of 100,000 versions, with its memory, and the
incremental refresh after one publish at two store sizes.

    .venv/bin/python bench/bench_index.py [--contracts 10000 --versions 10] [--small 1000] [--deep 40]
                                          [--publishes 20]

- Cold build: ``registry.index.build.build`` in a fresh process (so its resident memory is
  the index's own), three runs, beside ``git for-each-ref`` reading every tag object in C
  (the floor for reading the tags at all). A traced run reports the Python heap the
  snapshot keeps.
- Incremental refresh: ``LiveIndex.refresh()`` after each of ``--publishes`` publishes (one
  signed commit and one loose tag, the shape of a push), on a store of ``--small`` x
  ``--versions`` versions, one of ``--small`` x ``--deep`` versions, and the big one. The
  number of versions does not count; what remains is reading ``main``'s flat ``contracts/``
  tree (one object of about 39 bytes per contract) in C.

Building the synthetic stores takes most of the run (about a minute per 50,000 versions).
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

from synthetic import build_store, schema_for

from registry.git.store import Identity, Store
from registry.index.live import LiveIndex
from registry.trust.sshsig import SigningKey
from registry.write.publish import ContractInput, Writer, publish_contract

COLD = """
import json, sys, time
def status(field):  # kB, from the kernel's own account of this process
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
from registry.git.store import Store
from registry.index.build import build
rss1 = status("VmRSS")
traced = sys.argv[2] == "traced"
if traced:
    import tracemalloc
    tracemalloc.start()
t0 = time.perf_counter()
snap = build(Store.open(sys.argv[1]))
seconds = time.perf_counter() - t0
held = 0
if traced:
    import gc
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
print(json.dumps({"seconds": seconds, "versions": snap.version_count, "rss_imports_kb": rss1,
                  "rss_peak_kb": status("VmHWM"), "rss_after_kb": status("VmRSS"), "held": held}))
"""


def cold(path: Path, runs: int) -> None:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", COLD, str(path), "plain"], capture_output=True, text=True)
        results.append(json.loads(out.stdout))
    traced = json.loads(
        subprocess.run(
            [sys.executable, "-c", COLD, str(path), "traced"], capture_output=True, text=True
        ).stdout
    )
    t0 = time.perf_counter()
    subprocess.run(
        ["git", f"--git-dir={path}", "for-each-ref", "--format=%(*objectname) %(taggerdate:unix) %(contents)",
         "refs/tags/"],
        check=True, capture_output=True,
    )  # fmt: skip
    floor = time.perf_counter() - t0
    secs = [r["seconds"] for r in results]
    r = results[0]
    print(
        f"cold build, {r['versions']:,} versions: median {statistics.median(secs):.2f} s "
        f"(runs: {', '.join(f'{s:.2f}' for s in secs)}); goal < 5 s"
    )
    print(
        f"  resident memory: {r['rss_peak_kb'] / 1024:.0f} MiB peak, {r['rss_after_kb'] / 1024:.0f} MiB "
        f"after the build ({r['rss_imports_kb'] / 1024:.0f} MiB after imports, before it); "
        f"Python heap the snapshot keeps: {traced['held'] / 2**20:.0f} MiB "
        f"({traced['held'] / r['versions']:.0f} bytes per version)"
    )
    print(f"  baseline git for-each-ref reading every tag object: {floor:.2f} s")


def incremental(path: Path, key_path: Path, publishes: int) -> list[float]:
    """Refresh times (s) after each of ``publishes`` publishes of one contract."""
    index = LiveIndex(path)
    store = Store.open(path)
    writer = Writer(SigningKey.load(key_path), Identity())
    times = []
    for i in range(publishes):
        text = schema_for(0, 1000 + i)
        publish_contract(store, ContractInput("bench.c00000", f"2.{i}.0", text), writer=writer, door="cli")
        t0 = time.perf_counter()
        snap = index.refresh()
        times.append(time.perf_counter() - t0)
        assert snap.contracts["bench.c00000"].latest.version == f"2.{i}.0"
    return times


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    print(f"  {label}: median {statistics.median(times) * 1000:.2f} ms, p90 {p90 * 1000:.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contracts", type=int, default=10_000)
    ap.add_argument("--versions", type=int, default=10)
    ap.add_argument("--small", type=int, default=1_000, help="contracts of the small and deep stores")
    ap.add_argument("--deep", type=int, default=40, help="versions per contract of the deep store")
    ap.add_argument("--publishes", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        sizes = [("small", args.small, args.versions), ("deep", args.small, args.deep)]
        sizes.append(("big", args.contracts, args.versions))
        paths = {}
        for label, contracts, versions in sizes:
            t0 = time.perf_counter()
            paths[label] = tmp / f"{label}.git"
            build_store(paths[label], contracts=contracts, versions=versions, key_path=tmp / label)
            took = time.perf_counter() - t0
            print(
                f"built the {label} store, {contracts:,} x {versions} versions, in {took:.0f} s", flush=True
            )
        cold(paths["big"], args.runs)
        print(f"incremental refresh after one publish ({args.publishes} publishes of one contract):")
        for label, contracts, versions in sizes:
            times = incremental(paths[label], tmp / label, args.publishes)
            report(f"{contracts * versions:>7,} versions ({contracts:,} contracts)", times)


if __name__ == "__main__":
    main()
