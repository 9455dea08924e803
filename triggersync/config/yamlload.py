"""Safe YAML loading that remembers where every value came from.

A file is read (bounded in size, UTF-8 only) and built into plain data by yamlevents, which
checks tags, nesting and aliases as the parser's events arrive and keeps the places of the top
levels (each trigger's). Any deeper path is mapped back to a file:line:col here by composing
the node graph on demand: a key is found by the text it is written with, which is the key
yamlevents builds (a key that is not a string is kept as written, and is a problem).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

# Re-exported: yamlload is the loading API its callers and tests name.
from triggersync.config.paths import PathPart as PathPart
from triggersync.config.paths import format_path as format_path
from triggersync.config.yamlevents import MAX_ALIAS_EXPANSION as MAX_ALIAS_EXPANSION
from triggersync.config.yamlevents import MAX_DEPTH as MAX_DEPTH
from triggersync.config.yamlevents import MERGE, Builder, Composer
from triggersync.config.yamlevents import LoadError as LoadError
from triggersync.config.yamlevents import Problem as Problem

MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    data: Any  # None for an empty file
    text: str
    places: Mapping[tuple[PathPart, ...], tuple[int, int]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()  # what is not JSON: a non-string key, `.nan`, `.inf`

    @functools.cached_property
    def root(self) -> yaml.Node | None:
        """The node graph, composed only when a message needs a place deeper than `places`."""
        return compose(self.text)

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> tuple[int, int]:
        """The 1-based line and column of `path`: see `locate`."""
        if not key:
            place = self.places.get(tuple(path))
            if place is not None:
                return place
        return locate(self.root, path, key=key)


def _place(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def read_text(path: str | os.PathLike[str]) -> str:
    """The file's text; LoadError for an oversized or non-UTF-8 file."""
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise LoadError(Problem(1, 1, "", f"file is {size} bytes; the limit is {limit} MiB"))
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 1].hex()
        message = f"not valid UTF-8 (byte 0x{bad} on line {line}); save the file as UTF-8"
        raise LoadError(Problem(1, 1, "", message)) from None


def compose(text: str) -> yaml.Node | None:
    """The node graph of a single-document stream; LoadError at the marker on bad syntax."""
    with _yaml_errors():
        node: yaml.Node | None = yaml.compose(text, Loader=Composer)
    return node


@contextlib.contextmanager
def _yaml_errors() -> Iterator[None]:
    """PyYAML's errors as LoadError, at the marker when there is one."""
    try:
        yield
    except yaml.MarkedYAMLError as exc:
        if exc.context == "while scanning a quoted scalar" and exc.context_mark:
            # The parser notices an unclosed quote only where the text ends, or at a later
            # line; the place to fix is where the quote opened.
            start, end = exc.context_mark, exc.problem_mark
            where = f" at line {end.line + 1}" if end else ""
            raise LoadError(
                Problem(
                    start.line + 1,
                    start.column + 1,
                    "",
                    f"YAML syntax error: this quoted string is never closed ({exc.problem}"
                    f"{where}); close it with the same quote",
                )
            ) from None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        words = " ".join(w for w in (exc.problem, exc.context and f"({exc.context})") if w)
        raise LoadError(Problem(line, col, "", f"YAML syntax error: {words}")) from None
    except yaml.YAMLError as exc:
        raise LoadError(Problem(1, 1, "", f"YAML error: {exc}")) from None


def load(path: str | os.PathLike[str]) -> Document:
    """Read, parse, check and build one file; LoadError on the first fatal problem, and the
    problems that are not fatal (data that is not JSON) in `Document.problems`."""
    text = read_text(path)
    builder = Builder(text)
    with paused_gc(), _yaml_errors():
        data = builder.document()
    return Document(data, text, builder.places, tuple(builder.problems))


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


def locate(
    root: yaml.Node | None, path: Sequence[PathPart], *, key: bool = False
) -> tuple[int, int]:
    """The 1-based line and column of `path` (of its last key when `key`), or of the deepest
    ancestor that exists: an error about a missing key points at the mapping that lacks it."""
    if root is None:
        return 1, 1
    node = root
    for index, part in enumerate(path):
        child = _child(node, part, key=key and index == len(path) - 1)
        if child is None:
            break
        node = child
    return _place(node)


def _child(node: yaml.Node, part: PathPart, *, key: bool) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return node.value[part] if 0 <= part < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        merges = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE:
                merges.extend(_as_list(value_node))
            elif isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                return key_node if key else value_node
        for source in merges:
            found = _child(source, part, key=key)
            if found is not None:
                return found
    return None


def _as_list(node: yaml.Node) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else [node]
