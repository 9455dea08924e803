"""Plans the view tests render: the documented example, one of every kind, a large one, and
one carrying what a hand-edited file or a hostile server can put in a path and a reason."""

from __future__ import annotations

from dataclasses import replace

from triggersync.engine.diff import make_plan
from triggersync.engine.model import Trigger
from triggersync.engine.plan import ABSENT, Change, FieldChange, Plan
from triggersync.errors import Location, Problem, Severity
from triggersync.language import rules
from triggersync.views.markdown import FOLD_THRESHOLD

US = {
    "event": "chat_requested",
    "condition": ["and", ["eq", "@visitor_country_code", "US"]],
    "actions": [["sendMessageToVisitor", "Support", "Hi!"]],
}
DE = {
    "event": "chat_requested",
    "condition": ["and", ["eq", "@visitor_country_code", "DE"]],
    "actions": [["sendMessageToVisitor", "Support", "Hallo!"], ["addTag", "de"]],
}

# US's condition and one more: what a replacement to DE removes.
LONGER = [*US["condition"], ["stillOnPage", 30]]


def documented_plan() -> Plan:
    """The documented example plan: an update, a create and a delete, of triggers as the API
    document shows them (with no definition, so no words)."""
    desired = [
        Trigger("Better Trigger", "Visitor requested new chat"),
        Trigger("Good Trigger", "Visitor entered page"),
    ]
    live = [Trigger("Better Trigger", "Visitor requested chat"), Trigger("Old Trigger")]
    return make_plan(desired, live)


def full_plan() -> Plan:
    """Every kind of change: update, rename, create, replace with nested paths, delete."""
    desired = [
        Trigger("Better Trigger", "Visitor requested new chat"),
        Trigger("Good Trigger", "Visitor entered page", definition=US),
        Trigger("Café greeting", "Bonjour", 0, renamed_from="Cafe greeting"),
        Trigger("Geo routing", "Route by country", definition=DE),
    ]
    live = [
        Trigger("Better Trigger", "Visitor requested chat", definition=US),
        Trigger("Cafe greeting", "Bonjour"),
        Trigger("Geo routing", "Route by country", definition={**US, "condition": LONGER}),
        Trigger('Old "quoted" Trigger'),
        Trigger("Legacy banner", "not ours"),
    ]
    return make_plan(
        desired,
        live,
        ignore=["Legacy *"],
        base_url="http://127.0.0.1:8080/api/v2/chat",
    )


PRICING_BEFORE = {
    "event": "chat_requested",
    "condition": [
        "and",
        ["eq", "@visitor_country_code", "US"],
        ["icontains", "@visitor_page_url", "pricing"],
        ["stillOnPage", 10],
    ],
    "actions": [["sendMessageToVisitor", "Agent", "Hello"]],
}
PRICING_AFTER = {
    "event": "chat_requested",
    "condition": [
        "and",
        ["eq", "@visitor_country_code", "US"],
        ["icontains", "@visitor_page_url", "pricing"],
        ["stillOnPage", 30],
    ],
    "actions": [["sendMessageToVisitor", "Agent", "Hello"], ["fooBar", 1]],
}
RESCUE = {
    "event": "chat_requested",
    "condition": ["and", ["stillOnSite", 60], ["eq", "@visitor_served", False]],
    "actions": [["sendMessageToVisitor", "Support", "Sorry for the wait!"], ["addTag", "rescued"]],
}


def replacement_plan() -> Plan:
    """A replacement a reviewer reads in words: a longer delay and an action nobody knows;
    next to it a create with a definition and one without."""
    desired = [
        Trigger("Pricing greeting", "Greet US visitors on pricing", definition=PRICING_AFTER),
        Trigger("Chat rescuer", "Reassure a waiting visitor", definition=RESCUE),
        Trigger("Plain", "No definition declared"),
    ]
    live = [Trigger("Pricing greeting", "Greet US visitors on pricing", definition=PRICING_BEFORE)]
    return make_plan(desired, live, base_url="http://127.0.0.1:8080/api/v2/chat")


def large_plan() -> Plan:
    desired = [Trigger(f"Trigger {i:02d}", "new") for i in range(FOLD_THRESHOLD + 5)]
    live = [Trigger(f"Trigger {i:02d}", "old") for i in range(0, FOLD_THRESHOLD + 5, 2)]
    return make_plan(desired, live)


def creates(count: int) -> Plan:
    return Plan(
        tuple(Change("create", f"T{i}", None, Trigger(f"T{i}").body()) for i in range(count))
    )


def hostile_replace() -> Plan:
    """What a hand-edited plan file or a hostile server can put in a path and a reason."""
    before = {"name": "R", "description": "", "enabled": 1, "definition": {}}
    after = {**before, "definition": {"k": 1}}
    field = FieldChange('definition["k\n::error title=pwned::x"]', ABSENT, 1)
    change = Change("replace", "R", before, after, (field,), "reason\u202e\n::add-mask::x")
    return Plan((change,), {"R": "0" * 64}, ("R",), None)


def warned_plan() -> Plan:
    """The full plan, made from a configuration with two warnings."""
    warnings = (
        Problem(
            path=("triggers", 0, "definition", "condition", 1),
            location=Location("triggers/new-typo.yaml", 6, 22),
            message="unknown operator 'icontians' (did you mean 'icontains'?); kept as written",
            severity=Severity.WARNING,
            rule=rules.UNKNOWN_OPERATOR,
        ),
        Problem(
            path=("triggers", 0, "definition", "actions", 0),
            location=Location("triggers/welcome.yaml", 7, 17),
            message="sends a message on every page the visitor enters: nothing in the "
            "condition (firedBefore, stillOnPage, @visitor_triggered) stops a repeat; "
            'add ["not", ["firedBefore"]] to the condition so that it is sent once',
            severity=Severity.WARNING,
            rule=rules.UNGUARDED_PAGE_MESSAGE,
        ),
    )
    return replace(full_plan(), warnings=warnings)
