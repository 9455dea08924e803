"""`triggersync fmt`: rewrite, --check, --diff, and the files it refuses (docs/commands.md#fmt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from triggersync.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
MESSY = "triggers:\n- enabled: false   # later\n  name: A\n"
TIDY = "triggers:\n  - name: A\n    enabled: false  # later\n"


def fmt(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["fmt", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def messy(tmp_path: Path, name: str = "a.yaml") -> Path:
    path = tmp_path / name
    path.write_text(MESSY, encoding="utf-8")
    return path


def test_fmt_rewrites_a_file_and_names_it(tmp_path: Path) -> None:
    path = messy(tmp_path)
    assert fmt(str(tmp_path)) == (0, f"{path}\n", "")
    assert path.read_text(encoding="utf-8") == TIDY


def test_fmt_of_a_tidy_file_changes_and_names_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(TIDY, encoding="utf-8")
    code, stdout, _ = fmt(str(path))
    assert (code, stdout) == (0, "")


def test_check_names_the_file_that_would_change_exits_1_and_writes_nothing(
    tmp_path: Path,
) -> None:
    path = messy(tmp_path)
    code, stdout, stderr = fmt("--check", str(path))
    assert (code, stdout) == (1, f"{path}\n")
    assert stderr == (
        "Error: 1 file is not in the canonical layout; run `triggersync fmt` on them\n"
    )
    assert path.read_text(encoding="utf-8") == MESSY


def test_check_of_tidy_files_exits_0(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(TIDY, encoding="utf-8")
    assert fmt("--check", str(tmp_path))[0] == 0


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = messy(tmp_path)
    code, stdout, _ = fmt("--diff", str(path))
    assert code == 0
    assert f"--- {path}\n+++ {path}\n" in stdout
    assert "-- enabled: false   # later\n" in stdout
    assert "+    enabled: false  # later\n" in stdout
    assert path.read_text(encoding="utf-8") == MESSY


def test_diff_escapes_a_line_a_ci_runner_would_read_as_a_workflow_command(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.yaml"
    # The description's second line stays as it is: a context line, ` ` and the line.
    text = (
        "triggers:\n  - name: A\n    description: first\n      ::add-mask::x\n"
        "    enabled: false   # later\n"
    )
    path.write_text(text, encoding="utf-8")
    code, stdout, _ = fmt("--diff", str(path))
    assert code == 0
    lines = stdout.splitlines()
    assert not [line for line in lines if line.lstrip().startswith("::")]
    assert "\n       \\u003a:add-mask::x\n" in stdout


def test_a_file_named_that_is_not_configuration_is_an_error_and_not_rewritten(
    tmp_path: Path,
) -> None:
    workflow = tmp_path / "ci.yml"
    workflow.write_text("on: push\njobs: {}\n", encoding="utf-8")
    path = messy(tmp_path)
    code, stdout, stderr = fmt(str(workflow), str(path))
    assert (code, stdout) == (1, f"{path}\n")
    assert stderr == (
        f"Error: {workflow}:1:1: not a configuration file: it declares neither `triggers` "
        "nor `ignore`\n"
    )
    assert workflow.read_text(encoding="utf-8") == "on: push\njobs: {}\n"


def test_a_file_in_a_folder_that_is_not_configuration_is_passed_over_and_named(
    tmp_path: Path,
) -> None:
    workflow = tmp_path / "ci.yml"
    workflow.write_text("on: push\njobs: {}\n", encoding="utf-8")
    path = messy(tmp_path)
    code, stdout, stderr = fmt(str(tmp_path))
    assert (code, stdout) == (0, f"{path}\n")
    assert stderr == (
        f"left alone: {workflow}:1:1: not a configuration file: it declares neither "
        "`triggers` nor `ignore`\n"
    )
    assert workflow.read_text(encoding="utf-8") == "on: push\njobs: {}\n"


def test_the_whole_examples_folder_is_fmt_clean() -> None:
    code, stdout, _ = fmt("--check", "-q", str(ROOT / "examples"))
    assert (code, stdout) == (0, "")


def test_a_scenario_file_points_to_test(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("scenarios: []\n", encoding="utf-8")
    code, _, stderr = fmt(str(path))
    assert code == 1
    assert "scenario files are not configuration" in stderr


def test_a_yaml_syntax_error_is_one_line_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("triggers:\n  - name: [A\n", encoding="utf-8")
    code, stdout, stderr = fmt(str(path))
    assert (code, stdout) == (1, "")
    assert stderr.startswith(f"Error: {path}:")
    assert stderr.count("\n") == 1


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    code, _, stderr = fmt(str(tmp_path / "nope"))
    assert code == 1
    assert "no such file or directory" in stderr


def test_the_examples_are_fmt_clean() -> None:
    examples = ROOT / "examples"
    code, stdout, _ = fmt("--check", str(examples / "triggers"), str(examples / "environments"))
    assert (code, stdout) == (0, "")


def test_a_file_name_with_a_line_break_is_named_on_one_line(tmp_path: Path) -> None:
    path = messy(tmp_path, "a\n::error::injected.yaml")
    code, stdout, _ = fmt("--check", str(path))
    assert code == 1
    assert stdout.count("\n") == 1
    assert "\n::error" not in stdout


def test_fmt_through_a_symbolic_link_rewrites_the_file_and_keeps_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The link resolves inside the working directory: a link leading outside it and outside
    # the folders given is refused (docs/safety.md, files not devices).
    monkeypatch.chdir(tmp_path)
    target = messy(tmp_path, "real.yaml")
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "a.yaml"
    link.symlink_to(target)
    assert fmt(str(link))[0] == 0
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == TIDY


@pytest.mark.parametrize("option", ["--check", None])
def test_a_file_named_like_a_workflow_command_is_named_inert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str | None
) -> None:
    # The runner reads a stdout line that starts with `::` and holds another `::` as a
    # command: `::error::x.yaml` on a line of its own would mark an error, not name a file.
    monkeypatch.chdir(tmp_path)
    messy(tmp_path, "::error::x.yaml")
    _, stdout, _ = fmt(*([option] if option else []), "::error::x.yaml")
    assert stdout == "\\u003a:error::x.yaml\n"
