"""The one-account operations against a real emulator: plan, the confirmation asked before
applying, the delete guard, a saved plan checked against the account."""

from __future__ import annotations

from pathlib import Path

import pytest

from triggersync import operations
from triggersync.emulator.server import Emulator
from triggersync.engine.plan import Plan
from triggersync.errors import StalePlanError, UnsafePlanError


@pytest.fixture
def env(emulator: Emulator) -> dict[str, str]:
    return {
        "TRIGGERSYNC_API_URL": emulator.url,
        "TRIGGERSYNC_EMAIL": emulator.credentials.email,
        "TRIGGERSYNC_PASSWORD": emulator.credentials.password,
        "TRIGGERSYNC_RETRY_DELAY": "0",
    }


@pytest.fixture
def config(tmp_path: Path) -> list[str]:
    (tmp_path / "t.yaml").write_text("triggers: [{name: A}, {name: B}]\n")
    return [str(tmp_path)]


def test_a_plan_then_an_apply_converge(env: dict[str, str], config: list[str]) -> None:
    cfg = operations.load(config)
    with operations.connect(env=env) as client:
        applied = operations.apply(operations.plan(cfg, client), client)
        assert (applied.ok, applied.declined, applied.result is not None) == (True, False, True)
        assert operations.drift(cfg, client).empty


def test_confirm_is_asked_and_no_means_nothing_applied(
    env: dict[str, str], config: list[str], emulator: Emulator
) -> None:
    asked: list[Plan] = []

    def no(the_plan: Plan) -> bool:
        asked.append(the_plan)
        return False

    with operations.connect(env=env) as client:
        the_plan = operations.plan(operations.load(config), client)
        applied = operations.apply(the_plan, client, confirm=no)
    assert (asked, applied.declined, applied.ok) == ([the_plan], True, False)
    assert emulator.store.list() == []


def test_the_delete_guard_refuses_before_asking(
    env: dict[str, str], tmp_path: Path, emulator: Emulator
) -> None:
    emulator.store.create({"name": "Live", "enabled": 1})
    (tmp_path / "t.yaml").write_text("triggers: []\n")
    with operations.connect(env=env) as client:
        the_plan = operations.plan(operations.load([str(tmp_path)]), client)
        with pytest.raises(UnsafePlanError):
            operations.apply(the_plan, client, confirm=pytest.fail)
        assert operations.apply(the_plan, client, force=True).ok


def test_a_saved_plan_is_checked_against_the_account(
    env: dict[str, str], config: list[str], emulator: Emulator, tmp_path: Path
) -> None:
    from triggersync.views.json import render_json

    with operations.connect(env=env) as client:
        saved = tmp_path / "plan.json"
        saved.write_text(render_json(operations.plan(operations.load(config), client)))
        emulator.store.create({"name": "Meanwhile", "enabled": 1})
        with pytest.raises(StalePlanError, match="Meanwhile"):
            operations.check_saved(operations.read_saved(saved), client)


def test_nothing_to_apply_is_ok(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("triggers: []\n")
    with operations.connect(env=env) as client:
        applied = operations.apply(
            operations.plan(operations.load([str(tmp_path)]), client), client
        )
    assert (applied.ok, applied.declined, applied.result) == (True, False, None)


def test_apply_refuses_while_another_run_holds_the_accounts_lock(
    env: dict[str, str], config: list[str], emulator: Emulator
) -> None:
    from datetime import datetime, timezone

    from triggersync.engine.lock import Holder
    from triggersync.errors import LockError

    since = datetime.now(timezone.utc).replace(microsecond=0)
    emulator.store.create(Holder("bob@ci, pid 1, run ba9876543210", since, "ba9876543210").body())
    with operations.connect(env=env) as client:
        the_plan = operations.plan(operations.load(config), client)
        with pytest.raises(LockError, match="another apply holds it: bob@ci"):
            operations.apply(the_plan, client)
    assert [t["name"] for t in emulator.store.list()] == ["triggersync lock"]


def test_an_account_changed_under_the_lock_is_planned_again_by_replan(
    env: dict[str, str], config: list[str], emulator: Emulator
) -> None:
    cfg = operations.load(config)
    with operations.connect(env=env) as client:
        the_plan = operations.plan(cfg, client)
        emulator.store.create({"name": "A", "enabled": 1})  # made in Zendesk meanwhile
        heard: list[Plan] = []
        applied = operations.apply(
            the_plan,
            client,
            replan=lambda live: operations.plan(cfg, client, live=live),
            on_replanned=heard.append,
        )
    assert [change.name for change in heard[0].changes] == ["B"]
    assert (applied.ok, applied.plan) == (True, heard[0])
    assert sorted(t["name"] for t in emulator.store.list()) == ["A", "B"]


def test_without_replan_a_changed_account_is_stale_and_the_lock_released(
    env: dict[str, str], config: list[str], emulator: Emulator
) -> None:
    with operations.connect(env=env) as client:
        the_plan = operations.plan(operations.load(config), client)
        emulator.store.create({"name": "Meanwhile", "enabled": 1})
        with pytest.raises(StalePlanError, match="nothing was changed"):
            operations.apply(the_plan, client)
    assert [t["name"] for t in emulator.store.list()] == ["Meanwhile"]


def test_adopt_returns_the_files_text_and_writes_nothing(
    env: dict[str, str], config: list[str], emulator: Emulator
) -> None:
    emulator.store.create({"name": "A", "description": "edited in Zendesk", "enabled": 1})
    emulator.store.create({"name": "B", "enabled": 1})
    file = Path(config[0]) / "t.yaml"
    before = file.read_text()
    with operations.connect(env=env) as client:
        adopted = operations.adopt(operations.load(config), client, config)
    assert (adopted.adoption.updated, adopted.complete) == (("A",), True)
    assert "edited in Zendesk" in adopted.adoption.files[0].after
    assert file.read_text() == before


def test_adopt_writes_a_credential_zendesk_holds_as_stars_and_says_so(
    env: dict[str, str], config: list[str], emulator: Emulator
) -> None:
    password = env["TRIGGERSYNC_PASSWORD"]
    emulator.store.create({"name": "A", "description": f"pw {password}", "enabled": 1})
    emulator.store.create({"name": "B", "enabled": 1})
    with operations.connect(env=env) as client:
        adopted = operations.adopt(operations.load(config), client, config)
    assert not adopted.complete
    assert password not in adopted.adoption.files[0].after
    assert ["holds a credential of this run" in w for w in adopted.warnings] == [True]


def test_export_names_departments_masks_credentials_and_writes_nothing(
    env: dict[str, str], emulator: Emulator
) -> None:
    sales = emulator.store.create_department({"name": "Sales", "enabled": 1})
    route = {"event": "chat_requested", "condition": ["and"], "actions": []}
    route["actions"] = [["setDepartment", sales["id"]]]
    emulator.store.create({"name": "Route", "enabled": 1, "definition": route})
    emulator.store.create({"name": "Leak", "description": env["TRIGGERSYNC_PASSWORD"]})
    with operations.connect(env=env) as client:
        live = client.list()
        table = client.departments()
        exported = operations.export(live, departments=table, mask=client.secrets.mask)
    by_name = {trigger.name: trigger for trigger in exported.triggers}
    assert by_name["Route"].definition["actions"] == [["setDepartment", "Sales"]]
    assert by_name["Leak"].description == "***"
    assert ["holds a credential" in warning for warning in exported.warnings] == [True]
