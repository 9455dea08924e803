"""The JSON Schema: found once, compiled once, its errors put into plain words.

The schema says what a file's top level and each trigger may hold. A trigger's `definition` is
left to the trigger language's own check (`language.check`), which knows every name and tells
errors from warnings; the schema describes definitions for editors (completion, hover help)
and a test keeps its errors the same as that check's.

Messages name what was expected and what was found (`expected a string, got 42`), never
jsonschema's raw repr; each carries the document path it is about, and whether it is about a
key (an unknown or read-only key points at the key, not its value).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from triggersync.engine.schemas import packaged_schema, schema_path
from triggersync.errors import JsonPath, Problem

if TYPE_CHECKING:  # jsonschema costs ~50 ms to import: only files with problems need it
    from importlib.abc import Traversable

    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

CONFIG_SCHEMA_NAME = "triggersync.schema.json"
_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true/false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}

# A problem, and whether it is about the key at its path rather than the value.
ProblemAtKey = tuple[Problem, bool]


def schema_file() -> Traversable:
    """The configuration schema this tool validates with (installed copy, else the repo's)."""
    found: Traversable = schema_path(CONFIG_SCHEMA_NAME)
    return found


def load_config_schema() -> dict[str, Any]:
    """Read once: the validators and `_known` all derive from it; callers must not mutate it."""
    return packaged_schema(CONFIG_SCHEMA_NAME)


@functools.cache
def validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = load_config_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@functools.cache
def _trigger_validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    root = load_config_schema()
    return Draft202012Validator({"$defs": root["$defs"], "$ref": "#/$defs/trigger"})


def config_schema_problems(document: Any) -> list[ProblemAtKey]:
    """Every schema problem of one file's (substituted) data but its definitions, in plain
    words.

    jsonschema costs ~60µs per trigger, too slow for 50,000 of them, so each trigger first
    goes through `_plainly_valid`, a conservative mirror of the schema; only the triggers it
    cannot vouch for are validated (and explained) by jsonschema. The top level always is.
    """
    triggers = document.get("triggers") if isinstance(document, dict) else None
    if not isinstance(triggers, list):
        return _problems(validator(), document, ())
    found = (
        []
        if _plainly_valid_top(document)
        else _problems(validator(), {**document, "triggers": []}, ())
    )
    for index, trigger in enumerate(triggers):
        if not _plainly_valid(trigger):
            found.extend(
                _problems(_trigger_validator(), without_definition(trigger), ("triggers", index))
            )
    return found


def without_definition(trigger: Any) -> Any:
    """A trigger as the schema checks it: its definition is the language's to check."""
    if isinstance(trigger, dict) and "definition" in trigger:
        return {key: value for key, value in trigger.items() if key != "definition"}
    return trigger


def problems(
    checker: Draft202012Validator, instance: Any, prefix: JsonPath = ()
) -> list[ProblemAtKey]:
    """Every problem `checker` finds in `instance`, in the same plain words (any schema)."""
    return _problems(checker, instance, prefix)


def _problems(checker: Draft202012Validator, instance: Any, prefix: JsonPath) -> list[ProblemAtKey]:
    errors = checker.iter_errors(instance)
    return [found for error in errors for found in explain_schema_error(error, prefix)]


@functools.cache
def _known_keys() -> frozenset[str]:
    return frozenset(load_config_schema()["$defs"]["trigger"]["properties"])


def _plainly_valid_top(document: dict[str, Any]) -> bool:
    """True only for a top level the schema surely accepts (its triggers checked apart)."""
    if not document.keys() <= {"triggers", "ignore"}:
        return False
    ignore = document.get("ignore", [])
    return type(ignore) is list and all(type(glob) is str and glob for glob in ignore)


def _plainly_valid(trigger: Any) -> bool:
    """True only for a trigger the schema surely accepts; False means "ask jsonschema"."""
    if type(trigger) is not dict or not trigger.keys() <= _known_keys():
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
    return "enabled" not in trigger or type(trigger["enabled"]) in (bool, int)


def describe_yaml(value: Any) -> str:
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


def explain_schema_error(error: ValidationError, prefix: JsonPath = ()) -> Iterator[ProblemAtKey]:
    """One jsonschema error in plain words, at its path under `prefix`."""
    path: JsonPath = (*prefix, *(p if isinstance(p, int) else str(p) for p in error.absolute_path))
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    keyword = error.validator
    expected: Any = error.validator_value
    custom = schema.get("errorMessage")

    def said(message: str, at: JsonPath = path, *, at_key: bool = False) -> ProblemAtKey:
        return Problem(path=at, message=message), at_key

    if custom and keyword in ("anyOf", "oneOf", "type", "minLength", "enum"):
        yield said(f"{custom}, got {describe_yaml(instance)}")
    elif keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(schema.get("properties", {}))
        for key in instance:
            if key in allowed:
                continue
            if key == "id":
                message = "id is read-only: the API assigns it; remove it"
            else:
                message = f"unknown key {key!r}{suggest(str(key), allowed)}"
            yield said(message, (*path, str(key)), at_key=True)
    elif keyword == "type":
        yield said(f"expected {_expected(expected)}, got {describe_yaml(instance)}")
    elif keyword == "required":
        missing = [k for k in expected if k not in instance]
        yield said(f"missing required key {missing[0]!r}")
    elif keyword in ("minLength", "minItems", "minProperties") and expected == 1:
        yield said("must not be empty")
    elif keyword == "dependentRequired" and isinstance(instance, dict):
        for key, needed in expected.items():
            missing = [other for other in needed if key in instance and other not in instance]
            if missing:
                yield said(f"{key!r} needs {missing[0]!r} too", (*path, str(key)), at_key=True)
    else:
        yield said(f"{describe_yaml(instance)} is not allowed here ({keyword})")
