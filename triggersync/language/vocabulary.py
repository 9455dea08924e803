"""The trigger language in one table: events, operators, variables and actions.

Every other module of the package (checks, explanations, evaluation) reads these entries and no
other list. Each entry says how many operands it takes and of what kind, how it reads in words,
and how sure we are of it (docs/language.md lists them all with their sources):

- documented: Zendesk's help center gives the JSON spelling ("Chat Triggers reference for
  developers", "Chat triggers conditions and actions reference");
- observed: the spelling appears in real definitions that Zendesk accepted (the Zopim Japan help
  center's examples, public scripts that POST triggers), not in the reference;
- inferred: the dashboard has the setting, or nobody shows it at all; the spelling is a guess.

A name outside these tables is never refused: Zendesk knows more than any public source says.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from triggersync.language import values
from triggersync.language.values import Test


class Evidence(Enum):
    DOCUMENTED = "documented"
    OBSERVED = "observed"
    INFERRED = "inferred"


class Kind(Enum):
    """What an operand (or a variable's value) is expected to be."""

    TEXT = "text"
    NUMBER = "a number"
    BOOLEAN = "true or false"
    TAGS = "a list of tags"
    ANY = "any value"
    VARIABLE = "a variable"
    CONDITION = "a condition"
    DEPARTMENT = "a department id (a number) or name (text)"

    def accepts(self, value: Any) -> bool:
        if self is Kind.TEXT:
            return isinstance(value, str)
        if self is Kind.NUMBER:  # a string in JSON number syntax is read as a number too
            return values.read_number(value) is not None
        if self is Kind.BOOLEAN:
            return isinstance(value, bool)
        if self is Kind.TAGS:
            return isinstance(value, list) and all(isinstance(tag, str) for tag in value)
        if self is Kind.VARIABLE:
            return isinstance(value, str) and value.startswith("@")
        if self is Kind.CONDITION:
            return isinstance(value, list)
        if self is Kind.DEPARTMENT:  # a string is a name, digits included
            return isinstance(value, str) or values.read_number(value) is not None
        return isinstance(value, (str, int, float))  # ANY: a plain value, not a list or null


# Where an entry comes from, as docs/language.md cites it.
DEVELOPER_REFERENCE = "Zendesk: Chat Triggers reference for developers"
DASHBOARD = "Zendesk Chat dashboard (Zopim Japan help center: trigger conditions)"
PUBLIC_DEFINITIONS = "definitions in public scripts and the Zopim Japan help center"
MESSAGING_TRIGGERS = "Zendesk: standard messaging triggers"
NO_SOURCE = "no public source"


@dataclass(frozen=True)
class Event:
    name: str
    words: str
    evidence: Evidence
    source: str


@dataclass(frozen=True)
class Variable:
    name: str  # as the definition writes it, with "@"
    words: str
    kind: Kind
    evidence: Evidence
    source: str
    note: str = ""

    @property
    def key(self) -> str:
        """The name a scenario sets it by: without "@"."""
        return self.name[1:]


class Shape(Enum):
    """How an operator's operands are read, and so how it is evaluated."""

    ALL = "all"  # and: any number of conditions, all must hold
    ANY = "any"  # or: any number of conditions, one must hold
    NOT = "not"  # one condition, which must not hold
    COMPARE = "compare"  # a variable, then a value
    DELAY = "delay"  # seconds to wait; holds if the visitor is still there
    TAG = "tag"  # a tag the visitor must have
    FIRED_BEFORE = "fired before"  # no operand: this trigger already fired for the visitor


@dataclass(frozen=True)
class Operator:
    name: str
    shape: Shape
    operands: tuple[Kind, ...]
    words: str  # str.format template: {0}, {1} are the operands in words
    evidence: Evidence
    source: str
    # COMPARE: what the value should be, and the test it makes from it (values.py).
    value_kind: Kind = Kind.ANY
    make_test: Callable[[Any], Test] | None = None
    # DELAY, TAG: the visitor variable read (scenario key, without "@").
    reads: str = ""
    # How `["not", [this...]]` reads, when no other operator says the same thing.
    negated_words: str = ""

    @property
    def variadic(self) -> bool:
        return self.shape in (Shape.ALL, Shape.ANY)

    def arity_text(self) -> str:
        if self.variadic:
            return "any number of conditions"
        count = len(self.operands)
        if count == 0:
            return "no operand"
        return " and ".join(kind.value for kind in self.operands)


@dataclass(frozen=True)
class TriggerAction:
    name: str
    operands: tuple[Kind, ...]
    words: str  # str.format template over the required operands
    evidence: Evidence
    source: str
    # Optional trailing operands, each with the words it adds when present.
    optional: tuple[tuple[Kind, str], ...] = ()
    # The visitor sees a chat message: two of these at once are two messages.
    messages_visitor: bool = False
    # How it reads when its operand names a department rather than giving its id.
    named_words: str = ""

    @property
    def min_arity(self) -> int:
        return len(self.operands)

    @property
    def max_arity(self) -> int:
        return len(self.operands) + len(self.optional)

    def kinds(self) -> tuple[Kind, ...]:
        return self.operands + tuple(kind for kind, _ in self.optional)

    def arity_text(self) -> str:
        names = [kind.value for kind in self.operands]
        names += [f"optionally {kind.value}" for kind, _ in self.optional]
        return ", ".join(names) if names else "no operand"


def _table(entries: Iterable[Any]) -> dict[str, Any]:
    return {entry.name: entry for entry in entries}


EVENTS: dict[str, Event] = _table(
    [
        Event(
            "page_enter", "When a visitor enters a page", Evidence.DOCUMENTED, DEVELOPER_REFERENCE
        ),
        Event(
            "chat_requested",
            "When a visitor requests a chat",
            Evidence.DOCUMENTED,
            DEVELOPER_REFERENCE,
        ),
        Event(
            "chat_message",
            "When a visitor sends a message",
            Evidence.DOCUMENTED,
            DEVELOPER_REFERENCE,
        ),
    ]
)


def _compare(
    name: str, words: str, make_test: Callable[[Any], Test], value_kind: Kind = Kind.ANY
) -> Operator:
    return Operator(
        name,
        Shape.COMPARE,
        (Kind.VARIABLE, value_kind),
        words,
        Evidence.DOCUMENTED,
        DEVELOPER_REFERENCE,
        value_kind=value_kind,
        make_test=make_test,
    )


_TEXT, _NUMBER = Kind.TEXT, Kind.NUMBER
# The action that routes a chat: its operand is a department's id, or (in a configuration) its
# name, which the tool resolves to this account's id (docs/configuration.md#departments).
SET_DEPARTMENT = "setDepartment"

OPERATORS: dict[str, Operator] = _table(
    [
        Operator(
            "and", Shape.ALL, (Kind.CONDITION,), "all of", Evidence.DOCUMENTED, DEVELOPER_REFERENCE
        ),
        Operator(
            "or", Shape.ANY, (Kind.CONDITION,), "any of", Evidence.DOCUMENTED, DEVELOPER_REFERENCE
        ),
        Operator("not", Shape.NOT, (Kind.CONDITION,), "not", Evidence.OBSERVED, PUBLIC_DEFINITIONS),
        _compare("eq", "{0} is {1}", values.equal_to),
        _compare("neq", "{0} is not {1}", values.not_equal_to),
        _compare("lt", "{0} is less than {1}", values.ordered(operator.lt), _NUMBER),
        _compare("gt", "{0} is greater than {1}", values.ordered(operator.gt), _NUMBER),
        _compare("lte", "{0} is less than or equal to {1}", values.ordered(operator.le), _NUMBER),
        _compare(
            "gte", "{0} is greater than or equal to {1}", values.ordered(operator.ge), _NUMBER
        ),
        _compare(
            "contains",
            "{0} contains {1} (case-sensitive)",
            values.containing(ignore_case=False, negate=False),
            _TEXT,
        ),
        _compare(
            "ncontains",
            "{0} does not contain {1} (case-sensitive)",
            values.containing(ignore_case=False, negate=True),
            _TEXT,
        ),
        _compare(
            "icontains",
            "{0} contains {1}",
            values.containing(ignore_case=True, negate=False),
            _TEXT,
        ),
        _compare(
            "nicontains",
            "{0} does not contain {1}",
            values.containing(ignore_case=True, negate=True),
            _TEXT,
        ),
        _compare("regex", "{0} matches the pattern {1}", values.matching(ignore_case=False), _TEXT),
        _compare(
            "iregex",
            "{0} matches the pattern {1} (ignoring case)",
            values.matching(ignore_case=True),
            _TEXT,
        ),
        Operator(
            "stillOnSite",
            Shape.DELAY,
            (_NUMBER,),
            "after {0} seconds, still on the site",
            Evidence.DOCUMENTED,
            DEVELOPER_REFERENCE,
            make_test=values.at_least,
            reads="visitor_time_on_site",
        ),
        Operator(
            "stillOnPage",
            Shape.DELAY,
            (_NUMBER,),
            "after {0} seconds, still on the page",
            Evidence.DOCUMENTED,
            DEVELOPER_REFERENCE,
            make_test=values.at_least,
            reads="visitor_time_on_page",
        ),
        Operator(
            "hasTag",
            Shape.TAG,
            (_TEXT,),
            "has tag {0}",
            Evidence.OBSERVED,
            PUBLIC_DEFINITIONS,
            make_test=values.has_tag,
            reads="visitor_tags",
            negated_words="does not have tag {0}",
        ),
        Operator(
            "firedBefore",
            Shape.FIRED_BEFORE,
            (),
            "this trigger already fired for the visitor",
            Evidence.OBSERVED,
            PUBLIC_DEFINITIONS,
            negated_words="this trigger has not fired for the visitor yet",
        ),
    ]
)


_D, _O, _I = Evidence.DOCUMENTED, Evidence.OBSERVED, Evidence.INFERRED
_BOOLEAN, _TAGS, _ANY = Kind.BOOLEAN, Kind.TAGS, Kind.ANY

VARIABLES: dict[str, Variable] = _table(
    [
        Variable("@hour_of_day", "hour of day (UTC)", _NUMBER, _D, DEVELOPER_REFERENCE, "0 to 23"),
        Variable(
            "@day_of_week",
            "day of week",
            _NUMBER,
            _D,
            DEVELOPER_REFERENCE,
            "0 = Monday, 6 = Sunday",
        ),
        Variable(
            "@visitor_time_on_page", "time on page", _NUMBER, _D, DEVELOPER_REFERENCE, "seconds"
        ),
        Variable(
            "@visitor_time_on_site", "time on site", _NUMBER, _D, DEVELOPER_REFERENCE, "seconds"
        ),
        Variable("@visitor_ip", "IP address", _TEXT, _D, DEVELOPER_REFERENCE),
        Variable("@visitor_hostname", "hostname", _TEXT, _D, DEVELOPER_REFERENCE),
        Variable("@visitor_city", "city", _TEXT, _D, DEVELOPER_REFERENCE),
        Variable("@visitor_region", "region", _TEXT, _D, DEVELOPER_REFERENCE),
        Variable(
            "@visitor_country_code", "country code", _TEXT, _D, DEVELOPER_REFERENCE, "two letters"
        ),
        Variable("@visitor_country_name", "country name", _TEXT, _D, DEVELOPER_REFERENCE),
        Variable("@visitor_previous_visits", "previous visits", _NUMBER, _D, DEVELOPER_REFERENCE),
        Variable("@visitor_previous_chats", "previous chats", _NUMBER, _O, PUBLIC_DEFINITIONS),
        Variable("@visitor_served", "served", _BOOLEAN, _O, PUBLIC_DEFINITIONS),
        Variable("@visitor_requesting_chat", "requesting a chat", _BOOLEAN, _O, PUBLIC_DEFINITIONS),
        Variable("@visitor_source_type", "source type", _TEXT, _O, PUBLIC_DEFINITIONS),
        Variable(
            "@account_status",
            "account status",
            _TEXT,
            _O,
            PUBLIC_DEFINITIONS,
            "online, away or invisible",
        ),
        Variable("@message", "message", _TEXT, _O, PUBLIC_DEFINITIONS),
        Variable("@sender_type", "sender type", _TEXT, _O, PUBLIC_DEFINITIONS),
        Variable("@visitor_page_url", "page URL", _TEXT, _I, DASHBOARD),
        Variable("@visitor_page_title", "page title", _TEXT, _I, DASHBOARD),
        Variable("@visitor_page_count", "page count", _NUMBER, _I, DASHBOARD),
        Variable("@visitor_name", "name", _TEXT, _I, DASHBOARD),
        Variable("@visitor_email", "email", _TEXT, _I, DASHBOARD),
        Variable("@visitor_referrer", "referrer", _TEXT, _I, DASHBOARD),
        Variable("@visitor_search_engine", "search engine", _TEXT, _I, DASHBOARD),
        Variable("@visitor_search_terms", "search terms", _TEXT, _I, DASHBOARD),
        Variable("@visitor_tags", "tags", _TAGS, _I, DASHBOARD),
        Variable("@visitor_triggered", "triggered", _BOOLEAN, _I, DASHBOARD),
        Variable("@visitor_department", "department", _ANY, _I, DASHBOARD),
        Variable("@department_status", "department status", _TEXT, _I, DASHBOARD),
        Variable("@visitor_user_agent", "user agent", _TEXT, _I, DASHBOARD),
        Variable("@visitor_browser", "browser", _TEXT, _I, DASHBOARD),
        Variable("@visitor_platform", "platform", _TEXT, _I, DASHBOARD),
    ]
)

TRIGGER_ACTIONS: dict[str, TriggerAction] = _table(
    [
        TriggerAction(
            "sendMessageToVisitor",
            (_TEXT, _TEXT),
            "send {1} as {0}",
            _O,
            PUBLIC_DEFINITIONS,
            optional=((_TEXT, "with quick replies {2}"),),
            messages_visitor=True,
        ),
        TriggerAction("addTag", (_TEXT,), "add tag {0}", _O, PUBLIC_DEFINITIONS),
        TriggerAction(
            SET_DEPARTMENT,
            (Kind.DEPARTMENT,),
            "set department to {0}",
            _O,
            PUBLIC_DEFINITIONS,
            named_words="set department {0}",
        ),
        TriggerAction("wait", (_NUMBER,), "wait {0} seconds", _I, MESSAGING_TRIGGERS),
        TriggerAction("setTriggered", (_BOOLEAN,), "set triggered to {0}", _I, DASHBOARD),
        TriggerAction("removeTag", (_TEXT,), "remove tag {0}", _I, NO_SOURCE),
        TriggerAction("setName", (_TEXT,), "set visitor name to {0}", _I, NO_SOURCE),
        TriggerAction("setNote", (_TEXT,), "set visitor notes to {0}", _I, NO_SOURCE),
        TriggerAction("appendNote", (_TEXT,), "append {0} to visitor notes", _I, NO_SOURCE),
        TriggerAction(
            "ban", (), "ban the visitor", _I, NO_SOURCE, optional=((_TEXT, "because {0}"),)
        ),
    ]
)

# How a department read by name reads next to its id: `set department "Sales" (id 123)`.
DEPARTMENT_ID_WORDS = " (id {0})"

# Keys Zendesk itself keeps in a definition next to the three that say what it does.
DEFINITION_KEYS = ("event", "condition", "actions")
METADATA_KEYS = ("version", "editor")


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The known name closest to `word`, when one is close: a differing case, a missing "@", a
    typo (`@visitor_contry_code` → `@visitor_country_code`)."""
    options = list(choices)
    by_case = {option.lower(): option for option in options}
    for candidate in (word, "@" + word):
        if candidate.lower() in by_case:
            return by_case[candidate.lower()]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.75)
    return close[0] if close else None
