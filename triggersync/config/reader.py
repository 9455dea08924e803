"""YAML files → plain data, safely, with the places a message needs.

`read` is the one way in. A file is read bounded in size and as UTF-8, then built into plain
data straight from the C parser's events, with no node graph in between: a 50,000-trigger file
needs a fifth of the memory and half the time of compose-then-construct. The checks run as the
events arrive: only plain data tags, nesting bounded, aliases bounded by how far they would
expand (each anchor's size is known when its alias is met, so a "billion laughs" file fails
after a few events).

The data must be JSON, as the API holds it: YAML's non-string mapping keys (`1:`, `null:`,
`true:`) and non-finite numbers (`.nan`, `.inf`) are not, and would either be changed on the
way (JSON keys are strings) or not be JSON at all. Each is a problem at its own place, gathered
rather than fatal, so that one file reports all of them. Anything else wrong stops the file at
its first problem (ConfigError).

The places of the top two levels (each trigger's, each ignore glob's) are kept while building;
a deeper place is found again from the text when a message needs it (locations.py).
"""

from __future__ import annotations

import contextlib
import copy
import gc
import math
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from triggersync.config import locations
from triggersync.config.locations import Parser, Place, Request, is_merge_key
from triggersync.errors import ConfigError, JsonPath, JsonPathPart, Location, Problem, Severity
from triggersync.language.rules import AMBIGUOUS_YAML_VALUE

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_YAML_DEPTH = 64
# Nodes reached again through an alias, beyond the file's own content. Real configurations
# reuse a few anchors; a "billion laughs" file needs millions. Own content is already bounded
# by MAX_FILE_BYTES, so a 50k-trigger file never comes near this.
MAX_ALIAS_EXPANSION = 100_000

# Python converts decimal integers of at most 4,300 digits (sys.get_int_max_str_digits).
MAX_INT_DIGITS = 4300
# Numbers in forms people rarely mean: a leading zero (octal in YAML 1.1), 0x, 0b, `1:30`
# (base 60), `1_000`. And `0o17`, a number in YAML 1.2 but text in YAML 1.1.
_AMBIGUOUS_NUMBER = re.compile(r"[-+]?(0[0-9_]|0[xXbB]|[^:]*:|[^_]*_)")
_OCTAL_1_2 = re.compile(r"[-+]?0o[0-7_]+$")

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_NUMBER_TAGS = {f"{_TAG}int", f"{_TAG}float"}
_PLAIN = "plain YAML data: mappings, lists, strings, numbers, true/false and null"
_constructor = yaml.constructor.SafeConstructor()
_PLACED = 2  # places kept while loading: the top level, its keys' values and their items
_CONTAINERS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
# An item's text is found again padded to its column (see _find_in_item). An item far along a
# long line (a file of compact JSON: every trigger on line 1) would be padded by as many spaces
# as its column, once per item: 4,000 such triggers took 10 s, 20,000 more than 3 minutes.
# Those are found in the one walk of the whole file instead.
_PADDED_AT_MOST = 4096


