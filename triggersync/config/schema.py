"""The JSON Schema: loaded once, compiled once, its errors put into plain words.

Messages name what was expected and what was found (`expected a string, got 42`), never
jsonschema's raw repr; each carries the document path it is about, and whether it is about a
key (an unknown or read-only key points at the key, not its value).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from triggersync.config.paths import PathPart
from triggersync.engine.schemas import packaged_schema

if TYPE_CHECKING:  # jsonschema costs ~50 ms to import: only files with problems need it
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_NAME = "triggersync.schema.json"
_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true/false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


@dataclass(frozen=True)
class SchemaProblem:
    path: tuple[PathPart, ...]
    message: str
    at_key: bool = False


def load_schema() -> dict[str, Any]:
    """Read once: the validators and `_known` all derive from it; callers must not mutate it."""
    return packaged_schema(SCHEMA_NAME)


@functools.cache
def validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@functools.cache
def _trigger_validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    root = load_schema()
    return Draft202012Validator({"$defs": root["$defs"], "$ref": "#/$defs/trigger"})


def check(document: Any) -> list[SchemaProblem]:
    """Every schema problem of one file's (substituted) data, in plain words.

    jsonschema costs ~60µs per trigger, too slow for 50,000 of them, so each trigger first
    goes through `_plainly_valid`, a conservative mirror of the schema; only the triggers it
    cannot vouch for are validated (and explained) by jsonschema. The top level always is.
    """
    triggers = document.get("triggers") if isinstance(document, dict) else None
    if not isinstance(triggers, list):
        return _problems(validator(), document, ())
    problems = (
        []
        if _plainly_valid_top(document)
        else _problems(validator(), {**document, "triggers": []}, ())
    )
    for index, trigger in enumerate(triggers):
        if not _plainly_valid(trigger):
            problems.extend(_problems(_trigger_validator(), trigger, ("triggers", index)))
    return problems


def problems(checker: Draft202012Validator, instance: Any) -> list[SchemaProblem]:
    """Every problem `checker` finds in `instance`, in the same plain words (any schema)."""
    return _problems(checker, instance, ())


def _problems(
    checker: Draft202012Validator, instance: Any, prefix: tuple[PathPart, ...]
) -> list[SchemaProblem]:
    out: list[SchemaProblem] = []
    for error in checker.iter_errors(instance):
        for problem in _translate(error):
            out.append(SchemaProblem((*prefix, *problem.path), problem.message, problem.at_key))
    return out


@functools.cache
def _known() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    defs = load_schema()["$defs"]
    return (
        frozenset(defs["trigger"]["properties"]),
        frozenset(defs["definition"]["required"]),
        frozenset(defs["definition"]["properties"]["event"]["enum"]),
    )


def _plainly_valid_top(document: dict[str, Any]) -> bool:
    """True only for a top level the schema surely accepts (its triggers checked apart)."""
    if not document.keys() <= {"triggers", "ignore"}:
        return False
    ignore = document.get("ignore", [])
    return type(ignore) is list and all(type(glob) is str and glob for glob in ignore)


def _plainly_valid(trigger: Any) -> bool:
    """True only for a trigger the schema surely accepts; False means "ask jsonschema"."""
    keys, required, events = _known()
    if type(trigger) is not dict or not trigger.keys() <= keys:
        return False
    for key in ("name", "renamed_from"):
        if key in trigger and (type(trigger[key]) is not str or not trigger[key]):
            return False
    if "name" not in trigger:
        return False
    if "description" in trigger and type(trigger["description"]) is not str:
        return False
    if "enabled" in trigger and trigger["enabled"] not in (True, False):
        return False  # 0 and 1 compare equal to False and True: both forms pass
    if "enabled" in trigger and type(trigger["enabled"]) not in (bool, int):
        return False
    definition = trigger.get("definition")
    if "definition" not in trigger:
        return True
    if type(definition) is not dict or not required <= definition.keys():
        return False
    event, condition, actions = (definition[k] for k in ("event", "condition", "actions"))
    if type(event) is not str or event not in events:
        return False
    if type(condition) is not list or not condition or type(actions) is not list:
        return False
    return all(
        type(action) is list and action and type(action[0]) is str and action[0]
        for action in actions
    )


def describe(value: Any) -> str:
    """A value as a user wrote it in YAML, short."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


def _expected(types: Any) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(_TYPE_WORDS.get(name, name) for name in names)


def suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _translate(error: ValidationError) -> Iterator[SchemaProblem]:
    path: tuple[PathPart, ...] = tuple(
        p if isinstance(p, int) else str(p) for p in error.absolute_path
    )
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    keyword = error.validator
    expected: Any = error.validator_value
    custom = schema.get("errorMessage")
    if custom and keyword in ("anyOf", "oneOf", "type", "minLength", "enum"):
        yield SchemaProblem(path, f"{custom}, got {describe(instance)}")
    elif keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(schema.get("properties", {}))
        for key in instance:
            if key in allowed:
                continue
            if key == "id":
                message = "id is read-only: the API assigns it; remove it"
            else:
                message = f"unknown key {key!r}{suggest(str(key), allowed)}"
            yield SchemaProblem((*path, str(key)), message, at_key=True)
    elif keyword == "type":
        yield SchemaProblem(path, f"expected {_expected(expected)}, got {describe(instance)}")
    elif keyword == "required":
        missing = [k for k in expected if k not in instance]
        yield SchemaProblem(path, f"missing required key {missing[0]!r}")
    elif keyword == "enum":
        choices = [str(c) for c in expected]
        listed = ", ".join(repr(c) for c in choices)
        hint = suggest(instance, choices) if isinstance(instance, str) else ""
        yield SchemaProblem(path, f"expected one of {listed}, got {describe(instance)}{hint}")
    elif keyword == "minLength":
        yield SchemaProblem(path, "must not be empty")
    elif keyword == "minItems":
        count = expected
        yield SchemaProblem(path, f"expected at least {count} item{'s' if count != 1 else ''}")
    else:
        yield SchemaProblem(path, f"{describe(instance)} is not allowed here ({keyword})")
