"""Scale benchmark: a store grown through the real write paths, measured at 1k, 10k, 100k versions.

    .venv/bin/python bench/bench_scale.py [--sizes 1000,10000] [--width 1000] [--pushes 5]
    .venv/bin/python bench/bench_scale.py --sizes 1000,10000,100000   # by hand: ~30 min here

The store is made by ``init_store`` and grown by ``publish`` (the gate judges every commit,
the registry key signs every tag, refs are packed by the landing seam as they are in
production): ``--width`` contracts, each commit publishing the next patch version of every
one of them, so 100,000 versions are 100 versions of 1,000 contracts. At each size it
reports, all in the same run:

- ``plain push``: ``git push`` of a one-file docs change with the store's hooks switched off
  (``core.hooksPath`` pointed away): what git alone costs;
- ``gated push``: the same kind of change through the hooks, answered by the resident gate
  of a running ``registry serve``; ``+gate`` is its median minus the plain push's (goal <50 ms);
- ``version push``: a push bringing one new contract version (gate, tag, index refresh);
- ``publish``: ``publish_contract`` of one new version, in-process, as a long-running writer
  does it (a store opened once, one warm-up publish not counted, no server sharing the
  cores), against the same on an empty store measured right after it (goal: within 2x);
- ``verify``: ``verify_store`` over every version (goal: linear: µs per version stays flat);
- ``cold index``: ``registry.index.build.build`` on a fresh ``Store``; ``ready``: from
  starting ``registry serve`` until ``/readyz`` answers 200;
- ``RSS``: the server's resident memory once ready (VmRSS);
- ``pack``: one ``git pack-refs --all`` at this size, the cost a landing pays when it packs
  (each landing, or one in ``PACK_THRESHOLD``).

Before measuring, ``git gc`` packs the objects the fast growth left loose (git's ``gc --auto``
would otherwise start packing them in the background of the measured pushes).

Prints milliseconds and ratios; asserts nothing about timing.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_push import hermetic_env

from registry.audit.verify import verify_store
from registry.git.packing import PACK_THRESHOLD, pack_refs
from registry.git.store import Identity, Snapshot, Store
from registry.index.build import build as build_index
from registry.trust.sshsig import SigningKey
from registry.write.bootstrap import init_store
from registry.write.publish import ContractInput, Writer, publish, publish_contract


def schema(revision: int) -> str:
    return json.dumps(
        {
            "type": "object",
            "description": f"revision {revision}",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            "required": ["id"],
        },
        indent=2,
    )


def contract_files(i: int, revision: int) -> dict[str, bytes | None]:
    where = f"contracts/scale-{i:05d}"
    return {
        f"{where}/contract.yaml": f"name: scale-{i:05d}\nversion: 1.0.{revision}\n".encode(),
        f"{where}/schema.json": schema(revision).encode(),
    }


class Grower:
    """Publishes the next revision of every contract, one gated, signed commit at a time."""

    def __init__(self, store: Store, writer: Writer, width: int) -> None:
        self.store, self.writer, self.width = store, writer, width
        self.revision = -1
        self.versions = 0

    def grow_to(self, versions: int) -> float:
        started = time.perf_counter()
        while self.versions < versions:
            self.revision += 1
            revision = self.revision

            def build(_snap: Snapshot, revision: int = revision) -> Mapping[str, bytes | None]:
                changes: dict[str, bytes | None] = {}
                for i in range(self.width):
                    changes.update(contract_files(i, revision))
                return changes

            result = publish(
                self.store, build, message=f"revision {revision}", writer=self.writer, door="cli"
            )
            self.versions += len(result.versions)
        return time.perf_counter() - started


def new_store(where: Path) -> tuple[Store, Writer]:
    key = SigningKey.generate()
    key.save(where.with_suffix(".key"))
    writer = Writer(key, Identity())
    store, _ = init_store(where, key=key, key_path=where.with_suffix(".key"), writer=writer)
    return store, writer


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def publish_ms(path: Path, writer: Writer, name: str, count: int) -> list[float]:
    """``count`` publishes of a contract's next versions, in milliseconds each.

    As a long-running writer (the server's publish endpoint) does them: on a store opened
    once and warmed by one publish not counted (its first ref write reads ``packed-refs``).
    """
    store = Store.open(path)

    def one(n: int) -> float:
        return timed(
            lambda: publish_contract(
                store, ContractInput(name, f"1.0.{n}", schema(n)), writer=writer, door="cli"
            )
        )

    one(0)
    return [one(n) for n in range(1, count + 1)]


# -- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Server:
    """``registry serve`` on the store: the read API and the resident gate."""

    def __init__(self, store: Path, env: dict[str, str]) -> None:
        port = free_port()
        env = {**env, "JWT_SECRET": secrets.token_urlsafe(48)}
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "registry.cli", "serve", "--store", str(store), "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 600
        while True:
            if self.proc.poll() is not None:
                raise SystemExit("registry serve stopped")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("registry serve never got ready")
            time.sleep(0.05)
        self.ready_ms = (time.perf_counter() - started) * 1000
        self.rss = rss_mib(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


# -- pushes ----------------------------------------------------------------------------------


def git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)


class Pusher:
    """A clone that pushes docs changes (plain or gated) and new contract versions."""

    PLAIN = "--receive-pack=git -c core.hooksPath=/nonexistent receive-pack"

    def __init__(self, store: Path, clone: Path, env: dict[str, str]) -> None:
        self.clone, self.env, self.count = clone, env, 0
        # Only main: a working clone does not need the version tags.
        git(
            "clone",
            "-q",
            "--single-branch",
            "--no-tags",
            store.as_uri(),
            str(clone),
            cwd=clone.parent,
            env=env,
        )

    def _commit(self, files: dict[str, str]) -> None:
        for path, text in files.items():
            target = self.clone / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        git("add", "-A", cwd=self.clone, env=self.env)
        git("commit", "-q", "-m", f"bench {self.count}", cwd=self.clone, env=self.env)

    def _push(self, *extra: str) -> float:
        started = time.perf_counter()
        git("push", "-q", *extra, "origin", "HEAD:main", cwd=self.clone, env=self.env)
        return (time.perf_counter() - started) * 1000

    def docs(self, *, gated: bool) -> float:
        self.count += 1
        self._commit({"docs/bench.md": f"push {self.count}\n"})
        return self._push() if gated else self._push(self.PLAIN)

    def version(self, n: int) -> float:
        self.count += 1
        name = "scale-pushed"
        where = f"contracts/{name}"
        self._commit(
            {f"{where}/contract.yaml": f"name: {name}\nversion: 1.0.{n}\n", f"{where}/schema.json": schema(n)}
        )
        return self._push()


# -- the run ---------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values)


def measure(
    store: Store,
    writer: Writer,
    size: int,
    args: argparse.Namespace,
    tmp: Path,
    baseline: tuple[Path, Writer],
) -> dict[str, float]:
    env = hermetic_env(tmp / "home")
    row: dict[str, float] = {"versions": size}
    # One loose tag, then a pack: what packing after every landing would cost each landing.
    publish_contract(
        store, ContractInput(f"scale-pack-{size}", "1.0.0", schema(0)), writer=writer, door="cli"
    )
    row["pack"] = timed(lambda: pack_refs(store.path))
    cold = Store.open(store.path)
    row["cold index"] = timed(lambda: build_index(cold))
    server = Server(store.path, env)
    try:
        row["ready"], row["RSS MiB"] = server.ready_ms, server.rss
        pusher = Pusher(store.path, tmp / f"clone-{size}", env)
        plain, gated, version = [], [], []
        pusher.docs(gated=True)  # warm the gate server and the page cache
        for n in range(args.pushes):
            plain.append(pusher.docs(gated=False))
            gated.append(pusher.docs(gated=True))
            version.append(pusher.version(n))
        row["plain push"], row["gated push"] = median(plain), median(gated)
        row["+gate"] = row["gated push"] - row["plain push"]
        row["version push"] = median(version)
        row["RSS MiB"] = max(row["RSS MiB"], rss_mib(server.proc.pid))
    finally:
        server.stop()
    # Measured as the empty store's baseline is (no server sharing the two cores), and that
    # baseline measured again beside it: the ratio compares two figures of the same minute.
    row["publish"] = median(publish_ms(store.path, writer, f"scale-published-{size}", args.pushes))
    empty_path, empty_writer = baseline
    row["empty publish"] = median(publish_ms(empty_path, empty_writer, f"scale-baseline-{size}", args.pushes))
    row["publish x"] = row["publish"] / row["empty publish"]
    findings: list[object] = []
    row["verify"] = timed(lambda: findings.extend(verify_store(Store.open(store.path))))
    failed = [f for f in findings if not getattr(f, "ok", False)]
    if failed:
        raise SystemExit(f"verify failed at {size} versions: {failed[:3]}")
    row["verify us/version"] = row["verify"] * 1000 / len(findings)
    return row


COLUMNS = (
    "versions", "plain push", "gated push", "+gate", "version push", "publish", "empty publish", "publish x",
    "verify", "verify us/version", "cold index", "ready", "RSS MiB", "pack",
)  # fmt: skip


def print_table(rows: list[dict[str, float]]) -> None:
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + " --- |" * len(COLUMNS))
    for row in rows:
        cells = [f"{row[c]:,.0f}" if c == "versions" else f"{row[c]:.1f}" for c in COLUMNS]
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="1000,10000", help="versions at which to measure (comma-separated)"
    )
    parser.add_argument(
        "--width", type=int, default=1000, help="contracts; each commit adds a version of each"
    )
    parser.add_argument("--pushes", type=int, default=5, help="pushes and publishes per measurement")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "home").mkdir()
        os.environ.update(hermetic_env(tmp / "home"))
        empty, empty_writer = new_store(tmp / "empty.git")
        store, writer = new_store(tmp / "store.git")
        grower = Grower(store, writer, args.width)
        rows = []
        for size in sizes:
            took = grower.grow_to(size)
            # Growing this fast leaves loose objects that git's own `gc --auto` would pack in
            # the background of the next pushes; pack them now so they do not skew the figures.
            gc = timed(lambda: subprocess.run(["git", f"--git-dir={store.path}", "gc", "-q"], check=True))
            print(
                f"grew to {grower.versions:,} versions in {took:.0f} s; git gc {gc / 1000:.0f} s", flush=True
            )
            row = measure(store, writer, grower.versions, args, tmp, (empty.path, empty_writer))
            rows.append(row)
            print(json.dumps({k: round(v, 1) for k, v in row.items()}), flush=True)
        print()
        print(
            f"width {args.width} contracts; {args.pushes} pushes/publishes per cell (median); ms unless named"
        )
        print(f"pack = one 'git pack-refs --all' (landings pack once {PACK_THRESHOLD} loose tags gather)")
        print_table(rows)


if __name__ == "__main__":
    main()
