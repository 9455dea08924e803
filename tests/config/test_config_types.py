"""A configuration is JSON, as the API holds it: keys are strings, numbers are finite.

YAML can write more (`1:`, `null:`, `.nan`); each such value is an error at its own place, so
a definition never changes on its way to the API (a replacement on every apply) and a plan is
always JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triggersync.config.files import load, load_vars
from triggersync.errors import ConfigError


def _write(tmp_path: Path, text: str, name: str = "chat.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load([path])
    return [str(issue) for issue in caught.value.problems]


def _trigger(definition: str) -> str:
    return f"triggers:\n  - name: A\n    definition: {definition}\n"


_DEFINITION = "{{event: page_enter, condition: [eq, '@a', US], actions: [[addTag, x]], {}}}"


@pytest.mark.parametrize(
    ("key", "kind", "written"),
    [
        *(("1", "a number", '["1"]'), ("0x1", "a number", '["0x1"]')),
        *(("1.5", "a number", '["1.5"]'), ("null", "null", ".null"), ("~", "null", '["~"]')),
        *(("true", "true/false", ".true"), ("no", "true/false", ".no")),
    ],
)
def test_a_key_that_is_not_a_string_is_an_error_where_it_is_written(
    tmp_path: Path, key: str, kind: str, written: str
) -> None:
    path = _write(tmp_path, _trigger(_DEFINITION.format(f"{key}: v")))
    col = len(
        "    definition: {event: page_enter, condition: [eq, '@a', US], actions: [[addTag, x]], "
    )
    col += 1
    assert _problems(path) == [
        f"{path}:3:{col}: triggers[0].definition{written}: key {key} is read as {kind}, "
        f"not a string: quote it ('{key}')"
    ]


def test_a_quoted_key_is_a_string_and_fine(tmp_path: Path) -> None:
    path = _write(tmp_path, _trigger(_DEFINITION.format("'1': v, 'null': w")))
    assert load([path]).triggers[0].definition["1"] == "v"


def test_an_empty_key_is_null_and_an_error(tmp_path: Path) -> None:
    text = "triggers:\n  - name: A\n    definition:\n      event: page_enter\n      ? \n      : v\n"
    assert any(
        "an empty key is read as null" in issue for issue in _problems(_write(tmp_path, text))
    )


def test_an_aliased_key_is_checked_like_a_written_one(tmp_path: Path) -> None:
    text = "triggers:\n  - name: A\n    description: &n 7\n    definition: {*n : v}\n"
    issues = _problems(_write(tmp_path, text))
    assert any(':4:18: triggers[0].definition["7"]: key 7 is read as a number' in i for i in issues)


def test_a_key_deep_in_an_action_is_found(tmp_path: Path) -> None:
    definition = _DEFINITION.format("x: [[sendMessageToVisitor, S, Hi, {a: {2: b}}]]")
    issues = _problems(_write(tmp_path, _trigger(definition)))
    assert len(issues) == 1
    assert 'triggers[0].definition.x[0][3].a["2"]: key 2 is read as a number' in issues[0]


def test_every_key_and_number_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    text = "triggers:\n  - name: A\n    definition: {1: a, 2: b}\n  - name: B\n    x: .nan\n"
    issues = _problems(_write(tmp_path, text))
    assert [issue.split(": ")[1] for issue in issues if "not a string" in issue] == [
        'triggers[0].definition["1"]',
        'triggers[0].definition["2"]',
    ]
    assert any("triggers[1].x: .nan is not a finite number" in issue for issue in issues)


@pytest.mark.parametrize("number", [".nan", ".NaN", ".inf", "-.Inf", "+.inf", "1.0e+999"])
def test_a_number_that_is_not_finite_is_an_error(tmp_path: Path, number: str) -> None:
    path = _write(tmp_path, _trigger(f"{{event: page_enter, condition: [gt, '@x', {number}]}}"))
    issues = _problems(path)
    col = len("    definition: {event: page_enter, condition: [gt, '@x', ") + 1
    expected = f"{path}:3:{col}: triggers[0].definition.condition[2]: {number} is not a finite"
    assert any(issue.startswith(expected) for issue in issues), issues


def test_a_finite_float_is_fine_and_stays_json(tmp_path: Path) -> None:
    path = _write(tmp_path, _trigger(_DEFINITION.format("x: [1.5, 1e3, 0.1]")))
    definition = load([path]).triggers[0].definition
    assert json.loads(json.dumps(definition, allow_nan=False)) == definition


def test_a_key_problem_outside_triggers_is_reported_too(tmp_path: Path) -> None:
    issues = _problems(_write(tmp_path, "triggers: []\n1: x\n"))
    assert any(':2:1: ["1"]: key 1 is read as a number' in issue for issue in issues)


def test_a_vars_file_value_that_is_not_finite_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"1:4: A: \.inf is not a finite number"):
        load_vars(_write(tmp_path, "A: .inf\n", "vars.yaml"))


def test_a_vars_file_null_name_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="key null is read as null"):
        load_vars(_write(tmp_path, "null: x\n", "vars.yaml"))
