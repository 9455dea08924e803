"""Document paths (`("triggers", 3, "enabled")`) and how config messages spell them.

`diff.format_path` spells field changes differently (it quotes keys that are not identifiers:
`definition["a b"]`); each rule is pinned by committed tests (`test_diff`, and `--vars`
messages in `test_config`), so the two stay apart until that is decided.
"""

from __future__ import annotations

from collections.abc import Sequence

PathPart = str | int


def format_path(path: Sequence[PathPart]) -> str:
    """("triggers", 3, "definition") → triggers[3].definition; keys are written as they are."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
