"""A project file drives several accounts at once: two and three emulators, one report with a
section per account, combined exit codes, one account's failure never hiding the others."""

from __future__ import annotations

import json
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from triggersync.cli.main import cli
from triggersync.emulator.auth import Credentials
from triggersync.emulator.server import Emulator

Run = Callable[..., Any]


@pytest.fixture
def emulators() -> Iterator[list[Emulator]]:
    """Three accounts, each its own emulator with its own credentials."""
    made = [
        Emulator(port=0, credentials=Credentials(token=f"token-of-account-{index}-0123456789"))
        for index in range(3)
    ]
    for em in made:
        em.start()
    yield made
    for em in made:
        em.stop()


@pytest.fixture
def project(tmp_path: Path, emulators: list[Emulator], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of three accounts (`one`, `two`, `three`) sharing `common/`, each with its own
    folder, in the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "common").mkdir()
    (tmp_path / "common/shared.yaml").write_text("triggers:\n  - name: Shared\n")
    lines = ["accounts:"]
    for index, name in enumerate(("one", "two", "three")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "own.yaml").write_text(f"triggers:\n  - name: Only {name}\n")
        lines += [
            f"  {name}:",
            f"    api_url: {emulators[index].url}",
            f"    paths: [common, {name}]",
            f"    credentials: {{token: TOKEN_{name.upper()}}}",
        ]
    path = tmp_path / "triggersync.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def run(emulators: list[Emulator]) -> Run:
    env = {
        f"TOKEN_{name.upper()}": em.credentials.token
        for name, em in zip(("one", "two", "three"), emulators, strict=True)
    }

    def _run(*args: str, extra_env: dict[str, str] | None = None) -> Any:
        result = CliRunner().invoke(cli, list(args), env={**env, **(extra_env or {})})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return _run


def test_plan_without_paths_plans_every_account_in_one_report(project: Path, run: Run) -> None:
    ran = run("plan")
    assert (ran.exit_code, ran.stderr) == (0, "")
    assert ran.stdout.count("+ create") == 6
    assert [line for line in ran.stdout.splitlines() if line.startswith("==")] == [
        "== one ==",
        "== two ==",
        "== three ==",
    ]
    assert '+ create "Only two"' in ran.stdout.split("== two ==")[1].split("== three ==")[0]


def test_account_chooses_accounts(project: Path, run: Run) -> None:
    ran = run("plan", "--account", "three", "--account", "one")
    assert [line for line in ran.stdout.splitlines() if line.startswith("==")] == [
        "== one ==",
        "== three ==",
    ]


