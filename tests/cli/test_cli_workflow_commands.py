"""Under GitHub Actions no text from a server or a file is read as a workflow command.

The runner reads a step's stdout and stderr line by line (actions/runner,
src/Runner.Sdk/ProcessInvoker.cs: .NET StreamReader.ReadLine, which ends a line at \\n, \\r or
\\r\\n) and hands each line to ActionCommandManager.TryProcessCommand, which tries two parsers
(src/Runner.Common/ActionCommand.cs):

- TryParseV2: the line, with its leading whitespace trimmed (.NET TrimStart), starts with `::`
  and holds a second `::`; the name between them (up to a space) is a registered command;
- TryParse, the older form: `##[` appears ANYWHERE in the line, followed by a `]`.

`is_workflow_command` below models both without the registered-name check (any name would
do), and trims every character Python calls whitespace (a superset of .NET's), so it flags a
superset of what the runner runs.

Each test drives the real CLI, with GITHUB_ACTIONS=true, against a real loopback server that
serves hostile triggers, and reads every line of stdout, stderr and the files written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from canned_http import Canned, canned_server, locked
from run_cli import listing, run_cli, write_config

RUNNER_ENV = {"GITHUB_ACTIONS": "true", "TRIGGERSYNC_MAX_ATTEMPTS": "1"}
INJECTED = "\n::error title=pwned::injected"
HOSTILE_NAME = "Pwn" + INJECTED
# A description long enough that a folding writer breaks it, right before the `::`.
LONG = "x" + INJECTED + " and" + " word" * 40 + " ::add-mask::folded \u00a0::warning::nbsp"
LIVE = [
    {
        "id": 1,
        "name": HOSTILE_NAME,
        "description": LONG,
        "enabled": 1,
        "definition": {
            "event": "page_enter",
            "condition": ["and", ["eq", "@visitor_page_title", "##[add-mask]secret"]],
            "actions": [["addTag", "t\r::stop-commands::abc"]],
            "::error::key": "\u2003::notice::value",
            "\u00a0::warning::key": 2,
            "k\n::error::path": 1,
        },
    },
    {"id": 2, "name": "##[error]old form", "description": "\u00a0::error::lead", "enabled": 1},
]
# Declares the first trigger with another description and definition (an update of every
# field, shown field by field) and leaves the second to be deleted.
CONFIG = """\
triggers:
  - name: "Pwn\\n::error title=pwned::injected"
    description: "safe\\n::error::from the file"
    definition:
      event: page_enter
      condition: ["and", ["eq", "@visitor_country_code", "US"]]
      actions: [["addTag", "##[add-mask]file"]]
