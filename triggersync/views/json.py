"""The plan document as JSON text: for `--format json`, `plan --out` and `drift --format json`
(docs/plans.md, "JSON"). Its shape is engine/planfile's, described by schemas/plan.schema.json.

ASCII only and safe to print in a CI log (untrusted.json_document); values keep the API's own
spelling (`enabled` is 1 or 0).
"""

from __future__ import annotations

from triggersync.engine.plan import Plan
from triggersync.engine.planfile import plan_to_dict
from triggersync.untrusted import json_document


def render_json(plan: Plan) -> str:
    return json_document(plan_to_dict(plan)) + "\n"
