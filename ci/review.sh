#!/bin/sh
# Pull-request review for a registry store: what the push gate would say about BASE..HEAD.
#
# Both CI templates (ci/github, ci/gitlab) run this script; it runs anywhere with sh, git and
# the `registry` command.
#
# Environment:
#   REVIEW_BASE        base revision (default: merge-base of origin/main and REVIEW_HEAD)
#   REVIEW_HEAD        head revision (default: HEAD)
#   REGISTRY           the registry command, split on spaces (default: registry),
#                      e.g. "python -m registry.cli"
#   REVIEW_REPO        the git checkout to review (default: .)
#   REVIEW_OUTPUT_DIR  where review.md / review.json are written (default: .)
#   GITHUB_STEP_SUMMARY  when set: the markdown is appended to it and annotations are printed
#   GITLAB_CI            when set: review.json is written as well
#
# Writes review.md (always, also when the change is refused) and prints it.
# Exit status: 0 the gate would accept, 1 it would refuse, 2 bad input or the review could not run,
# 3 the registry failed with an internal error (a bug): no verdict, and the job fails loudly.

set -u

REVIEW_HEAD=${REVIEW_HEAD:-HEAD}
REGISTRY=${REGISTRY:-registry}
REVIEW_REPO=${REVIEW_REPO:-.}
REVIEW_OUTPUT_DIR=${REVIEW_OUTPUT_DIR:-.}

md="$REVIEW_OUTPUT_DIR/review.md"
json="$REVIEW_OUTPUT_DIR/review.json"

mkdir -p "$REVIEW_OUTPUT_DIR" || exit 2
err=$(mktemp) || exit 2
trap 'rm -f "$err"' EXIT

# A review that cannot run still leaves a review.md, so the PR comment says why.
# $1 the reason, $2 the exit status (default 2).
could_not_run() {
    {
        printf '# Registry review: ⚠️ the review could not run\n\n'
        printf '```\n%s\n```\n' "$1"
    } >"$md"
    cat "$md"
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
        cat "$md" >>"$GITHUB_STEP_SUMMARY"
        # A workflow command is one line: '%' and control characters are escaped or dropped.
        printf '::error title=registry review::%s\n' \
            "$(printf '%s' "$1" | head -n 1 | sed 's/%/%25/g' | tr -d '\000-\010\013-\037\177')"
    fi
    if [ -n "${GITLAB_CI:-}" ]; then
        printf '{"accepted": false, "error": "review could not run", "problems": [], "contracts": [], "capsules": [], "versions": []}\n' >"$json"
    fi
    printf '%s\n' "$1" >&2
    exit "${2:-2}"
}

if [ -z "${REVIEW_BASE:-}" ]; then
    if ! REVIEW_BASE=$(git -C "$REVIEW_REPO" merge-base origin/main "$REVIEW_HEAD" 2>"$err"); then
        could_not_run "no merge-base of origin/main and $REVIEW_HEAD in $REVIEW_REPO: $(cat "$err")
hint: fetch the base branch with its history (fetch-depth: 0) or set REVIEW_BASE"
    fi
fi

# REGISTRY is deliberately split on spaces: it may be a command with arguments.
# shellcheck disable=SC2086
set -- $REGISTRY review "$REVIEW_BASE" "$REVIEW_HEAD" --repo "$REVIEW_REPO"

"$@" --format markdown >"$md" 2>"$err"
status=$?

case $status in
    0 | 1) ;;
    3)
        could_not_run "INTERNAL ERROR in the registry: no verdict was reached; report this as a bug.
$(cat "$err")" 3
        ;;
    *)
        message=$(cat "$err")
        could_not_run "${message:-$1 exited with status $status}"
        ;;
esac
cat "$err" >&2

cat "$md"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$md" >>"$GITHUB_STEP_SUMMARY"
    # Annotations on the changed files; the verdict is the markdown run's.
    "$@" --format github || true
fi

if [ -n "${GITLAB_CI:-}" ]; then
    "$@" --format json >"$json" || true
fi

exit "$status"
