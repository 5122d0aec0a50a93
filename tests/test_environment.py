"""The environment is read at one edge: ``registry/environment.py`` is the only module that
touches ``os.environ``; everything else is handed typed settings."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "registry"
EDGE = ROOT / "environment.py"


def test_only_the_settings_edge_reads_or_writes_os_environ() -> None:
    found = [
        f"{path.relative_to(ROOT.parent)}:{n}: {line.strip()}"
        for path in sorted(ROOT.rglob("*.py"))
        if path != EDGE
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bos\.environ\b|\bgetenv\(|\bputenv\(", line)
    ]
    assert found == [], "\n".join(found)
    assert "os.environ" in EDGE.read_text()
