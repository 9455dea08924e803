"""Reading the API's answers defensively: wrong shapes, HTML error pages, garbage."""

from __future__ import annotations

import json
import re
from typing import Any

import requests
from urllib3.exceptions import NewConnectionError

from triggersync.api.transport import Answer
from triggersync.engine.model import Trigger, normalise
from triggersync.errors import TransportError


def never_connected(exc: requests.ConnectionError) -> bool:
    reason: Any = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, NewConnectionError)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")  # C0, DEL and C1: a terminal acts on them


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def loads(data: bytes) -> Any:
    """Strict JSON: Python's json also takes NaN and Infinity, which no JSON server sends.
    RecursionError (arrays nested beyond the stack) is a ValueError here too."""
    try:
        return json.loads(data, parse_constant=_not_json)
    except RecursionError:
        raise ValueError("nested too deeply") from None


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
                return _CONTROL.sub(" ", value)[:500]
            if isinstance(value, dict):
                inner = value.get("message") or value.get("title")
                if isinstance(inner, str) and inner:
                    return _CONTROL.sub(" ", inner)[:500]
    text = re.sub(r"<[^>]*>", " ", answer.text)
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text[:200] or answer.reason or "no message"


def json_body(answer: Answer, what: str) -> Any:
    try:
        return loads(answer.body)
    except ValueError:
        kind = _CONTROL.sub(" ", answer.headers.get("Content-Type", "unknown content type"))
        raise TransportError(f"{what}: the answer is not JSON ({kind[:100]})") from None


def trigger_from(item: Any, what: str) -> Trigger:
    if not isinstance(item, dict):
        raise TransportError(f"{what}: expected a trigger object, got {type(item).__name__}")
    try:
        return normalise(item)
    except ValueError as exc:
        raise TransportError(f"{what}: malformed trigger in the answer: {exc}") from None
