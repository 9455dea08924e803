"""Plain data straight from the C parser's events, checked as they arrive.

No node graph is built (a 50k-trigger file would need ~700 MB for one), so that only plain data
tags are accepted and nesting and alias expansion are bounded as the events arrive. yamlload
reads the file and wraps this; it re-exports the limits and the error types defined here.

The data must be JSON, as the API holds it: YAML's non-string mapping keys (`1:`, `null:`,
`true:`) and non-finite numbers (`.nan`, `.inf`) are not, and would either be changed on the
way (JSON keys are strings) or not be JSON at all. Each is a problem at its own place, gathered
rather than fatal, so that one file reports all of them.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import yaml

from triggersync.config.paths import PathPart, format_path

MAX_DEPTH = 64
# Nodes reached again through an alias, beyond the file's own content. Real configurations
# reuse a few anchors; a "billion laughs" file needs millions. Own content is already bounded
# by yamlload.MAX_FILE_BYTES, so a 50k-trigger file never comes near this.
MAX_ALIAS_EXPANSION = 100_000

Composer: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_PLAIN = "plain YAML data: mappings, lists, strings, numbers, true/false and null"
_constructor = yaml.constructor.SafeConstructor()
MERGE = f"{_TAG}merge"
_PLACED = 2  # places kept while loading: the top level, its keys' values and their items


@dataclass(frozen=True)
class Problem:
    """A loading problem: 1-based place and message; the caller adds the file name."""

    line: int
    col: int
    path: str
    message: str


class LoadError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class Builder:
    """Plain data straight from the C parser's events, with no node graph in between: a
    50k-trigger file needs a fifth of the memory and half the time of compose-then-construct.

    Checks as it goes: only plain data tags, nesting bounded, and aliases bounded by how far
    they would expand (each anchor's size is known when its alias is met, so a "billion
    laughs" file fails after a few events). Records the place of every value up to `_PLACED`
    levels deep (each trigger's line for messages); deeper places come from
    `yamlload.Document.root`.
    """

    def __init__(self, text: str) -> None:
        self._loader = Composer(text)
        self._next = self._loader.get_event
        self._resolve = self._loader.resolve
        self.path: list[PathPart] = []
        self.places: dict[tuple[PathPart, ...], tuple[int, int]] = {}
        self.problems: list[Problem] = []  # not JSON: a non-string key, a non-finite number
        self._anchors: dict[str, tuple[Any, int, Any]] = {}
        self._scalar_text: dict[str, str] = {}  # an anchored scalar's text, for an aliased key
        self._keying = False  # building a mapping key: its own problem replaces a value's
        self._open: set[str] = set()
        self._strings: dict[str, str] = {}
        self._built = 0  # values built from events
        self._expanded = 0  # values the data holds, aliases counted at full size

    def document(self) -> Any:
        try:
            self._next()  # stream start
            if self._loader.check_event(yaml.StreamEndEvent):
                return None
            self._next()  # document start
            root = self._next()
            self._place(root)
            data = self._value(root)
            self._next()  # document end
            if not self._loader.check_event(yaml.StreamEndEvent):
                extra = self._next()
                raise yaml.MarkedYAMLError(
                    "expected a single document in the stream",
                    None,
                    "but found another document",
                    extra.start_mark,
                )
            return data
        finally:
            self._loader.dispose()

    def _value(self, event: Any) -> Any:
        kind = type(event)
        if kind is yaml.AliasEvent:
            return self._alias(event)
        if len(self.path) > MAX_DEPTH:
            mark = event.start_mark  # the path itself would be too long to read
            message = f"nested deeper than {MAX_DEPTH} levels"
            raise LoadError(Problem(mark.line + 1, mark.column + 1, "", message))
        anchor = getattr(event, "anchor", None)
        if anchor is None:
            return self._build(event, kind)
        if anchor in self._anchors:
            first = self._anchors[anchor][2]
            raise yaml.MarkedYAMLError(
                f"found duplicate anchor {anchor!r}; first occurrence",
                first,
                "second occurrence",
                event.start_mark,
            )
        self._open.add(anchor)
        before = self._expanded
        value = self._build(event, kind)
        self._open.discard(anchor)
        if kind is yaml.ScalarEvent:
            self._scalar_text[anchor] = event.value
        self._anchors[anchor] = (value, self._expanded - before, event.start_mark)
        return value

    def _build(self, event: Any, kind: type[Any]) -> Any:
        self._built += 1
        self._expanded += 1
        if kind is yaml.ScalarEvent:
            return self._scalar(event, self._tag(event))
        if kind is yaml.SequenceStartEvent:
            self._check_tag(event, "seq")
            out: list[Any] = []
            path = self.path
            path.append(0)
            while True:
                item = self._next()
                if type(item) is yaml.SequenceEndEvent:
                    path.pop()
                    return out
                path[-1] = len(out)
                if len(path) <= _PLACED:
                    self._place(item)
                out.append(self._value(item))
        if kind is yaml.MappingStartEvent:
            self._check_tag(event, "map")
            return self._mapping()
        raise self._fail(event, f"unexpected {kind.__name__}")  # pragma: no cover

    def _tag(self, event: Any) -> str:
        tag: str | None = event.tag
        if tag is None or tag == "!":
            return str(self._resolve(yaml.ScalarNode, event.value, event.implicit))
        return tag

    def _check_tag(self, event: Any, kind: str) -> None:
        tag = event.tag
        if tag is not None and tag != "!" and tag != f"{_TAG}{kind}":
            raise self._fail(event, _not_allowed(tag))

    def _scalar(self, event: Any, tag: str) -> Any:
        value: str = event.value
        if tag == f"{_TAG}str" or tag == f"{_TAG}timestamp":
            # JSON has no dates: keep what the user wrote. Operators, variables, actions and
            # departments repeat in every trigger: one copy of each is ~15% of a big file's data.
            return self._strings.setdefault(value, value) if len(value) <= 64 else value
        if tag == f"{_TAG}bool":
            return _constructor.bool_values[value.lower()]
        if tag == f"{_TAG}null":
            return None
        if tag == f"{_TAG}int" and value.isdigit() and value[0] != "0":
            return int(value)
        if tag in _SCALAR_TAGS:  # signed, hex, octal, sexagesimal, floats: PyYAML's rules
            node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
            built = _constructor.yaml_constructors[tag](_constructor, node)
            if type(built) is float and not math.isfinite(built) and not self._keying:
                # `.nan`, `.inf`, or a float too large (`1.0e999`): JSON has no such number.
                message = (
                    f"{value} is not a finite number, and JSON has no NaN or infinity: "
                    "write a number, or quote it if you mean the text"
                )
                self.problems.append(self._problem(event, format_path(self.path), message))
            return built
        raise self._fail(event, _not_allowed(tag))

    def _mapping(self) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}
        path = self.path
        while True:
            event = self._next()
            kind = type(event)
            if kind is yaml.MappingEndEvent:
                return {**merged, **out} if merged else out
            if kind is yaml.ScalarEvent and event.value == "<<" and self._tag(event) == MERGE:
                merged = {**self._merge_sources(self._next()), **merged}
                continue
            if kind is not yaml.ScalarEvent and kind is not yaml.AliasEvent:
                raise self._fail(event, "a mapping key must be a plain value, not a list/mapping")
            self._keying = True
            key = self._value(event)
            self._keying = False
            if type(key) is not str:
                key = self._string_key(event, key)
            path.append(key)
            if key in out:
                raise self._fail(event, f"duplicate key {key!r} in this mapping")
            value = self._next()
            if len(path) <= _PLACED:
                self._place(value)
            out[key] = self._value(value)
            path.pop()

    def _merge_sources(self, event: yaml.Event) -> dict[Any, Any]:
        value = self._value(event)
        sources = value if isinstance(value, list) else [value]
        merged: dict[Any, Any] = {}
        for source in reversed(sources):
            if not isinstance(source, dict):
                raise self._fail(event, "'<<' merges a mapping or a list of mappings")
            merged.update(source)
        return merged

    def _alias(self, event: Any) -> Any:
        name = event.anchor
        if name in self._open:
            raise self._fail(event, f"a recursive alias: *{name} is used inside &{name} itself")
        if name not in self._anchors:
            raise yaml.MarkedYAMLError(
                None, None, f"found undefined alias {name!r}", event.start_mark
            )
        value, size, _ = self._anchors[name]
        self._expanded += size
        if self._expanded - self._built > MAX_ALIAS_EXPANSION:
            # Reported for the whole file, as it is the sum of every alias that is too much.
            line, col = self.places[()]
            message = (
                f"aliases expand to over {self._expanded} values, over the limit of "
                f"{self._built + MAX_ALIAS_EXPANSION} for this file (a 'billion laughs' file?)"
            )
            raise LoadError(Problem(line, col, "", message))
        # A copy, as if written out: no two places in the data share one mutable value.
        return copy.deepcopy(value) if isinstance(value, list | dict) else value

    def _string_key(self, event: Any, key: Any) -> str:
        """The key as written, recorded as a problem: JSON keys are strings, so the API would
        hold `1:` as "1" and every plan would find the definition changed."""
        if isinstance(key, list | dict):
            raise self._fail(event, "a mapping key must be a plain value, not a list/mapping")
        text: str = (
            event.value if type(event) is yaml.ScalarEvent else self._scalar_text[event.anchor]
        )
        what = "null" if key is None else "true/false" if isinstance(key, bool) else "a number"
        quoted = "'" + text.replace("'", "''") + "'"
        shown = f"key {text}" if text else "an empty key"
        message = f"{shown} is read as {what}, not a string: quote it ({quoted})"
        self.problems.append(self._problem(event, format_path([*self.path, text]), message))
        return text

    def _place(self, event: Any) -> None:
        mark = event.start_mark
        self.places[tuple(self.path)] = (mark.line + 1, mark.column + 1)

    def _fail(self, event: Any, message: str) -> LoadError:
        return LoadError(self._problem(event, format_path(self.path), message))

    def _problem(self, event: Any, path: str, message: str) -> Problem:
        mark = event.start_mark
        return Problem(mark.line + 1, mark.column + 1, path, message)


def _not_allowed(tag: str) -> str:
    shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
    return f"tag {shown!r} is not allowed; use {_PLAIN}"
