"""Benchmark of the compatibility linter on large schemas.

Two schemas with 10,000 properties and a 50-deep nested chain, differing in a few
hundred places, are diffed and checked; the figures are set against a baseline taken in
the same run: serialising both schemas with ``json.dumps`` and walking both trees once.
``check`` also searches for a witness of each break, within its own time budget (0.2 s),
so it is shown with and without that search. The diff is then timed at other sizes: its
ratio to the baseline should stay flat (linear in the schemas' size).
Prints milliseconds (best of N); asserts nothing about timing.

    .venv/bin/python bench/bench_lint.py
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from typing import Any

from registry.lint import Mode, Policy, check, diff

PROPERTIES = 10_000
DEPTH = 50
ROUNDS = 5


def build(properties: int = PROPERTIES) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for i in range(properties):
        kind = i % 4
        if kind == 0:
            props[f"p{i}"] = {"type": "integer", "minimum": 0, "maximum": 1000 + i}
        elif kind == 1:
            props[f"p{i}"] = {"type": "string", "maxLength": 64, "description": f"field {i}"}
        elif kind == 2:
            props[f"p{i}"] = {"type": "array", "items": {"type": "string"}, "maxItems": 10}
        else:
            props[f"p{i}"] = {"enum": ["a", "b", "c"]}
    chain: dict[str, Any] = {"type": "string"}
    for level in range(DEPTH):
        chain = {
            "type": "object",
            "properties": {f"n{level}": chain, "v": {"type": "integer"}},
            "required": ["v"],
        }
    props["chain"] = chain
    return {"type": "object", "properties": props, "required": [f"p{i}" for i in range(0, properties, 10)]}


def mutate(schema: dict[str, Any], properties: int = PROPERTIES) -> dict[str, Any]:
    new = copy.deepcopy(schema)
    props = new["properties"]
    for i in range(0, properties, 100):
        props[f"p{i}"]["maximum"] = 10  # tightened
    for i in range(1, properties, 250):
        props[f"p{i}"]["type"] = ["string", "null"]  # widened
    for i in range(2, properties, 500):
        del props[f"p{i}"]
    for i in range(100):
        props[f"extra{i}"] = {"type": "boolean"}
    new["required"] = new["required"][5:]
    node = props["chain"]
    for level in reversed(range(DEPTH)):
        node = node["properties"][f"n{level}"]
    node["maxLength"] = 8  # the deepest leaf narrowed
    return new


def walk(node: Any) -> int:
    count = 1
    if isinstance(node, dict):
        for value in node.values():
            count += walk(value)
    elif isinstance(node, list):
        for value in node:
            count += walk(value)
    return count


def best(fn: Callable[[], Any], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    old = build()
    new = mutate(old)
    nodes = walk(old) + walk(new)
    baseline = best(lambda: (json.dumps(old), json.dumps(new), walk(old), walk(new)))
    same = copy.deepcopy(old)
    changes = diff(old, new)
    figures = {
        "diff (lenient)": best(lambda: diff(old, new)),
        "diff (strict)": best(lambda: diff(old, new, policy=Policy.STRICT)),
        "diff identical copy": best(lambda: diff(old, same)),
        "check BACKWARD, no witness search": best(
            lambda: check([("1.0.0", old)], new, mode=Mode.BACKWARD, witness_budget=0)
        ),
        "check BACKWARD": best(lambda: check([("1.0.0", old)], new, mode=Mode.BACKWARD)),
        "check FULL_TRANSITIVE x3": best(
            lambda: check([("1.0.0", old), ("1.1.0", old), ("1.2.0", old)], new, mode=Mode.FULL_TRANSITIVE)
        ),
    }
    print(
        f"schemas: {PROPERTIES} properties + {DEPTH}-deep chain, "
        f"{nodes} JSON nodes in both; {len(changes)} changes"
    )
    print(f"{'baseline (json.dumps + tree walk, both)':42} {baseline:9.1f} ms   1.0x")
    for name, ms in figures.items():
        print(f"{name:42} {ms:9.1f} ms {ms / baseline:6.1f}x")
    print("diff (lenient) by size, against the baseline at that size:")
    for size in (2_500, 5_000, 10_000, 20_000):
        small = build(size)
        changed = mutate(small, size)
        base = best(lambda a=small, b=changed: (json.dumps(a), json.dumps(b), walk(a), walk(b)))
        ms = best(lambda a=small, b=changed: diff(a, b))
        print(f"  {size:6} properties {ms:9.1f} ms {ms / base:6.1f}x")


if __name__ == "__main__":
    main()