@dataclass(frozen=True)
class Document:
    """One file's data, and where each part of it is written."""

    file: str
    text: str
    data: Any  # None for an empty file
    places: Mapping[JsonPath, Place] = field(default_factory=dict)  # the top two levels
    spans: Mapping[JsonPath, tuple[int, int]] = field(default_factory=dict)  # see _placed_value
    problems: tuple[Problem, ...] = ()  # what is not JSON: a non-string key, `.nan`, `.inf`

    def locate(self, requests: Iterable[Request]) -> dict[Request, Location]:
        """The place of each path (of its key, when asked). A place deeper than the top levels
        is found again in the text of the item (the trigger) that holds it, so that a few
        warnings in a file of 50,000 triggers do not walk the whole file; what no item's text
        can answer alone (data through an alias or a merge) in one walk of the whole file."""
        found: dict[Request, Place] = {}
        by_item: dict[JsonPath, list[Request]] = {}
        whole: list[Request] = []
        for request in set(requests):
            path, key = request
            if not key and path in self.places:
                found[request] = self.places[path]
            elif (
                path[:_PLACED] in self.spans
                and len(path) > _PLACED
                and self.places[path[:_PLACED]][1] <= _PADDED_AT_MOST
            ):
                by_item.setdefault(path[:_PLACED], []).append(request)
            else:
                whole.append(request)
        for item, inside in by_item.items():
            try:
                found.update(self._find_in_item(item, inside))
            except yaml.YAMLError:  # an item whose text does not stand alone: ask the whole
                whole.extend(inside)
        if whole:
            found.update(locations.locate(self.text, whole))
        return {request: Location(self.file, *place) for request, place in found.items()}

    def _find_in_item(self, item: JsonPath, requests: list[Request]) -> dict[Request, Place]:
        """Places from the item's own text, put back where it starts: its first line padded
        to its column, so that every column reads as in the file."""
        start, end = self.spans[item]
        line, col = self.places[item]
        text = " " * (col - 1) + self.text[start:end]
        relative = {request: (request[0][len(item) :], request[1]) for request in requests}
        inside = locations.locate(text, list(relative.values()))
        placed: dict[Request, Place] = {}
        for request, within in relative.items():
            row, column = inside[within]
            placed[request] = (line - 1 + row, column)
        return placed

    def location(self, path: JsonPath) -> Location:
        return self.locate([(path, False)])[(path, False)]

    def place(self, pending: Iterable[tuple[Problem, bool]]) -> list[Problem]:
        """Each problem at its place in this file; the flag says the problem is about the
        key at its path (an unknown key), not the value."""
        pending = list(pending)
        found = self.locate((problem.path, key) for problem, key in pending)
        return [problem.at(found[(problem.path, key)]) for problem, key in pending]


def read(path: str | os.PathLike[str], within: Iterable[str] = ()) -> Document:
    """Read, parse, check and build one file: ConfigError on the first problem that stops it,
    and the problems that do not (data that is not JSON) in `Document.problems`.

    A link is followed only to a file inside the working directory, the link's own folder or
    a folder in `within` (the folders the user named); see `_read_text` for the rest."""
    file = os.fspath(path)
    text = _read_text(file, within)
    builder = _Builder(text, file)
    with paused_gc(), _yaml_errors(file, text):
        data = builder.document()
    return Document(file, text, data, builder.places, builder.spans, tuple(builder.problems))


def read_text(path: str | os.PathLike[str]) -> str:
    """A file's text, as `read` reads it: bounded in size, UTF-8 (ConfigError otherwise)."""
    return _read_text(os.fspath(path))


def yaml_errors(file: str, text: str = "") -> contextlib.AbstractContextManager[None]:
    """PyYAML's errors raised inside, as `read` reports them: a ConfigError at the place
    (`text`, the file's, lets a flow error name an unquoted `${NAME}`)."""
    return _yaml_errors(file, text)


def _fail(file: str, message: str, line: int = 1, col: int = 1) -> ConfigError:
    return ConfigError([Problem(location=Location(file, line, col), message=message)])


