"""Replacing a trigger (a definition change) never loses it, whichever step Zendesk refuses,
and the next run finishes or undoes whatever an unfinished replacement left behind.

The steps: create the new trigger, disabled, under its temporary name; delete the old one;
give the new one its name and `enabled`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from clirun import Run

from triggersync.api.client import Client
from triggersync.emulator.server import Emulator, Faults
from triggersync.emulator.store import STAMP
from triggersync.engine.model import Trigger

Config = Callable[[str], str]

OLD = {"event": "page_enter", "condition": ["and"], "actions": []}
COND = ["eq", "@visitor_country_code", "US"]
NEW = {"event": "chat_requested", "condition": COND, "actions": [["addTag", "new"]]}
# OLD and NEW as the emulator stores them: stamped with Zendesk's metadata, which the
# configuration leaves out and which therefore never counts as a difference.
OLD_LIVE, NEW_LIVE = ({**definition, **STAMP} for definition in (OLD, NEW))
NEW_YAML = """\
    definition:
      event: chat_requested
      condition: [eq, "@visitor_country_code", US]
      actions: [[addTag, new]]
"""
TWELVE = [f"T{i:02}" for i in range(1, 13)]


def temporary(name: str) -> str:
    return f"{name} [triggersync: replacing]"


def declared(*names: str, extra: str = "") -> str:
    return "triggers:\n" + "".join(f"  - name: {name}\n{extra}{NEW_YAML}" for name in names)


def live(emulator: Emulator) -> dict[str, dict[str, Any]]:
    return {trigger["name"]: trigger for trigger in emulator.store.list()}


def seed(emulator: Emulator, name: str, definition: dict[str, Any], enabled: int = 1) -> None:
    emulator.store.create(
        {"name": name, "description": "", "enabled": enabled, "definition": definition}
    )


def converges(run: Run, path: str) -> None:
    ran = run("apply", path, "--yes")
    assert ran.code == 0, ran.stderr
    assert run("plan", path).stdout == "No changes.\n"


# -- Zendesk refuses the new definition: nothing is lost --------------------------------------


def test_refused_creates_leave_every_trigger_live_and_unchanged(
    run: Run, emulator: Emulator, config: Config
) -> None:
    for name in TWELVE:
        seed(emulator, name, OLD)
    before = live(emulator)
    emulator.faults = Faults(refuse_creates=True)
    ran = run("apply", config(declared(*TWELVE)), "--yes")
    assert ran.code == 1
    assert live(emulator) == before


def test_refused_creates_are_counted_as_nothing_done(
    run: Run, emulator: Emulator, config: Config
) -> None:
    for name in TWELVE:
        seed(emulator, name, OLD)
    emulator.faults = Faults(refuse_creates=True)
    ran = run("apply", config(declared(*TWELVE)), "--yes")
    assert ran.stdout.endswith(
        "Apply incomplete: 0 created, 0 updated, 0 deleted. 12 failed, 0 skipped; "
        "plan again to see what is left.\n"
    )
    assert (
        'Error: "T01": not replaced, "T01" is unchanged: POST /triggers: HTTP 400: '
        "trigger refused (injected)\n" in ran.stderr
    )


def test_after_refused_creates_the_next_apply_replaces_everything(
    run: Run, emulator: Emulator, config: Config
) -> None:
    for name in TWELVE:
        seed(emulator, name, OLD)
    path = config(declared(*TWELVE))
    emulator.faults = Faults(refuse_creates=True)
    run("apply", path, "--yes")
    emulator.faults = Faults()
    ran = run("apply", path, "--yes")
    assert ran.stdout.endswith("Apply complete: 12 created, 0 updated, 12 deleted.\n")
    assert {name: t["definition"] for name, t in live(emulator).items()} == dict.fromkeys(
        TWELVE, NEW_LIVE
    )


def test_a_replacement_ends_enabled_under_its_own_name(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "G", OLD)
    assert run("apply", config(declared("G")), "--yes").code == 0
    assert [(t["name"], t["enabled"], t["definition"]) for t in emulator.store.list()] == [
        ("G", 1, NEW_LIVE)
    ]


def test_what_the_server_stamps_on_a_create_plans_no_change(
    run: Run, emulator: Emulator, config: Config
) -> None:
    converges(run, config(declared("G")))
    assert emulator.store.get("G")["definition"] == NEW_LIVE


def test_what_the_server_stamps_on_a_replacement_plans_no_second_one(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "G", OLD)
    converges(run, config(declared("G")))


def test_a_disabled_replacement_stays_disabled(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "G", OLD)
    assert run("apply", config(declared("G", extra="    enabled: false\n")), "--yes").code == 0
    assert emulator.store.get("G")["enabled"] == 0


# -- the old trigger cannot be deleted: the replacement is withdrawn ---------------------------
# (test_faults.py: test_a_replace_whose_delete_fails_withdraws_its_replacement)


def test_after_a_withdrawn_replacement_the_next_apply_converges(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "G", OLD)
    path = config(declared("G"))
    emulator.faults = Faults(fail_names=frozenset({"G"}))
    assert run("apply", path, "--yes").code == 1
    emulator.faults = Faults()
    converges(run, path)
    assert list(live(emulator)) == ["G"]


# -- a leftover next to the old trigger (the withdrawal failed, or the run was killed) ---------


def test_a_failed_withdrawal_reports_the_leftover(
    run: Run, emulator: Emulator, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(emulator, "G", OLD)
    original = Client.create

    def create_then_break(self: Client, body: Mapping[str, Any]) -> Trigger:
        created = original(self, body)
        if body["name"] == temporary("G"):  # not the lock's create: the replacement's
            # From now on Zendesk refuses to delete either trigger.
            emulator.faults = Faults(fail_names=frozenset({"G", temporary("G")}))
        return created

    monkeypatch.setattr(Client, "create", create_then_break)
    ran = run("apply", config(declared("G")), "--yes")
    assert ran.code == 1
    assert (
        'Error: "G": not replaced, "G" is unchanged: DELETE /triggers/G: HTTP 500: internal '
        'server error (injected); its disabled replacement "G [triggersync: replacing]" is left '
        "over, as removing it failed too (DELETE /triggers/G%20%5Btriggersync%3A%20replacing%5D: "
        "HTTP 500: internal server error (injected)): the next apply removes it\n" in ran.stderr
    )
    assert [(t["name"], t["enabled"], t["definition"]) for t in emulator.store.list()] == [
        ("G", 1, OLD_LIVE),
        (temporary("G"), 0, NEW_LIVE),
    ]


def test_a_leftover_next_to_the_old_trigger_is_deleted_before_the_replace(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "G", OLD)
    seed(emulator, temporary("G"), NEW, enabled=0)
    plan = run("plan", config(declared("G"))).stdout
    assert '  - delete "G [triggersync: replacing]" (left over by an unfinished replacement)\n' in (
        plan
    )
    assert '-/+ replace "G"' in plan


def test_a_leftover_next_to_the_old_trigger_converges(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "G", OLD)
    seed(emulator, temporary("G"), NEW, enabled=0)
    converges(run, config(declared("G")))
    assert [(t["name"], t["definition"]) for t in emulator.store.list()] == [("G", NEW_LIVE)]


def test_a_leftover_is_removed_even_without_prune(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "G", NEW)
    seed(emulator, temporary("G"), NEW, enabled=0)
    path = config(declared("G"))
    assert run("apply", path, "--yes", "--no-prune").code == 0
    assert list(live(emulator)) == ["G"]


def test_removing_leftovers_does_not_trip_the_delete_guard(
    run: Run, emulator: Emulator, config: Config
) -> None:
    for name in TWELVE:
        seed(emulator, name, OLD)
        seed(emulator, temporary(name), NEW, enabled=0)
    ran = run("apply", config(declared(*TWELVE)), "--yes")
    assert ran.code == 0, ran.stderr
    assert sorted(live(emulator)) == TWELVE


# -- the old trigger is gone but naming the new one failed ------------------------------------

RENAMED = "triggers:\n  - name: G\n    renamed_from: Old\n" + NEW_YAML


def test_a_failed_rename_leaves_the_new_definition_live_and_disabled(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "Old", OLD)
    emulator.faults = Faults(fail_names=frozenset({"G"}))  # refuses the final PUT only
    run("apply", config(RENAMED), "--yes")
    assert [(t["name"], t["enabled"], t["definition"]) for t in emulator.store.list()] == [
        (temporary("G"), 0, NEW_LIVE)
    ]


def test_a_failed_rename_is_reported_as_half_done(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "Old", OLD)
    emulator.faults = Faults(fail_names=frozenset({"G"}))
    ran = run("apply", config(RENAMED), "--yes")
    assert ran.code == 1
    assert (
        'Error: "Old": replaced halfway: "Old" is deleted and its replacement is live, '
        'disabled, as "G [triggersync: replacing]", but naming it "G" failed: PUT ' in ran.stderr
    )
    assert "Apply incomplete: 0 created, 0 updated, 1 deleted. 1 failed" in ran.stdout


def test_after_a_failed_rename_the_plan_renames_the_leftover_into_place(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "Old", OLD)
    path = config(RENAMED)
    emulator.faults = Faults(fail_names=frozenset({"G"}))
    run("apply", path, "--yes")
    emulator.faults = Faults()
    plan = run("plan", path).stdout
    assert plan.startswith(
        '  ~ update "G [triggersync: replacing]" (renamed "G [triggersync: replacing]" to "G")\n'
        '      ~ name: "G [triggersync: replacing]" -> "G"\n'
        "      ~ enabled: false -> true\n"
    )
    assert plan.endswith("\nPlan: 0 to create, 1 to update, 0 to delete.\n")


def test_after_a_failed_rename_the_next_apply_converges(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, "Old", OLD)
    path = config(RENAMED)
    emulator.faults = Faults(fail_names=frozenset({"G"}))
    run("apply", path, "--yes")
    emulator.faults = Faults()
    converges(run, path)
    assert [(t["name"], t["enabled"], t["definition"]) for t in emulator.store.list()] == [
        ("G", 1, NEW_LIVE)
    ]


def test_a_leftover_alone_with_another_definition_is_deleted_and_the_trigger_created(
    run: Run, emulator: Emulator, config: Config
) -> None:
    seed(emulator, temporary("G"), OLD, enabled=0)  # the configuration changed again since
    path = config(declared("G"))
    ran = run("apply", path, "--yes")
    assert ran.stdout.endswith("Apply complete: 1 created, 0 updated, 1 deleted.\n")
    assert [(t["name"], t["definition"]) for t in emulator.store.list()] == [("G", NEW_LIVE)]
