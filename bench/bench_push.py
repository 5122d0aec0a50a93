"""Push benchmark: the wall time of ``git push`` of a one-contract change, gated and not.

    .venv/bin/python bench/bench_push.py [--iterations 15] [--contracts 10000]

Each push edits one contract's schema.json (a new optional property) and bumps the minor
version in its contract.yaml, so every push introduces one new version. It goes with the
real git binary over a file:// URL, from a clone, to

- (a) a store with the registry's hooks installed (pre-receive gate, post-receive tagging);
- (b) a baseline: a byte-for-byte copy of the same store with those hooks removed;
- (c) for context, another copy with the hooks, answered by a resident gate server
  (``registry hooks serve``, run here in a thread), which spares each hook the imports.

Pushes to (a), (c) and (b) alternate, in the same run. This is done for the example store and
for a store of ``--contracts`` contracts with one signed tag each. The gate's added cost is
median(a) - median(b); the goal is that it depends on what a push changes, not on the
store's size. For context the script also times ``import registry.hooks.receive`` (what each hook
process pays before it judges anything) and ``evaluate`` alone, in-process.
Prints milliseconds; asserts nothing about timing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_STORE = ROOT / "example-store"
# An example contract in BACKWARD_TRANSITIVE mode: an added optional property is a minor change.
SMALL_CONTRACT = "graph.commit.created"
BIG_CONTRACT_INDEX = 0.5  # which synthetic contract to edit, as a fraction of the store


def hermetic_env(home: Path) -> dict[str, str]:
    """The environment of every git process: no user or system config, fixed identities."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "HOME": str(home),
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Bench Author",
            "GIT_AUTHOR_EMAIL": "author@bench.invalid",
            "GIT_COMMITTER_NAME": "Bench Committer",
            "GIT_COMMITTER_EMAIL": "committer@bench.invalid",
            "GIT_TERMINAL_PROMPT": "0",
        }
    )
    return env


def git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1), interpolated between the closest ranks."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


# -- stores ------------------------------------------------------------------------------


def small_store(tmp: Path) -> Path:
    from registry.git.store import Identity
    from registry.trust.sshsig import SigningKey
    from registry.write.bootstrap import init_store
    from registry.write.publish import Writer

    key = SigningKey.generate()
    key.save(tmp / "small.key")
    store, _ = init_store(
        tmp / "small.git",
        key=key,
        key_path=tmp / "small.key",
        writer=Writer(key, Identity()),
        from_dir=EXAMPLE_STORE,
    )
    return store.path


def big_store(tmp: Path, contracts: int) -> Path:
    from synthetic import build_store

    store = build_store(tmp / "big.git", contracts=contracts, versions=1, key_path=tmp / "big.key")
    return store.path


def copy_store(store: Path, dest: Path, *, hooks: bool) -> Path:
    """The same repository, file for file, with or without the registry's hooks."""
    shutil.copytree(store, dest, symlinks=True)
    if not hooks:
        for hook in ("pre-receive", "post-receive"):
            (dest / "hooks" / hook).unlink()
    return dest


# -- the change a push carries -------------------------------------------------------------


@dataclass
class Workspace:
    """A clone of one store that pushes one contract's next version each time."""

    label: str
    remote: Path
    clone: Path
    contract: str
    count: int = 0

    @classmethod
    def make(cls, label: str, remote: Path, clone: Path, contract: str) -> Workspace:
        git("clone", "-q", remote.resolve().as_uri(), str(clone))
        return cls(label, remote, clone, contract)

    def next_change(self) -> str:
        """Edit the contract and commit; returns the new version."""
        where = self.clone / "contracts" / self.contract
        schema_file, meta_file = where / "schema.json", where / "contract.yaml"
        schema = json.loads(schema_file.read_text())
        self.count += 1
        schema.setdefault("properties", {})[f"benchAdded{self.count}"] = {
            "type": "string",
            "description": f"optional field added by push {self.count}",
        }
        schema_file.write_text(json.dumps(schema, indent=2) + "\n")
        meta = meta_file.read_text()
        found = re.search(r"^version:\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$", meta, re.MULTILINE)
        if found is None:
            raise SystemExit(f"{meta_file}: no plain MAJOR.MINOR.PATCH version to bump")
        version = f"{found[1]}.{int(found[2] or 0) + 1}.0"
        meta_file.write_text(meta[: found.start()] + f"version: {version}" + meta[found.end() :])
        git("commit", "-q", "-am", f"{self.contract} {version}", cwd=self.clone)
        return version

    def push(self) -> tuple[float, str]:
        """Seconds for ``git push`` of the last commit, and what the remote said."""
        t0 = time.perf_counter()
        done = subprocess.run(
            ["git", "push", "-q", "origin", "main"], cwd=self.clone, capture_output=True, text=True
        )
        elapsed = time.perf_counter() - t0
        if done.returncode != 0 or "ERROR" in done.stderr:
            raise SystemExit(f"push to {self.label} failed:\n{done.stdout}{done.stderr}")
        return elapsed, done.stderr


