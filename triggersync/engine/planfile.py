"""The versioned plan document, and the strict reading of it that `apply --plan` relies on.

A plan file is applied without a prompt, so anything that does not look exactly like what
`plan_to_dict` writes (a wrong version, a hand-edited summary, a stray key) is refused with a
PlanFileError naming the place, rather than guessed at.

Beyond `format_version`, `summary` and `changes` (each with `action`, `name`, `before`,
`after`): each change carries `diff` (its field differences) and, for a replace or the
removal of a replacement's leftover, `reason`; `state` carries what the stale-plan check
compares (`fingerprints`, `live_names`), the `base_url` the plan was made against, the
configuration's `ignore` globs, and `owned_live`. The delete guard counts the owned triggers
itself, from `live_names` and `ignore` (the stale-plan check proves `live_names` is still
true); `owned_live` is written for readers and must agree with that count.
"""

from __future__ import annotations

import re
from typing import Any, Final, NoReturn

from triggersync.engine.actions import ACTIONS, Action
from triggersync.engine.model import same
from triggersync.engine.plan import ABSENT, Change, FieldChange, Plan, ignored_by
from triggersync.errors import PlanFileError, TriggersyncError

FORMAT_VERSION: Final = 1

_TOP_KEYS: Final = frozenset({"format_version", "summary", "changes", "state"})
_CHANGE_KEYS: Final = frozenset({"action", "name", "before", "after", "diff", "reason"})
_VIEW_KEYS: Final = frozenset({"name", "description", "enabled", "definition"})
_STATE_KEYS: Final = frozenset({"base_url", "live_names", "fingerprints", "ignore", "owned_live"})
_SHA256: Final = re.compile(r"[0-9a-f]{64}")


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "summary": plan.summary,
        "changes": [_change_to_dict(change) for change in plan.changes],
        "state": {
            "base_url": plan.base_url,
            "live_names": list(plan.live_names),
            "fingerprints": dict(plan.fingerprints),
            "ignore": list(plan.ignore),
            "owned_live": plan.owned_live,
        },
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


def plan_from_dict(data: Any) -> Plan:
    top = _mapping(data, "top level", required=_TOP_KEYS, allowed=_TOP_KEYS)
    version = top["format_version"]
    if type(version) is not int or version != FORMAT_VERSION:
        _fail(
            "format_version",
            f"unsupported format version {version!r} (this triggersync reads {FORMAT_VERSION})",
        )
    raw_changes = top["changes"]
    if not isinstance(raw_changes, list):
        _fail("changes", "expected a list")
    changes = [_change_from_dict(raw, f"changes[{i}]") for i, raw in enumerate(raw_changes)]
    state = _mapping(top["state"], "state", required=_STATE_KEYS, allowed=_STATE_KEYS)
    base_url = state["base_url"]
    if base_url is not None and not isinstance(base_url, str):
        _fail("state.base_url", "expected a string or null")
    owned_live = state["owned_live"]
    if type(owned_live) is not int or owned_live < 0:
        _fail("state.owned_live", "expected a count")
    plan = Plan(
        changes=tuple(changes),
        fingerprints=_fingerprints(state["fingerprints"]),
        live_names=_live_names(state["live_names"]),
        base_url=base_url,
        ignore=_globs(state["ignore"]),
    )
    _check_summary(top["summary"], plan)
    _check_consistency(plan)
    if owned_live != plan.owned_live:
        _fail(
            "state.owned_live",
            f"is {owned_live} but the live names and ignore globs make it {plan.owned_live}",
        )
    try:
        plan.waves()
    except TriggersyncError as exc:
        raise PlanFileError(f"plan file: {exc}") from exc
    return plan


