"""Where a document path is written in a YAML file, found again from the text.

The reader keeps the places of the top levels only (each trigger's), as recording every value's
place costs memory on every load, and most loads need none of them. A message about a deeper
value finds its place here, all of a file's at once, in one walk over the parser's events that
builds nothing and only follows the branches asked for (a node graph of a 10,000-trigger file
would take ~140 MB).

A path names data as the reader builds it: a mapping key by the text it is written with, a list
item by its index. Data that is not written where its path says is placed where it enters: a
value that comes through an alias at the alias (`*greeting`), a key that a merge brings in at
the `<<`. A path that goes further than the file (a missing key) is placed at the deepest part
that is written, so that "missing key" points at the mapping that lacks it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection
from typing import Any

import yaml

from triggersync.errors import JsonPath

# The C parser when PyYAML has it, as the reader uses; both read the same events.
Parser: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MERGE = "tag:yaml.org,2002:merge"

_SCALAR = yaml.ScalarEvent
_OPENING = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSING = (yaml.SequenceEndEvent, yaml.MappingEndEvent)

Request = tuple[JsonPath, bool]  # a path, and whether its key (not its value) is meant
Place = tuple[int, int]  # 1-based line and column


def is_merge_key(event: Any, resolve: Callable[..., str]) -> bool:
    """Whether a key event is YAML's merge key `<<` (written plain, or tagged `!!merge`)."""
    if type(event) is not yaml.ScalarEvent or event.value != "<<":
        return False
    tag = event.tag
    if tag is None or tag == "!":
        tag = resolve(yaml.ScalarNode, event.value, event.implicit)
    return tag == MERGE


def locate(text: str, requests: Collection[Request]) -> dict[Request, Place]:
    """The place of each requested path in `text`, a document the reader accepted; the walk
    ends as soon as every path asked for has been met."""
    walk = _Walk(text, set(requests))
    with contextlib.suppress(_AllFound):
        walk.run()
    return {request: walk.place(*request) for request in requests}


class _AllFound(Exception):
    pass


def _mark(event: Any) -> Place:
    return event.start_mark.line + 1, event.start_mark.column + 1


class _Walk:
    def __init__(self, text: str, requests: set[Request]) -> None:
        self._loader = Parser(text)
        self._next = self._loader.get_event
        self._requests = requests
        self._unmet = len(requests)
        self._wanted = {path[:depth] for path, _ in requests for depth in range(len(path) + 1)}
        self.nodes: dict[JsonPath, Place] = {}
        self.keys: dict[JsonPath, Place] = {}
        self.merges: dict[JsonPath, Place] = {}  # a mapping's `<<` key
        self._scalar_text: dict[str, str] = {}  # an anchored scalar's text, for an aliased key

    def run(self) -> None:
        try:
            self._next()  # stream start
            if self._loader.check_event(yaml.StreamEndEvent):
                return
            self._next()  # document start
            self._node(self._next(), ())
        finally:
            self._loader.dispose()

    def place(self, path: JsonPath, key: bool) -> Place:
        if key and path in self.keys:
            return self.keys[path]
        for depth in range(len(path), -1, -1):
            if path[:depth] in self.nodes:
                if depth < len(path) and path[:depth] in self.merges:
                    return self.merges[path[:depth]]
                return self.nodes[path[:depth]]
        return 1, 1  # an empty document

    def _met(self, request: Request) -> None:
        if request in self._requests:
            self._unmet -= 1
            if not self._unmet:
                raise _AllFound

    def _node(self, event: Any, path: JsonPath) -> None:
        self.nodes[path] = _mark(event)
        self._met((path, False))
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._remember(event)
        elif kind is yaml.SequenceStartEvent:
            index = 0
            while type(item := self._next()) is not yaml.SequenceEndEvent:
                self._child(item, (*path, index))
                index += 1
        elif kind is yaml.MappingStartEvent:
            while type(key := self._next()) is not yaml.MappingEndEvent:
                value = self._next()
                if is_merge_key(key, self._loader.resolve):
                    self.merges[path] = _mark(key)
                    self._skip(value)
                    continue
                child = (*path, self._key_text(key))
                if child in self._wanted:
                    self.keys[child] = _mark(key)
                    self._met((child, True))
                self._child(value, child)

    def _child(self, event: Any, path: JsonPath) -> None:
        if path in self._wanted:
            self._node(event, path)
        else:
            self._skip(event)

    def _key_text(self, event: Any) -> str:
        """The key as the reader builds it: the text written (for an alias, its anchor's)."""
        if type(event) is yaml.AliasEvent:
            return self._scalar_text.get(event.anchor or "", "")
        self._remember(event)
        text: str = event.value
        return text

    def _remember(self, event: Any) -> None:
        if event.anchor is not None:
            self._scalar_text[event.anchor] = event.value

    def _skip(self, event: Any) -> None:
        """Past one value that no request reaches, minding only the anchors it defines."""
        depth = 0
        get = self._next
        while True:
            kind = type(event)
            if kind is _SCALAR:
                if event.anchor is not None:
                    self._scalar_text[event.anchor] = event.value
            elif kind in _OPENING:
                depth += 1
            elif kind in _CLOSING:
                depth -= 1
            if depth == 0:
                return
            event = get()
