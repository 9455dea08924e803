"""The saved plan: the versioned document `plan` writes, and the strict reading of it that
`apply --plan` relies on (docs/plans.md, "JSON" and "Saved plans").

A plan file is applied without a prompt, so anything that does not look exactly like what
`plan_to_dict` writes (a wrong version, a hand-edited summary, a stray key) is refused with a
PlanFileError naming the place, rather than guessed at. The document's shape is
schemas/plan.schema.json; what one key cannot say alone is checked here: the summary against
the changes, names against each other and the live state, an update that leaves the
definition alone, and that the changes can be ordered.

The delete guard counts the owned triggers itself, from `live_names` and `ignore` (the
stale-plan check proves `live_names` is still true); `owned_live` and `guard` (what the guard
makes of the plan) are written for readers and must agree with that count.
"""

from __future__ import annotations

import functools
import json
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn

from triggersync.engine.guard import Refusal, delete_guard
from triggersync.engine.kinds import ChangeKind
from triggersync.engine.model import as_declared, same_json
from triggersync.engine.plan import ABSENT, Change, FieldChange, Plan, Targeting, ignored_by
from triggersync.engine.schemas import packaged_schema
from triggersync.errors import (
    Location,
    PlanFileError,
    Problem,
    Rule,
    Severity,
    TriggersyncError,
    format_path,
)
from triggersync.language.rules import rule_by_id

if TYPE_CHECKING:  # jsonschema costs ~50 ms to import: only reading a plan file needs it
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

FORMAT_VERSION: Final = 1
PLAN_SCHEMA_NAME: Final = "plan.schema.json"
MAX_BYTES: Final = 256 * 1024 * 1024  # far beyond any real plan; bounds what is read

_JSON_TYPES: Final = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as the document schemas/plan.schema.json describes."""
    document: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "summary": plan.summary,
        "guard": _guard_to_dict(delete_guard(plan)),
    }
    if plan.targeting is not None:  # only when narrowed: a whole plan's document is unchanged
        document["targets"] = {
            "globs": list(plan.targeting.globs),
            "selected": plan.targeting.selected,
            "total": plan.targeting.total,
        }
    return document | {
        "changes": [_change_to_dict(change) for change in plan.changes],
        "warnings": [warning_to_dict(warning) for warning in plan.warnings],
        "state": {
            "base_url": plan.base_url,
            "live_names": list(plan.live_names),
            "fingerprints": dict(plan.fingerprints),
            "ignore": list(plan.ignore),
            "owned_live": plan.owned_live,
        },
        **_departments_to_dict(plan),
    }


def warning_to_dict(warning: Problem) -> dict[str, Any]:
    """One warning of the configuration, for scripts and for `show` (docs/plans.md): its rule,
    its place, and the message as the command printed it (the path inside the file first)."""
    place = warning.location
    message = f"{warning.where}: {warning.message}" if warning.path else warning.message
    return {
        "rule": warning.rule.id if warning.rule else None,
        "name": warning.rule.name if warning.rule else None,
        "file": place.file if place else None,
        "line": place.line if place else None,
        "column": place.col if place else None,
        "message": message,
    }


def _warning_from_dict(raw: dict[str, Any]) -> Problem:
    rule = Rule(raw["rule"], raw["name"]) if raw["rule"] is not None else None
    known = rule_by_id(rule.id) if rule is not None else None
    if rule is not None and known is not None and known.name == rule.name:
        rule = known
    has_place = raw["file"] is not None and raw["line"] is not None and raw["column"] is not None
    location = Location(raw["file"], raw["line"], raw["column"]) if has_place else None
    return Problem(location=location, message=raw["message"], severity=Severity.WARNING, rule=rule)


def _departments_to_dict(plan: Plan) -> dict[str, Any]:
    """The names of the departments the changes route to, for readers (`show`, `apply
    --plan`); only when there are some, so a plan without departments keeps its shape."""
    if not plan.department_names:
        return {}
    return {"departments": {str(key): name for key, name in plan.department_names.items()}}


def _guard_to_dict(refusal: Refusal | None) -> dict[str, Any] | None:
    """The delete guard's verdict, for scripts: null when apply will not refuse the plan."""
    if refusal is None:
        return None
    return {
        "rule": refusal.rule,
        "deletes": refusal.deletes,
        "owned_live": refusal.owned_live,
        "message": refusal.notice,
    }


def _change_to_dict(change: Change) -> dict[str, Any]:
    out: dict[str, Any] = {
        "action": change.action,
        "name": change.name,
        "before": change.before,
        "after": change.after,
        "diff": [_field_to_dict(item) for item in change.diff],
    }
    if change.reason:
        out["reason"] = change.reason
    return out


def _field_to_dict(item: FieldChange) -> dict[str, Any]:
    # An absent side is an omitted key: JSON has no value for "not there" besides that.
    out: dict[str, Any] = {"path": item.path}
    if item.before is not ABSENT:
        out["before"] = item.before
    if item.after is not ABSENT:
        out["after"] = item.after
    return out


