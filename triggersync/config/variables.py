"""`${NAME}` substitution in string values (docs/configuration.md, "Variables").

Rules, all tested:
- `${NAME}` is replaced by the variable's value; NAME is a letter or `_` then letters, digits,
  `_`. Adjacent references (`${A}${B}`) each expand.
- `$${` is a literal `${`; any other `$` is kept as written.
- A replacement is inserted as is and never scanned again, so a value may contain `${`.
- An undefined name, `${}`, an invalid name and a `${` without its `}` are errors: a
  reference must never reach the API as written.
- Only values are substituted, never mapping keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from triggersync.errors import JsonPath, Problem

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TOKEN = re.compile(r"\$\$\{|\$\{(?P<body>[^}]*)(?P<close>\})?")


def expand(text: str, variables: Mapping[str, str]) -> tuple[str, list[str]]:
    """The text with references replaced, and the problems found (empty when all is well)."""
    if "$" not in text:
        return text, []
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$${":
            return "${"
        body = match.group("body")
        if match.group("close") is None:
            problems.append(f"unterminated '${{' in {text!r}: close it with '}}' or write '$${{'")
        elif body == "":
            problems.append("empty reference '${}': write ${NAME}, or '$${' for a literal '${'")
        elif not NAME.match(body):
            problems.append(f"invalid variable name {body!r} in '${{{body}}}'")
        elif body not in variables:
            problems.append(f"undefined variable '{body}'{_hint(variables)}")
        else:
            return variables[body]
        return match.group(0)

    return _TOKEN.sub(replace, text), problems


def _hint(variables: Mapping[str, str]) -> str:
    if not variables:
        return " (no variables given: pass --vars FILE)"
    return f" (defined: {', '.join(sorted(variables))})"


def substitute(data: Any, variables: Mapping[str, str]) -> tuple[Any, list[Problem]]:
    """A copy of `data` with every string value expanded, and each problem at its path (the
    caller places it in the file)."""
    problems: list[Problem] = []

    def walk(value: Any, path: JsonPath) -> Any:
        if isinstance(value, str):
            out, found = expand(value, variables)
            problems.extend(Problem(path=path, message=message) for message in found)
            return out
        if isinstance(value, list):
            return [walk(item, (*path, i)) for i, item in enumerate(value)]
        if isinstance(value, dict):
            return {key: walk(item, (*path, key)) for key, item in value.items()}
        return value

    return walk(data, ()), problems


def variable_references(value: Any) -> list[str]:
    """The names of the variables that the strings in `value` refer to, in order, each once
    (`$${` is a literal `${`, not a reference)."""
    found: dict[str, None] = {}
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            for match in _TOKEN.finditer(item):
                if match.group(0) != "$${":
                    found.setdefault(match.group("body") or "", None)
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
    return list(found)