"""


def is_workflow_command(line: str) -> bool:
    trimmed = line.lstrip()
    if trimmed.startswith("::") and "::" in trimmed[2:]:
        return True
    start = line.find("##[")
    return start >= 0 and "]" in line[start:]


def runner_lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


def commands_in(text: str) -> list[str]:
    return [line for line in runner_lines(text) if is_workflow_command(line)]


def run(*args: str, url: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    return run_cli(*args, url=url, env={**RUNNER_ENV, **(env or {})})


@pytest.fixture
def config(tmp_path: Path) -> str:
    return write_config(tmp_path, CONFIG)


@pytest.fixture
def url() -> Iterator[str]:
    with canned_server(listing(LIVE)) as (base_url, _):
        yield base_url


def test_the_model_sees_what_the_runner_runs() -> None:
    assert is_workflow_command("::add-mask::x")
    assert is_workflow_command("  \u00a0::error title=t::x")
    assert is_workflow_command('  - delete "##[add-mask]x"')
    assert not is_workflow_command('  - delete "x\\n::error::y"')
    assert commands_in("a\r::error::b") == ["::error::b"]


@pytest.mark.parametrize(
    "args",
    [
        ["plan"],
        ["plan", "--format", "markdown"],
        ["plan", "--format", "markdown", "--max-chars", "1000"],
        ["plan", "--format", "json"],
        ["drift"],
        ["drift", "--format", "markdown"],
        ["drift", "--format", "json"],
    ],
    ids=" ".join,
)
def test_no_report_line_is_a_workflow_command(url: str, config: str, args: list[str]) -> None:
    code, stdout, stderr = run(args[0], config, *args[1:], url=url)
    assert code in (0, 2), stderr
    assert "pwned" in stdout
    assert commands_in(stdout) == []
    assert commands_in(stderr) == []


def test_no_line_of_the_saved_plan_or_the_step_summary_is_a_workflow_command(
    url: str, config: str, tmp_path: Path
) -> None:
    out, summary = tmp_path / "plan.json", tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    code, stdout, stderr = run("plan", config, "--out", str(out), url=url, env=env)
    assert code == 0, stderr
    saved = out.read_text(encoding="utf-8")
    assert json.loads(saved)["changes"][0]["name"] == HOSTILE_NAME  # escaped, not changed
    assert commands_in(saved) == []
    assert "pwned" in summary.read_text(encoding="utf-8")
    assert commands_in(summary.read_text(encoding="utf-8")) == []
    assert commands_in(stdout + stderr) == []


def test_no_line_of_an_export_is_a_workflow_command(url: str) -> None:
    code, stdout, stderr = run("export", url=url)
    assert code == 0, stderr
    assert "pwned" in stdout
    assert commands_in(stdout) == []
    assert commands_in(stderr) == []


def test_an_export_still_holds_every_live_value_exactly(url: str) -> None:
    _, stdout, _ = run("export", url=url)
    exported = yaml.safe_load(stdout)["triggers"]
    by_name = {trigger["name"]: trigger for trigger in exported}
    assert by_name[HOSTILE_NAME]["description"] == LONG
    assert by_name[HOSTILE_NAME]["definition"] == LIVE[0]["definition"]
    assert by_name["##[error]old form"]["description"] == "\u00a0::error::lead"


def test_no_line_of_an_exported_file_is_a_workflow_command(url: str, tmp_path: Path) -> None:
    target = tmp_path / "live.yaml"
    code, stdout, stderr = run("export", "--out", str(target), url=url)
    assert code == 0, stderr
    assert "pwned" in target.read_text(encoding="utf-8")
    assert commands_in(target.read_text(encoding="utf-8")) == []
    assert commands_in(stdout + stderr) == []


def test_no_line_of_an_exported_directory_is_a_workflow_command(url: str, tmp_path: Path) -> None:
    target = tmp_path / "live"
    code, _, stderr = run("export", "--out", str(target), url=url)
    assert code == 0, stderr
    files = sorted(target.iterdir())
    assert len(files) == 2
    for path in files:
        assert commands_in(path.read_text(encoding="utf-8")) == []


def test_an_export_plans_no_changes_against_what_it_exported(url: str, tmp_path: Path) -> None:
    target = tmp_path / "live.yaml"
    run("export", "--out", str(target), url=url)
    code, stdout, stderr = run("plan", str(target), url=url)
    assert (code, stdout) == (0, "No changes.\n"), stderr


def test_no_line_apply_prints_is_a_workflow_command(config: str) -> None:
    refusal = {"error": "refused\u2028::error::server ##[add-mask]said"}
    refused = Canned(400, json.dumps(refusal).encode())  # the create and the delete alike
    with canned_server(*locked(listing(LIVE[1:]), refused, refused)) as (
        base_url,
        _,
    ):
        code, stdout, stderr = run("apply", config, "--yes", "--force", url=base_url)
    assert code == 1
    assert "##\\u005berror]old form" in stderr  # the failed delete, named
    assert "server ##\\u005badd-mask]said" in stderr  # and the server's words
    assert commands_in(stdout) == []
    assert commands_in(stderr) == []


# File text that validation quotes: an unknown key (an error), an unknown action (a warning),
# each in a file whose own name holds the runner's older form.
HOSTILE_FILES = {
    "error": ('triggers:\n  - name: A\n    "##[add-mask]descripton\\n::error::key": x\n'),
    "warning": (
        "triggers:\n"
        "  - name: B\n"
        "    definition:\n"
        "      event: page_enter\n"
        '      condition: ["and", ["eq", "@visitor_country_code", "US"]]\n'
        '      actions: [["##[error]act\\n::error::action"]]\n'
    ),
}


@pytest.fixture(params=sorted(HOSTILE_FILES))
def hostile_file(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "config" / "##[add-mask]name.yaml"
    path.parent.mkdir()
    path.write_text(HOSTILE_FILES[request.param], encoding="utf-8")
    return request.param, path


def test_no_line_validate_prints_is_a_workflow_command(hostile_file: tuple[str, Path]) -> None:
    level, path = hostile_file
    code, stdout, stderr = run("validate", str(path), url="http://127.0.0.1:9")
    assert code == (1 if level == "error" else 0)
    assert f"{level}: " in stderr.lower()
    assert commands_in(stdout) == []
    assert commands_in(stderr) == []


def test_validate_github_prints_only_its_own_annotation(hostile_file: tuple[str, Path]) -> None:
    level, path = hostile_file
    code, stdout, stderr = run(
        "validate", str(path), "--format", "github", url="http://127.0.0.1:9"
    )
    assert code == (1 if level == "error" else 0)
    annotations = commands_in(stdout)
    assert len(annotations) == 1  # the one problem, and nothing forged from its text
    assert annotations[0].startswith(f"::{level} file=")
    assert "\\n::error::" in annotations[0]  # the line break in the file text, shown escaped
    assert commands_in(stderr) == []