LINK_OUTSIDE = (
    "a link to a file outside the folders given and the working directory: not read "
    "(copy the file in, or name its real place)"
)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _read_text(file: str, within: Iterable[str] = ()) -> str:
    """The file's text; ConfigError for an unreadable, oversized or non-UTF-8 file, for
    anything but a regular file, and for a link that leads outside
    (docs/safety.md#files-not-devices).

    The kind is looked at before opening (opening a FIFO would wait for a writer), and again
    on the open file, which is opened without blocking: what is read is what was looked at."""
    try:
        if os.path.islink(file) and not _inside(os.path.realpath(file), file, within):
            raise _fail(file, LINK_OUTSIDE)
        _check_regular(file, os.stat(file))
        descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with open(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            _check_regular(file, info)
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:  # grown since it was looked at
            _check_regular(file, os.fstat(descriptor))
    except OSError as exc:
        raise _fail(file, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 1].hex()
        message = f"not valid UTF-8 (byte 0x{bad} on line {line}); save the file as UTF-8"
        raise _fail(file, message) from None


_FLOW = {"while parsing a flow sequence": "[", "while parsing a flow mapping": "{"}


def _check_regular(file: str, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise _fail(file, f"{kind}, not a regular file: configuration is read from files only")
    if info.st_size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise _fail(file, f"file is {info.st_size} bytes; the limit is {limit} MiB")


def _inside(target: str, link: str, within: Iterable[str]) -> bool:
    """Whether a link's target is in the working directory, the link's folder or a folder
    the user named."""
    folders = [os.getcwd(), os.path.dirname(os.path.abspath(link)), *within]
    for folder in folders:
        root = os.path.realpath(folder)
        if os.path.commonpath([root, target]) == root:
            return True
    return False


@contextlib.contextmanager
def _yaml_errors(file: str, text: str = "") -> Iterator[None]:
    """PyYAML's errors as ConfigError, at the marker when there is one."""
    try:
        yield
    except yaml.MarkedYAMLError as exc:
        flow = _flow_error(file, text, exc)
        if flow is not None:
            raise flow from None
        if exc.context == "while scanning a quoted scalar" and exc.context_mark:
            # The parser notices an unclosed quote only where the text ends, or at a later
            # line; the place to fix is where the quote opened.
            start, end = exc.context_mark, exc.problem_mark
            where = f" at line {end.line + 1}" if end else ""
            message = (
                f"YAML syntax error: this quoted string is never closed ({exc.problem}{where}); "
                "close it with the same quote"
            )
            raise _fail(file, message, start.line + 1, start.column + 1) from None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        words = " ".join(w for w in (exc.problem, exc.context and f"({exc.context})") if w)
        raise _fail(file, f"YAML syntax error: {words}", line, col) from None
    except yaml.YAMLError as exc:
        raise _fail(file, f"YAML error: {exc}") from None


def _flow_error(file: str, text: str, exc: yaml.MarkedYAMLError) -> ConfigError | None:
    """A flow list or mapping (`[...]`, `{...}`) that the parser cannot finish: at an unquoted
    `${NAME}` (its `{` opens a mapping), a hint to quote it; when the parser notices only on a
    later line, the place where the bracket opens, which is what needs closing."""
    start, end = exc.context_mark, exc.problem_mark
    bracket = _FLOW.get(exc.context or "")
    if bracket is None or start is None or end is None:
        return None
    if text[end.index - 1 : end.index + 1] == "${":
        reference = re.match(r"\$\{[^}\s]*\}?", text[end.index - 1 :])
        written = reference.group(0) if reference else "${NAME}"
        message = (
            f"YAML syntax error: a {written} reference inside [...] or {{...}} must be "
            f'quoted: write "{written}" (unquoted, its {{ opens a mapping)'
        )
        return _fail(file, message, end.line + 1, end.column)
    if end.line > start.line:
        closing = "]" if bracket == "[" else "}"
        message = (
            f"YAML syntax error: this {bracket} is never closed ({exc.problem} at line "
            f"{end.line + 1}); close it with {closing}"
        )
        return _fail(file, message, start.line + 1, start.column + 1)
    return None


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic GC rescans every live object on each full collection: with it on, a
    50k-trigger file loads several times slower. Nothing built while loading forms a cycle."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Builder:
    """One document's data from the parser's events, checked as they arrive (see above)."""

    def __init__(self, text: str, file: str) -> None:
        self._file = file
        self._loader = Parser(text)
        self._next = self._loader.get_event
        self._resolve = self._loader.resolve
        self.path: list[JsonPathPart] = []
        self.places: dict[JsonPath, Place] = {}
        self.spans: dict[JsonPath, tuple[int, int]] = {}  # text offsets of the items placed
        self._end = 0  # text offset after the last container built
        self._indirect = 0  # aliases and merges met so far
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
            data = self._placed_value(self._next())
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
        if len(self.path) > MAX_YAML_DEPTH:
            mark = event.start_mark  # the path itself would be too long to read
            message = f"nested deeper than {MAX_YAML_DEPTH} levels"
            raise _fail(self._file, message, mark.line + 1, mark.column + 1)
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
                    self._end = _offset_after(item)
                    return out
                path[-1] = len(out)
                if len(path) <= _PLACED:
                    out.append(self._placed_value(item))
                else:
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
        if tag == f"{_TAG}str" and not self._keying and _OCTAL_1_2.match(value):
            self._ambiguous(event, value, value)
        if tag == f"{_TAG}str" or tag == f"{_TAG}timestamp":
            # JSON has no dates: keep what the user wrote. Operators, variables, actions and
            # departments repeat in every trigger: one copy of each is ~15% of a big file's data.
            return self._strings.setdefault(value, value) if len(value) <= 64 else value
        if tag == f"{_TAG}bool":
            return _constructor.bool_values[value.lower()]
        if tag == f"{_TAG}null":
            return None
        if tag == f"{_TAG}int" and len(value) > MAX_INT_DIGITS:
            # Python refuses to convert (or later to print) an integer this long.
            message = (
                f"an integer of {len(value)} characters, over the limit of {MAX_INT_DIGITS}: "
                "quote it if you mean the text"
            )
            self.problems.append(self._problem(event, tuple(self.path), message))
            return 0
        if tag == f"{_TAG}int" and value.isdigit() and value[0] != "0":
            return int(value)
        if tag in _SCALAR_TAGS:  # signed, hex, octal, sexagesimal, floats: PyYAML's rules
            node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
            built = _constructor.yaml_constructors[tag](_constructor, node)
            if not self._keying and tag in _NUMBER_TAGS and _AMBIGUOUS_NUMBER.match(value):
                self._ambiguous(event, value, built)
            if type(built) is float and not math.isfinite(built) and not self._keying:
                # `.nan`, `.inf`, or a float too large (`1.0e999`): JSON has no such number.
                message = (
                    f"{value} is not a finite number, and JSON has no NaN or infinity: "
                    "write a number, or quote it if you mean the text"
                )
                self.problems.append(self._problem(event, tuple(self.path), message))
            return built
        raise self._fail(event, _not_allowed(tag))

    def _ambiguous(self, event: Any, text: str, built: Any) -> None:
        """A scalar that reads as something other than it looks: a warning here; a file whose
        values must be exact (`--vars`) makes it an error
        (docs/configuration.md#values-are-what-they-look-like)."""
        quoted = "'" + text.replace("'", "''") + "'"
        read_as = f"the text {built!r}" if isinstance(built, str) else f"the number {built!r}"
        message = (
            f"{text} is read as {read_as} (YAML 1.1 rules): quote it ({quoted}) to keep "
            "it as written"
        )
        mark = event.start_mark
        location = Location(self._file, mark.line + 1, mark.column + 1)
        path = tuple(self.path)
        self.problems.append(
            Problem(
                path=path,
                location=location,
                message=message,
                severity=Severity.WARNING,
                rule=AMBIGUOUS_YAML_VALUE,
            )
        )

    def _mapping(self) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}
        path = self.path
        while True:
            event = self._next()
            kind = type(event)
            if kind is yaml.MappingEndEvent:
                self._end = _offset_after(event)
                return {**merged, **out} if merged else out
            if is_merge_key(event, self._resolve):
                self._indirect += 1
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
                out[key] = self._placed_value(value)
            else:
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
        self._indirect += 1
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
            raise _fail(self._file, message, line, col)
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
        self.problems.append(self._problem(event, (*self.path, text), message))
        return text

    def _placed_value(self, event: Any) -> Any:
        """A value of the top levels, with its place; an item two levels down (a trigger)
        written out in full (no alias or merge inside) keeps the span of its text too."""
        mark = event.start_mark
        path = tuple(self.path)
        self.places[path] = (mark.line + 1, mark.column + 1)
        indirect = self._indirect
        value = self._value(event)
        kind = type(event)
        if len(path) == _PLACED and indirect == self._indirect and kind in _CONTAINERS:
            self.spans[path] = (mark.index, self._end)
        return value

    def _fail(self, event: Any, message: str) -> ConfigError:
        return ConfigError([self._problem(event, tuple(self.path), message)])

    def _problem(self, event: Any, path: JsonPath, message: str) -> Problem:
        mark = event.start_mark
        location = Location(self._file, mark.line + 1, mark.column + 1)
        return Problem(path=path, location=location, message=message)


def _offset_after(event: Any) -> int:
    offset: int = event.end_mark.index
    return offset


def _not_allowed(tag: str) -> str:
    shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
    return f"tag {shown!r} is not allowed; use {_PLAIN}"