def read_plan_file(path: Path) -> Plan:
    """A saved plan, or one clear PlanFileError (unreadable, not JSON, malformed)."""
    data = _read_json(path)
    if isinstance(data, dict) and "accounts" in data:
        raise PlanFileError(
            f"{path}: this plan holds the accounts of a project file; apply it without "
            "configuration PATHs, where the project file is (docs/projects.md)"
        )
    try:
        return plan_from_dict(data)
    except PlanFileError as exc:
        raise PlanFileError(f"{path}: {exc}") from None


def is_accounts_plan(data: Any) -> bool:
    """Whether a plan document holds a project's accounts rather than one plan."""
    return isinstance(data, dict) and "accounts" in data


def read_saved_plans(path: Path) -> Plan | dict[str, Plan]:
    """A saved plan: one plan, or a project's plans by account; PlanFileError otherwise."""
    data = _read_json(path)
    try:
        return accounts_from_dict(data) if is_accounts_plan(data) else plan_from_dict(data)
    except PlanFileError as exc:
        raise PlanFileError(f"{path}: {exc}") from None


def accounts_to_dict(plans: Mapping[str, Plan]) -> dict[str, Any]:
    """A project's plans, each under its account's name (schemas/plan.schema.json)."""
    return {
        "format_version": FORMAT_VERSION,
        "accounts": {name: plan_to_dict(plan) for name, plan in plans.items()},
    }


def accounts_from_dict(data: Any) -> dict[str, Plan]:
    """The plans of a project's plan document, by account, each checked as one plan is."""
    if isinstance(data, dict) and data.get("format_version") != FORMAT_VERSION:
        version = data.get("format_version")
        _fail(
            "format_version",
            f"unsupported format version {version!r} (this triggersync reads {FORMAT_VERSION})",
        )
    _check_shape(data)
    if data.get("failed"):
        failed = ", ".join(repr(name) for name in data["failed"])
        _fail("failed", f"the plan is incomplete: {failed} could not be planned; plan again")
    plans: dict[str, Plan] = {}
    for name, part in data["accounts"].items():
        try:
            plans[name] = plan_from_dict(part)
        except PlanFileError as exc:
            raise PlanFileError(f"account {name!r}: {exc}") from None
    return plans


def _read_json(path: Path) -> Any:
    try:
        return json.loads(_read_regular(path).decode("utf-8"))
    except OSError as exc:
        raise PlanFileError(f"{path}: cannot read the plan file: {exc.strerror}") from None
    except (ValueError, RecursionError):
        raise PlanFileError(f"{path}: not a plan file (invalid JSON)") from None


def _read_regular(path: Path) -> bytes:
    """The file's bytes, if it is a regular file of at most MAX_BYTES: a FIFO would wait for a
    writer and `/dev/zero` never ends (docs/safety.md#files-not-devices). Looked at before
    opening, opened without blocking, and looked at again once open."""
    _check_regular(path, os.stat(path))
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)), "rb") as f:
        _check_regular(path, os.fstat(f.fileno()))
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PlanFileError(f"{path}: too large for a plan file")
    return data


