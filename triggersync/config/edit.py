"""Edits spliced into a configuration file's text, at the offsets its parser reports
(config/spans.py): every byte that no edit covers stays as it was, comments, quoting, key
order and blank lines included.

Why splicing rather than a round-trip YAML library: a round-trip library (ruamel.yaml) rebuilds
the whole file from its own model when it writes, and so re-indents, re-wraps and re-quotes
what it was not asked to touch, and it is slow on large files; the parser this package already
uses gives the offsets an edit needs, and new text is written by export's one renderer
(engine/export.py), so what adopt writes reads as what export writes. docs/commands.md#adopt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from triggersync.config.spans import Entry, Node
from triggersync.engine import export
from triggersync.engine.model import Trigger


@dataclass
class TextEdit:
    """Replace text[start:end] with `text`."""

    start: int
    end: int
    text: str


@dataclass
class FileEdits:
    """The edits to one file's text; `result` applies them, from the end backwards."""

    text: str
    edits: list[TextEdit] = field(default_factory=list)

    def result(self) -> str:
        return _applied(self.text, self._written(), 0)

    def _written(self) -> list[TextEdit]:
        """The edits in the file's own line breaks: new text is rendered with `\n`."""
        if "\r\n" not in self.text:
            return self.edits
        return [TextEdit(e.start, e.end, e.text.replace("\n", "\r\n")) for e in self.edits]

    def opcodes(self) -> list[tuple[str, int, int, int, int]]:
        """The changes by lines, as `difflib.SequenceMatcher.get_opcodes` gives them, known
        from the edits rather than searched for: a diff of a large file costs what it changes
        (difflib takes seconds over a 1,000-trigger file whose lines repeat)."""
        regions: list[tuple[int, int, list[TextEdit]]] = []
        for edit in _in_order(self._written()):
            start = self._line_start(edit.start)
            end = edit.end
            whole = end == start or self.text[end - 1] == "\n"
            if not (whole and (edit.text == "" or edit.text.endswith("\n"))):
                end = self._after_line(end)
            if regions and start < regions[-1][1]:
                first, last, inside = regions[-1]
                regions[-1] = (first, max(last, end), [*inside, edit])
            else:
                regions.append((start, end, [edit]))
        codes: list[tuple[str, int, int, int, int]] = []
        old_line = new_line = 0
        offset = 0
        for start, end, inside in regions:
            skipped = self.text.count("\n", offset, start)
            old_line, new_line = old_line + skipped, new_line + skipped
            if skipped:
                codes.append(("equal", old_line - skipped, old_line, new_line - skipped, new_line))
            old = len(self.text[start:end].splitlines())
            new = len(_applied(self.text[start:end], inside, start).splitlines())
            kind = "replace" if old and new else "delete" if old else "insert"
            codes.append((kind, old_line, old_line + old, new_line, new_line + new))
            old_line, new_line, offset = old_line + old, new_line + new, end
        rest = len(self.text[offset:].splitlines())
        if rest:
            codes.append(("equal", old_line, old_line + rest, new_line, new_line + rest))
        return codes

    def _line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def _after_line(self, offset: int) -> int:
        """The offset just past the line break of the line holding `offset` (the text's end
        when that line has none)."""
        found = self.text.find("\n", offset)
        return len(self.text) if found < 0 else found + 1

    def _blank_line_before(self, line_start: int) -> bool:
        return not self.text[self._line_start(line_start - 1) : line_start].strip()

    # -- a mapping's entries ------------------------------------------------------------

    def set_entry(
        self, mapping: Node, key: str, value: Any, *, order: Sequence[str], in_definition: bool
    ) -> None:
        """`key: value` in `mapping`: the value replaced where the key is written, else the
        entry added after the keys that `order` puts before it."""
        entry = mapping.entries.get(key)
        if entry is not None:
            self._replace_value(mapping, entry, key, value, in_definition)
            return
        rendered = export.field_yaml(key, value, in_definition=in_definition, flow=mapping.flow)
        before = (
            [k for k in order[: order.index(key)] if k in mapping.entries] if key in order else []
        )
        if before:
            anchor = mapping.entries[before[-1]]
            if mapping.flow:
                self.edits.append(TextEdit(anchor.value.end, anchor.value.end, ", " + rendered))
            else:
                at = self._after_line(anchor.value.end)
                lead = "" if self.text[:at].endswith("\n") else "\n"
                text = lead + " " * anchor.column + self._block(rendered, anchor.column) + "\n"
                self.edits.append(TextEdit(at, at, text))
            return
        first = next(iter(mapping.entries.values()))
        if mapping.flow:
            self.edits.append(TextEdit(first.key_start, first.key_start, rendered + ", "))
        else:
            # Before the first key, on its line (which may start with the list's `- `).
            text = self._block(rendered, first.column) + "\n" + " " * first.column
            self.edits.append(TextEdit(first.key_start, first.key_start, text))

    def _replace_value(
        self, mapping: Node, entry: Entry, key: str, value: Any, in_definition: bool
    ) -> None:
        """From just after the key to the end of its value: the key keeps how it is written,
        and a comment after the value stays."""
        rendered = export.field_yaml(key, value, in_definition=in_definition, flow=mapping.flow)
        rest = rendered[rendered.index(":") if mapping.flow else _after_key(rendered, key) :]
        old = entry.value
        if not mapping.flow and "\n" in rest and old.kind != "scalar" and not old.flow:
            # A block value for a block value: indented as the file indented the old one.
            head, body = rest.split("\n", 1)
            column = self._dash_column(old) if old.kind == "seq" else old.column
            rest = head + "\n" + _placed(body, column)
        elif not mapping.flow:
            rest = self._block(rest, entry.column)
        self.edits.append(TextEdit(entry.key_end, old.end, rest))

    def remove_entry(self, mapping: Node, key: str) -> None:
        entries = list(mapping.entries.values())
        entry = mapping.entries[key]
        index = entries.index(entry)
        later = entries[index + 1] if index + 1 < len(entries) else None
        if mapping.flow:
            if later is not None:
                self.edits.append(TextEdit(entry.key_start, later.key_start, ""))
            else:
                start = entries[index - 1].value.end if index else entry.key_start
                self.edits.append(TextEdit(start, entry.value.end, ""))
            return
        prefix = self.text[self._line_start(entry.key_start) : entry.key_start]
        if "-" in prefix and later is not None:
            # The first key of a list item (`- key: ...`): the next key moves up to its place.
            self.edits.append(TextEdit(entry.key_start, later.key_start, ""))
            return
        start = self._line_start(entry.key_start)
        self.edits.append(TextEdit(start, self._after_line(entry.value.end), ""))

    # -- the triggers list --------------------------------------------------------------

    def remove_items(self, top: Node, indexes: set[int], added: Sequence[Trigger] = ()) -> None:
        """Remove the list items at `indexes` from `triggers`, then add `added` at its end. A
        list left empty is written `triggers: []`."""
        entry = top.entries["triggers"]
        seq = entry.value
        items = seq.items
        kept = [item for i, item in enumerate(items) if i not in indexes]
        if not kept:
            self._replace_list(entry, added)
            return
        if seq.flow:
            # The items kept, in their own words; the separators between them become `, `.
            kept_text = ", ".join(self.text[item.start : item.end] for item in kept)
            if added:
                kept_text += ", " + export.items_yaml(added, flow=True)
            self.edits.append(TextEdit(items[0].start, items[-1].end, kept_text))
            return
        last_kept = max(i for i in range(len(items)) if i not in indexes)
        for index in sorted(indexes):
            item = items[index]
            start, end = self._line_start(item.start), self._after_line(item.end)
            # Its blank lines go with it: those after it, or, after the last item kept, those
            # before it; the blank line that separated two kept items stays one.
            if index > last_kept:
                while start and self._blank_line_before(start):
                    start = self._line_start(start - 1)
            else:
                while end < len(self.text) and not self.text[end : self._after_line(end)].strip():
                    end = self._after_line(end)
            self.edits.append(TextEdit(start, end, ""))
        if added:
            self.add_items(top, added)

    def add_items(self, top: Node, added: Sequence[Trigger]) -> None:
        entry = top.entries.get("triggers")
        if entry is None:
            # A file of only `ignore` globs: the list goes at the end.
            end = len(self.text)
            lead = "" if not self.text or self.text.endswith("\n") else "\n"
            text = lead + "triggers:\n" + _placed(export.items_yaml(added), 0)
            self.edits.append(TextEdit(end, end, text))
            return
        seq = entry.value
        if seq.kind != "seq" or not seq.items:
            self._replace_list(entry, added)
            return
        last = seq.items[-1]
        if seq.flow:
            self.edits.append(
                TextEdit(last.end, last.end, ", " + export.items_yaml(added, flow=True))
            )
            return
        column = self._dash_column(last)
        at = self._after_line(last.end)
        # Comment lines indented into the last item are its own: the new items go after them.
        while at < len(self.text):
            line = self.text[at : self._after_line(at)]
            if not line.lstrip().startswith("#") or len(line) - len(line.lstrip()) <= column:
                break
            at = self._after_line(at)
        # A blank line parts two triggers, as fmt lays them out (docs/configuration.md#layout).
        lead = "\n" if self.text[:at].endswith("\n") else "\n\n"
        rendered = _placed(export.items_yaml(added), column)
        self.edits.append(TextEdit(at, at, lead + rendered))

    def _dash_column(self, item: Node) -> int:
        """The column of the `-` that starts a block list item."""
        line_start = self._line_start(item.start)
        dash = self.text.rfind("-", line_start, item.start)
        return (dash if dash >= 0 else item.start) - line_start

    def _replace_list(self, entry: Entry, added: Sequence[Trigger]) -> None:
        """The whole list replaced: by `[]`, or by the added items, below the key (a comment
        after the old list stays on the key's line)."""
        value = entry.value
        old_items = value.items if value.kind == "seq" and not value.flow else []
        if not added and old_items:
            # `[]` after the colon; the old items' lines go; a comment on the key's line stays.
            colon = self.text.index(":", entry.key_end) + 1
            self.edits.append(TextEdit(colon, colon, " []"))
            start = self._line_start(value.start)
            self.edits.append(TextEdit(start, self._after_line(value.end), ""))
            return
        if not added:
            self.edits.append(TextEdit(entry.key_end, value.end, ": []"))
            return
        if old_items:
            # The old items' lines give way to the new ones, indented as they were; the key's
            # line (and a comment on it) stays.
            start = self._line_start(value.start)
            rendered = _placed(export.items_yaml(added), self._dash_column(old_items[0]))
            self.edits.append(TextEdit(start, self._after_line(value.end), rendered))
            return
        self.edits.append(TextEdit(entry.key_end, value.end, ":"))
        at = self._after_line(value.end)
        lead = "" if self.text[:at].endswith("\n") else "\n"
        rendered = _placed(export.items_yaml(added), entry.column)
        self.edits.append(TextEdit(at, at, lead + rendered))

    def _block(self, rendered: str, column: int) -> str:
        return _reindent(rendered, column, first=False)


