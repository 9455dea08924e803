"""Configuration text in the one canonical layout that `fmt` writes and `export` starts from
(docs/configuration.md#layout).

The layout: keys in a fixed order (`ignore`, `triggers`; `name`, `description`, `enabled`,
`definition`, `renamed_from`; `event`, `condition`, `actions`; other keys after, as written),
two spaces per level, sequences indented under their key, a blank line between top-level keys
and between triggers, `triggers`, `ignore` and `actions` one item per line, and every other
list (a condition, an action) on one line when it fits in WIDTH columns, else one element per
line, each element laid out by the same rule. Scalars are kept exactly as written (quotes,
`${NAME}` references, `1` or `true`), except that a plain scalar a one-line list cannot hold
(one with `,`, `[`, `]`, `{` or `}`) is double-quoted there.

Comments are kept: each belongs to the node it stands above (a key, a list item) or ends the
line of (a value, an item), and moves with it. A list with a comment or a multi-line scalar
inside is laid out one element per line, so that each comment keeps a line to end.

This is its own emitter rather than a round-trip YAML library: the C parser's events carry
every node's place in the text, so each scalar's text is copied as written (no quote or number
style can change), and comments are found between the nodes. The result is read back and
compared with what the text held before: a layout that would change a value is refused.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from triggersync.errors import TriggersyncError
from triggersync.untrusted import yaml_double_quoted

# Twice as deep as a configuration file may nest (docs/configuration.md#yaml-safely), so that
# validate is what reports a file nested too deeply; this bound only keeps the recursion here
# within Python's.
MAX_LAYOUT_DEPTH = 128
WIDTH = 100  # the columns a one-line list may fill, as the project's own code (ruff)
_STEP = 2  # columns per level

_TOP = ("ignore", "triggers")
_TRIGGER = ("name", "description", "enabled", "definition", "renamed_from")
_DEFINITION = ("event", "condition", "actions")
_ONE_PER_LINE = frozenset({"triggers", "ignore", "actions"})  # lists never on one line

_COMMENT = re.compile(r"(?<!\S)#")
_FLOW_INDICATORS = re.compile(r"[,\[\]{}]")
_Parser: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LayoutError(TriggersyncError):
    """The text cannot be laid out: nested too deeply, or (a bug to report) not without
    changing what it holds. `line` is where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class _Node:
    """One node of the document as written: its place in the text, its comments."""

    __slots__ = (
        "anchor",
        "end",
        "end_line",
        "flow",
        "inline",
        "items",
        "key",
        "kind",
        "leading",
        "line",
        "old_indent",
        "pairs",
        "parent",
        "start",
        "style",
        "tag",
        "trailing",
        "value",
    )

    def __init__(self, kind: str, event: Any, old_indent: int) -> None:
        self.kind = kind  # scalar, alias, seq, map
        self.start: int = event.start_mark.index
        self.line: int = event.start_mark.line
        self.end: int = event.end_mark.index
        self.end_line: int = event.end_mark.line
        self.anchor: str | None = getattr(event, "anchor", None)
        self.tag: str | None = getattr(event, "tag", None)
        self.style: str | None = getattr(event, "style", None)
        self.value: str | None = getattr(event, "value", None)
        self.flow: bool = bool(getattr(event, "flow_style", False))
        self.old_indent = old_indent  # the indentation of the block it sits in, as written
        self.items: list[_Node] = []
        self.pairs: list[tuple[_Node, _Node]] = []
        self.inline: str | bool | None = False  # its one-line text, once known
        self.key: _Node | None = None  # a mapping value's key
        self.leading: list[str] = []  # comments on the lines above
        self.trailing: list[str] = []  # comments ending its line


