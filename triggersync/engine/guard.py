"""The delete guard: the one rule that decides whether `apply` refuses a plan unless `--force`
(docs/safety.md, "The delete guard").

`apply` enforces it; `plan` announces it in advance, in its text, markdown and JSON, so that a
pull request whose plan would be refused says so before anyone merges it. Both read
`delete_guard`, so the announcement and the refusal can never disagree.

Too much is every owned live trigger (when there is at least one), or more than 30% of them
(when there are at least 10). Only plain deletes count: the delete half of a replacement
never loses the trigger, and removing what an unfinished replacement left over loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from triggersync.engine.plan import Plan

DELETE_PERCENT: Final = 30  # refuse to delete more than 30% of the owned live triggers...
DELETE_MIN_OWNED: Final = 10  # ...when at least this many exist

GuardRule = Literal["all", "more_than_30_percent"]


@dataclass(frozen=True)
class Refusal:
    """Why apply refuses a plan without `--force`: how many plain deletes, of how many owned
    live triggers, and which part of the rule that breaks."""

    rule: GuardRule
    deletes: int
    owned_live: int

    @property
    def extent(self) -> str:
        """What the plan deletes, measured as the rule measures it:
        `50 of 60 owned live triggers (more than 30%)`, `every owned live trigger (3 of 3)`."""
        if self.rule == "all":
            return f"every owned live trigger ({self.deletes} of {self.owned_live})"
        return (
            f"{self.deletes} of {self.owned_live} owned live triggers (more than {DELETE_PERCENT}%)"
        )

    @property
    def notice(self) -> str:
        """The plan's announcement: `apply will refuse this plan without --force: it deletes
        50 of 60 owned live triggers (more than 30%)`."""
        return f"apply will refuse this plan without --force: it deletes {self.extent}"


def plain_deletes(plan: Plan) -> int:
    """The deletes the guard counts: not a replacement's, not a leftover's."""
    leftovers = plan.leftover_deletes()
    return sum(
        1 for change in plan.changes if change.action == "delete" and change.name not in leftovers
    )


def delete_guard(plan: Plan) -> Refusal | None:
    """The refusal apply makes of this plan unless `--force`, or None when it lets it run."""
    deletes = plain_deletes(plan)
    owned_live = plan.owned_live
    if deletes == 0 or owned_live == 0:
        return None
    if deletes >= owned_live:
        return Refusal("all", deletes, owned_live)
    # In integers, so that no rounding of 30% can move the line.
    if owned_live >= DELETE_MIN_OWNED and deletes * 100 > DELETE_PERCENT * owned_live:
        return Refusal("more_than_30_percent", deletes, owned_live)
    return None


def uncounted(plan: Plan) -> str:
    """Why the plan's summary counts more deletes than the guard does, in words for after the
    guard's line (`; the summary's 14 to delete also counts 1 replacement, which loses no
    trigger`), or "" when the two agree: a replacement counts under delete in the summary, as
    Terraform counts it, but never loses its trigger, and neither does a leftover's removal."""
    summary = plan.summary["delete"]
    deletes = plain_deletes(plan)
    if summary == deletes:
        return ""
    replacements = sum(1 for change in plan.changes if change.action == "replace")
    leftovers = len(plan.leftover_deletes())
    parts = []
    if replacements:
        parts.append(f"{replacements} replacement{'' if replacements == 1 else 's'}")
    if leftovers:
        parts.append(f"{leftovers} leftover{'' if leftovers == 1 else 's'} of unfinished ones")
    loses = "which loses" if summary - deletes == 1 else "which lose"
    return (
        f"; the summary's {summary} to delete also counts {' and '.join(parts)}, {loses} no trigger"
    )