def _check_regular(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise PlanFileError(f"{path}: not a regular file (a plan file is read from a file)")
    if info.st_size > MAX_BYTES:
        raise PlanFileError(f"{path}: too large for a plan file")


def plan_from_dict(data: Any) -> Plan:
    """The Plan a document describes, checked against the schema and for consistency."""
    # The version first: a document of another version need not have this version's shape.
    if isinstance(data, dict) and "format_version" in data:
        version = data["format_version"]
        if type(version) is not int or version != FORMAT_VERSION:
            _fail(
                "format_version",
                f"unsupported format version {version!r} (this triggersync reads {FORMAT_VERSION})",
            )
    _check_shape(data)
    state = data["state"]
    changes = [_change_from_dict(raw, f"changes[{i}]") for i, raw in enumerate(data["changes"])]
    targeting = _targeting(data.get("targets"))  # its own message, not "cannot be ordered"
    try:
        plan = Plan(
            changes=tuple(changes),
            fingerprints=state["fingerprints"],
            live_names=tuple(state["live_names"]),
            base_url=state["base_url"],
            ignore=tuple(state["ignore"]),
            # Optional, as plans written before warnings were listed lack them.
            warnings=tuple(_warning_from_dict(raw) for raw in data.get("warnings", ())),
            department_names={int(key): name for key, name in data.get("departments", {}).items()},
            targeting=targeting,
        )
    except TriggersyncError as exc:  # the changes cannot be ordered
        raise PlanFileError(f"plan file: {exc}") from exc
    _check_summary(data["summary"], plan)
    _check_consistency(plan)
    if state["owned_live"] != plan.owned_live:
        _fail(
            "state.owned_live",
            f"is {state['owned_live']} but the live names and ignore globs make it "
            f"{plan.owned_live}",
        )
    # Optional, as plans written before it was added lack it; when there, it must be true.
    if "guard" in data and data["guard"] != _guard_to_dict(delete_guard(plan)):
        _fail("guard", "does not match what the delete guard makes of the changes")
    return plan


def _targeting(raw: dict[str, Any] | None) -> Targeting | None:
    if raw is None:
        return None
    if raw["selected"] > raw["total"]:
        _fail("targets.selected", f"is {raw['selected']}, more than the total {raw['total']}")
    return Targeting(tuple(raw["globs"]), raw["selected"], raw["total"])


# --- the shape: schemas/plan.schema.json ----------------------------------------------------


@functools.cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(packaged_schema(PLAN_SCHEMA_NAME))


def _check_shape(data: Any) -> None:
    """Refuse, with its place, the first problem the schema finds: the one at the smallest
    path (keys by name, positions by number), so the same file always gets the same message."""
    errors = list(_validator().iter_errors(data))
    if errors:
        first = min(errors, key=lambda error: _order(error.absolute_path))
        _fail(format_path(first.absolute_path) or "top level", _words(first))


def _order(path: Iterable[Any]) -> tuple[tuple[int, str], ...]:
    # Positions by number, keys by name: "changes[2]" comes before "changes[10]".
    return tuple((part, "") if isinstance(part, int) else (-1, str(part)) for part in path)


def _words(error: ValidationError) -> str:
    """jsonschema's finding in plain words: what was expected, what was found."""
    keyword: Any = error.validator
    wanted: Any = error.validator_value
    schema: Any = error.schema
    instance: Any = error.instance
    if keyword == "required":
        return f"missing key {min(key for key in wanted if key not in instance)!r}"
    if keyword == "additionalProperties":
        unknown = (str(key) for key in instance if key not in schema.get("properties", {}))
        return f"unknown key {min(unknown)!r}"
    if keyword == "type":
        types = [wanted] if isinstance(wanted, str) else wanted
        return f"expected {' or '.join(_JSON_TYPES[t] for t in types)}, got {_kind(instance)}"
    title = schema.get("title")
    if not title:  # every constraint beyond a type, a key or a required key has a title
        return str(error.message)
    if keyword == "uniqueItems":
        return f"expected {title}; one appears twice"
    if isinstance(instance, dict | list):  # its type was right: what is wrong is in the title
        return f"expected {title}"
    return f"expected {title}, got {json.dumps(instance)}"


def _kind(value: Any) -> str:
    """A JSON value's type in words, as the schema's `type` names it."""
    if isinstance(value, bool):
        return _JSON_TYPES["boolean"]
    names = {dict: "object", list: "array", str: "string", int: "integer", float: "number"}
    return _JSON_TYPES[names.get(type(value), "null")]


# --- what the schema cannot say ---------------------------------------------------------------


def _change_from_dict(raw: dict[str, Any], where: str) -> Change:
    action: ChangeKind = raw["action"]
    name, before, after = raw["name"], raw["before"], raw["after"]
    if before is not None and before["name"] != name:
        _fail(f"{where}.before.name", f"expected {name!r}, the name the change addresses")
    if action == "create" and after["name"] != name:
        _fail(f"{where}.after.name", f"expected {name!r}, the name the change addresses")
    if before is not None and after is not None:
        _check_pair(action, before, after, where)
    diff = tuple(
        FieldChange(item["path"], item.get("before", ABSENT), item.get("after", ABSENT))
        for item in raw.get("diff", [])
    )
    return Change(action, name, before, after, diff, raw.get("reason", ""))


def _check_pair(
    action: ChangeKind, before: dict[str, Any], after: dict[str, Any], where: str
) -> None:
    # Mirrors the diff's rules, so a hand edit cannot smuggle a definition change into a PUT;
    # like the diff, it compares only the definition keys that `after` manages.
    if "definition" in before and "definition" in after:
        before = {**before, "definition": as_declared(before["definition"], after["definition"])}
    same_definition = same_json(before.get("definition"), after.get("definition"))
    if action == "update" and ("definition" in before) != ("definition" in after):
        _fail(where, "an update must manage the definition on both sides or neither")
    if action == "update" and not same_definition:
        _fail(where, "an update cannot change the definition (that is a replace)")
    if action == "update" and same_json(before, after):
        _fail(where, "an update that changes nothing")
    if action == "replace" and ("definition" not in after or same_definition):
        _fail(where, "a replace must change the definition")


def _check_summary(summary: dict[str, Any], plan: Plan) -> None:
    for key, count in plan.summary.items():
        if summary[key] != count:
            _fail(f"summary.{key}", f"is {summary[key]!r} but the changes make it {count}")


def _check_consistency(plan: Plan) -> None:
    live = set(plan.live_names)
    seen: set[str] = set()
    touched: set[str] = set()
    for change in plan.changes:
        if change.name in seen:
            _fail("changes", f"two changes address {change.name!r}")
        seen.add(change.name)
        if change.action != "create":
            touched.add(change.name)
            if change.name not in live:
                _fail("state.live_names", f"{change.name!r} is changed but was not live")
        for name in (change.name, *change.takes()):
            if ignored_by(name, plan.ignore):
                _fail("state.ignore", f"{name!r} is changed but an ignore glob disowns it")
    if set(plan.fingerprints) != touched:
        _fail("state.fingerprints", "expected one fingerprint per live trigger the plan changes")


def _fail(where: str, message: str) -> NoReturn:
    raise PlanFileError(f"plan file: {where}: {message}")
