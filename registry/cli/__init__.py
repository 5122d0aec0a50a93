"""The ``registry`` command: a door that parses arguments, calls the domain, renders its answer.

Each sub-command lives in a module of this package exposing ``register(subparsers)``;
``register`` adds its parser and sets ``func`` to a ``run(args) -> int``. Errors from the
domain are mapped to exit codes here, once, by their code's outcome: 0 ok, 1 refused,
2 bad usage or unreadable input, 3 an internal error (a bug: no verdict was reached).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from registry.environment import environment
from registry.errors import RegistryError
from registry.problems import Outcome
from registry.text import diagnostic_lines, printable

EXIT_OK, EXIT_REFUSED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
#: Standard output closed by its reader (``… | head``): what a shell reports for SIGPIPE.
EXIT_OUTPUT_CLOSED = 141

_COMMAND_MODULES = (
    "keys_cmd",
    "key_cmd",
    "store_cmd",
    "backup_cmd",
    "publish_cmd",
    "lint_cmd",
    "review_cmd",
    "token_cmd",
    "serve_cmd",
)


def exit_status(error: RegistryError) -> int:
    """The exit status of a domain error: bad input is 2, every refusal 1."""
    return EXIT_BAD_INPUT if error.code.outcome is Outcome.BAD_INPUT else EXIT_REFUSED


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="registry", description="GitOps registry for contracts and capsules"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMAND_MODULES:
        importlib.import_module(f"registry.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except RegistryError as exc:
        first, *rest = diagnostic_lines(exc)
        print("\n".join([f"error: {first}", *rest]), file=sys.stderr)
        return exit_status(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _output_closed()
    except OSError as exc:
        if exc.filename is None:
            return _internal(exc)
        # The file system said no (a missing directory, a permission): the user's to fix, not a bug.
        what = exc.strerror or type(exc).__name__
        print(printable(f"error: {exc.filename}: {what}"), file=sys.stderr)
        print(
            "  hint: check that the path and its directory exist and that you may use them", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    except Exception as exc:  # the last door: a user sees one line, never a traceback
        return _internal(exc)


def _internal(exc: Exception) -> int:
    if environment().get("REGISTRY_DEBUG"):
        raise exc
    print(printable(f"error: internal error: {type(exc).__name__}: {exc}"), file=sys.stderr)
    print("  hint: this is a bug; rerun with REGISTRY_DEBUG=1 for details and report it", file=sys.stderr)
    return EXIT_INTERNAL


def _output_closed() -> int:
    """The reader of standard output went away: say so once on stderr, and exit as SIGPIPE would.

    What the command did before (a publish) stays done; only its output was cut short.
    Standard output is pointed at /dev/null so the interpreter's final flush stays quiet.
    """
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    with contextlib.suppress(OSError):
        print(
            "registry: standard output was closed before all output was written (broken pipe)",
            file=sys.stderr,
        )
    return EXIT_OUTPUT_CLOSED


if __name__ == "__main__":
    sys.exit(main())