def _applied(text: str, edits: Sequence[TextEdit], base: int) -> str:
    """`text` (which starts at offset `base` of the file) with `edits` made, from the end back."""
    out = text
    for edit in reversed(_in_order(edits)):
        out = out[: edit.start - base] + edit.text + out[edit.end - base :]
    return out


def _in_order(edits: Sequence[TextEdit]) -> list[TextEdit]:
    """By place; two insertions at one place in the order they were made, so that a trigger's
    new field comes before a new trigger added after it."""
    ranked = sorted(enumerate(edits), key=lambda pair: (pair[1].start, pair[1].end, pair[0]))
    return [edit for _, edit in ranked]


def _after_key(rendered: str, key: str) -> int:
    """Where the value part (`: ...`) starts in `key: ...` as the renderer wrote the key."""
    stripped = rendered.lstrip()
    if stripped.startswith(key):
        return len(rendered) - len(stripped) + len(key)
    return rendered.index(":")  # a key the renderer quoted; definition keys never are


def _placed(text: str, column: int) -> str:
    """Block lines moved so that the least indented starts at `column`."""
    indents = [len(line) - len(line.lstrip(" ")) for line in text.split("\n") if line.strip()]
    return _reindent(text, column - min(indents, default=0))


def _reindent(text: str, column: int, *, first: bool = True) -> str:
    """Every line of `text` (the first too, unless `first` is False) moved right by
    `column` spaces (left, for a negative one, as far as it has spaces); empty lines stay."""
    lines = text.split("\n")
    out = []
    for number, line in enumerate(lines):
        if not line or (number == 0 and not first):
            out.append(line)
        elif column >= 0:
            out.append(" " * column + line)
        else:
            spaces = len(line) - len(line.lstrip(" "))
            out.append(line[min(spaces, -column) :])
    return "\n".join(out)
