"""Zendesk Chat's trigger language: one vocabulary, checks, plain words, local evaluation.

A definition is `{event, condition, actions}`; the condition is a prefix expression
(`["and", ["eq", "@visitor_country_code", "US"], ["stillOnPage", 30]]`), the actions a list of
lists (`[["sendMessageToVisitor", "Sales", "Hi!"]]`). Everything here is pure: no I/O, no
printing. docs/language.md describes the vocabulary and the evaluation model.
"""

from __future__ import annotations

from triggersync.errors import Problem, Severity, format_path
from triggersync.language.check import check_definition
from triggersync.language.evaluate import (
    CompiledTrigger,
    EvaluationOutcome,
    Reason,
    Rulebook,
    Verdict,
    fires,
)
from triggersync.language.explain import (
    Line,
    action_words,
    condition_words,
    event_words,
    explain_lines,
    explain_sentence,
)
from triggersync.language.literals import literal
from triggersync.language.vocabulary import (
    EVENTS,
    OPERATORS,
    TRIGGER_ACTIONS,
    VARIABLES,
    did_you_mean,
)

__all__ = [
    "EVENTS",
    "OPERATORS",
    "TRIGGER_ACTIONS",
    "VARIABLES",
    "CompiledTrigger",
    "EvaluationOutcome",
    "Line",
    "Problem",
    "Reason",
    "Rulebook",
    "Severity",
    "Verdict",
    "action_words",
    "check_definition",
    "condition_words",
    "did_you_mean",
    "event_words",
    "explain_lines",
    "explain_sentence",
    "fires",
    "format_path",
    "literal",
]
