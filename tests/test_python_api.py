"""docs/python.md's example runs as written, against two emulators."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from triggersync.emulator.auth import Credentials
from triggersync.emulator.server import Emulator

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")


def _block(language: str, after: str) -> str:
    found = re.search(rf"{after}.*?```{language}\n(.*?)```", DOC, re.DOTALL)
    assert found is not None
    return found.group(1)


@pytest.fixture
def two() -> Iterator[tuple[Emulator, Emulator]]:
    with (
        Emulator(port=0, credentials=Credentials(token="production-token-0123456789")) as a,
        Emulator(port=0, credentials=Credentials(token="staging-token-0123456789")) as b,
    ):
        yield a, b


def test_the_example_runs_as_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, two: tuple[Emulator, Emulator]
) -> None:
    production, staging = two
    monkeypatch.chdir(tmp_path)
    for folder, name in [("common", "Shared"), ("production", "Prod"), ("staging", "Stage")]:
        (tmp_path / "triggers" / folder).mkdir(parents=True)
        (tmp_path / "triggers" / folder / "t.yaml").write_text(f"triggers: [{{name: {name}}}]\n")
    (tmp_path / "triggersync.yaml").write_text(
        "accounts:\n"
        f"  production:\n    api_url: {production.url}\n"
        "    paths: [triggers/common, triggers/production]\n"
        "    credentials: {token: PRODUCTION_TOKEN}\n"
        f"  staging:\n    api_url: {staging.url}\n"
        "    paths: [triggers/common, triggers/staging]\n"
        "    credentials: {token: STAGING_TOKEN}\n"
    )
    monkeypatch.setenv("PRODUCTION_TOKEN", production.credentials.token)
    monkeypatch.setenv("STAGING_TOKEN", staging.credentials.token)
    monkeypatch.setenv("TRIGGERSYNC_API_URL", production.url)
    monkeypatch.setenv("TRIGGERSYNC_TOKEN", production.credentials.token)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(_block("python", "## Example"), "docs/python.md", "exec"), {})
    assert printed.getvalue() == _block("", "it prints:")


def test_a_project_applies_what_its_plan_returned(
    tmp_path: Path, two: tuple[Emulator, Emulator]
) -> None:
    from triggersync import Project
    from triggersync.config import project as project_file

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "t.yaml").write_text("triggers: [{name: Shared}]\n")
    (tmp_path / "triggersync.yaml").write_text(
        "accounts:\n"
        + "".join(
            f"  {name}:\n    api_url: {em.url}\n    paths: [t]\n"
            f"    credentials: {{token: {name.upper()}}}\n"
            for name, em in zip(("production", "staging"), two, strict=True)
        )
    )
    env = {
        name.upper(): em.credentials.token
        for name, em in zip(("production", "staging"), two, strict=True)
    }
    project = Project(project_file.load_project_file(tmp_path / "triggersync.yaml"), env=env)
    applied = project.apply(project.plan())
    assert [(run.account, run.error) for run in applied] == [
        ("production", None),
        ("staging", None),
    ]
    assert [[t["name"] for t in em.store.list()] for em in two] == [["Shared"], ["Shared"]]


def test_a_project_apply_of_a_run_for_an_unknown_account_fails_that_run(
    tmp_path: Path, two: tuple[Emulator, Emulator]
) -> None:
    import dataclasses

    from triggersync import Project
    from triggersync.config import project as project_file
    from triggersync.errors import ConfigError

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "t.yaml").write_text("triggers: [{name: Shared}]\n")
    production = two[0]
    (tmp_path / "triggersync.yaml").write_text(
        f"accounts:\n  production:\n    api_url: {production.url}\n    paths: [t]\n"
        "    credentials: {token: PRODUCTION}\n"
    )
    env = {"PRODUCTION": production.credentials.token}
    project = Project(project_file.load_project_file(tmp_path / "triggersync.yaml"), env=env)
    [planned] = project.plan()
    typo = dataclasses.replace(planned, account="prodution")
    [applied] = project.apply([typo])
    assert applied.account == "prodution"
    assert isinstance(applied.error, ConfigError)
    assert "no account 'prodution'; did you mean 'production'?" in str(applied.error)
    assert production.store.list() == []


def test_a_plan_of_another_account_is_refused_before_its_lock_is_taken(
    tmp_path: Path, two: tuple[Emulator, Emulator]
) -> None:
    from triggersync import connect, load, plan
    from triggersync.errors import PlanFileError
    from triggersync.operations import apply

    production, staging = two
    (tmp_path / "t.yaml").write_text("triggers: [{name: Shared}]\n")
    config = load([str(tmp_path)])
    with connect(
        env={
            "TRIGGERSYNC_API_URL": production.url,
            "TRIGGERSYNC_TOKEN": "production-token-0123456789",
        }
    ) as one:
        made = plan(config, one)
    staging.reset_stats()
    with (
        connect(
            env={
                "TRIGGERSYNC_API_URL": staging.url,
                "TRIGGERSYNC_TOKEN": "staging-token-0123456789",
            }
        ) as other,
        pytest.raises(PlanFileError, match=f"the plan was made against {production.url}"),
    ):
        apply(made, other)
    assert staging.stats()["create"] == 0  # no lock taken, nothing written there


def test_one_path_given_as_a_string_is_one_path_not_its_letters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # load("triggers/") once read the folders "t", "r", ... and "/": the whole file system.
    from triggersync import load
    from triggersync.operations import test

    monkeypatch.chdir(tmp_path)
    (tmp_path / "triggers").mkdir()
    (tmp_path / "triggers" / "t.yaml").write_text("triggers: [{name: Shared}]\n")
    (tmp_path / "s.yaml").write_text(
        "scenarios:\n  - {name: s, event: chat_requested, expect: {fires: [Shared]}}\n"
    )
    assert [t.name for t in load("triggers/").triggers] == ["Shared"]
    assert [t.name for t in load(tmp_path / "triggers").triggers] == ["Shared"]
    assert len(test(load(["triggers/"]), "s.yaml").runs) == 1  # read as one file
