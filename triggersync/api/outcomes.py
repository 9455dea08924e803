"""Writes whose answer was lost or cannot be read: the live state says what happened.

A write may reach Zendesk and its answer never come back (a timeout, a 5xx after sending, a
garbled 2xx). Sending it again blindly could make a duplicate, or fail on a name the first
attempt already took or freed; so the client looks the trigger up first and accepts it when
it holds what was sent (docs/safety.md#retries).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from triggersync.api.answers import json_body, trigger_from
from triggersync.api.transport import Answer
from triggersync.engine.model import Trigger, holds
from triggersync.errors import ApiError, NotFoundError, TransportError


class OutcomeUnknown(ApiError):
    """A write was sent but no usable answer came back: it may or may not have happened."""


class GoneAfterRetry(ApiError):
    """404 on a retry whose earlier attempt may have succeeded."""


class Lookup(Protocol):
    def find(self, name: str) -> Trigger | None: ...


def created(lookup: Lookup, name: str, body: Mapping[str, Any]) -> Trigger | None:
    """After a create whose outcome is unknown: the trigger it made, or None when there is no
    trigger of that name (the create may be sent again)."""
    existing = lookup.find(name)
    if existing is None or holds(existing, body):
        return existing
    raise ApiError(
        f"POST /triggers: the outcome of creating {name!r} was unknown, and "
        "Zendesk now has a trigger of that name with other content"
    )


def renamed_by_first_attempt(
    lookup: Lookup, what: str, name: str, body: Mapping[str, Any]
) -> Trigger:
    """After a retried update found its name gone: the first attempt renamed it, when the
    new name holds what was sent; else the trigger is not found."""
    new = lookup.find(str(body.get("name", name)))
    if new is not None and holds(new, body):
        return new
    raise NotFoundError(f"{what}: HTTP 404: trigger not found", status=404)


def written(
    lookup: Lookup, answer: Answer, what: str, name: str, body: Mapping[str, Any]
) -> Trigger:
    """The trigger a successful write answered with. An answer that cannot be read does not
    undo the write: read the trigger back, and accept it if it has what was sent."""
    try:
        return trigger_from(json_body(answer, what), what)
    except TransportError as exc:
        existing = lookup.find(name)
        if existing is not None and holds(existing, body):
            return existing
        raise TransportError(
            f"{exc.message} (HTTP {answer.status}), and {name!r} is not live with the content sent",
            status=answer.status,
        ) from None