class _Tree:
    """The document's nodes from the parser's events, with the indexes comments need."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root: _Node | None = None
        self.document_start: int | None = None  # where an explicit `---` stands
        self.scalars: list[tuple[int, int]] = []  # spans of scalar text, in order
        self.starts: list[int] = []  # node starts, in order; the outermost node of each
        self.by_start: list[_Node] = []
        self.ends: dict[int, _Node] = {}  # line → the node ending last on it
        loader = _Parser(text)
        try:
            self._next = loader.get_event
            self._next()  # stream start
            if loader.check_event(yaml.StreamEndEvent):
                return
            start = self._next()
            if start.explicit:
                self.document_start = start.start_mark.index
            self.root = self._node(self._next(), 0, 0)
            self._next()  # document end
            if not loader.check_event(yaml.StreamEndEvent):
                raise LayoutError("expected a single document in the stream")
        finally:
            loader.dispose()

    def _node(self, event: Any, depth: int, indent: int) -> _Node:
        kind = type(event)
        if depth > MAX_LAYOUT_DEPTH:
            mark = event.start_mark
            raise LayoutError(f"nested deeper than {MAX_LAYOUT_DEPTH} levels", mark.line + 1)
        if kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
            node = _Node("scalar" if kind is yaml.ScalarEvent else "alias", event, indent)
            self._register(node)
            self.scalars.append((node.start, node.end))
            if node.style not in ("|", ">"):
                self._ends_line(node)
            return node
        is_seq = kind is yaml.SequenceStartEvent
        node = _Node("seq" if is_seq else "map", event, indent)
        self._register(node)
        inner = indent if node.flow else event.start_mark.column
        if is_seq:
            while not isinstance(event := self._next(), yaml.SequenceEndEvent):
                node.items.append(self._node(event, depth + 1, inner))
        else:
            while not isinstance(event := self._next(), yaml.MappingEndEvent):
                key = self._node(event, depth + 1, inner)
                value = self._node(self._next(), depth + 1, inner)
                value.key = key
                node.pairs.append((key, value))
        if node.flow:
            node.end, node.end_line = event.end_mark.index, event.end_mark.line
            self._ends_line(node)
        return node

    def _register(self, node: _Node) -> None:
        if not self.starts or self.starts[-1] != node.start:
            self.starts.append(node.start)
            self.by_start.append(node)

    def _ends_line(self, node: _Node) -> None:
        best = self.ends.get(node.end_line)
        if best is None or node.end > best.end:
            self.ends[node.end_line] = node

    def source(self, node: _Node) -> str:
        return self.text[node.start : node.end]


@dataclass(frozen=True)
class Layout:
    text: str  # the canonical text
    top: str | None  # what the top level is: "mapping", "list", "value"; None when empty
    keys: tuple[str, ...]  # the top-level mapping's keys, as written


def canonical_text(text: str) -> str:
    """`text` in the canonical layout (see lay_out)."""
    return lay_out(text).text


def lay_out(text: str) -> Layout:
    """`text` in the canonical layout, and what its top level holds. LayoutError if it cannot
    be laid out unchanged; yaml.YAMLError if it is not YAML."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    tree = _Tree(text)
    root = tree.root
    if root is None:
        return Layout(text, None, ())  # only comments, or nothing: nothing to lay out
    header, footer = _attach_comments(tree)
    emitter = _Emitter(tree)
    emitter.document(header, footer)
    out = "\n".join(emitter.lines) + "\n"
    _check_same(tree, out)
    top = {"map": "mapping", "seq": "list"}.get(root.kind, "value")
    keys = tuple(key.value for key, _ in root.pairs if key.kind == "scalar" and key.value)
    return Layout(out, top, keys)


# -- comments --------------------------------------------------------------------------------


def _attach_comments(tree: _Tree) -> tuple[list[tuple[int, str]], list[str]]:
    """Each comment given to its node; the file's header (with places) and footer."""
    text, root = tree.text, tree.root
    assert root is not None
    header: list[tuple[int, str]] = []
    footer: list[str] = []
    scalar_starts = [start for start, _ in tree.scalars]
    done = 0  # the text up to here is already read: a `#` inside a comment starts none
    for match in _COMMENT.finditer(text):
        pos = match.start()
        if pos < done:
            continue
        inside = bisect_right(scalar_starts, pos) - 1
        if inside >= 0 and tree.scalars[inside][1] > pos:
            continue
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        done = line_end
        comment = text[pos:line_end].rstrip()
        if text[line_start:pos].strip():
            line = text.count("\n", 0, pos)
            owner = tree.ends.get(line)
            if owner is not None and owner.end <= pos:
                owner.trailing.append(comment)
                continue
        following = bisect_right(tree.starts, pos)
        if following == len(tree.starts):
            footer.append(comment)
            continue
        node = tree.by_start[following]
        if node is root:
            header.append((pos, comment))
            continue
        _leading_owner(node).leading.append(comment)
    return header, footer


