"""``registry review`` and ``registry changelog``: reports for reviewers and readers."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from registry.git.refs import CAPSULE_TAGS, CONTRACT_TAGS
from registry.git.store import Store
from registry.review.changelog import contract_changelog
from registry.review.report import review, review_github, review_json, review_markdown
from registry.text import printable, printable_lines


def register(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("review", help="what the gate would say about BASE..HEAD, as a report for reviewers")
    r.add_argument("base", metavar="BASE")
    r.add_argument("head", metavar="HEAD")
    r.add_argument("--repo", default=".", metavar="DIR", help="a clone or the store (default: .)")
    r.add_argument("--format", choices=("markdown", "json", "github"), default="markdown")
    r.add_argument(
        "--no-fetch",
        action="store_true",
        help="do not fetch the version tags from origin first (the review refuses if they are behind)",
    )
    r.set_defaults(func=run_review)
    c = sub.add_parser("changelog", help="Markdown changelog of a contract's whole history")
    c.add_argument("store", metavar="STORE")
    c.add_argument("name", metavar="NAME")
    c.set_defaults(func=run_changelog)


def _fetch_tags(repo: str) -> None:
    """Bring origin's version tags into the clone, so the review compares with what is published.

    Best effort: without an ``origin`` or a network the review still runs on the tags at hand,
    and refuses if they are behind the history it judges.
    """
    remotes = subprocess.run(["git", "-C", repo, "remote"], capture_output=True, text=True, check=False)
    if "origin" not in remotes.stdout.split():
        return
    fetched = subprocess.run(
        ["git", "-C", repo, "fetch", "--quiet", "--no-write-fetch-head", "origin",
         f"{CONTRACT_TAGS}*:{CONTRACT_TAGS}*", f"{CAPSULE_TAGS}*:{CAPSULE_TAGS}*"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    if fetched.returncode != 0:
        why = printable(fetched.stderr.strip()[:300])
        print(f"registry: warning: could not fetch tags from origin: {why}", file=sys.stderr)


def run_review(args: argparse.Namespace) -> int:
    if not args.no_fetch:
        _fetch_tags(args.repo)
    result = review(Store.open(args.repo), args.base, args.head)
    if args.format == "json":
        print(json.dumps(review_json(result), indent=2))
    elif args.format == "github":
        print(review_github(result), end="")
    else:
        print(review_markdown(result))
    return 0 if result.verdict.accepted else 1


def run_changelog(args: argparse.Namespace) -> int:
    print(printable_lines(contract_changelog(Store.open(args.store), args.name)), end="")
    return 0
