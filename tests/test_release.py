"""Releases a user can pin: a version tag builds, checks and publishes; the version has one
home (triggersync/__init__.py); the README says how to install a release or a commit."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

import triggersync

ROOT = Path(__file__).resolve().parent.parent
CHECK = ROOT / "scripts" / "ci" / "release-version.sh"


def _workflow() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text("utf-8"))
    data["on"] = data.pop(True)  # PyYAML reads a bare `on:` as True (YAML 1.1)
    assert isinstance(data, dict)
    return data


def _check(tag: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(CHECK), tag], capture_output=True, text=True, timeout=30, check=False
    )


def test_the_tag_of_the_packages_version_passes_and_prints_it() -> None:
    ran = _check(f"v{triggersync.__version__}")
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, f"{triggersync.__version__}\n", "")


@pytest.mark.parametrize("tag", ["v99.0.0", triggersync.__version__, "", "v0.1"])
def test_any_other_tag_fails_with_one_line_naming_both(tag: str) -> None:
    ran = _check(tag)
    assert ran.returncode == 1
    assert ran.stdout == ""
    assert ran.stderr.count("\n") == 1
    assert f"is not v{triggersync.__version__}, the version in triggersync/__init__.py" in (
        ran.stderr
    )


def test_hatch_reads_the_version_from_the_one_place_the_check_reads() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert '[tool.hatch.version]\npath = "triggersync/__init__.py"' in pyproject


def test_a_version_tag_starts_a_release() -> None:
    assert _workflow()["on"] == {"push": {"tags": ["v*"]}}


def test_the_tag_is_checked_and_the_tests_run_before_anything_is_built() -> None:
    steps = _workflow()["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    check = next(i for i, run in enumerate(runs) if "release-version.sh" in run)
    tests = next(i for i, run in enumerate(runs) if "make test" in run)
    build = next(i for i, run in enumerate(runs) if "python -m build" in run)
    assert check < tests < build


def test_pypi_is_reached_by_trusted_publishing_from_an_environment() -> None:
    job = _workflow()["jobs"]["pypi"]
    assert job["permissions"] == {"id-token": "write"}
    assert job["environment"]["name"] == "pypi"
    uses = [step.get("uses", "") for step in job["steps"]]
    assert any(use.startswith("pypa/gh-action-pypi-publish@") for use in uses)
    assert "password" not in yaml.safe_dump(job)  # no API token: trust, not a secret


def test_the_files_are_attached_to_the_github_release_after_publishing() -> None:
    job = _workflow()["jobs"]["github-release"]
    assert job["needs"] == "pypi"
    assert job["permissions"] == {"contents": "write"}
    assert "gh release upload" in job["steps"][-1]["run"]
    assert "gh release create" in job["steps"][-1]["run"]


def test_only_the_publishing_job_may_mint_an_oidc_token() -> None:
    workflow = _workflow()
    assert workflow["permissions"] == {"contents": "read"}
    others = [name for name, job in workflow["jobs"].items() if name != "pypi"]
    assert all(
        "id-token" not in job.get("permissions", {})
        for name, job in workflow["jobs"].items()
        if name in others
    )


@pytest.mark.parametrize(
    "line",
    [
        "pip install triggersync==X.Y.Z",
        'pip install "git+https://github.com/OWNER/triggersync@FULL_COMMIT_SHA"',
    ],
)
def test_the_readme_says_how_to_install_a_release_and_a_commit(line: str) -> None:
    assert line in (ROOT / "README.md").read_text(encoding="utf-8")
