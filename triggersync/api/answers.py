"""How the API's answers are read: defensively, so that a wrong shape, an HTML error page or
garbage is one clear TransportError naming the call, and a status of 400 or more is the
ApiError it means, in the server's own words.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from triggersync.api.transport import Answer
from triggersync.engine.model import Trigger, normalise
from triggersync.errors import ApiError, AuthError, NotFoundError, TransportError

# Values in one answer. Parsed, a JSON value takes up to ~30 times its text (`{}` is 3 bytes
# as text, a 64-byte dict and a pointer as data): 64 MiB of `[{},...]` would need 1.7 GB. A
# realistic trigger holds ~20 values, so this is ~190,000 triggers (a Chat account has
# hundreds) and at most a few hundred MB (docs/safety.md#bounds).
MAX_VALUES = 4_000_000
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")  # C0, DEL and C1: a terminal acts on them


class NotJson(ValueError):
    """Text that Python's json reads but JSON does not allow; the message says why."""


def _not_json(constant: str) -> Any:
    raise NotJson(f"{constant} is not JSON")


def _finite(number: str) -> float:
    # 1e400 reads as inf: written back it would be Infinity in a JSON plan and .inf in an
    # export, neither of which reads back as the number the server sent.
    value = float(number)
    if not math.isfinite(value):
        raise NotJson(f"a number beyond the range of a double: {number[:40]}")
    return value


def loads(data: bytes) -> Any:
    """Strict JSON: Python's json also takes NaN and Infinity, which no JSON server sends, and
    turns a number too large for a double into infinity. RecursionError (arrays nested beyond
    the stack) is a ValueError here too."""
    try:
        return json.loads(data, parse_constant=_not_json, parse_float=_finite)
    except RecursionError:
        raise NotJson("nested too deeply") from None


def server_message(answer: Answer) -> str:
    """The server's own words: JSON {"error"|"message"|"description"}, else a text snippet."""
    try:
        data = loads(answer.body)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("error", "message", "description", "details"):
            value = data.get(key)
            if isinstance(value, str) and value:
                return _CONTROLS.sub(" ", value)[:500]
            if isinstance(value, dict):
                inner = value.get("message") or value.get("title")
                if isinstance(inner, str) and inner:
                    return _CONTROLS.sub(" ", inner)[:500]
    text = re.sub(r"<[^>]*>", " ", answer.text)
    text = " ".join(_CONTROLS.sub(" ", text).split())
    return text[:200] or answer.reason or "no message"


def error_for(what: str, answer: Answer, auth_vars: str) -> ApiError:
    """The error an answer of 400 or more means; `auth_vars` name the credentials to check."""
    status = answer.status
    message = server_message(answer)
    if status in (401, 403):
        return AuthError(
            f"{what}: HTTP {status}: authentication failed ({message}); check {auth_vars}",
            status=status,
            server_message=message,
        )
    cls = NotFoundError if status == 404 else ApiError
    return cls(f"{what}: HTTP {status}: {message}", status=status, server_message=message)


def json_body(answer: Answer, what: str) -> Any:
    body = answer.body
    # Counted before parsing, in C: `,`, `[` and `{` bound the number of values (over-counted
    # by strings that hold them), and so the memory the parse takes.
    marks = body.count(b",") + body.count(b"[") + body.count(b"{")
    if marks > MAX_VALUES:
        raise TransportError(
            f"{what}: the answer holds over {MAX_VALUES} JSON values, more than triggersync "
            "reads (about 190,000 triggers)"
        )
    try:
        return loads(answer.body)
    except NotJson as exc:
        raise TransportError(f"{what}: the answer is not JSON ({exc})") from None
    except ValueError:
        kind = _CONTROLS.sub(" ", answer.headers.get("Content-Type", "unknown content type"))
        raise TransportError(f"{what}: the answer is not JSON ({kind[:100]})") from None


def trigger_from(item: Any, what: str) -> Trigger:
    if not isinstance(item, dict):
        raise TransportError(f"{what}: expected a trigger object, got {type(item).__name__}")
    try:
        return normalise(item)
    except ValueError as exc:
        raise TransportError(f"{what}: malformed trigger in the answer: {exc}") from None


def triggers_from(data: Any, what: str) -> list[Trigger]:
    """A list answer: a JSON array of triggers, no name twice (names address triggers)."""
    if not isinstance(data, list):
        raise TransportError(
            f"{what}: expected a JSON array of triggers, got {type(data).__name__}"
        )
    triggers = [trigger_from(item, what) for item in data]
    seen: set[str] = set()
    for trigger in triggers:
        if trigger.name in seen:
            raise TransportError(f"{what}: the name {trigger.name!r} appears twice")
        seen.add(trigger.name)
    return triggers