def _leading_owner(node: _Node) -> _Node:
    """The node whose line a comment above `node` stays above: a block list's first item, a
    mapping value's key (the value shares its line), a nested mapping's first key."""
    while True:
        if node.kind == "seq" and not node.flow and node.items:
            node = node.items[0]
        elif node.key is not None:
            block_map = node.kind == "map" and not node.flow and node.pairs
            node = node.pairs[0][0] if block_map else node.key
        else:
            return node


# -- emitting --------------------------------------------------------------------------------


def _trailer(comments: list[str]) -> str:
    if not comments:
        return ""
    return "".join(f"  {comment}" for comment in comments)


def _is_comment(line: str) -> bool:
    return line.lstrip(" ").startswith("#")


def _props(node: _Node) -> str:
    """A collection's anchor and tag, as a prefix."""
    parts = []
    if node.anchor is not None:
        parts.append(f"&{node.anchor}")
    if node.tag is not None and node.tag != "!":
        short = node.tag.removeprefix("tag:yaml.org,2002:")
        parts.append(f"!!{short}" if short != node.tag else f"!<{node.tag}>")
    return "".join(f"{part} " for part in parts)


class _Emitter:
    def __init__(self, tree: _Tree) -> None:
        self.tree = tree
        self.lines: list[str] = []

    def document(self, header: list[tuple[int, str]], footer: list[str]) -> None:
        root = self.tree.root
        assert root is not None
        marker = self.tree.document_start
        self.lines.extend(c for pos, c in header if marker is None or pos < marker)
        if marker is not None:
            self.lines.append("---")
            self.lines.extend(c for pos, c in header if pos > marker)
        if root.kind == "map" and root.pairs and not root.anchor and not root.tag:
            self._mapping(root, 0, "", _TOP, blank_lines=True, place="top")
            self.lines.extend(root.trailing)  # a one-line top level's comment
        elif root.kind == "seq" and root.items and not root.anchor and not root.tag:
            for item in root.items:
                self._item(item, 0, "", "")
            self.lines.extend(root.trailing)
        else:
            self._value(root, 0, "", None, "")
        self.lines.extend(footer)

    def _comments(self, comments: list[str], lead: str) -> None:
        if not comments:
            return
        col = " " * (len(lead) - len(lead.lstrip(" ")))
        self.lines.extend(col + comment for comment in comments)

    # A `lead` is the text that starts a node's first line: its indentation, with the `- `
    # of the list items it opens (`- - and` nests a list in a list on one line).

    def _mapping(
        self, node: _Node, col: int, lead: str, order: tuple[str, ...] | None, **how: Any
    ) -> None:
        for i, (key, value) in enumerate(_ordered(node.pairs, order)):
            if i and how.get("blank_lines"):
                self.lines.append("")
            line_lead = lead if i == 0 else " " * col
            self._comments(key.leading, line_lead)
            if self._is_multiline(value):
                self._comments(key.trailing, line_lead)
                key.trailing = []
            name = key.value if key.kind == "scalar" else None
            head = line_lead + self._scalar_text(key, flow=False) + ":"
            self._value(value, col, head, key, _place(how.get("place"), name))

    def _value(self, node: _Node, col: int, head: str, key: _Node | None, place: str) -> None:
        """A mapping value after `head` (`  key:`), its block content at col + 2."""
        trailer = _trailer((key.trailing if key else []) + node.trailing)
        sep = " " if head else ""
        if node.kind in ("scalar", "alias"):
            if self._is_multiline(node):
                self._multiline(node, col, head + sep, trailer)
            else:
                text = self._scalar_text(node, flow=False)
                self.lines.append((head + sep + text if text else head) + trailer)
            return
        one_line = self._one_line(node, len(head) + len(sep), place)
        if one_line is not None:
            self.lines.append(head + sep + one_line + trailer)
            return
        props = _props(node).rstrip()
        self.lines.append((head + sep + props if props else head) + trailer)
        inner = col + _STEP
        if node.kind == "seq":
            for i, item in enumerate(node.items):
                if i and place == "triggers":
                    self.lines.append("")  # a blank line parts two triggers
                self._item(item, inner, " " * inner, _item_place(place))
        else:
            self._mapping(node, inner, " " * inner, _order(place), place=place)

    def _item(self, node: _Node, col: int, lead: str, place: str) -> None:
        """A list item: `- ` at col, after `lead` (the indentation, or outer items' `- `)."""
        self._comments(node.leading, lead)
        head = lead + "- "
        trailer = _trailer(node.trailing)
        if node.kind in ("scalar", "alias"):
            if self._is_multiline(node):
                self._multiline(node, col, head, trailer)
            else:
                text = self._scalar_text(node, flow=False)
                self.lines.append((head + text if text else head.rstrip()) + trailer)
            return
        one_line = self._one_line(node, len(head), place)
        if one_line is not None:
            self.lines.append(head + one_line + trailer)
            return
        inner = col + _STEP
        props = _props(node)
        if props:
            self.lines.append(head + props.rstrip() + trailer)
            head, trailer = " " * inner, ""
        first = len(self.lines)
        if node.kind == "seq":
            for i, item in enumerate(node.items):
                self._item(item, inner, head if i == 0 else " " * inner, _item_place(place))
        else:
            self._mapping(node, inner, head, _order(place), place=place)
        if trailer:  # a one-line list or mapping's comment, now that it takes several lines
            at = next(i for i in range(first, len(self.lines)) if not _is_comment(self.lines[i]))
            self.lines[at] += trailer

    def _multiline(self, node: _Node, col: int, head: str, trailer: str) -> None:
        """A scalar written on several lines: its lines moved as its block moved."""
        lines = self.tree.source(node).split("\n")
        if node.style in ("|", ">"):
            if lines and lines[-1] == "":
                lines.pop()
            if "+" not in lines[0].split("#")[0]:
                while len(lines) > 1 and not lines[-1].strip():
                    lines.pop()
            shift = col - node.old_indent
            rest = [_shifted(line, shift) for line in lines[1:]]
        else:
            pad = " " * (col + _STEP)
            rest = [pad + line.lstrip(" \t") if line.strip(" \t") else "" for line in lines[1:]]
        self.lines.append(head + lines[0])
        self.lines.extend(rest)
        self.lines[-1] += trailer

    def _is_multiline(self, node: _Node) -> bool:
        return node.kind == "scalar" and (node.style in ("|", ">") or node.line != node.end_line)

    def _scalar_text(self, node: _Node, flow: bool) -> str:
        text = self.tree.source(node)
        if node.kind == "alias" or node.style or not flow:
            return text
        if not text.strip():  # an empty plain scalar: null
            return "null"
        value = node.value or ""
        if _FLOW_INDICATORS.search(value) or (value[:1] in "?:-" and _is_text(value)):
            # A one-line list ends a plain scalar at these, or reads `?`, `:` or `-` first as
            # an indicator: the value is quoted there.
            props = text[: len(text) - len(node.value or "")] if node.anchor or node.tag else ""
            return f'{props}"{yaml_double_quoted(node.value or "")}"'
        return text

    def _one_line(self, node: _Node, column: int, place: str) -> str | None:
        """The collection on one line from `column`, when the layout puts it there."""
        if not node.items and not node.pairs:
            return _props(node) + ("[]" if node.kind == "seq" else "{}")
        if place in _ONE_PER_LINE or node.kind == "map":
            return None  # mappings in a one-line list only
        text = self._flow(node)
        if text is None or column + len(text) > WIDTH:
            return None
        return text

    def _flow(self, node: _Node) -> str | None:
        """The node written inline, or None when something inside needs a line of its own:
        a comment, a multi-line scalar."""
        if node.inline is not False:
            return node.inline  # type: ignore[return-value]
        text: str | None
        if node.kind in ("scalar", "alias"):
            text = None if self._is_multiline(node) else self._scalar_text(node, flow=True)
        elif node.kind == "seq":
            parts = [self._flow_child(item) for item in node.items]
            text = None if None in parts else _props(node) + "[" + ", ".join(parts) + "]"  # type: ignore[arg-type]
        else:
            pairs = [(self._flow_child(k), self._flow_child(v)) for k, v in node.pairs]
            if any(k is None or v is None for k, v in pairs):
                text = None
            else:
                text = _props(node) + "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
        node.inline = text
        return text

    def _flow_child(self, node: _Node) -> str | None:
        if node.leading or node.trailing:
            return None
        return self._flow(node)


