"""Triggers' definitions in plain words, for `triggersync explain`.

Each trigger is its quoted name (marked when disabled), then its definition as one sentence,
or, with `lines`, one line per part (event, each condition, each action), indented as the
definition nests. The words come from the language package (docs/language.md); names and
values are quoted and escaped there, and every line passes untrusted.clean, so nothing a file
or the server holds can break a line or pass for a workflow command.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from triggersync.language import explain_lines, explain_sentence, literal
from triggersync.language.scenarios import TriggerSpec
from triggersync.untrusted import clean

INDENT = "  "


def render_explanations(
    triggers: Sequence[TriggerSpec],
    *,
    lines: bool = False,
    no_definition: str,
    departments: Mapping[int, str] | None = None,
) -> str:
    """Every trigger in turn, separated by a blank line; `no_definition` says why a trigger
    without one has none; `departments` names the department ids it knows."""
    names = departments or {}
    blocks = [
        _block(trigger, lines=lines, no_definition=no_definition, departments=names)
        for trigger in triggers
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _block(
    trigger: TriggerSpec, *, lines: bool, no_definition: str, departments: Mapping[int, str]
) -> str:
    head = literal(trigger.name) + ("" if trigger.enabled else " (disabled)")
    out = [head]
    if trigger.definition is None:
        out.append(INDENT + no_definition)
    elif lines:
        parts = explain_lines(trigger.definition, departments)
        out.extend(INDENT * (line.depth + 1) + line.text for line in parts)
    else:
        out.append(INDENT + explain_sentence(trigger.definition, departments))
    return "\n".join(clean(line) for line in out)
