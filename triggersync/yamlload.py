"""Safe YAML loading that remembers where every value came from.

The C composer (when available) builds the node graph; values are then constructed here by
walking it, so that only plain data tags are accepted, alias expansion and nesting are bounded
before anything is expanded, and any path can be mapped back to a file:line:col afterwards.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
# Nodes reached again through an alias, beyond the file's own content. Real configurations
# reuse a few anchors; a "billion laughs" file needs millions. Own content is already bounded
# by MAX_FILE_BYTES, so a 50k-trigger file never comes near this.
MAX_ALIAS_EXPANSION = 100_000

_Composer: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_PLAIN = "plain YAML data: mappings, lists, strings, numbers, true/false and null"
_constructor = yaml.constructor.SafeConstructor()

PathPart = str | int


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


@dataclass(frozen=True)
class Document:
    data: Any  # None for an empty file
    root: yaml.Node | None
    text: str


def format_path(path: Sequence[PathPart]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _place(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _fail(node: yaml.Node, path: Sequence[PathPart], message: str) -> LoadError:
    line, col = _place(node)
    return LoadError(Problem(line, col, format_path(path), message))


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
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        words = " ".join(w for w in (exc.problem, exc.context and f"({exc.context})") if w)
        raise LoadError(Problem(line, col, "", f"YAML syntax error: {words}")) from None
    except yaml.YAMLError as exc:
        raise LoadError(Problem(1, 1, "", f"YAML error: {exc}")) from None
    return node


def check_expansion(root: yaml.Node) -> None:
    """Refuse graphs nested too deep or whose aliases expand too far, before expanding them.

    Aliases share nodes, so sizes are memoised per node: a billion-laughs file is measured in
    microseconds. A recursive alias shows up as unbounded depth.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if depth > MAX_DEPTH:
            raise _fail(node, [], f"nested deeper than {MAX_DEPTH} levels (or a recursive alias)")
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        sizes[id(node)] = total
        return total

    expanded = size(root, 0)
    if expanded - len(sizes) > MAX_ALIAS_EXPANSION:
        raise _fail(
            root,
            [],
            f"aliases expand to {expanded} values, over the limit of "
            f"{len(sizes) + MAX_ALIAS_EXPANSION} for this file (a 'billion laughs' file?)",
        )


def construct(node: yaml.Node, path: list[PathPart] | None = None) -> Any:
    """Plain Python data from a checked node graph; LoadError for tags that build objects."""
    path = [] if path is None else path
    if len(path) > MAX_DEPTH:
        raise _fail(node, [], f"nested deeper than {MAX_DEPTH} levels")
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == f"{_TAG}str":
            return node.value
        if tag == f"{_TAG}timestamp":
            return node.value  # JSON has no dates; keep what the user wrote
        if tag == f"{_TAG}bool":
            return _constructor.bool_values[node.value.lower()]
        if tag == f"{_TAG}null":
            return None
        if tag == f"{_TAG}int" and node.value.isdigit() and node.value[0] != "0":
            return int(node.value)
        if tag in _SCALAR_TAGS:  # signed, hex, octal, sexagesimal, floats: PyYAML's rules
            return _constructor.yaml_constructors[tag](_constructor, node)
    elif isinstance(node, yaml.SequenceNode) and tag == f"{_TAG}seq":
        return [construct(item, [*path, i]) for i, item in enumerate(node.value)]
    elif isinstance(node, yaml.MappingNode) and tag == f"{_TAG}map":
        return _construct_mapping(node, path)
    shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
    raise _fail(node, path, f"tag {shown!r} is not allowed; use {_PLAIN}")


def _construct_mapping(node: yaml.MappingNode, path: list[PathPart]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    merged: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag == f"{_TAG}merge":
            merged = {**_merge_sources(value_node, path), **merged}
            continue
        key = construct(key_node, path)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise _fail(key_node, path, "a mapping key must be a plain value, not a list/mapping")
        if key in out:
            raise _fail(key_node, [*path, str(key)], f"duplicate key {key!r} in this mapping")
        out[key] = construct(value_node, [*path, str(key) if not isinstance(key, int) else key])
    return {**merged, **out}


def _merge_sources(node: yaml.Node, path: list[PathPart]) -> dict[Any, Any]:
    sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
    merged: dict[Any, Any] = {}
    for source in reversed(sources):
        value = construct(source, path)
        if not isinstance(value, dict):
            raise _fail(source, path, "'<<' merges a mapping or a list of mappings")
        merged.update(value)
    return merged


def load(path: str | os.PathLike[str]) -> Document:
    """Read, compose, check and construct one file; LoadError on the first fatal problem."""
    text = read_text(path)
    with paused_gc():
        root = compose(text)
        if root is None:
            return Document(None, None, text)
        if "&" in text:  # without an anchor there is no alias; construct bounds the depth
            check_expansion(root)
        return Document(construct(root), root, text)


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
            if key_node.tag == f"{_TAG}merge":
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
