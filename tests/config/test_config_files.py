"""Files → Config."""

from __future__ import annotations

from pathlib import Path

import pytest

from triggersync.config import Config, IgnoreGlob, load, load_vars
from triggersync.engine.model import Trigger
from triggersync.errors import ConfigError, Location


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _problems(*paths: Path, variables: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(paths, variables)
    return [str(problem) for problem in caught.value.problems]


def test_triggers_are_normalised_with_their_location(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.yaml", "triggers:\n  - name: A\n    enabled: 0\n  - name: B\n")
    config = load([path])
    assert config.triggers == (Trigger("A", "", 0), Trigger("B", "", 1))
    assert config.triggers[1].location == Location(str(path), 4, 5)
    assert config.files == (str(path),)


def test_definition_is_none_unless_declared(tmp_path: Path) -> None:
    definition = "{event: page_enter, condition: [eq, '@a', 1], actions: [[addTag, x]]}"
    text = f"triggers:\n  - name: A\n  - name: B\n    definition: {definition}\n"
    config = load([_write(tmp_path, "a.yaml", text)])
    assert config.triggers[0].definition is None
    assert config.triggers[1].definition["actions"] == [["addTag", "x"]]


def test_folders_are_searched_sorted_skipping_hidden(tmp_path: Path) -> None:
    _write(tmp_path, "b.yml", "triggers: [{name: B}]\n")
    _write(tmp_path, "a/z.yaml", "triggers: [{name: Z}]\n")
    _write(tmp_path, ".git/x.yaml", "broken: [\n")
    _write(tmp_path, ".hidden.yaml", "broken: [\n")
    _write(tmp_path, "notes.txt", "broken: [\n")
    config = load([tmp_path])
    assert [t.name for t in config.triggers] == ["Z", "B"]


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.yaml", "triggers: [{name: A}]\n")
    assert len(load([tmp_path, path]).triggers) == 1


def test_folder_without_yaml_is_an_error(tmp_path: Path) -> None:
    assert _problems(tmp_path) == [f"{tmp_path}:1:1: no *.yaml or *.yml files in this folder"]


def test_duplicate_across_files_names_both_places(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", "triggers:\n  - name: Hi\n")
    b = _write(tmp_path, "b.yaml", "triggers:\n  - name: Hi\n")
    assert _problems(a, b) == [
        f"{b}:2:11: triggers[0].name: duplicate name 'Hi': also declared at {a}:2:5"
    ]


def test_renaming_the_same_trigger_twice_is_an_error(tmp_path: Path) -> None:
    text = "triggers:\n  - {name: A, renamed_from: Old}\n  - {name: B, renamed_from: Old}\n"
    (issue,) = _problems(_write(tmp_path, "a.yaml", text))
    assert "another trigger renames it too" in issue


def test_renamed_from_own_name_is_an_error(tmp_path: Path) -> None:
    (issue,) = _problems(_write(tmp_path, "a.yaml", "triggers: [{name: A, renamed_from: A}]\n"))
    assert issue.endswith("renamed_from is the trigger's own name")


def test_ignore_glob_matching_a_rename_source_is_an_error(tmp_path: Path) -> None:
    text = "ignore: ['Old*']\ntriggers: [{name: New, renamed_from: Old one}]\n"
    (issue,) = _problems(_write(tmp_path, "a.yaml", text))
    assert "matches the declared renamed_from 'Old one'" in issue


def test_is_ignored_uses_case_sensitive_globs(tmp_path: Path) -> None:
    config = load([_write(tmp_path, "a.yaml", "ignore: ['Legacy *']\ntriggers: []\n")])
    assert config.ignore == (IgnoreGlob("Legacy *", Location(str(tmp_path / "a.yaml"), 1, 10)),)
    assert config.is_ignored("Legacy chat")
    assert not config.is_ignored("legacy chat")


def test_warnings_do_not_fail_the_load(tmp_path: Path) -> None:
    definition = "{event: page_enter, condition: [], actions: [[zap]]}"
    text = f"triggers:\n  - name: A\n    definition: {definition}\n"
    config = load([_write(tmp_path, "a.yaml", text)])
    assert [w.message for w in config.warnings] == ["unknown action 'zap'; kept as written"]


def test_variables_are_substituted_before_validation(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.yaml", "triggers:\n  - name: '${TEAM} greeting'\n")
    assert load([path], {"TEAM": "Sales"}).triggers[0].name == "Sales greeting"


def test_every_issue_of_every_file_is_reported(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "")
    _write(tmp_path, "b.yaml", "triggers: [{name: A, enabled: 3}, {name: B, colour: red}]\n")
    assert len(_problems(tmp_path)) == 3


def test_config_is_frozen() -> None:
    config = Config((), (), (), ())
    with pytest.raises(AttributeError):
        config.triggers = ()  # type: ignore[misc]


def test_load_vars_reads_strings_and_numbers(tmp_path: Path) -> None:
    path = _write(tmp_path, "vars.yaml", "A: text\nB: 42\nC: 1.5\n")
    assert load_vars(path) == {"A": "text", "B": "42", "C": "1.5"}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("A: true\n", "1:4: A: expected a string or a number, got true"),
        ("A: [1]\n", "expected a string or a number, got a list"),
        ("bad-name: 1\n", '1:1: ["bad-name"]: invalid variable name'),
        ("- A\n", "expected a mapping of names to values, got a list"),
        ("", "expected a mapping of names to values, got an empty file"),
        ("A: [\n", "YAML syntax error"),
    ],
)
def test_load_vars_problems(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_vars(_write(tmp_path, "vars.yaml", text))
    assert fragment in str(caught.value)


def test_load_vars_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_vars(tmp_path / "nope.yaml")
