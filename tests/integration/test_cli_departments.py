"""Departments by name, end to end: the real CLI against real emulators over HTTP. A file that
routes by name plans cleanly against two accounts whose departments have different ids; an
export writes names and plans back to "No changes."; mistakes are one error at their line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clirun import Run

from triggersync.emulator.server import Credentials, Emulator

Config = Callable[[str], str]

ROUTING = """\
triggers:
  - name: Route
    definition:
      event: chat_requested
      condition: [and]
      actions:
        - [setDepartment, {department}]
"""


def routing(folder: Path, department: object) -> str:
    """A file of its own that routes to `department` (a name or an id as YAML writes it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "routing.yaml"
    path.write_text(ROUTING.format(department=department), encoding="utf-8")
    return str(path)


def seed(emulator: Emulator, *names: str, enabled: bool = True) -> dict[str, int]:
    """Departments created in order; their ids by name."""
    made = [emulator.store.create_department({"name": n, "enabled": enabled}) for n in names]
    return {department["name"]: department["id"] for department in made}


def routed_to(emulator: Emulator) -> object:
    (trigger,) = emulator.store.list()
    return trigger["definition"]["actions"][0][1]


def test_a_name_is_applied_as_the_accounts_id(emulator: Emulator, run: Run, config: Config) -> None:
    ids = seed(emulator, "Billing", "Sales")
    ran = run("apply", config(ROUTING.format(department="Sales")), "--yes")
    assert ran.code == 0, ran.stderr
    assert routed_to(emulator) == ids["Sales"]


def test_the_same_file_plans_cleanly_against_two_accounts_with_other_ids(
    run: Run, config: Config, env: dict[str, str]
) -> None:
    path = config(ROUTING.format(department="Sales"))
    with Emulator(port=0, credentials=Credentials()) as other:
        seed(other, "Support", "Billing", "Sales")
        other_env = {"TRIGGERSYNC_API_URL": other.url}
        with Emulator(port=0, credentials=Credentials()) as first:
            seed(first, "Sales")
            first_env = {"TRIGGERSYNC_API_URL": first.url}
            for account in (first_env, other_env):
                assert run("apply", path, "--yes", extra_env=account).code == 0
                ran = run("plan", path, extra_env=account)
                assert (ran.code, ran.stdout, ran.stderr) == (0, "No changes.\n", "")
            assert routed_to(first) == 1
        assert routed_to(other) == 3


def test_export_then_plan_round_trips_through_names(
    emulator: Emulator, run: Run, config: Config, tmp_path: Path
) -> None:
    ids = seed(emulator, "Sales", "Support")
    assert run("apply", config(ROUTING.format(department=ids["Support"])), "--yes").code == 0
    out = tmp_path / "exported"
    assert run("export", "--out", str(out)).code == 0
    assert "[setDepartment, Support]" in (out / "route.yaml").read_text(encoding="utf-8")
    ran = run("plan", str(out))
    assert (ran.code, ran.stdout, ran.stderr) == (0, "No changes.\n", "")


def test_a_department_renamed_in_zendesk_forces_no_replacement(
    emulator: Emulator, run: Run, tmp_path: Path
) -> None:
    ids = seed(emulator, "Sales")
    assert run("apply", routing(tmp_path / "by-name", "Sales"), "--yes").code == 0
    emulator.store.update_department(ids["Sales"], {"name": "Sales EMEA"})
    ran = run("plan", routing(tmp_path / "by-new-name", '"Sales EMEA"'))
    assert (ran.code, ran.stdout) == (0, "No changes.\n")


def test_a_name_a_department_no_longer_has_suggests_its_new_name(
    emulator: Emulator, run: Run, tmp_path: Path
) -> None:
    ids = seed(emulator, "Sales")
    emulator.store.update_department(ids["Sales"], {"name": "Sales EMEA"})
    ran = run("plan", routing(tmp_path, "Sales"))
    assert ran.code == 1
    assert 'no department is named "Sales" (did you mean "Sales EMEA"?)' in ran.stderr


def test_an_unknown_name_is_an_error_at_its_line_and_nothing_is_written(
    emulator: Emulator, run: Run, config: Config
) -> None:
    seed(emulator, "Sales")
    path = config(ROUTING.format(department="Salse"))
    ran = run("apply", path, "--yes")
    assert ran.code == 1
    assert ran.stderr == (
        f"Error: {path}/triggers.yaml:7:27: triggers[0].definition.actions[0][1]: "
        'no department is named "Salse" (did you mean "Sales"?)\n'
    )
    assert emulator.stats()["create"] == 0


def test_a_name_two_departments_share_is_an_error_naming_both_ids(
    emulator: Emulator, run: Run, config: Config
) -> None:
    seed(emulator, "Sales", "Sales")
    ran = run("plan", config(ROUTING.format(department="Sales")))
    assert ran.code == 1
    assert "shared by the departments with ids 1 and 2" in ran.stderr


def test_a_disabled_department_is_a_warning(emulator: Emulator, run: Run, config: Config) -> None:
    seed(emulator, "Sales", enabled=False)
    ran = run("plan", config(ROUTING.format(department="Sales")))
    assert ran.code == 0
    assert "warning: " in ran.stderr
    assert 'department "Sales" (id 1) is disabled' in ran.stderr


def test_plans_drift_and_explain_live_name_the_department(
    emulator: Emulator, run: Run, tmp_path: Path
) -> None:
    ids = seed(emulator, "Sales", "Support")
    assert run("apply", routing(tmp_path / "first", "Sales"), "--yes").code == 0
    moved = routing(tmp_path / "moved", "Support")
    sales, support = (f'set department "{name}" (id {ids[name]})' for name in ("Sales", "Support"))
    plan = run("plan", moved)
    assert f"did:     When a visitor requests a chat — always: {sales}." in plan.stdout
    assert f"will do: When a visitor requests a chat — always: {support}." in plan.stdout
    drift = run("drift", moved)
    assert drift.code == 2
    assert f"Zendesk has: When a visitor requests a chat — always: {sales}." in drift.stdout
    live = run("explain", "--live")
    assert f"{sales}." in live.stdout


def test_a_configuration_without_names_reads_no_departments(
    emulator: Emulator, run: Run, config: Config
) -> None:
    seed(emulator, "Sales")
    assert run("plan", config(ROUTING.format(department=1))).code == 0
    assert emulator.stats()["departments"] == 0


def test_export_with_department_ids_keeps_them_and_reads_no_departments(
    emulator: Emulator, run: Run, config: Config
) -> None:
    seed(emulator, "Sales")
    assert run("apply", config(ROUTING.format(department=1)), "--yes").code == 0
    emulator.reset_stats()
    ran = run("export", "--department-ids")
    assert "[setDepartment, 1]" in ran.stdout
    assert emulator.stats()["departments"] == 0


def test_export_keeps_an_id_no_department_has_with_a_warning(
    emulator: Emulator, run: Run, config: Config
) -> None:
    assert run("apply", config(ROUTING.format(department=404)), "--yes").code == 0
    ran = run("export")
    assert (ran.code, "[setDepartment, 404]" in ran.stdout) == (0, True)
    assert ran.stderr == (
        'warning: TS403 department-kept: trigger "Route": setDepartment 404 is kept as an id: '
        "no department has it\n"
    )


def test_offline_commands_show_the_name_as_written_and_send_nothing(
    emulator: Emulator, run: Run, config: Config
) -> None:
    path = config(ROUTING.format(department="Sales"))
    assert run("validate", path).code == 0
    explained = run("explain", path)
    assert 'set department "Sales".' in explained.stdout
    simulated = run("simulate", path, "--event", "chat_requested")
    assert 'set department "Sales"' in simulated.stdout
    assert emulator.stats()["total"] == 0


def test_adopt_writes_the_name_of_a_department_changed_in_zendesk(
    emulator: Emulator, run: Run, tmp_path: Path
) -> None:
    ids = seed(emulator, "Sales", "Support")
    path = routing(tmp_path, "Sales")
    assert run("apply", path, "--yes").code == 0
    emulator.store.delete("Route")
    body = {"name": "Route", "definition": {"event": "chat_requested", "condition": ["and"]}}
    body["definition"]["actions"] = [["setDepartment", ids["Support"]]]
    emulator.store.create(body)
    assert run("adopt", str(tmp_path)).code == 0
    assert "[setDepartment, Support]" in Path(path).read_text(encoding="utf-8")
    assert run("plan", str(tmp_path)).stdout == "No changes.\n"


def test_adopt_leaves_a_department_the_file_already_names_rightly(
    emulator: Emulator, run: Run, tmp_path: Path
) -> None:
    seed(emulator, "Sales")
    path = routing(tmp_path, 1)
    assert run("apply", path, "--yes").code == 0
    before = Path(path).read_text(encoding="utf-8")
    ran = run("adopt", str(tmp_path), "--diff")
    assert (ran.code, ran.stdout) == (0, "")
    assert Path(path).read_text(encoding="utf-8") == before
