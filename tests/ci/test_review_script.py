"""ci/review.sh run with bash on a real clone of a real store, and the CI templates that call it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from support import git

from registry.git.store import Store

pytestmark = pytest.mark.git

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "example-store"
SCRIPT = ROOT / "ci" / "review.sh"
GITHUB_TEMPLATE = ROOT / "ci" / "github" / "registry-review.yml"
GITLAB_TEMPLATE = ROOT / "ci" / "gitlab" / "registry-review.gitlab-ci.yml"
RITUAL = Path("contracts/ritual.started")
CI_VARIABLES = ("GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS", "GITLAB_CI", "REVIEW_BASE", "REVIEW_HEAD")


@pytest.fixture
def work(tmp_path: Path, example_store: Store) -> Path:
    """A clone of the published example store (main and its version tags) on a proposal branch."""
    path = tmp_path / "work"
    git("clone", "-q", f"file://{example_store.path}", str(path))
    git("checkout", "-q", "-b", "proposal", cwd=path)
    # The clone holds the same files as example-store/, which a store's pull request edits.
    assert (path / RITUAL / "schema.json").read_text() == (EXAMPLE / RITUAL / "schema.json").read_text()
    return path


def change(work: Path, version: str, edit: Callable[[dict], None]) -> None:
    schema = work / RITUAL / "schema.json"
    doc = json.loads(schema.read_text())
    edit(doc)
    schema.write_text(json.dumps(doc, indent=2) + "\n")
    meta_path = work / RITUAL / "contract.yaml"
    meta = yaml.safe_load(meta_path.read_text())
    meta["version"] = version
    meta_path.write_text(yaml.safe_dump(meta, sort_keys=False))
    git("commit", "-qam", f"ritual.started {version}", cwd=work)


def add_note(doc: dict) -> None:
    doc["properties"]["note"] = {"type": "string"}


def drop_run_id(doc: dict) -> None:
    doc["properties"].pop("runId")
    doc["required"].remove("runId")


def run_script(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES}
    return subprocess.run(
        ["bash", str(SCRIPT)],
        cwd=cwd,
        env={**base, "REGISTRY": f"{sys.executable} -m registry.cli", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_compatible_change_exits_0_and_reports_the_new_version(work: Path) -> None:
    change(work, "1.1.0", add_note)
    out = run_script(work)  # REVIEW_BASE defaults to the merge-base with origin/main
    assert out.returncode == 0, out.stdout + out.stderr
    report = (work / "review.md").read_text()
    assert "ritual.started" in report and "1.1.0" in report
    assert report.strip() in out.stdout
    assert "::" not in out.stdout
    assert not (work / "review.json").exists()


def test_a_breaking_change_exits_1_and_still_writes_the_report(work: Path) -> None:
    change(work, "1.1.0", drop_run_id)
    out = run_script(work, REVIEW_BASE="origin/main")
    assert out.returncode == 1, out.stdout + out.stderr
    report = (work / "review.md").read_text()
    assert "ritual.started" in report
    assert "2.0.0" in report and "needs version 2.0.0" in report
    assert report.strip() in out.stdout


def test_on_github_the_summary_gets_the_report_and_stdout_the_annotations(work: Path, tmp_path: Path) -> None:
    change(work, "1.1.0", drop_run_id)
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n")
    out = run_script(work, GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true")
    assert out.returncode == 1, out.stdout + out.stderr
    report = (work / "review.md").read_text()
    text = summary.read_text()
    assert text.startswith("earlier step\n")
    assert report in text and "needs version 2.0.0" in text
    assert "::error" in out.stdout
    assert "::error file=contracts/ritual.started/contract.yaml" in out.stdout


def test_on_github_a_green_review_prints_notices_only(work: Path, tmp_path: Path) -> None:
    change(work, "1.1.0", add_note)
    summary = tmp_path / "step-summary.md"
    out = run_script(work, GITHUB_STEP_SUMMARY=str(summary))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1.1.0" in summary.read_text()
    assert "::error" not in out.stdout
    assert "::notice" in out.stdout


@pytest.mark.parametrize(("edit", "accepted", "status"), [(add_note, True, 0), (drop_run_id, False, 1)])
def test_on_gitlab_review_json_is_written(
    work: Path, edit: Callable[[dict], None], accepted: bool, status: int
) -> None:
    change(work, "1.1.0", edit)
    out = run_script(work, GITLAB_CI="true")
    assert out.returncode == status, out.stdout + out.stderr
    data = json.loads((work / "review.json").read_text())
    assert data["accepted"] is accepted
    assert [c["name"] for c in data["contracts"]] == ["ritual.started"]
    assert {"problems", "capsules", "versions"} <= data.keys()
    assert (work / "review.md").is_file()
    if not accepted:
        assert any("2.0.0" in p["message"] for p in data["problems"])


def test_the_repo_and_the_output_directory_can_be_elsewhere(work: Path, tmp_path: Path) -> None:
    change(work, "1.1.0", add_note)
    elsewhere = tmp_path / "job"
    elsewhere.mkdir()
    out = run_script(
        elsewhere, REVIEW_REPO=str(work), REVIEW_HEAD="proposal", REVIEW_OUTPUT_DIR=str(elsewhere / "out")
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1.1.0" in (elsewhere / "out" / "review.md").read_text()
    assert not (work / "review.md").exists()


def test_an_unknown_base_exits_2_with_a_report_that_says_why(work: Path, tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    out = run_script(work, REVIEW_BASE="no-such-branch", GITHUB_STEP_SUMMARY=str(summary), GITLAB_CI="1")
    assert out.returncode == 2, out.stdout + out.stderr
    assert "unknown revision 'no-such-branch'" in out.stderr
    report = (work / "review.md").read_text()
    assert "could not run" in report and "no-such-branch" in report
    assert report in summary.read_text()
    assert "::error" in out.stdout
    assert json.loads((work / "review.json").read_text())["accepted"] is False


def test_without_origin_main_and_without_a_base_it_exits_2(tmp_path: Path) -> None:
    repo = tmp_path / "plain"
    shutil.copytree(EXAMPLE, repo)
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "store", cwd=repo)
    out = run_script(repo)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "origin/main" in out.stderr and "REVIEW_BASE" in out.stderr
    assert "could not run" in (repo / "review.md").read_text()


def test_a_missing_registry_command_exits_2(work: Path) -> None:
    out = run_script(work, REGISTRY=str(work / "no-such-registry"))
    assert out.returncode == 2
    assert (work / "review.md").is_file()


def test_the_script_is_posix_sh() -> None:
    sh = shutil.which("dash") or shutil.which("sh")
    if sh is None:
        pytest.skip("no sh")
    assert subprocess.run([sh, "-n", str(SCRIPT)], capture_output=True).returncode == 0
    assert os.access(SCRIPT, os.X_OK)


def test_the_github_workflow_is_valid_yaml_and_runs_the_script() -> None:
    doc = yaml.safe_load(GITHUB_TEMPLATE.read_text())
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads the bare key `on` as a boolean
    assert set(on["pull_request"]["paths"]) == {"contracts/**", "capsules/**", "registry.yaml"}
    assert doc["permissions"]["pull-requests"] == "write"
    assert "REGISTRY_PACKAGE" in doc["env"]
    steps = doc["jobs"]["review"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"
    assert any("pip install" in s.get("run", "") for s in steps)
    [review] = [s for s in steps if "ci/review.sh" in s.get("run", "")]
    assert review["env"]["REVIEW_BASE"] == "origin/${{ github.base_ref }}"
    comment = next(s for s in steps if "gh pr comment" in s.get("run", ""))
    assert "--edit-last" in comment["run"]


def test_the_gitlab_job_is_valid_yaml_and_runs_the_script() -> None:
    doc = yaml.safe_load(GITLAB_TEMPLATE.read_text())
    job = doc["registry-review"]
    assert job["image"] == "python:3.11"
    assert any('$CI_PIPELINE_SOURCE == "merge_request_event"' in r["if"] for r in job["rules"])
    script = "\n".join(job["script"])
    assert "bash ci/review.sh" in script
    assert 'REVIEW_BASE="origin/${CI_MERGE_REQUEST_TARGET_BRANCH_NAME}"' in script
    assert any("pip install" in line for line in job["before_script"])
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always" and artifacts["expose_as"]
    assert set(artifacts["paths"]) == {"review.md", "review.json"}


# A registry whose review crashes on an unexpected error: the real CLI, with a bug planted.
_BROKEN_REGISTRY = """
import sys
import registry.cli.review_cmd as review_cmd
from registry.cli import main

def broken(*args, **kwargs):
    raise RuntimeError("planted bug")

review_cmd.review = broken
sys.exit(main(sys.argv[1:]))
"""


def test_an_internal_error_fails_the_job_loudly_with_no_verdict(work: Path, tmp_path: Path) -> None:
    change(work, "1.1.0", add_note)
    broken = tmp_path / "broken_registry.py"
    broken.write_text(_BROKEN_REGISTRY)
    direct = subprocess.run(
        [sys.executable, str(broken), "review", "origin/main", "HEAD"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert direct.returncode == 3
    assert "internal error: RuntimeError: planted bug" in direct.stderr and "Traceback" not in direct.stderr
    out = run_script(work, REGISTRY=f"{sys.executable} {broken}")
    assert out.returncode == 3
    report = (work / "review.md").read_text()
    assert "could not run" in report and "INTERNAL ERROR" in report and "planted bug" in report
    assert "accept" not in report.lower() and "refuse" not in report.lower()
