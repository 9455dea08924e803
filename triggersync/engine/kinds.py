"""The four kinds of change, each described once: how it is marked, worded, ordered and counted.

Every renderer, the progress lines, the display order, the plan summary, the apply summary and
the drift report read this table; none keeps a lookup of its own (docs/plans.md shows the
marks and words).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

ChangeKind = Literal["create", "update", "delete", "replace"]
# What a plan's summary counts, and what apply reports as done (a replace is both a create and
# a delete, as Terraform counts it).
Counted = Literal["create", "update", "delete"]
COUNTED: Final[tuple[Counted, ...]] = ("create", "update", "delete")

# Drift words a change from Zendesk's side; its summary counts these three, in this order.
Drifted = Literal["changed in Zendesk", "missing from Zendesk", "not in code"]
DRIFTED: Final[tuple[Drifted, ...]] = ("changed in Zendesk", "missing from Zendesk", "not in code")


@dataclass(frozen=True)
class ChangeKindEntry:
    action: ChangeKind  # as the plan file and the plan's headers spell it
    symbol: str  # the plan's mark
    past: str  # the word for it done: progress lines and the apply summary
    counts_as: tuple[Counted, ...]  # what the plan summary counts it as
    drift_symbol: str  # the mark from Zendesk's side: `+` only in Zendesk, `-` missing there
    drifted: Drifted  # the drift report's words, and what its summary counts it as
    drift_detail: str = ""  # said after the drift words, in parentheses

    @property
    def rank(self) -> int:
        """The display order: the order of CHANGE_KINDS."""
        return _RANK[self.action]

    @property
    def drift_rank(self) -> int:
        """Drift lists changed triggers, then missing ones, then those not in code."""
        return DRIFTED.index(self.drifted)


# In display order: the documented plan example shows an update, then a create, then a delete.
CHANGE_KINDS: Final[dict[ChangeKind, ChangeKindEntry]] = {
    kind.action: kind
    for kind in (
        ChangeKindEntry(
            "update",
            symbol="~",
            past="updated",
            counts_as=("update",),
            drift_symbol="~",
            drifted="changed in Zendesk",
        ),
        ChangeKindEntry(
            "create",
            symbol="+",
            past="created",
            counts_as=("create",),
            drift_symbol="-",
            drifted="missing from Zendesk",
        ),
        ChangeKindEntry(
            "replace",
            symbol="-/+",
            past="replaced",
            counts_as=("create", "delete"),
            drift_symbol="~",
            drifted="changed in Zendesk",
            drift_detail="definition",
        ),
        ChangeKindEntry(
            "delete",
            symbol="-",
            past="deleted",
            counts_as=("delete",),
            drift_symbol="+",
            drifted="not in code",
        ),
    )
}
_RANK: Final[dict[ChangeKind, int]] = {action: rank for rank, action in enumerate(CHANGE_KINDS)}

# The past tense of each counted kind, for what apply reports as done.
PAST: Final[dict[Counted, str]] = {counted: CHANGE_KINDS[counted].past for counted in COUNTED}