@dataclass
class Result:
    name: str
    gated: list[float]
    plain: list[float]
    served: list[float]
    evaluate: list[float]

    @property
    def added(self) -> float:
        return statistics.median(self.gated) - statistics.median(self.plain)


def bench_store(name: str, store: Path, contract: str, tmp: Path, iterations: int) -> Result:
    from registry.hooks.server import GateServer

    plain_store = copy_store(store, tmp / f"{store.stem}-nohooks.git", hooks=False)
    served_store = copy_store(store, tmp / f"{store.stem}-served.git", hooks=True)
    gated = Workspace.make("gated", store, tmp / f"{store.stem}-clone-a", contract)
    plain = Workspace.make("baseline", plain_store, tmp / f"{store.stem}-clone-b", contract)
    served = Workspace.make("served", served_store, tmp / f"{store.stem}-clone-c", contract)
    server = GateServer(served_store)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    times: dict[str, list[float]] = {"gated": [], "baseline": [], "served": []}
    try:
        # One untimed round first: the first push of a clone warms caches the others find warm.
        for i in range(iterations + 1):
            for ws in (gated, served, plain):
                version = ws.next_change()
                elapsed, said = ws.push()
                if i > 0:
                    times[ws.label].append(elapsed)
                if ws is not plain and f"contracts/{contract}/{version}" not in said:
                    raise SystemExit(f"the {ws.label} gate did not report version {version}:\n{said}")
    finally:
        server.shutdown()
        server.server_close()
    for remote in (store, served_store):
        tag = f"refs/tags/contracts/{contract}/{version}"
        if not git(f"--git-dir={remote}", "for-each-ref", tag).stdout.strip():
            raise SystemExit(f"post-receive did not create {tag} in {remote.name}")
    return Result(
        name, times["gated"], times["baseline"], times["served"], evaluate_times(plain_store, rounds=5)
    )


def evaluate_times(store_path: Path, rounds: int) -> list[float]:
    """The gate alone, in-process, on the baseline store's last push (its version is untagged)."""
    from registry.gate.accepted import TAGGED_MARK
    from registry.gate.evaluate import evaluate
    from registry.git.store import Store

    # The baseline store has no hooks, so its pushes were never judged; mark them as settled so
    # the gate judges the last push afresh instead of counting its version as accepted already.
    bare = Store.open(store_path)
    bare.move_forward(TAGGED_MARK, bare.head())
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        store = Store.open(store_path)
        head = store.head()
        assert head is not None
        verdict = evaluate(store, store.repo[head].parents[0].id, head)
        out.append(time.perf_counter() - t0)
        if not verdict.accepted or len(verdict.versions) != 1:
            raise SystemExit(f"evaluate did not accept one version: {verdict.problems}")
    return out


# -- interpreter start-up and imports -------------------------------------------------------


