"""Executing a Plan: safety guards, freshness of saved plans, ordering, partial failure,
replacements that never lose a trigger, and stopping cleanly when asked.

Changes run on a bounded thread pool, wave by wave: a wave only holds changes whose names
are free, so anything that frees a name has finished before anything takes it. A change
whose prerequisite failed is skipped, never attempted against a state nobody reviewed.
Changes are handed to the pool one at a time, as workers come free, so a stop request
starts nothing new: what already runs finishes, the rest is reported as not applied.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from triggersync.engine.guard import delete_guard, uncounted
from triggersync.engine.kinds import PAST, Counted
from triggersync.engine.model import Trigger, holds
from triggersync.engine.plan import Change, Plan, fingerprint
from triggersync.errors import (
    ApiError,
    PlanFileError,
    StalePlanError,
    TransportError,
    UnsafePlanError,
)
from triggersync.untrusted import shown

Status = Literal["ok", "failed", "skipped", "not_applied"]


class TriggerWriter(Protocol):
    """What apply needs of an API client (api.client.Client is one): the three writes, and a
    look-up that tells what a write whose answer was lost did, each raising ApiError when the
    API refuses or cannot be reached. Triggers are addressed by name (docs/api.md)."""

    def create(self, body: Mapping[str, Any], /) -> object: ...

    def update(self, name: str, body: Mapping[str, Any], /) -> object: ...

    def delete(self, name: str, /) -> None: ...

    def find(self, name: str, /) -> Trigger | None: ...


@dataclass(frozen=True)
class ApplyOutcome:
    change: Change
    status: Status
    message: str = ""  # for failed and skipped: trigger, HTTP status and the server's words
    # What really happened in Zendesk: a replace that failed halfway may have deleted.
    effects: tuple[Counted, ...] = ()


@dataclass(frozen=True)
class ApplyResult:
    outcomes: tuple[ApplyOutcome, ...]

    @property
    def ok(self) -> bool:
        return all(outcome.status == "ok" for outcome in self.outcomes)

    def counts(self) -> dict[str, int]:
        """created / updated / deleted as they happened (a whole replace counts as both)."""
        counts = dict.fromkeys(PAST.values(), 0)
        for outcome in self.outcomes:
            for effect in outcome.effects:
                counts[PAST[effect]] += 1
        return counts

    def failures(self) -> list[ApplyOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status in ("failed", "skipped")]

    def count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


def check_safety(plan: Plan, *, force: bool) -> None:
    """Refuse mass deletion unless forced: the delete guard (engine/guard.py), the very rule
    `plan` announces in advance."""
    refusal = None if force else delete_guard(plan)
    if refusal is None:
        return
    if refusal.rule == "all":
        advice = "check the configuration path and `ignore`, or pass --force"
    else:
        advice = "review the plan and pass --force if intended"
    raise UnsafePlanError(f"refusing to delete {refusal.extent}{uncounted(plan)}; {advice}")


def check_account(plan: Plan, base_url: str) -> None:
    """A saved plan applies only to the account it was made against."""
    if plan.base_url is None:
        # Such a plan could be applied to any account: the account check is not optional.
        raise PlanFileError("the plan does not say which API it was made against; plan again")
    if plan.base_url.rstrip("/") != base_url.rstrip("/"):
        raise PlanFileError(
            f"the plan was made against {plan.base_url}, not {base_url}; plan again there"
        )


def check_fresh(plan: Plan, live: Sequence[Trigger], base_url: str) -> None:
    """A saved plan applies only to the live state it was made from: same account, same
    live names, and every trigger it touches as it was."""
    check_account(plan, base_url)
    by_name = {trigger.name: trigger for trigger in live}
    moved: list[str] = []
    for name, expected in sorted(plan.fingerprints.items()):
        current = by_name.get(name)
        if current is None:
            moved.append(f"{shown(name)} was deleted in Zendesk")
        elif fingerprint(current) != expected:
            moved.append(f"{shown(name)} changed in Zendesk")
    before, now = set(plan.live_names), set(by_name)
    moved += [f"{shown(name)} appeared in Zendesk" for name in sorted(now - before)]
    moved += [
        f"{shown(name)} was deleted in Zendesk"
        for name in sorted(before - now)
        if name not in plan.fingerprints
    ]
    if moved:
        raise StalePlanError(
            "plan is stale: " + "; ".join(moved) + " since the plan was made; plan again"
        )


def apply_plan(
    plan: Plan,
    client: TriggerWriter,
    *,
    parallelism: int = 4,
    on_outcome: Callable[[ApplyOutcome], None] | None = None,
    stop: threading.Event | None = None,
) -> ApplyResult:
    """Apply every change, at most `parallelism` at once. Once `stop` is set no change
    starts; those running finish and are reported, the rest come back as not applied."""
    stop = stop or threading.Event()
    workers = max(1, parallelism)
    outcomes: list[ApplyOutcome] = []
    unfreed: set[str] = set()  # names a failed or skipped change did not free
    not_applied: list[Change] = []

    def finish(outcome: ApplyOutcome) -> None:
        if outcome.status != "ok":
            unfreed.update(outcome.change.frees())  # what waits for these must not run either
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    waves = plan.waves
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for number, wave in enumerate(waves):
            queue = deque(wave)
            running: set[Future[ApplyOutcome]] = set()
            while running or (queue and not stop.is_set()):
                while queue and len(running) < workers and not stop.is_set():
                    change = queue.popleft()
                    blocked = [name for name in change.takes() if name in unfreed]
                    if blocked:
                        finish(_skipped(change, blocked[0]))
                    else:
                        running.add(pool.submit(_execute, change, client))
                if running:
                    # Reported as each one finishes, so progress moves with the work.
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        finish(future.result())
            if stop.is_set():
                not_applied = [
                    *queue,
                    *(change for later in waves[number + 1 :] for change in later),
                ]
                break
    outcomes.extend(ApplyOutcome(change, "not_applied") for change in not_applied)
    return ApplyResult(tuple(outcomes))


def _skipped(change: Change, blocked: str) -> ApplyOutcome:
    reason = f"{shown(blocked)} was not freed, as the change freeing it did not succeed"
    return ApplyOutcome(change, "skipped", f"{shown(change.name)}: skipped: {reason}")


def _execute(change: Change, client: TriggerWriter) -> ApplyOutcome:
    if change.action == "replace":
        return _replace(change, client)
    try:
        if change.action == "create":
            client.create(change.create_body())
            return ApplyOutcome(change, "ok", effects=("create",))
        if change.action == "update":
            client.update(change.name, change.update_body())
            return ApplyOutcome(change, "ok", effects=("update",))
        client.delete(change.name)
        return ApplyOutcome(change, "ok", effects=("delete",))
    except ApiError as exc:
        # A create is looked up by the client itself before it is sent again (docs/safety.md).
        if change.action == "update" and _updated(
            client, exc, change.new_name, change.update_body()
        ):
            return ApplyOutcome(change, "ok", effects=("update",))
        if change.action == "delete" and _unsure(exc) and _gone(client, change.name):
            return ApplyOutcome(change, "ok", effects=("delete",))
        return ApplyOutcome(change, "failed", f"{shown(change.name)}: {exc}")


def _unsure(exc: ApiError) -> bool:
    """Whether a write that failed so may still have been carried out: the server answered
    5xx, or no usable answer came, on the last attempt. Any other answer refused it."""
    return isinstance(exc, TransportError) or exc.status is None or exc.status >= 500


def _gone(client: TriggerWriter, name: str) -> bool | None:
    """Whether no trigger is live under `name`; None when the look-up fails too."""
    try:
        return client.find(name) is None
    except ApiError:
        return None


def _updated(client: TriggerWriter, exc: ApiError, name: str, body: Mapping[str, Any]) -> bool:
    """After an update failed with its outcome open: whether `name` now holds what was sent."""
    if not _unsure(exc):
        return False
    try:
        found = client.find(name)
    except ApiError:
        return False
    return found is not None and holds(found, body)


def _replace(change: Change, client: TriggerWriter) -> ApplyOutcome:
    """Zendesk cannot update a definition, and names are unique. So the new trigger is
    created first, disabled, under its temporary name; then the old one is deleted; then the
    new one gets its name and `enabled` in one PUT. A refusal at any step leaves a state the
    next plan recognises: nothing changed, a leftover to delete, or a leftover to rename.

    A failed delete may have happened all the same, whatever the server answered (a lost
    answer, a 5xx, a 409 or 403 after the fact): the old trigger is looked up before the
    replacement is withdrawn (withdrawing it when the old one is gone would leave neither).
    A PUT whose answer was lost is looked up before a failed last step is reported."""
    old, temporary = shown(change.name), shown(change.temporary_name)
    try:
        client.create(change.replacement_body())
    except ApiError as exc:
        return ApplyOutcome(change, "failed", f"{old}: not replaced, {old} is unchanged: {exc}")
    try:
        client.delete(change.name)
    except ApiError as exc:
        # Whatever the status: a server may carry out the delete and still answer 409, 403
        # or 5xx, and withdrawing the replacement then would leave neither trigger. Only the
        # live state tells.
        gone = _gone(client, change.name)
        if gone is None:
            return ApplyOutcome(
                change,
                "failed",
                f"{old}: not replaced: deleting {old} failed ({exc}) and whether it is still "
                f"live cannot be told, as looking it up failed too; its disabled replacement "
                f"{temporary} is left in place: the next apply finishes or removes it",
            )
        if not gone:
            return _withdraw(change, client, exc)
    return _finish(change, client)


def _withdraw(change: Change, client: TriggerWriter, exc: ApiError) -> ApplyOutcome:
    """The old trigger is still live: remove its replacement, so nothing has changed."""
    old, temporary = shown(change.name), shown(change.temporary_name)
    try:
        client.delete(change.temporary_name)
    except ApiError as cleanup:
        # Looked up whatever the status, as above: the report must say what is live.
        if not _gone(client, change.temporary_name):
            return ApplyOutcome(
                change,
                "failed",
                f"{old}: not replaced, {old} is unchanged: {exc}; its disabled replacement "
                f"{temporary} is left over, as removing it failed too ({cleanup}): the next "
                "apply removes it",
            )
    return ApplyOutcome(
        change,
        "failed",
        f"{old}: not replaced, {old} is unchanged (its replacement was withdrawn): {exc}",
    )


def _finish(change: Change, client: TriggerWriter) -> ApplyOutcome:
    """The old trigger is gone: give its replacement the name and `enabled` it is to have."""
    old, new, temporary = shown(change.name), shown(change.new_name), shown(change.temporary_name)
    body = change.finishing_body()
    try:
        client.update(change.temporary_name, body)
    except ApiError as exc:
        if not _updated(client, exc, change.new_name, body):
            return ApplyOutcome(
                change,
                "failed",
                f"{old}: replaced halfway: {old} is deleted and its replacement is live, "
                f"disabled, as {temporary}, but naming it {new} failed: {exc}; the next apply "
                "finishes it",
                effects=("delete",),
            )
    return ApplyOutcome(change, "ok", effects=("create", "delete"))
