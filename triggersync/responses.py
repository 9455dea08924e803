"""Reading the API's answers defensively: wrong shapes, HTML error pages, garbage."""

from __future__ import annotations

import json
import re
from typing import Any

import requests
from urllib3.exceptions import NewConnectionError

from triggersync.errors import TransportError
from triggersync.model import Trigger, normalise


def never_connected(exc: requests.ConnectionError) -> bool:
    reason: Any = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, NewConnectionError)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")  # C0, DEL and C1: a terminal acts on them


def server_message(response: requests.Response) -> str:
    """The server's own words: JSON {"error"|"message"|"description"}, else a text snippet."""
    try:
        data = response.json()
    except (ValueError, RecursionError):  # RecursionError: arrays nested beyond the stack
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
    text = re.sub(r"<[^>]*>", " ", response.text or "")
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text[:200] or response.reason or "no message"


def json_body(response: requests.Response, what: str) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):  # RecursionError: arrays nested beyond the stack
        kind = response.headers.get("Content-Type", "unknown content type")
        raise TransportError(f"{what}: the answer is not JSON ({kind})") from None


def trigger_from(item: Any, what: str) -> Trigger:
    if not isinstance(item, dict):
        raise TransportError(f"{what}: expected a trigger object, got {type(item).__name__}")
    try:
        return normalise(item)
    except ValueError as exc:
        raise TransportError(f"{what}: malformed trigger in the answer: {exc}") from None
