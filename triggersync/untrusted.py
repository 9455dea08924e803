"""Untrusted text (trigger names, values, server words, file text) made safe to show.

Safe means that what a reader sees is what is there, and that nothing in it acts on the
terminal or on the CI log that records it:

- Control (Cc), format (Cf: bidi overrides and isolates, zero-width spaces and joiners, the
  byte-order mark, invisible tags), surrogate (Cs) and line or paragraph separator (Zl, Zp)
  characters are written as escapes (`\\u202e`, `\\n`). So no text is hidden, reordered by
  bidi controls, or split into a line of its own that looks like the tool's output, and a lone
  surrogate (JSON allows `"\\ud800"`, Python's json reads it) never crashes a UTF-8 write.
- Text that is not in Unicode's composed form (NFC) has its combining marks escaped
  (`Cafe\\u0301`), so two names that differ only in how they are composed never look alike.
- `##[` is written `##\\u005b`. The GitHub Actions runner reads a line as a workflow command
  (`::error::`, `::add-mask::`, `::stop-commands::` ...) when, after its leading whitespace,
  it starts with `::` and holds a second `::`; or, in its older syntax, when `##[` appears
  anywhere in it followed by a `]` (actions/runner, src/Runner.Common/ActionCommand.cs:
  TryParseV2 and TryParse). It splits lines at `\\n` and `\\r` only. With every line break
  escaped, untrusted text never starts a line; with `##[` escaped, it never holds the old form.

Which characters are hidden is asked of the running Python's Unicode database, so a newer
Unicode's new format characters are escaped too; each character is looked up once.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any, Final

HIDDEN_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SHORT: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_OLD_COMMAND: Final = "##["
_OLD_COMMAND_ESCAPED: Final = "##\\u005b"  # `\u005b` is `[` in JSON and in YAML double quotes


class _Escapes(dict[int, Any]):
    """A str.translate table filled on first sight of each character.

    `astral` is how a character beyond U+FFFF is escaped: JSON has only `\\uXXXX`, so it
    takes a surrogate pair; YAML reads `\\U` and would read a pair as two lone surrogates.
    `also` are characters escaped besides the hidden ones.
    """

    def __init__(self, astral: str, also: frozenset[int] = frozenset()) -> None:
        super().__init__()
        self._astral = astral
        self._also = also

    def __missing__(self, code: int) -> Any:
        char = chr(code)
        if unicodedata.category(char) not in HIDDEN_CATEGORIES and code not in self._also:
            self[code] = code
        elif char in _SHORT:
            self[code] = _SHORT[char]
        elif code <= 0xFFFF:
            self[code] = f"\\u{code:04x}"
        elif self._astral == "yaml":
            self[code] = f"\\U{code:08x}"
        else:
            high, low = divmod(code - 0x10000, 0x400)
            self[code] = f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
        return self[code]


_JSON_ESCAPES: Final = _Escapes("json")
# U+FFFE and U+FFFF are the only characters neither hidden nor in YAML's printable set, which
# a YAML reader refuses raw.
_YAML_ESCAPES: Final = _Escapes("yaml", also=frozenset({0xFFFE, 0xFFFF}))


def shown(value: Any) -> str:
    """A value as JSON (strings quoted) that reads back as the same value, safe to print."""
    return _defused(_marked(json.dumps(value, ensure_ascii=False)).translate(_JSON_ESCAPES))


def clean(text: str) -> str:
    """Free text (a message, a field path, a server's words) safe to print, unquoted."""
    return _defused(_marked(text).translate(_JSON_ESCAPES))


def _marked(text: str) -> str:
    """Text not in Unicode's composed form (NFC) with its combining marks escaped: `Café`
    written as `e` + U+0301 looks like `Café` written with `é`, but is another name to Zendesk.
    At most one of two such spellings is composed, so the other shows `Cafe\u0301`."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return "".join(f"\\u{ord(char):04x}" if unicodedata.combining(char) else char for char in text)


def inert_line(line: str) -> str:
    """A line of a file shown as it is (a diff's, which must stay readable and faithful),
    unless the Actions runner could read it as a workflow command: then escaped as `clean`
    escapes free text, and a leading `::` written `\\u003a:`. A line break at its end stays."""
    body = line.rstrip("\r\n")
    if not _commands(body):
        return line
    safe = clean(body)
    indent = len(safe) - len(safe.lstrip())
    if safe[indent:].startswith("::"):
        safe = f"{safe[:indent]}\\u003a{safe[indent + 1 :]}"
    return safe + line[len(body) :]


def _commands(line: str) -> bool:
    """Whether the runner could read this line as a workflow command (see above)."""
    stripped = line.lstrip()
    if stripped.startswith("::") and "::" in stripped[2:]:
        return True
    start = line.find(_OLD_COMMAND)
    return start >= 0 and "]" in line[start:]


def is_clean(text: str) -> bool:
    return clean(text) == text


def json_document(value: Any, *, indent: int | None = 2) -> str:
    """JSON for files and pipes: ASCII only (a lone surrogate is the escape `\\ud800`, which
    json readers in Python and JavaScript accept), and safe to print in a CI log."""
    return _defused(json.dumps(value, indent=indent))


def yaml_double_quoted(text: str) -> str:
    """The inside of a YAML double-quoted scalar that reads back as `text`, on one line."""
    return _defused(json.dumps(text, ensure_ascii=False)[1:-1].translate(_YAML_ESCAPES))


def _defused(text: str) -> str:
    # Only ever applied to text where `[` may be escaped: inside a JSON or YAML double-quoted
    # string (the only place a JSON document can hold `#`), or free text shown as it is.
    return text.replace(_OLD_COMMAND, _OLD_COMMAND_ESCAPED)
