"""The linter's release check: the 2020-12 oracle of tests/lint/oracle.py run for longer.

CI runs the oracle for under a minute (tests/lint/test_lint_oracle.py); before a release,
run it for an hour and turn every counterexample it prints into a named case in
tests/lint/regressions.py.

    .venv/bin/python bench/lint_oracle.py --minutes 60 [--seed N]

Prints the pairs checked, the verdicts, the "breaking" verdicts no instance showed, the
pairs refused by a limit, and every counterexample as JSON; exits 1 if there is one.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from lint.oracle import Result, run, show


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args(argv)
    total = Result()
    started = time.perf_counter()
    seed = args.seed
    # One minute per seed, so a long run covers many seeds and a short one still reports.
    while time.perf_counter() - started < args.minutes * 60:
        left = args.minutes * 60 - (time.perf_counter() - started)
        result = run(seed=seed, seconds=min(60.0, left))
        for name in ("pairs", "compatible_verdicts", "breaking_verdicts", "unwitnessed_breaks", "refused"):
            setattr(total, name, getattr(total, name) + getattr(result, name))
        total.counterexamples += result.counterexamples
        for example in result.counterexamples:
            print(f"counterexample (seed {seed}): {show(example)}", flush=True)
        seed += 1
    took = time.perf_counter() - started
    print(f"seeds {args.seed}..{seed - 1}, {took / 60:.1f} min")
    print(f"pairs checked         {total.pairs}")
    print(f"compatible verdicts   {total.compatible_verdicts} (each checked against instances)")
    print(
        f"breaking verdicts     {total.breaking_verdicts}, {total.unwitnessed_breaks} with no instance found"
    )
    print(f"refused by a limit    {total.refused}")
    print(f"counterexamples       {len(total.counterexamples)}")
    return 1 if total.counterexamples else 0


if __name__ == "__main__":
    raise SystemExit(main())