def _place(parent: str | None, key: str | None) -> str:
    """Where a mapping's value sits, for the places the layout knows."""
    if parent == "top" and key in ("triggers", "ignore"):
        return key
    if parent == "trigger" and key == "definition":
        return "definition"
    if parent == "definition" and key in ("actions", "condition"):
        return key
    return ""


def _item_place(place: str) -> str:
    if place == "triggers":
        return "trigger"
    if place == "actions":
        return "action"
    return ""


def _order(place: str) -> tuple[str, ...] | None:
    return {"trigger": _TRIGGER, "definition": _DEFINITION}.get(place)


def _ordered(
    pairs: list[tuple[_Node, _Node]], order: tuple[str, ...] | None
) -> list[tuple[_Node, _Node]]:
    if order is None:
        return pairs
    rank = {name: i for i, name in enumerate(order)}

    def key(entry: tuple[int, tuple[_Node, _Node]]) -> tuple[int, int]:
        index, (name, _) = entry
        known = rank.get(name.value or "", len(order)) if name.kind == "scalar" else len(order)
        return known, index

    return [pair for _, pair in sorted(enumerate(pairs), key=key)]


def _shifted(line: str, shift: int) -> str:
    if not line:
        return line
    if shift >= 0:
        return " " * shift + line
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, -shift) :]


