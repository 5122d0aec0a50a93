"""The oracle over the whole 2020-12 dialect finds no false "compatible" (about a minute of CI).

A longer run is the release check: ``bench/lint_oracle.py --minutes 60``.
"""

from __future__ import annotations

from lint.oracle import run, show

SEED = 20261207
PAIRS = 1_200  # about 50 s on one loaded core
SECONDS = 55  # the cap on a slower machine


def test_no_compatible_verdict_has_a_counterexample() -> None:
    result = run(seed=SEED, seconds=SECONDS, pairs=PAIRS)
    assert result.pairs >= 200, "the oracle checked too few pairs to mean anything"
    assert result.compatible_verdicts > 0 and result.breaking_verdicts > 0
    assert result.counterexamples == [], "\n".join(show(c) for c in result.counterexamples)