def run_python(code: str, *flags: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *flags, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return time.perf_counter() - t0, done.stderr


def bench_imports(rounds: int) -> None:
    bare = [run_python("pass")[0] for _ in range(rounds)]
    receive = [run_python("import registry.hooks.receive")[0] for _ in range(rounds)]
    hook = [run_python("import registry.hooks.client")[0] for _ in range(rounds)]
    ms = statistics.median
    print(f"\npython start-up ({rounds} runs each, median):")
    print(f"  python -c pass                           {ms(bare) * 1000:6.1f} ms")
    print(f"  python -c 'import registry.hooks.client'   {ms(hook) * 1000:6.1f} ms  (a hook's fast path)")
    print(
        f"  python -c 'import registry.hooks.receive'      {ms(receive) * 1000:6.1f} ms  "
        f"(+{(ms(receive) - ms(bare)) * 1000:.1f} ms over bare start-up, paid by each of the two hooks)"
    )
    # -X importtime: microseconds, self and cumulative, per module; median over runs.
    samples: dict[str, list[tuple[int, int]]] = {}
    for _ in range(rounds):
        _, err = run_python("import registry.hooks.receive", "-X", "importtime")
        for line in err.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| *(\S+)", line)
            if m:
                samples.setdefault(m[3], []).append((int(m[1]), int(m[2])))
    rows = [
        (name, statistics.median(s[0] for s in v), statistics.median(s[1] for s in v))
        for name, v in samples.items()
    ]
    print("  -X importtime, largest cumulative (ms; a package's figure includes what it imports):")
    for name, _self, cum in sorted(rows, key=lambda r: -r[2])[:16]:
        print(f"    {cum / 1000:7.1f}  {name}")
    print("  -X importtime, largest self time (ms):")
    for name, self_us, _cum in sorted(rows, key=lambda r: -r[1])[:10]:
        print(f"    {self_us / 1000:7.1f}  {name}")


# -- report -------------------------------------------------------------------------------------


def report(results: list[Result]) -> None:
    print()
    header = f"{'store':<18}{'setup':<32}{'median ms':>10}{'p90 ms':>9}{'min ms':>9}"
    print(header)
    print("-" * len(header))
    for r in results:
        setups = (
            ("(a) registry hooks", r.gated),
            ("(b) no hooks", r.plain),
            ("(c) hooks + gate server", r.served),
        )
        for label, values in setups:
            print(
                f"{r.name:<18}{label:<32}{statistics.median(values) * 1000:>10.1f}"
                f"{percentile(values, 0.9) * 1000:>9.1f}{min(values) * 1000:>9.1f}"
            )
        for label, values in (
            ("a - b: added by the gate", r.gated),
            ("c - b: added, with the server", r.served),
        ):
            print(
                f"{'':<18}{label:<32}{(statistics.median(values) - statistics.median(r.plain)) * 1000:>10.1f}"
                f"{(percentile(values, 0.9) - percentile(r.plain, 0.9)) * 1000:>9.1f}"
            )
        print(f"{'':<18}{'evaluate() alone, in-process':<32}{statistics.median(r.evaluate) * 1000:>10.1f}")
    if len(results) == 2 and results[0].added > 0:
        small, big = results
        print(
            f"\nadded cost, {big.name} vs {small.name}: {big.added * 1000:.1f} ms / "
            f"{small.added * 1000:.1f} ms = {big.added / small.added:.2f}x  (target: ~1x, under 100 ms added)"
        )
        small_c = statistics.median(small.served) - statistics.median(small.plain)
        big_c = statistics.median(big.served) - statistics.median(big.plain)
        if small_c > 0:
            ratio = big_c / small_c
            print(f"with the gate server: {big_c * 1000:.1f} ms / {small_c * 1000:.1f} ms = {ratio:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--iterations", type=int, default=15)
    parser.add_argument("--contracts", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-push-") as d:
        tmp = Path(d)
        (tmp / "home").mkdir()
        # Every git process, and the hooks git starts, inherit this environment.
        os.environ.clear()
        os.environ.update(hermetic_env(tmp / "home"))
        git_version = git("--version").stdout.strip()
        print(f"{git_version}; {sys.executable}; {args.iterations} timed pushes per setup, interleaved")

        t0 = time.perf_counter()
        small = small_store(tmp)
        print(f"example store built in {time.perf_counter() - t0:.1f} s")
        results = [bench_store("example store", small, SMALL_CONTRACT, tmp, args.iterations)]

        t0 = time.perf_counter()
        big = big_store(tmp, args.contracts)
        print(f"store of {args.contracts} contracts built in {time.perf_counter() - t0:.1f} s")
        contract = f"bench.c{int(args.contracts * BIG_CONTRACT_INDEX):05d}"
        results.append(bench_store(f"{args.contracts} contracts", big, contract, tmp, args.iterations))

        report(results)
        bench_imports(rounds=7)


if __name__ == "__main__":
    main()
