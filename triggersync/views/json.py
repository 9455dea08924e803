"""The plan document as JSON text: for `--format json`, `plan --out` and `drift --format json`
(docs/plans.md, "JSON"). Its shape is engine/planfile's, described by schemas/plan.schema.json.

ASCII only and safe to print in a CI log (untrusted.json_document); values keep the API's own
spelling (`enabled` is 1 or 0).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from triggersync.engine.plan import Plan
from triggersync.engine.planfile import plan_to_dict
from triggersync.untrusted import json_document


def render_json(plan: Plan, mask: Callable[[str], str] | None = None) -> str:
    """The document; with `mask`, every string in it (keys too) masked where it stands. Masking
    the text instead would turn a credential spelled `null` or `true` into invalid JSON."""
    document = plan_to_dict(plan)
    return json_document(document if mask is None else masked_json(document, mask)) + "\n"


def masked_json(value: Any, mask: Callable[[str], str]) -> Any:
    """A JSON document with every string in it (keys too) masked where it stands."""
    # Recursion is bounded: live triggers nest at most api.answers.MAX_LIVE_DEPTH levels.
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [masked_json(item, mask) for item in value]
    if isinstance(value, dict):
        return {mask(key): masked_json(item, mask) for key, item in value.items()}
    return value