# -- the guard: the same values before and after ----------------------------------------------


def _check_same(tree: _Tree, after: str) -> None:
    """The laid-out text, read back, holds the same nodes with the same values: walked in
    the order they are written now, which differs only in the order of mapping keys."""
    assert tree.root is not None
    loader = _Parser(after)
    try:
        get: Callable[[], Any] = loader.get_event
        get(), get()  # stream start, document start
        anchors: set[str] = set()
        for node in _written_order(tree.root, "top"):
            event = get()
            if node.kind == "alias" and node.anchor not in anchors:
                # Keys put in order moved an alias above its anchor: it would not read back.
                raise LayoutError(
                    f"the canonical key order would put *{node.anchor} before &{node.anchor}; "
                    "the file is left as it is",
                    node.line + 1,
                )
            if node.anchor is not None:
                anchors.add(node.anchor)
            if not _same(node, event):
                raise LayoutError(
                    "the canonical layout would change what this line holds; the file is "
                    "left as it is (please report it)",
                    None if node is _END else node.line + 1,
                )
    except yaml.YAMLError as exc:
        raise LayoutError(f"the canonical layout would not read back: {exc}") from None
    finally:
        loader.dispose()


_END = _Node.__new__(_Node)  # stands for the end of a list or mapping in the walk
_END.kind, _END.anchor = "end", None


def _written_order(node: _Node, place: str) -> Iterator[_Node]:
    yield node
    if node.kind == "seq":
        inner = _item_place(place)
        for item in node.items:
            yield from _written_order(item, inner)
        yield _END
    elif node.kind == "map":
        for key, value in _ordered(node.pairs, _order(place) or (_TOP if place == "top" else None)):
            yield key
            yield from _written_order(
                value, _place(place, key.value if key.kind == "scalar" else None)
            )
        yield _END


_EVENT = {
    "scalar": yaml.ScalarEvent,
    "alias": yaml.AliasEvent,
    "seq": yaml.SequenceStartEvent,
    "map": yaml.MappingStartEvent,
}
_resolver = yaml.resolver.Resolver()


def _same(node: _Node, event: Any) -> bool:  # event: a PyYAML event, which is untyped
    if node is _END:
        return isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent)
    kind: type[Any] = type(event)
    if kind is not _EVENT[node.kind] or event.anchor != node.anchor:
        return False
    if node.kind != "scalar":
        return node.kind == "alias" or event.tag == node.tag
    if event.value != node.value or event.tag != node.tag:
        return False
    if (not event.style) == (not node.style) or node.tag not in (None, "!"):
        return True
    # Quoted where it was plain: the same only if plain read it as text, too.
    return _is_text(node.value or "")


def _is_text(plain: str) -> bool:
    """Whether YAML reads this plain scalar as a string (not a number, true/false, null)."""
    tag: str = _resolver.resolve(yaml.ScalarNode, plain, (True, False))  # type: ignore[no-untyped-call]
    return tag == "tag:yaml.org,2002:str"