def _change_from_dict(raw: Any, where: str) -> Change:
    obj = _mapping(raw, where, required=_CHANGE_KEYS - {"diff", "reason"}, allowed=_CHANGE_KEYS)
    action = obj["action"]
    if not isinstance(action, str) or action not in ACTIONS:  # a list is no dict key
        _fail(f"{where}.action", f"unknown action {action!r} (expected {', '.join(ACTIONS)})")
    name = _name(obj["name"], f"{where}.name")
    before = _view(obj["before"], f"{where}.before", present=action != "create")
    after = _view(obj["after"], f"{where}.after", present=action != "delete")
    if before is not None and before["name"] != name:
        _fail(f"{where}.before.name", f"expected {name!r}, the name the change addresses")
    if action == "create" and after is not None and after["name"] != name:
        _fail(f"{where}.after.name", f"expected {name!r}, the name the change addresses")
    if before is not None and after is not None:
        _check_pair(action, before, after, where)
    reason = obj.get("reason", "")
    if not isinstance(reason, str):
        _fail(f"{where}.reason", "expected a string")
    raw_diff = obj.get("diff", [])
    if not isinstance(raw_diff, list):
        _fail(f"{where}.diff", "expected a list")
    diff = tuple(_field_from_dict(item, f"{where}.diff[{i}]") for i, item in enumerate(raw_diff))
    return Change(action, name, before, after, diff, reason)


def _check_pair(action: Action, before: dict[str, Any], after: dict[str, Any], where: str) -> None:
    # Mirrors the diff's rules, so a hand edit cannot smuggle a definition change into a PUT.
    same_definition = same(before.get("definition"), after.get("definition"))
    if action == "update" and ("definition" in before) != ("definition" in after):
        _fail(where, "an update must manage the definition on both sides or neither")
    if action == "update" and not same_definition:
        _fail(where, "an update cannot change the definition (that is a replace)")
    if action == "update" and same(before, after):
        _fail(where, "an update that changes nothing")
    if action == "replace" and ("definition" not in after or same_definition):
        _fail(where, "a replace must change the definition")


def _field_from_dict(raw: Any, where: str) -> FieldChange:
    obj = _mapping(raw, where, required=frozenset({"path"}), allowed={"path", "before", "after"})
    path = obj["path"]
    if not isinstance(path, str) or not path:
        _fail(f"{where}.path", "expected a non-empty string")
    if "before" not in obj and "after" not in obj:
        _fail(where, "expected a before, an after, or both")
    return FieldChange(path, obj.get("before", ABSENT), obj.get("after", ABSENT))


def _view(raw: Any, where: str, *, present: bool) -> dict[str, Any] | None:
    if not present:
        if raw is not None:
            _fail(where, "expected null for this action")
        return None
    required = _VIEW_KEYS - {"definition"}
    obj = _mapping(raw, where, required=required, allowed=_VIEW_KEYS)
    _name(obj["name"], f"{where}.name")
    if not isinstance(obj["description"], str):
        _fail(f"{where}.description", "expected a string")
    if type(obj["enabled"]) is not int or obj["enabled"] not in (0, 1):
        _fail(f"{where}.enabled", "expected 0 or 1")
    return dict(obj)


def _check_summary(raw: Any, plan: Plan) -> None:
    expected = plan.summary
    summary = _mapping(raw, "summary", required=frozenset(expected), allowed=frozenset(expected))
    for key, count in expected.items():
        if type(summary[key]) is not int or summary[key] != count:
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


def _fingerprints(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        _fail("state.fingerprints", "expected an object")
    for name, value in raw.items():
        if not isinstance(value, str) or not _SHA256.fullmatch(value):
            _fail(f"state.fingerprints[{name!r}]", "expected a sha256 hex digest")
    return dict(raw)


def _live_names(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(name, str) and name for name in raw):
        _fail("state.live_names", "expected a list of non-empty strings")
    if len(set(raw)) != len(raw):
        _fail("state.live_names", "a name appears twice")
    return tuple(raw)


def _globs(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(glob, str) and glob for glob in raw):
        _fail("state.ignore", "expected a list of non-empty strings")
    return tuple(raw)


def _name(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw:
        _fail(where, "expected a non-empty string")
    return raw


def _mapping(
    raw: Any, where: str, *, required: frozenset[str], allowed: frozenset[str] | set[str]
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        _fail(where, f"expected an object, got {type(raw).__name__}")
    unknown = sorted(str(key) for key in raw if key not in allowed)
    if unknown:
        _fail(where, f"unknown key {unknown[0]!r}")
    missing = sorted(required - set(raw))
    if missing:
        _fail(where, f"missing key {missing[0]!r}")
    return raw


def _fail(where: str, message: str) -> NoReturn:
    raise PlanFileError(f"plan file: {where}: {message}")
