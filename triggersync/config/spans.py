"""Where each part of a configuration file is written, down to a definition's keys: the text
offsets `adopt` splices at (config/edit.py), read from the parser's events.

The reader keeps only the top levels' line and column (config/reader.py); an edit needs where a
value starts and where it ends, for the few levels adopt edits: the top mapping, the `triggers`
list, each trigger's keys, and the keys of its definition. Deeper values are passed over.

A block collection's end event comes only when the next, less indented token is read, after any
comments and blank lines that follow it; so a node's `end` here is where its content ends: the
end of its last value (a block collection), after the closing bracket (a flow collection), after
the last character that is not white space (a scalar, a block scalar's trailing line breaks
left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from triggersync.config.locations import Parser, is_merge_key

# The levels adopt edits: the top mapping (0), `triggers` (1), a trigger (2), its definition (3),
# a definition's values (4, placed but not entered).
_EDITED_DEPTH = 4


@dataclass
class Node:
    kind: str  # "scalar", "seq" or "map"
    start: int  # text offset where the value starts (its tag or anchor included)
    end: int  # text offset where its content ends (see above)
    flow: bool  # written in flow style (`[...]`, `{...}`); a scalar: False
    column: int  # 0-based column of `start`
    items: list[Node] = field(default_factory=list)  # a seq's items
    entries: dict[str, Entry] = field(default_factory=dict)  # a map's keys, in file order
    # Written with an anchor, alias, merge key or a tag somewhere inside: its text does not
    # stand alone, so it is edited only whole, if at all.
    indirect: bool = False


@dataclass
class Entry:
    key_start: int
    key_end: int
    column: int  # 0-based column of the key
    value: Node


class _Spans:
    def __init__(self, text: str) -> None:
        self._text = text
        self._loader = Parser(text)
        self._next = self._loader.get_event

    def run(self) -> Node | None:
        try:
            self._next()  # stream start
            if self._loader.check_event(yaml.StreamEndEvent):
                return None
            self._next()  # document start
            return self._node(self._next(), 0)
        finally:
            self._loader.dispose()

    def _node(self, event: Any, depth: int) -> Node:
        mark = event.start_mark
        kind = type(event)
        indirect = kind is yaml.AliasEvent or getattr(event, "anchor", None) is not None
        indirect = indirect or (kind is not yaml.AliasEvent and _tagged(event))
        if kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
            end = _content_end(self._text, mark.index, event.end_mark.index)
            return Node("scalar", mark.index, end, False, mark.column, indirect=indirect)
        flow = bool(event.flow_style)
        if depth >= _EDITED_DEPTH:
            end_event, inner = self._skip()
            node_kind = "seq" if kind is yaml.SequenceStartEvent else "map"
            end = end_event.end_mark.index if flow else inner
            return Node(node_kind, mark.index, end, flow, mark.column, indirect=indirect)
        if kind is yaml.SequenceStartEvent:
            node = Node("seq", mark.index, mark.index, flow, mark.column, indirect=indirect)
            while type(item := self._next()) is not yaml.SequenceEndEvent:
                node.items.append(self._node(item, depth + 1))
            node.indirect = node.indirect or any(child.indirect for child in node.items)
            node.end = _end(item) if flow else _last_end(node.items, mark.index)
            return node
        node = Node("map", mark.index, mark.index, flow, mark.column, indirect=indirect)
        while type(key := self._next()) is not yaml.MappingEndEvent:
            value = self._next()
            if type(key) is not yaml.ScalarEvent or is_merge_key(key, self._loader.resolve):
                node.indirect = True
                self._skip_from(value)
                continue
            child = self._node(value, depth + 1)
            if key.anchor is not None or _tagged(key):
                node.indirect = True
            start: Any = key.start_mark
            node.entries[key.value] = Entry(start.index, _end(key), start.column, child)
        children = [entry.value for entry in node.entries.values()]
        node.indirect = node.indirect or any(child.indirect for child in children)
        node.end = _end(key) if flow else _last_end(children, mark.index)
        return node

    def _skip(self) -> tuple[Any, int]:
        """Past the rest of a collection whose start was just read: its end event, and where
        its content ends. Events come in the order of the text, so the content ends with the
        last scalar, alias or closing bracket met (a block collection's end adds nothing)."""
        flows: list[bool] = []
        end = 0
        get = self._next
        while True:
            event: Any = get()
            kind = type(event)
            if kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
                end = event.end_mark.index
            elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                flows.append(bool(event.flow_style))
            elif not flows:
                return event, _content_end(self._text, 0, end)
            elif flows.pop():
                end = event.end_mark.index

    def _skip_from(self, event: Any) -> None:
        if type(event) in (yaml.SequenceStartEvent, yaml.MappingStartEvent):
            self._skip()


def _end(event: Any) -> int:
    end: int = event.end_mark.index
    return end


def _tagged(event: Any) -> bool:
    tag = getattr(event, "tag", None)
    implicit = getattr(event, "implicit", None)
    if tag is None or tag == "!":
        return False
    if isinstance(implicit, tuple):  # a scalar: a tag the resolver would give is not written
        return not any(implicit)
    return not implicit


def _content_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _last_end(children: list[Node], default: int) -> int:
    return max((child.end for child in children), default=default)


def read_spans(text: str) -> Node | None:
    """The file's top node, or None for an empty file. The text is one the reader accepted."""
    return _Spans(text).run()
