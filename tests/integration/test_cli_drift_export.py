"""`drift` (the nightly audit) and `export` (adoption) against the emulator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from clirun import Run

from triggersync.emulator.server import Emulator

Config = Callable[[str], str]
DESIRED = "triggers:\n  - name: Edited\n    description: code\n  - name: Deleted by hand\n"


def seed_drift(emulator: Emulator) -> None:
    emulator.store.create({"name": "Edited", "description": "UI", "enabled": 1})
    emulator.store.create({"name": "Made by hand", "description": "", "enabled": 1})


def test_drift_reports_each_kind_and_exits_2(run: Run, emulator: Emulator, config: Config) -> None:
    seed_drift(emulator)
    ran = run("drift", config(DESIRED))
    assert ran.code == 2
    assert '"Edited" changed in Zendesk' in ran.stdout
    assert '"Deleted by hand" missing from Zendesk' in ran.stdout
    assert '"Made by hand" not in code' in ran.stdout


def test_no_drift_exits_0(run: Run, emulator: Emulator, config: Config) -> None:
    emulator.store.create({"name": "Same", "description": "", "enabled": 1})
    ran = run("drift", config("triggers:\n  - name: Same\n"))
    assert (ran.code, ran.stdout) == (0, "No drift.\n")


def test_drift_json_is_the_plan_document(run: Run, emulator: Emulator, config: Config) -> None:
    seed_drift(emulator)
    document = json.loads(run("drift", config(DESIRED), "--format", "json").stdout)
    assert document["summary"] == {"create": 1, "update": 1, "delete": 1}


def test_drift_never_writes(run: Run, emulator: Emulator, config: Config) -> None:
    seed_drift(emulator)
    run("drift", config(DESIRED))
    assert emulator.stats()["total"] == emulator.stats()["list"] == 1


def test_export_round_trips_to_no_changes(run: Run, emulator: Emulator, tmp_path: Path) -> None:
    emulator.store.create(
        {
            "name": "Greeter: 'hi' / \"hello\"",
            "description": None,
            "enabled": 0,
            "definition": {
                "event": "page_enter",
                "condition": ["and", ["eq", "@visitor_country_code", "US"]],
                "actions": [["sendMessageToVisitor", "Support", "Hi!\nWelcome"]],
            },
            "owner": "not managed",
        }
    )
    emulator.store.create({"name": "Plain", "description": "x", "enabled": 1})
    exported = run("export").stdout
    (tmp_path / "all.yaml").write_text(exported)
    assert run("plan", str(tmp_path / "all.yaml")).stdout == "No changes.\n"


def test_export_leaves_out_a_definition_nested_too_deeply_and_writes_the_rest(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    condition: object = ["firedBefore"]
    for _ in range(100):
        condition = ["not", condition]
    emulator.store.create(
        {"name": "Deep", "definition": {"event": "page_enter", "condition": condition}}
    )
    emulator.store.create({"name": "Plain", "description": "x", "enabled": 1})
    ran = run("export", "--out", str(tmp_path / "live"))
    assert ran.code == 1
    assert ran.stderr.endswith(
        'Error: not exported: "Deep": its definition nests deeper than 61 levels, more than a '
        "configuration file may (64 levels from its top); fix it in Zendesk\n"
    )
    assert [path.name for path in (tmp_path / "live").iterdir()] == ["plain.yaml"]


def test_export_to_a_directory_writes_one_file_per_trigger(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "One", "description": "", "enabled": 1})
    emulator.store.create({"name": "Two", "description": "", "enabled": 1})
    assert run("export", "--out", str(tmp_path / "out") + "/").code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["one.yaml", "two.yaml"]
    assert run("plan", str(tmp_path / "out")).stdout == "No changes.\n"


def test_export_to_a_file_has_the_schema_modeline(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "One", "description": "", "enabled": 1})
    target = tmp_path / "triggers.yaml"
    run("export", "--out", str(target))
    assert target.read_text().startswith("# yaml-language-server: $schema=")


def test_export_keeps_key_order(run: Run, emulator: Emulator) -> None:
    emulator.store.create(
        {"name": "One", "description": "d", "enabled": 1, "definition": {"event": "page_enter"}}
    )
    lines = [line.strip().split(":")[0] for line in run("export").stdout.splitlines()[2:6]]
    assert lines == ["- name", "description", "enabled", "definition"]


def test_export_into_a_missing_folder_is_one_message(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "One", "description": "", "enabled": 1})
    ran = run("export", "--out", str(tmp_path / "missing" / "triggers.yaml"))
    assert ran.code == 1
    assert ran.stderr.startswith("Error: cannot write")


def test_export_to_a_directory_over_a_file_is_one_message(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "One", "description": "", "enabled": 1})
    (tmp_path / "taken").write_text("")
    ran = run("export", "--out", str(tmp_path / "taken" / "sub") + "/")
    assert ran.code == 1
    assert ran.stderr.startswith("Error: cannot create")


def test_export_into_a_configuration_removes_what_is_gone_from_zendesk(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "One", "description": "", "enabled": 1})
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "gone-from-zendesk.yaml").write_text("triggers:\n  - name: Gone\n")
    ran = run("export", "--out", str(folder))
    assert (ran.code, ran.stderr) == (0, "")
    assert (folder / "gone-from-zendesk.yaml").read_text() == "triggers: []\n"
    assert run("plan", str(folder)).stdout == "No changes.\n"


def test_export_into_a_configuration_never_declares_a_trigger_twice(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "Shipping questions", "description": "new", "enabled": 1})
    folder = tmp_path / "triggers"
    folder.mkdir()
    mine = "# ours\ntriggers:\n  - name: Shipping questions   # renamed file\n"
    (folder / "shipping.yaml").write_text(mine)
    assert run("export", "--out", str(folder)).code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["shipping.yaml"]
    assert (folder / "shipping.yaml").read_text() == mine + "    description: new\n"
    assert run("validate", str(folder)).code == 0


def test_export_into_a_configuration_leaves_out_what_it_ignores(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "Legacy chat", "description": "", "enabled": 1})
    folder = tmp_path / "triggers"
    folder.mkdir()
    (folder / "ignore.yaml").write_text("ignore: ['Legacy *']\n")
    ran = run("export", "--out", str(folder))
    assert (ran.code, ran.stdout) == (0, "Nothing to adopt.\n")
    assert sorted(p.name for p in folder.iterdir()) == ["ignore.yaml"]


def test_export_into_a_folder_of_other_yaml_is_refused(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "One", "description": "", "enabled": 1})
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "compose.yaml").write_text("services: {}\n")
    ran = run("export", "--out", str(folder))
    assert ran.code == 1
    assert ran.stderr.endswith(
        "holds YAML files that are not a valid configuration (above); export updates the "
        "configuration in a folder in place: fix them, or export to another folder\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["compose.yaml"]
    assert emulator.stats()["total"] == 0


def test_export_refuses_to_replace_an_existing_file_without_force(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "One", "description": "", "enabled": 1})
    target = tmp_path / "triggers.yaml"
    target.write_text("triggers:\n  - name: Mine\n")
    ran = run("export", "--out", str(target))
    assert ran.code == 1
    assert ran.stderr == (
        f"Error: {target} already exists: export would replace it with the 1 live triggers; "
        "pass --force to replace it, or choose another --out\n"
    )
    assert target.read_text() == "triggers:\n  - name: Mine\n"


def test_export_with_force_replaces_an_existing_file(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "One", "description": "", "enabled": 1})
    target = tmp_path / "triggers.yaml"
    target.write_text("triggers:\n  - name: Mine\n")
    assert run("export", "--out", str(target), "--force").code == 0
    assert "name: One" in target.read_text()


def test_export_updates_a_file_that_declares_several_triggers_in_place(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "One", "description": "", "enabled": 1})
    emulator.store.create({"name": "Two", "description": "2", "enabled": 1})
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "one.yaml").write_text("triggers:\n  - name: One\n  - name: Two\n")
    assert run("export", "--out", str(folder)).code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["one.yaml"]
    expected = "triggers:\n  - name: One\n  - name: Two\n    description: '2'\n"
    assert (folder / "one.yaml").read_text() == expected


def test_export_refreshes_its_own_earlier_files_in_the_folder(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "One", "description": "", "enabled": 1})
    folder = tmp_path / "out"
    assert run("export", "--out", str(folder)).code == 0
    emulator.store.update("One", {"description": "changed"})
    assert run("export", "--out", str(folder)).code == 0
    assert "description: changed" in (folder / "one.yaml").read_text()
