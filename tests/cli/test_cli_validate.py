"""`triggersync validate` over the example folders: every bad input exits 1 naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from triggersync.cli.main import cli

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parents[2]
VALID = sorted(p for p in (DATA / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (DATA / "invalid").iterdir() if p.is_dir())


def _validate(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.name)
def test_valid_case_exits_0_with_exactly_its_warnings(case: Path) -> None:
    code, out, err = _validate(str(case))
    assert code == 0
    assert out.endswith("valid.\n")
    listed = case / "warnings.txt"
    expected = listed.read_text(encoding="utf-8").splitlines() if listed.exists() else []
    assert err.splitlines() == [f"warning: {case}/{line}" for line in expected]


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_invalid_case_exits_1_with_file_and_line(case: Path) -> None:
    code, _, err = _validate(str(case))
    assert code == 1
    for fragment in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert f"{case}/{fragment.replace('{dir}', str(case))}" in err


def test_examples_are_valid() -> None:
    code, out, err = _validate(str(ROOT / "examples" / "triggers"))
    assert (code, err) == (0, "")
    assert out == "8 triggers in 3 files are valid.\n"


@pytest.mark.parametrize("environment", ["sandbox", "production"])
def test_environment_example_is_valid_with_its_vars(environment: Path) -> None:
    vars_file = ROOT / "examples" / "vars" / f"{environment}.yaml"
    code, out, _ = _validate(str(ROOT / "examples" / "environments"), "--vars", str(vars_file))
    assert (code, out) == (0, "1 trigger in 1 file is valid.\n")


def test_environment_example_without_vars_names_each_reference() -> None:
    code, _, err = _validate(str(ROOT / "examples" / "environments"))
    assert code == 1
    assert "support.yaml:8:18: triggers[0].description: undefined variable" in err


def test_github_format_prints_annotations_on_stdout() -> None:
    case = DATA / "invalid" / "enabled-type"
    code, out, _ = _validate("--format", "github", str(case))
    assert code == 1
    assert out == (
        f"::error file={case}/chat.yaml,line=6,col=14::"
        "triggers[3].enabled: expected true/false or 0/1, got 'maybe'\n"
    )


def test_errors_of_several_files_are_reported_together_sorted() -> None:
    code, _, err = _validate(
        str(DATA / "invalid" / "several-files"), str(DATA / "invalid" / "empty-file")
    )
    assert code == 1
    places = [line.removeprefix("Error: ").split(": ")[0] for line in err.splitlines()]
    invalid = DATA / "invalid"
    assert places == [
        f"{invalid}/empty-file/chat.yaml:1:1",
        f"{invalid}/several-files/a.yaml:3:14",
        f"{invalid}/several-files/b.yaml:3:5",
    ]


def test_missing_path_is_an_error() -> None:
    code, _, err = _validate(str(DATA / "no-such-folder"))
    assert code == 1
    assert err == f"Error: no such file or directory: {DATA / 'no-such-folder'}\n"  # no line:col


def test_missing_argument_is_a_usage_error_exit_1() -> None:
    code, _, _ = _validate()
    assert code == 1