def test_an_unknown_account_is_an_error_before_any_request(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    ran = run("plan", "--account", "tow")
    assert ran.exit_code == 1
    assert "no account 'tow'; did you mean 'two'?" in ran.stderr
    assert all(em.traffic.snapshot()["total"] == 0 for em in emulators)


def test_accounts_are_planned_at_the_same_time(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    # Each account's list request waits until all three have arrived: planned one after
    # another, the first would wait in vain and the plan would fail.
    arrived = threading.Barrier(3, timeout=20)
    for em in emulators:
        listed = em.store.list

        def waiting(listed: Callable[[], Any] = listed) -> Any:
            arrived.wait()
            return listed()

        em.store.list = waiting  # type: ignore[method-assign]
    ran = run("plan", "--detailed-exitcode")
    assert (ran.exit_code, ran.stderr) == (2, "")
    assert not arrived.broken


def test_detailed_exit_codes_combine(project: Path, run: Run) -> None:
    assert run("apply", "--yes", "--account", "one").exit_code == 0
    assert run("plan", "--detailed-exitcode", "--account", "one").exit_code == 0
    assert run("plan", "--detailed-exitcode").exit_code == 2


def test_one_accounts_failure_does_not_hide_the_others(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    ran = run("plan", extra_env={"TOKEN_TWO": "wrong-token"})
    assert ran.exit_code == 1
    assert ran.stderr.startswith("Error: account two: ")
    assert "401" in ran.stderr
    assert "TOKEN_TWO" in ran.stderr
    sections = ran.stdout.split("== ")
    assert '+ create "Only one"' in sections[1]
    assert sections[2].startswith("two ==\nFailed: ")
    assert '+ create "Only three"' in sections[3]


def test_an_unset_credential_variable_is_named(project: Path, run: Run) -> None:
    ran = run("drift", "--account", "two", extra_env={"TOKEN_TWO": ""})
    assert ran.exit_code == 1
    assert ran.stderr == (
        "Error: account two: TOKEN_TWO is not set (the project file names it as this "
        "account's token)\n"
    )


def test_the_triggersync_credentials_are_not_used_for_an_account(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    ran = run(
        "plan",
        "--account",
        "one",
        extra_env={"TOKEN_ONE": "", "TRIGGERSYNC_TOKEN": emulators[0].credentials.token},
    )
    assert ran.exit_code == 1
    assert "TOKEN_ONE is not set" in ran.stderr


def test_markdown_is_one_document_with_a_section_per_account(project: Path, run: Run) -> None:
    ran = run("plan", "--format", "markdown")
    assert ran.stdout.count("<!-- triggersync-plan -->") == 1
    assert ran.stdout.rstrip().endswith("<!-- triggersync-plan -->")
    assert [line for line in ran.stdout.splitlines() if line.startswith("### ")] == [
        "### one",
        "### two",
        "### three",
    ]


def test_json_holds_every_account_under_its_name(project: Path, run: Run) -> None:
    document = json.loads(run("plan", "--format", "json").stdout)
    assert document["format_version"] == 1
    assert list(document["accounts"]) == ["one", "two", "three"]
    assert document["accounts"]["two"]["summary"] == {"create": 2, "update": 0, "delete": 0}


def test_drift_reports_each_account(project: Path, run: Run) -> None:
    run("apply", "--yes")
    ran = run("drift")
    assert ran.exit_code == 0
    assert ran.stdout == "== one ==\nNo drift.\n\n== two ==\nNo drift.\n\n== three ==\nNo drift.\n"


def test_paths_work_as_before_beside_a_project_file(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    ran = run(
        "plan",
        "common",
        extra_env={"TRIGGERSYNC_API_URL": emulators[0].url, "TRIGGERSYNC_TOKEN": "t"},
    )
    assert "== one ==" not in ran.stdout
    assert ran.exit_code == 1  # the token is wrong: PATHS use the TRIGGERSYNC_* variables
    assert "TRIGGERSYNC_TOKEN" in ran.stderr


def test_account_with_paths_is_a_usage_error(project: Path, run: Run) -> None:
    ran = run("plan", "common", "--account", "one")
    assert ran.exit_code == 1
    assert "--account chooses accounts of the project file" in ran.stderr


def test_no_paths_and_no_project_file_is_a_usage_error(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ran = run("plan")
    assert ran.exit_code == 1
    assert "give configuration PATHS, or run where a triggersync.yaml" in ran.stderr


def test_a_project_file_with_settings_only_needs_paths(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "triggersync.yaml").write_text("strict: false\n")
    ran = run("plan")
    assert ran.exit_code == 1
    assert "names no accounts (only settings): give configuration PATHS" in ran.stderr


def test_project_names_the_file(tmp_path: Path, project: Path, run: Run) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    moved = elsewhere / "accounts.yaml"
    project.rename(moved)
    ran = run("plan", "--project", str(moved))
    assert ran.exit_code == 1  # the paths are relative to the file's folder: none there
    assert f"no such file or directory: {elsewhere / 'common'}" in ran.stderr


def test_the_project_files_problems_are_reported_at_their_place(project: Path, run: Run) -> None:
    project.write_text("accounts:\n  one: {api_url: 'http://127.0.0.1:1', paths: [x], vars: 1}\n")
    ran = run("plan")
    assert ran.exit_code == 1
    assert ran.stderr == (
        "Error: triggersync.yaml:2:58: accounts.one.vars: expected a string, got 1\n"
    )


def test_a_secret_in_the_project_file_is_refused_unshown(project: Path, run: Run) -> None:
    secret = "zXk29fjeP0q81mnBv7Ya"
    text = textwrap.dedent(
        f"""\
        accounts:
          one:
            api_url: http://127.0.0.1:1
            paths: [one]
            credentials: {{token: {secret}}}
        """
    )
    project.write_text(text)
    ran = run("validate")
    assert ran.exit_code == 1
    assert secret not in ran.stderr + ran.stdout
    assert "looks like a secret" in ran.stderr


def test_apply_applies_each_account_then_nothing_is_left(project: Path, run: Run) -> None:
    ran = run("apply", "--yes")
    assert (ran.exit_code, ran.stderr.count("Error")) == (0, 0)
    for name in ("one", "two", "three"):
        assert f"{name}: Apply complete: 2 created, 0 updated, 0 deleted." in ran.stdout
        assert f'  {name}: created "Only {name}"' in ran.stderr  # progress names the account
    assert run("plan", "--detailed-exitcode").exit_code == 0


def test_apply_without_yes_off_a_terminal_changes_nothing(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    ran = run("apply")
    assert ran.exit_code == 1
    assert "refusing to apply: standard input is not a terminal" in ran.stderr
    assert all(em.store.list() == [] for em in emulators)


def test_one_saved_plan_holds_every_account_and_applies_each_to_its_own(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    assert run("plan", "--out", "plan.json").exit_code == 0
    saved = json.loads(Path("plan.json").read_text())
    assert list(saved["accounts"]) == ["one", "two", "three"]
    ran = run("apply", "--plan", "plan.json")
    assert ran.exit_code == 0
    assert sorted(t["name"] for t in emulators[1].store.list()) == ["Only two", "Shared"]


def test_each_part_of_a_saved_plan_is_checked_for_staleness_on_its_own(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    run("plan", "--out", "plan.json")
    emulators[1].store.create({"name": "Made in Zendesk", "enabled": 1})
    ran = run("apply", "--plan", "plan.json")
    assert ran.exit_code == 1
    assert 'Error: account two: plan is stale: "Made in Zendesk" appeared in Zendesk' in ran.stderr
    assert [t["name"] for t in emulators[1].store.list()] == ["Made in Zendesk"]
    assert len(emulators[0].store.list()) == len(emulators[2].store.list()) == 2


def test_a_failed_account_leaves_the_plan_unsaved(project: Path, run: Run) -> None:
    ran = run("plan", "--out", "plan.json", extra_env={"TOKEN_ONE": ""})
    assert ran.exit_code == 1
    assert "the plan is not saved to plan.json" in ran.stderr
    assert not Path("plan.json").exists()


SCENARIO = "scenarios:\n  - name: Nothing fires\n    event: page_enter\n    expect: {fires: []}\n"


def test_explain_without_paths_explains_every_accounts_configuration(
    project: Path, run: Run
) -> None:
    ran = run("explain")
    assert ran.exit_code == 0
    assert [line for line in ran.stdout.splitlines() if line.startswith("==")] == [
        "== one ==",
        "== two ==",
        "== three ==",
    ]
    assert '"Only two"' in ran.stdout.split("== two ==")[1].split("== three ==")[0]


def test_explain_live_covers_every_account(project: Path, run: Run) -> None:
    run("apply", "--yes", "--account", "two")
    ran = run("explain", "--live")
    assert ran.exit_code == 0
    one, two = ran.stdout.split("== two ==")
    assert '"Only two"' in two
    assert '"Only two"' not in one


def test_explain_an_unknown_name_fails_that_account(project: Path, run: Run) -> None:
    ran = run("explain", "--name", "Only one")
    assert ran.exit_code == 1
    assert 'account two: no trigger named "Only one" in the configuration' in ran.stderr


def test_scenarios_run_against_every_accounts_configuration(
    project: Path, run: Run, tmp_path: Path
) -> None:
    (tmp_path / "scenario.yaml").write_text(SCENARIO)
    ran = run("test", "--scenarios", str(tmp_path / "scenario.yaml"))
    assert ran.exit_code == 0
    assert ran.stdout.count("PASS Nothing fires") == 3
    assert ran.stdout.startswith("== one ==\n")


def test_export_writes_a_folder_per_account(project: Path, run: Run, tmp_path: Path) -> None:
    run("apply", "--yes")
    ran = run("export", "--out", "exported")
    assert (ran.exit_code, ran.stderr.count("Error")) == (0, 0)
    assert sorted(p.name for p in (tmp_path / "exported").iterdir()) == ["one", "three", "two"]
    two = "".join(p.read_text() for p in (tmp_path / "exported" / "two").iterdir())
    assert "name: Only two" in two
    assert "Only one" not in two


def test_export_of_one_account_prints_it(project: Path, run: Run) -> None:
    run("apply", "--yes", "--account", "three")
    ran = run("export", "--account", "three")
    assert ran.exit_code == 0
    assert "name: Only three" in ran.stdout


def test_export_of_several_accounts_needs_a_folder(project: Path, run: Run) -> None:
    ran = run("export")
    assert ran.exit_code == 1
    assert "several accounts: give --out DIR" in ran.stderr


def test_adopt_without_paths_writes_each_accounts_edits_into_its_files(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    run("apply", "--yes")
    emulators[2].store.update("Only three", {"description": "edited in Zendesk"})
    ran = run("adopt")
    assert (ran.exit_code, ran.stderr) == (0, "")
    assert "description: edited in Zendesk" in Path("three/own.yaml").read_text()
    assert run("plan", "--detailed-exitcode").exit_code == 0


def test_adopt_diff_shows_each_account_and_writes_nothing(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    run("apply", "--yes")
    emulators[0].store.update("Only one", {"description": "edited"})
    ran = run("adopt", "--diff")
    assert ran.exit_code == 2
    assert "+    description: edited" in ran.stdout.split("== one ==")[1].split("== two ==")[0]
    assert "edited" not in Path("one/own.yaml").read_text()


def test_a_projects_saved_plan_needs_the_project_file(
    project: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("plan", "--out", "plan.json")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    ran = run("apply", "--plan", str(tmp_path / "plan.json"))
    assert ran.exit_code == 1
    assert "holds the plans of a project file's accounts: apply it where the project" in (
        ran.stderr
    )


def test_a_bad_api_url_is_named_as_the_project_file_names_it(project: Path, run: Run) -> None:
    project.write_text(
        "accounts:\n  one:\n    api_url: http://10.0.0.1/api/v2/chat\n    paths: [one]\n"
        "    credentials: {token: TOKEN_ONE}\n"
    )
    ran = run("plan")
    assert ran.exit_code == 1
    assert ran.stderr.startswith(
        "Error: account one: the api_url of account 'one': refusing plain http:// to 10.0.0.1"
    )


def test_json_names_an_account_that_failed(project: Path, run: Run) -> None:
    ran = run("plan", "--format", "json", extra_env={"TOKEN_TWO": "wrong"})
    assert ran.exit_code == 1
    document = json.loads(ran.stdout)
    assert (list(document["accounts"]), document["failed"]) == (["one", "three"], ["two"])


def test_a_failed_account_shows_in_the_pull_request_comment(project: Path, run: Run) -> None:
    ran = run("plan", "--format", "markdown", extra_env={"TOKEN_TWO": "wrong"})
    two = ran.stdout.split("### two")[1].split("### three")[0]
    assert two.startswith("\n\n**Failed:**\n\n> ")
    assert "401" in two


def test_an_account_whose_lock_is_held_fails_alone(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    emulators[1].store.create(
        {"name": "triggersync lock", "description": "held by someone else", "enabled": 0}
    )
    ran = run("apply", "--yes")
    assert ran.exit_code == 1
    assert "Error: account two: " in ran.stderr
    assert "lock" in ran.stderr.split("Error: account two: ")[1]
    assert len(emulators[0].store.list()) == len(emulators[2].store.list()) == 2
    assert [t["name"] for t in emulators[1].store.list()] == ["triggersync lock"]
    assert [t["name"] for t in emulators[0].store.list() if "lock" in t["name"]] == []


def test_a_held_lock_points_to_the_unlock_that_reaches_its_account(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    emulators[1].store.create(
        {"name": "triggersync lock", "description": "held by someone else", "enabled": 0}
    )
    ran = run("apply", "--yes")
    assert ran.exit_code == 1
    assert "remove the lock with `triggersync unlock --account two`" in ran.stderr


def test_unlock_account_removes_the_lock_of_that_account_of_the_project(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    for emulator in emulators[:2]:
        emulator.store.create(
            {"name": "triggersync lock", "description": "held by a killed run", "enabled": 0}
        )
    ran = run("unlock", "--account", "two", "--yes")
    assert (ran.exit_code, ran.stderr) == (0, "")
    assert "Removed the account's lock held by held by a killed run" in ran.stdout
    assert [t["name"] for t in emulators[1].store.list()] == []
    assert [t["name"] for t in emulators[0].store.list()] == ["triggersync lock"]


def test_unlock_with_an_account_typo_suggests_the_name(project: Path, run: Run) -> None:
    ran = run("unlock", "--account", "tow", "--yes")
    assert ran.exit_code == 1
    assert ran.stderr == "Error: triggersync.yaml:1:1: no account 'tow'; did you mean 'two'?\n"


def test_a_credential_spelled_null_keeps_every_json_document_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "a/own.yaml").write_text("triggers:\n  - name: Only a\n")
    with (
        Emulator(port=0, credentials=Credentials(token="null")) as em,
        Emulator(port=0, credentials=Credentials(token="null")) as other,
    ):
        em.store.create({"name": "Stray"})
        other.store.create({"name": "Stray"})
        (tmp_path / "triggersync.yaml").write_text(
            "accounts:\n"
            f"  a:\n    api_url: {em.url}\n    paths: [a]\n    credentials: {{token: TOKEN_A}}\n"
            f"  b:\n    api_url: {other.url}\n    paths: [a]\n    credentials: {{token: TOKEN_A}}\n"
        )
        env = {"TOKEN_A": "null"}
        shown = CliRunner().invoke(cli, ["plan", "--format", "json"], env=env)
        saved = CliRunner().invoke(cli, ["plan", "--out", "plan.json"], env=env)
    assert (shown.exit_code, saved.exit_code) == (0, 0), shown.stderr + saved.stderr
    json.loads(shown.stdout)
    json.loads(Path("plan.json").read_text())


def test_a_target_narrows_every_accounts_plan(project: Path, run: Run) -> None:
    ran = run("plan", "--target", "Only *")
    assert ran.exit_code == 0
    assert ran.stdout.count("Targeted: 1 of 2 triggers.") == 3
    assert "Shared" not in ran.stdout


def test_show_renders_a_projects_saved_plan_by_account(
    project: Path, run: Run, tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    assert run("plan", "--out", str(saved)).exit_code == 0
    shown = run("show", str(saved))
    assert shown.exit_code == 0
    assert shown.stdout == run("plan").stdout


def test_a_disabled_department_is_a_warning_in_its_accounts_plan(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    emulators[1].store.create_department({"name": "Sales", "enabled": 0})
    (project.parent / "two" / "own.yaml").write_text(
        "triggers:\n  - name: Only two\n    definition:\n      event: chat_requested\n"
        "      condition: [and]\n      actions: [[setDepartment, Sales]]\n"
    )
    ran = run("plan")
    assert ran.exit_code == 0
    assert "warning: account two: two/own.yaml:6:33: " in ran.stderr
    assert 'department "Sales" (id 1) is disabled' in ran.stderr
    assert ran.stderr.count("is disabled") == 1


def _route_two_to_disabled_sales(project: Path, emulators: list[Emulator]) -> None:
    emulators[1].store.create_department({"name": "Sales", "enabled": 0})
    (project.parent / "two" / "own.yaml").write_text(
        "triggers:\n  - name: Only two\n    definition:\n      event: chat_requested\n"
        "      condition: [and]\n      actions: [[setDepartment, Sales]]\n"
    )


def test_plan_strict_makes_a_disabled_department_its_accounts_error(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    _route_two_to_disabled_sales(project, emulators)
    ran = run("plan", "--strict")
    assert ran.exit_code == 1
    assert "account two: two/own.yaml:6:33: TS401 disabled-department: " in ran.stderr
    assert "warning:" not in ran.stderr


def test_the_project_files_ignore_silences_a_disabled_department_in_every_report(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    _route_two_to_disabled_sales(project, emulators)
    project.write_text("strict: true\nrules: {ignore: [TS401]}\n" + project.read_text())
    ran = run("plan", "--format", "json")
    assert (ran.exit_code, ran.stderr) == (0, "")
    assert "TS401" not in ran.stdout


def test_a_projects_json_plan_lists_a_disabled_department(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    _route_two_to_disabled_sales(project, emulators)
    ran = run("plan", "--format", "json")
    (warning,) = json.loads(ran.stdout)["accounts"]["two"]["warnings"]
    assert (warning["rule"], warning["line"]) == ("TS401", 6)


def test_a_projects_plan_github_marks_each_accounts_warning_naming_it(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    _route_two_to_disabled_sales(project, emulators)
    ran = run("plan", "--format", "github")
    assert ran.exit_code == 0
    (mark,) = [line for line in ran.stdout.splitlines() if line.startswith("::")]
    assert mark.startswith("::warning file=two/own.yaml,line=6,col=33::account two: TS401 ")
    assert ran.stdout.index(mark) < ran.stdout.index("== one ==")
    assert ran.stderr == ""


def test_a_projects_plan_github_strict_marks_the_failing_accounts_error(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    _route_two_to_disabled_sales(project, emulators)
    ran = run("plan", "--format", "github", "--strict")
    assert ran.exit_code == 1
    assert "::error file=two/own.yaml,line=6,col=33::account two: TS401 " in ran.stdout
    assert "Error: account two: two/own.yaml:6:33: TS401 " in ran.stderr


def test_an_edited_part_of_a_saved_plan_applies_nothing_to_its_account(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    # In CI the saved plan comes from a pull request's run: each part is only a record of
    # what was reviewed, applied when a fresh plan of that account does exactly the same.
    run("plan", "--out", "plan.json")
    saved = json.loads(Path("plan.json").read_text())
    saved["accounts"]["two"]["changes"][0]["after"]["description"] = "not what was reviewed"
    Path("plan.json").write_text(json.dumps(saved))
    ran = run("apply", "--plan", "plan.json")
    assert ran.exit_code == 1
    assert "Error: account two: the saved plan is not what a fresh plan would do now" in ran.stderr
    assert emulators[1].store.list() == []
    assert len(emulators[0].store.list()) == len(emulators[2].store.list()) == 2


def test_a_saved_plan_made_with_no_prune_applies_as_it_was_made(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    emulators[1].store.create({"name": "Made in Zendesk", "enabled": 1})
    assert run("plan", "--no-prune", "--out", "plan.json").exit_code == 0
    ran = run("apply", "--plan", "plan.json")
    assert ran.exit_code == 0, ran.stderr
    names = sorted(t["name"] for t in emulators[1].store.list())
    assert names == ["Made in Zendesk", "Only two", "Shared"]


def test_a_targeted_saved_plan_applies_only_its_targets(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    assert run("plan", "--target", "Shared", "--out", "plan.json").exit_code == 0
    ran = run("apply", "--plan", "plan.json")
    assert ran.exit_code == 0, ran.stderr
    assert all([t["name"] for t in em.store.list()] == ["Shared"] for em in emulators)


def once_account_two_is_locked(
    emulators: list[Emulator], monkeypatch: pytest.MonkeyPatch, *, change_it: bool
) -> None:
    """Right after this run takes account two's lock, Zendesk starts failing every write to
    the lock (so its release fails), and, when `change_it`, a UI edit lands in the account."""
    from triggersync.api.client import Client
    from triggersync.emulator.server import Faults
    from triggersync.engine.lock import LOCK_NAME

    original = Client.create

    def create(self: Client, body: Any) -> Any:
        made = original(self, body)
        if body["name"] == LOCK_NAME and self.base_url.startswith(emulators[1].url):
            if change_it:
                emulators[1].store.create({"name": "Meanwhile", "enabled": 1})
            emulators[1].faults = Faults(fail_names=frozenset({LOCK_NAME}))
        return made

    monkeypatch.setattr(Client, "create", create)


def test_a_lock_whose_release_fails_is_an_error_of_its_account(
    project: Path, run: Run, emulators: list[Emulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    once_account_two_is_locked(emulators, monkeypatch, change_it=False)
    ran = run("apply", "--yes")
    assert ran.exit_code == 1
    assert "Error: account two: the account's lock (run " in ran.stderr
    assert "`triggersync unlock --account two`" in ran.stderr
    assert "warning: account two" not in ran.stderr
    assert "two: Apply complete: 2 created, 0 updated, 0 deleted. The account's lock was " in (
        ran.stdout
    )
    assert "one: Apply complete: 2 created, 0 updated, 0 deleted.\n" in ran.stdout


def test_a_failure_under_an_accounts_lock_is_said_with_its_failed_release(
    project: Path, run: Run, emulators: list[Emulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    once_account_two_is_locked(emulators, monkeypatch, change_it=True)
    ran = run("apply", "--yes")
    assert ran.exit_code == 1
    assert 'Error: account two: plan is stale: "Meanwhile" appeared in Zendesk' in ran.stderr
    assert "nothing was changed. Also, the account's lock (run " in ran.stderr
    assert [t["name"] for t in emulators[1].store.list()] == ["triggersync lock", "Meanwhile"]


def test_apply_strict_refuses_the_part_of_a_saved_plan_that_lists_a_warning(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    _route_two_to_disabled_sales(project, emulators)
    assert run("plan", "--out", "plan.json").exit_code == 0
    ran = run("apply", "--plan", "plan.json", "--strict")
    assert ran.exit_code == 1
    assert "Error: account two: two/own.yaml:6:33: TS401 disabled-department: " in ran.stderr
    assert emulators[1].store.list() == []


def test_the_project_files_strict_refuses_a_saved_plan_that_lists_a_warning(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    _route_two_to_disabled_sales(project, emulators)
    assert run("plan", "--out", "plan.json").exit_code == 0
    # The department is enabled since: only the saved plan still lists the warning.
    emulators[1].store.update_department(1, {"enabled": True})
    project.write_text("strict: true\n" + project.read_text())
    ran = run("apply", "--plan", "plan.json")
    assert ran.exit_code == 1
    assert "Error: account two: two/own.yaml:6:33: TS401 disabled-department: " in ran.stderr
    assert emulators[1].store.list() == []


def test_adopt_writes_an_accounts_departments_by_their_names(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    emulators[1].store.create_department({"name": "Billing", "enabled": 1})
    sales = emulators[1].store.create_department({"name": "Sales", "enabled": 1})
    emulators[1].store.create(
        {
            "name": "Route",
            "enabled": 1,
            "definition": {
                "event": "chat_requested",
                "condition": ["and"],
                "actions": [["setDepartment", sales["id"]]],
            },
        }
    )
    ran = run("adopt", "--account", "two", "--target", "Route", "--new-file", "two/own.yaml")
    assert ran.exit_code == 0, ran.stderr
    assert "[setDepartment, Sales]" in (project.parent / "two/own.yaml").read_text()


def test_two_accounts_of_one_api_are_refused_before_any_request(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    # `three` points at `one`'s emulator, written with a trailing slash: one account, whose
    # two applies would each prune the other's triggers.
    text = project.read_text().replace(emulators[2].url, emulators[0].url + "/")
    project.write_text(text)
    ran = run("apply", "--yes")
    assert ran.exit_code == 1
    assert ran.stderr == (
        f"Error: triggersync.yaml:11:14: accounts.three.api_url: account 'three' is the same "
        f"Zendesk account as 'one' (127.0.0.1:{emulators[0].port}/api/v2/chat): each "
        "account's apply would delete the other's triggers; give one account per Zendesk "
        "account (its paths may list several folders)\n"
    )
    assert all(em.traffic.snapshot()["total"] == 0 for em in emulators)


def test_a_near_miss_variable_is_said_once_for_the_whole_run(project: Path, run: Run) -> None:
    ran = run("plan", extra_env={"TRIGGERSYNC_TIMOUT": "5"})
    assert ran.exit_code == 0
    assert ran.stderr == (
        "warning: TRIGGERSYNC_TIMOUT is not a variable triggersync reads (did you mean "
        "TRIGGERSYNC_TIMEOUT?)\n"
    )


def test_a_variable_the_project_file_names_for_credentials_is_no_near_miss(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    # Close to TRIGGERSYNC_TOKEN, which is unset: named by the project file, it is no typo.
    project.write_text(project.read_text().replace("TOKEN_ONE", "TRIGGERSYNC_PROD_TOKEN"))
    ran = run("plan", extra_env={"TRIGGERSYNC_PROD_TOKEN": emulators[0].credentials.token})
    assert (ran.exit_code, ran.stderr) == (0, "")


def _routed_to_sales(emulators: list[Emulator]) -> list[int]:
    """In accounts one and two, a trigger routing to Sales, whose id differs between them."""
    ids = []
    for em, order in zip(emulators, (["Sales", "Support"], ["Support", "Sales"]), strict=False):
        made = {n: em.store.create_department({"name": n, "enabled": True})["id"] for n in order}
        definition = {
            "event": "chat_requested",
            "condition": ["and"],
            "actions": [["setDepartment", made["Sales"]]],
        }
        em.store.create({"name": "Route", "definition": definition})
        ids.append(made["Sales"])
    assert ids[0] != ids[1]
    return ids


def test_export_writes_each_accounts_departments_by_name(
    project: Path, run: Run, emulators: list[Emulator], tmp_path: Path
) -> None:
    _routed_to_sales(emulators)
    ran = run("export", "--out", str(tmp_path / "out"))
    assert ran.exit_code == 0
    assert "warning" not in ran.stderr
    for name in ("one", "two"):
        [written] = (tmp_path / "out" / name).glob("*.yaml")
        assert "[setDepartment, Sales]" in written.read_text(encoding="utf-8")


def test_export_with_department_ids_keeps_each_accounts_ids(
    project: Path, run: Run, emulators: list[Emulator], tmp_path: Path
) -> None:
    ids = _routed_to_sales(emulators)
    ran = run("export", "--out", str(tmp_path / "out"), "--department-ids")
    assert ran.exit_code == 0
    assert all(em.traffic.snapshot()["departments"] == 0 for em in emulators)
    for name, number in zip(("one", "two"), ids, strict=True):
        [written] = (tmp_path / "out" / name).glob("*.yaml")
        assert f"[setDepartment, {number}]" in written.read_text(encoding="utf-8")


def test_explain_live_names_each_accounts_departments(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    ids = _routed_to_sales(emulators)
    ran = run("explain", "--live")
    assert (ran.exit_code, ran.stderr) == (0, "")
    one, two = ran.stdout.split("== two ==")
    assert f'set department "Sales" (id {ids[0]})' in one
    assert f'set department "Sales" (id {ids[1]})' in two.split("== three ==")[0]


def test_a_saved_plan_without_the_account_chosen_is_an_error_of_that_account(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    # `--account two` with a plan saved for `one` alone: nothing can be applied to two, and a
    # silent exit 0 would read as "two is applied".
    assert run("plan", "--account", "one", "--out", "plan.json").exit_code == 0
    ran = run("apply", "--plan", "plan.json", "--account", "two")
    assert ran.exit_code == 1
    assert ran.stderr == (
        "Error: account two: the plan has no part for account 'two' (it holds: one); plan it "
        "with --account two\n"
    )
    assert all(em.store.list() == [] for em in emulators)


def test_account_with_one_accounts_saved_plan_says_what_the_plan_is(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    # A plan made from PATHs has no parts to choose from: the message must not speak of
    # PATHS the user never gave.
    env = {
        "TRIGGERSYNC_API_URL": emulators[0].url,
        "TRIGGERSYNC_TOKEN": emulators[0].credentials.token,
    }
    made = run("plan", "common", "one", "--out", "single.json", extra_env=env)
    assert made.exit_code == 0, made.stderr
    ran = run("apply", "--plan", "single.json", "--account", "one")
    assert ran.exit_code == 1
    assert ran.stderr.splitlines()[-1] == (
        "Error: single.json is one account's plan (made from PATHS), not a project's: "
        "--account chooses a part of a project's plan; apply it without --account"
    )


def test_validate_names_the_account_of_each_error_as_every_command_does(
    project: Path, run: Run
) -> None:
    Path("two/own.yaml").write_text("triggers:\n  - name: Only two\n    enabled: maybe\n")
    ran = run("validate")
    assert ran.exit_code == 1
    assert ran.stderr == (
        "Error: account two: two/own.yaml:3:14: triggers[0].enabled: expected true/false or "
        "0/1, got 'maybe'\n"
    )
    ran = run("validate", "--format", "github")
    assert "::error file=two/own.yaml,line=3,col=14::account two: triggers[0].enabled" in (
        ran.stdout
    )


def test_adopt_puts_a_trigger_one_account_has_in_that_accounts_own_folder(
    project: Path, run: Run, emulators: list[Emulator]
) -> None:
    # `common` comes first in every account's paths: a trigger made by hand in account two
    # alone, adopted there, would be created in one and three by their next apply.
    run("apply", "--yes")
    emulators[1].store.create({"name": "By hand in two", "enabled": 1})
    ran = run("adopt")
    assert (ran.exit_code, ran.stderr) == (0, "")
    assert Path("two/by-hand-in-two.yaml").is_file()
    assert sorted(p.name for p in Path("common").iterdir()) == ["shared.yaml"]
    assert run("plan", "--detailed-exitcode").exit_code == 0


def test_an_accounts_oauth_token_serves_its_plan_and_its_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulators: list[Emulator]
) -> None:
    # One run, one token per account: the plan's client and the apply's client are two, but
    # the client credentials are exchanged once (as over one account).
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "t.yaml").write_text("triggers:\n  - name: A\n")
    em = emulators[0]
    (tmp_path / "triggersync.yaml").write_text(
        f"accounts:\n  one:\n    api_url: {em.url}\n    paths: [t]\n"
        "    credentials: {client_id: ONE_ID, client_secret: ONE_SECRET}\n"
    )
    env = {"ONE_ID": em.credentials.client_id, "ONE_SECRET": em.credentials.client_secret}
    ran = CliRunner().invoke(cli, ["apply", "--yes"], env=env)
    assert ran.exit_code == 0, ran.stderr
    assert em.traffic.snapshot()["token"] == 1
