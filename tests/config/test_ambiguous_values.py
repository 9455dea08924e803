"""Values are what they look like: YAML 1.1 numbers people rarely mean are a warning in a
configuration and an error in a vars file; integers too long for Python are an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from triggersync.config import load, load_vars
from triggersync.errors import ConfigError
from triggersync.language.rules import RuleSettings

TRIGGER = """triggers:
  - name: A
    definition:
      event: chat_requested
      condition: [eq, "@visitor_name", {value}]
      actions: [[addTag, x]]
"""

AMBIGUOUS = [
    ("012345", "the number 5349"),
    ("0x1F", "the number 31"),
    ("0o17", "the text '0o17'"),
    ("1:30", "the number 90"),
    ("17:30:00", "the number 63000"),
    ("1_000", "the number 1000"),
    ("0b101", "the number 5"),
    ("01.5", "the number 1.5"),
]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("value", "read_as"), AMBIGUOUS)
def test_an_ambiguous_value_in_a_definition_is_a_warning_at_its_place(
    tmp_path: Path, value: str, read_as: str
) -> None:
    path = _write(tmp_path, "a.yaml", TRIGGER.format(value=value))
    (warning,) = load([path]).warnings
    assert str(warning) == (
        f"{path}:5:40: TS402 ambiguous-yaml-value: triggers[0].definition.condition[2]: "
        f"{value} is read as {read_as} (YAML 1.1 rules): quote it ('{value}') to keep it "
        "as written"
    )


@pytest.mark.parametrize("value", ["'012345'", "12", "0", "0.5", "-3", "1.5e3", "10:00 am"])
def test_a_plain_or_quoted_value_is_no_warning(tmp_path: Path, value: str) -> None:
    assert load([_write(tmp_path, "a.yaml", TRIGGER.format(value=value))]).warnings == ()


@pytest.mark.parametrize(("value", "read_as"), AMBIGUOUS)
def test_an_ambiguous_value_in_a_vars_file_is_an_error(
    tmp_path: Path, value: str, read_as: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_vars(_write(tmp_path, "vars.yaml", f"OK: 1\nZIP: {value}\n"))
    assert str(caught.value).startswith(f"{tmp_path}/vars.yaml:2:6: ZIP: {value} is read as")
    assert f"quote it ('{value}')" in str(caught.value)


def test_a_quoted_vars_value_is_kept_as_written(tmp_path: Path) -> None:
    assert load_vars(_write(tmp_path, "vars.yaml", "ZIP: '012345'\n")) == {"ZIP": "012345"}


def test_an_integer_too_long_for_python_is_an_error_in_a_configuration(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.yaml", TRIGGER.format(value="9" * 5000))
    with pytest.raises(ConfigError) as caught:
        load([path])
    assert str(caught.value) == (
        f"{path}:5:40: triggers[0].definition.condition[2]: an integer of 5000 characters, "
        "over the limit of 4300: quote it if you mean the text"
    )


@pytest.mark.parametrize("value", ["9" * 5000, "-" + "9" * 5000, "0x" + "f" * 5000])
def test_an_integer_too_long_for_python_is_an_error_in_a_vars_file(
    tmp_path: Path, value: str
) -> None:
    with pytest.raises(ConfigError, match=r"vars.yaml:1:4: N: an integer of \d+ characters"):
        load_vars(_write(tmp_path, "vars.yaml", f"N: {value}\n"))


def test_an_ambiguous_value_is_silenced_when_the_project_ignores_ts402(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.yaml", TRIGGER.format(value="012345"))
    settings = RuleSettings(ignore=frozenset({"TS402"}))
    assert load([path], settings=settings).warnings == ()


def test_an_ambiguous_value_is_silenced_by_the_name_line_comment(tmp_path: Path) -> None:
    text = TRIGGER.format(value="012345").replace(
        "name: A", "name: A  # triggersync: ignore[TS402]"
    )
    assert load([_write(tmp_path, "a.yaml", text)]).warnings == ()


def test_an_ambiguous_value_is_an_error_under_strict_settings(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.yaml", TRIGGER.format(value="012345"))
    with pytest.raises(ConfigError) as caught:
        load([path], settings=RuleSettings(strict=True))
    (problem,) = caught.value.problems
    assert problem.is_error
    assert str(problem).startswith(f"{path}:5:40: TS402 ambiguous-yaml-value: ")
