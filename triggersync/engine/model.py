"""The Trigger value, the one normalisation that live JSON and YAML both go through, and the
one equality that compares them.

Comparing desired and live only ever compares `Trigger.managed_view()` dicts built here, with
`same_json`, so a difference can never come from representation alone (`enabled: true` vs 1, null vs
"", 1.0 vs 1), nor from server metadata the configuration leaves out (`as_declared`), and a
real one is never hidden by Python's `True == 1`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from triggersync.errors import Location
from triggersync.language.vocabulary import DEFINITION_KEYS

# The fields triggersync manages, in the API's order. `definition` is managed only where the
# configuration declares it.
FIELD_ORDER = ("name", "description", "enabled", "definition")


@dataclass(frozen=True, eq=False)
class Trigger:
    name: str
    description: str = ""
    enabled: int = 1  # the API's integer form: 1 or 0
    definition: Any = None  # JSON object, or None when not declared / not present live
    renamed_from: str | None = None
    location: Location | None = field(default=None, repr=False)  # never compared

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Trigger):
            return NotImplemented
        return self.renamed_from == other.renamed_from and same_json(
            self.view(with_definition=True), other.view(with_definition=True)
        )

    __hash__ = None  # type: ignore[assignment]  # a definition is a dict: never hashable

    def view(self, *, with_definition: bool) -> dict[str, Any]:
        """The managed fields as the API spells them, in a stable key order."""
        out: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "enabled": self.enabled,
        }
        if with_definition:
            out["definition"] = self.definition
        return out

    def body(self) -> dict[str, Any]:
        """A create (POST) body: every managed field, definition only when there is one."""
        return self.view(with_definition=self.definition is not None)

    def managed_view(self, declared: Trigger) -> dict[str, Any]:
        """What of this trigger is compared with the `declared` one: name, description and
        `enabled`; the definition only when `declared` has one, and then only its keys that
        `declared` manages (`as_declared`). Both sides of a comparison go through it, the
        declared one with itself, which leaves it as it is."""
        out = self.view(with_definition=declared.definition is not None)
        if "definition" in out:
            out["definition"] = as_declared(self.definition, declared.definition)
        return out


def as_declared(definition: Any, declared: Any) -> Any:
    """`definition` with only the keys a configuration's `declared` definition manages: `event`,
    `condition` and `actions` always; any other key only when `declared` has it too.

    Zendesk keeps keys of its own in a definition (`version`; scripts send `editor` as well,
    docs/language.md#definition-keys) and may add them to whatever is created, so a file that
    leaves them out must not differ from the live trigger forever. A file that declares one
    manages it like any other key. Anything not an object on either side stays as it is.
    """
    if not isinstance(definition, dict) or not isinstance(declared, dict):
        return definition
    return {
        key: value for key, value in definition.items() if key in DEFINITION_KEYS or key in declared
    }


def holds(live: Trigger, body: Mapping[str, Any]) -> bool:
    """Whether a live trigger carries every field a write's `body` sets, compared as the diff
    compares a declared trigger: normalised, and of a definition only the keys the body has.
    What a write whose answer was lost did is read back with it."""
    view = live.view(with_definition=True)
    wanted = normalise({**view, **{key: value for key, value in body.items() if key != "id"}})
    return same_json(live.managed_view(wanted), wanted.managed_view(wanted))


def same_definition(live: Trigger, declared: Trigger) -> bool:
    """Whether `live` already does what `declared` says; always, when `declared` leaves its
    definition out (it is then not managed)."""
    if declared.definition is None:
        return True
    return same_json(as_declared(live.definition, declared.definition), declared.definition)


def same_json(a: Any, b: Any) -> bool:
    """Whether two JSON values are equal as JSON: numbers by value (JSON has one number type,
    so 1.0 is 1), booleans only to booleans (`true` is not 1, though Python's True == 1), and
    objects whatever their key order."""
    return bool(a == b) and _alike(a, b)


def _alike(a: Any, b: Any) -> bool:
    """For two values already ==: no boolean stands where the other has a number."""
    kind = type(a)
    if kind is dict:
        return all(_alike(value, b[key]) for key, value in a.items())
    if kind is list:
        return all(map(_alike, a, b))
    return (kind is bool) is (type(b) is bool)


def canonical_value(value: Any) -> Any:
    """The value in the one form its JSON text is compared by: a float with an integral value
    is that integer (the API may spell 1 as 1.0), all else as it is."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is list:
        return [canonical_value(item) for item in value]
    if kind is dict:
        return {key: canonical_value(item) for key, item in value.items()}
    return value


def canonical_json(value: Any) -> str:
    """One text per JSON value, equal where `same_json` is true: keys sorted, 1.0 written as 1,
    `true` never as 1."""
    return json.dumps(
        canonical_value(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def kind_of(value: Any) -> str:
    """What a live value is, never the value itself: a malformed answer may hold an echo of a
    credential, in a form the masking would not know (a Python repr, a cut string)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "an empty string" if not value else "a string"
    return "a list" if isinstance(value, list) else "an object"


def normalise_enabled(value: Any) -> int:
    """true/false, 1/0 (and their string forms, seen in hand-edited live data) → 1/0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float) and value in (0, 1):
        return int(value)
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "0", "false"):
        return 1 if value.strip().lower() in ("1", "true") else 0
    raise ValueError(f"expected true/false or 0/1, got {kind_of(value)}")


def normalise(raw: Mapping[str, Any], location: Location | None = None) -> Trigger:
    """Turn a live API object or a validated YAML mapping into a Trigger.

    Fields neither side manages (id, and whatever else a live trigger carries) are dropped
    here, so they can never show up as differences. Raises ValueError on a value that has no
    normal form; callers turn that into their own error with a place attached.
    """
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError(f"expected a non-empty string name, got {kind_of(name)}")
    description = raw.get("description")
    if description is None:
        description = ""
    if not isinstance(description, str):
        raise ValueError(f"expected a string description, got {kind_of(description)}")
    definition = raw.get("definition")
    if definition is not None and not isinstance(definition, dict):
        raise ValueError(f"expected a definition object, got {type(definition).__name__}")
    renamed_from = raw.get("renamed_from")
    return Trigger(
        name=name,
        description=description,
        enabled=normalise_enabled(raw.get("enabled", 1)),
        definition=definition,
        renamed_from=renamed_from if isinstance(renamed_from, str) else None,
        location=location,
    )


# Levels of nesting a live definition may have to be planned. A configuration holds at most
# 64 levels from the top of its file, so every trigger it can declare fits well within this;
# the diff and the renderings recurse over definitions, and one nested hundreds of levels
# would exhaust the stack there (docs/safety.md#bounds).
MAX_LIVE_DEPTH = 128


def deeper_than(value: Any, limit: int) -> bool:
    """Whether any value inside `value` sits more than `limit` levels below it. A walk with a
    stack, not recursion: live JSON may nest beyond the recursion limit."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
    return False
