"""`adopt` against the emulator: each kind of dashboard edit written into the files in place,
and afterwards `plan` says `No changes.` and `drift` finds none."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import Run

from triggersync.emulator.server import Emulator

DEFINITION = {
    "event": "chat_requested",
    "condition": ["and", ["eq", "@visitor_country_code", "US"]],
    "actions": [["sendMessageToVisitor", "Support", "Hi!"]],
}

ROUTING = """\
# Routing: kept by the support team.
triggers:
  # The greeting every US visitor sees.
  - name: Greeter   # keep short
    description: 'Says hi'
    definition:
      event: chat_requested
      condition: ["and", ["eq", "@visitor_country_code", "US"]]   # US only
      actions:
        - ["sendMessageToVisitor", "Support", "Hi!"]

  - name: Tagger
    description: Tags VIPs
    enabled: true
"""
OTHER = "triggers:\n  - name: Untouched   # stays\n    description: 'as is'\n"


@pytest.fixture
def folder(tmp_path: Path, emulator: Emulator) -> Path:
    """A configuration of two files whose triggers are live exactly as declared."""
    root = tmp_path / "triggers"
    root.mkdir()
    (root / "routing.yaml").write_text(ROUTING, encoding="utf-8")
    (root / "other.yaml").write_text(OTHER, encoding="utf-8")
    emulator.store.create(
        {"name": "Greeter", "description": "Says hi", "enabled": 1, "definition": DEFINITION}
    )
    emulator.store.create({"name": "Tagger", "description": "Tags VIPs", "enabled": 1})
    emulator.store.create({"name": "Untouched", "description": "as is", "enabled": 1})
    return root


def converged(run: Run, *paths: str) -> None:
    plan = run("plan", *paths)
    assert (plan.code, plan.stdout.strip()) == (0, "No changes."), plan.stdout + plan.stderr
    assert run("drift", *paths).code == 0


def test_a_description_edited_in_the_dashboard_is_edited_in_place(
    run: Run, emulator: Emulator, folder: Path
) -> None:
    emulator.store.update("Tagger", {"description": "Tags VIP visitors"})
    ran = run("adopt", str(folder))
    assert ran.code == 0, ran.stderr
    expected = ROUTING.replace("description: Tags VIPs", "description: Tags VIP visitors")
    assert (folder / "routing.yaml").read_text(encoding="utf-8") == expected
    assert "Adopted: 1 updated, 0 added, 0 removed, in 1 file." in ran.stdout
    converged(run, str(folder))


def test_the_other_files_stay_byte_for_byte(run: Run, emulator: Emulator, folder: Path) -> None:
    emulator.store.update("Tagger", {"description": "changed"})
    before = (folder / "other.yaml").stat().st_mtime_ns
    run("adopt", str(folder))
    assert (folder / "other.yaml").read_text(encoding="utf-8") == OTHER
    assert (folder / "other.yaml").stat().st_mtime_ns == before


def test_a_trigger_disabled_in_the_dashboard_is_disabled_in_the_file(
    run: Run, emulator: Emulator, folder: Path
) -> None:
    emulator.store.update("Greeter", {"enabled": 0})
    assert run("adopt", str(folder)).code == 0
    text = (folder / "routing.yaml").read_text(encoding="utf-8")
    assert text == ROUTING.replace(
        "    description: 'Says hi'\n", "    description: 'Says hi'\n    enabled: false\n"
    )
    converged(run, str(folder))


def test_a_replaced_definition_edits_only_the_key_that_changed(
    run: Run, emulator: Emulator, folder: Path
) -> None:
    emulator.store.delete("Greeter")
    changed = {**DEFINITION, "condition": ["and", ["eq", "@visitor_country_code", "DE"]]}
    emulator.store.create(
        {"name": "Greeter", "description": "Says hi", "enabled": 1, "definition": changed}
    )
    assert run("adopt", str(folder)).code == 0
    # The condition written anew (as export writes it); its comment and the rest stay.
    old = '["and", ["eq", "@visitor_country_code", "US"]]   # US only'
    new = "[and, [eq, '@visitor_country_code', DE]]   # US only"
    assert (folder / "routing.yaml").read_text(encoding="utf-8") == ROUTING.replace(old, new)
    converged(run, str(folder))


def test_a_rename_in_the_dashboard_edits_the_name_where_it_is_declared(
    run: Run, emulator: Emulator, folder: Path
) -> None:
    emulator.store.update("Greeter", {"name": "US greeter"})
    ran = run("adopt", str(folder))
    assert ran.code == 0, ran.stderr
    text = (folder / "routing.yaml").read_text(encoding="utf-8")
    assert text == ROUTING.replace("- name: Greeter   #", "- name: US greeter   #")
    assert sorted(p.name for p in folder.iterdir()) == ["other.yaml", "routing.yaml"]
    converged(run, str(folder))


def test_a_new_live_trigger_gets_a_file_named_as_export_names_it(
    run: Run, emulator: Emulator, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)  # no schemas/ here: no modeline
    emulator.store.create({"name": "Made by hand!", "description": "new", "enabled": 0})
    ran = run("adopt", str(folder))
    assert ran.code == 0, ran.stderr
    made = folder / "made-by-hand.yaml"
    assert made.read_text(encoding="utf-8") == (
        "triggers:\n  - name: Made by hand!\n    description: new\n    enabled: false\n"
    )
    assert (folder / "routing.yaml").read_text(encoding="utf-8") == ROUTING
    converged(run, str(folder))


def test_new_triggers_go_to_the_new_file_given(run: Run, emulator: Emulator, folder: Path) -> None:
    emulator.store.create({"name": "Zeta", "description": "", "enabled": 1})
    ran = run("adopt", str(folder), "--new-file", str(folder / "other.yaml"))
    assert ran.code == 0, ran.stderr
    assert (folder / "other.yaml").read_text(encoding="utf-8") == OTHER + (
        "\n  - name: Zeta\n    description: ''\n    enabled: true\n"
    )
    converged(run, str(folder))


def test_a_new_file_outside_the_configuration_is_refused(
    run: Run, emulator: Emulator, folder: Path, tmp_path: Path
) -> None:
    emulator.store.create({"name": "Zeta", "description": "", "enabled": 1})
    ran = run("adopt", str(folder), "--new-file", str(tmp_path / "elsewhere.yaml"))
    assert ran.code == 1
    assert "is not part of the configuration given" in ran.stderr
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_a_trigger_deleted_in_the_dashboard_is_removed_from_its_file(
    run: Run, emulator: Emulator, folder: Path
) -> None:
    emulator.store.delete("Tagger")
    assert run("adopt", str(folder)).code == 0
    text = (folder / "routing.yaml").read_text(encoding="utf-8")
    assert text == ROUTING.split("\n  - name: Tagger")[0]  # its blank line went with it
    converged(run, str(folder))


def test_a_file_left_without_triggers_keeps_an_empty_list(
    run: Run, emulator: Emulator, folder: Path
) -> None:
    emulator.store.delete("Untouched")
    assert run("adopt", str(folder)).code == 0
    assert (folder / "other.yaml").read_text(encoding="utf-8") == "triggers: []\n"
    converged(run, str(folder))


def test_a_pending_rename_reverted_in_the_dashboard_takes_the_live_name(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "Old name", "description": "", "enabled": 1})
    config = tmp_path / "t.yaml"
    config.write_text(
        "triggers:\n  - name: New name\n    renamed_from: Old name\n", encoding="utf-8"
    )
    assert run("adopt", str(config)).code == 0
    assert config.read_text(encoding="utf-8") == "triggers:\n  - name: Old name\n"
    converged(run, str(config))


def test_a_renamed_from_that_names_a_live_trigger_adopt_adds_is_dropped(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "New name", "description": "", "enabled": 1})
    emulator.store.create({"name": "Old name", "description": "made again", "enabled": 1})
    config = tmp_path / "t.yaml"
    config.write_text(
        "triggers:\n  - name: New name\n    renamed_from: Old name\n", encoding="utf-8"
    )
    assert run("adopt", str(config)).code == 0
    assert config.read_text(encoding="utf-8") == (
        "triggers:\n  - name: New name\n"
        "\n  - name: Old name\n    description: made again\n    enabled: true\n"
    )
    converged(run, str(config))


def test_a_variable_that_still_gives_the_live_value_is_kept(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "Hello", "description": "Hi Acme", "enabled": 1})
    config = tmp_path / "t.yaml"
    vars_file = tmp_path / "vars.yaml"
    vars_file.write_text("COMPANY: Acme\n", encoding="utf-8")
    config.write_text(
        "triggers:\n  - name: Hello\n    description: Hi ${COMPANY}\n    enabled: true\n",
        encoding="utf-8",
    )
    emulator.store.update("Hello", {"enabled": 0})
    assert run("adopt", str(config), "--vars", str(vars_file)).code == 0
    assert config.read_text(encoding="utf-8") == (
        "triggers:\n  - name: Hello\n    description: Hi ${COMPANY}\n    enabled: false\n"
    )
    converged(run, str(config), "--vars", str(vars_file))


def test_a_variable_that_no_longer_gives_the_live_value_leaves_the_trigger(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "Hello", "description": "Hi Globex", "enabled": 1})
    emulator.store.create({"name": "Other", "description": "new", "enabled": 1})
    config = tmp_path / "t.yaml"
    vars_file = tmp_path / "vars.yaml"
    vars_file.write_text("COMPANY: Acme\n", encoding="utf-8")
    text = "triggers:\n  - name: Hello\n    description: Hi ${COMPANY}\n  - name: Other\n"
    config.write_text(text, encoding="utf-8")
    ran = run("adopt", str(config), "--vars", str(vars_file))
    assert ran.code == 1
    assert '"Hello": not adopted: its description is written with ${COMPANY}' in ran.stderr
    assert config.read_text(encoding="utf-8") == text.replace(
        "  - name: Other\n", "  - name: Other\n    description: new\n"
    )


def test_ignored_triggers_are_never_touched(run: Run, emulator: Emulator, tmp_path: Path) -> None:
    emulator.store.create({"name": "Legacy one", "description": "", "enabled": 1})
    config = tmp_path / "t.yaml"
    config.write_text("ignore: ['Legacy *']\ntriggers: []\n", encoding="utf-8")
    ran = run("adopt", str(config))
    assert (ran.code, ran.stdout) == (0, "Nothing to adopt.\n")
    assert config.read_text(encoding="utf-8") == "ignore: ['Legacy *']\ntriggers: []\n"


def test_target_limits_adopt_to_the_matching_triggers(
    run: Run, emulator: Emulator, folder: Path
) -> None:
    emulator.store.update("Tagger", {"description": "new"})
    emulator.store.update("Greeter", {"description": "new"})
    assert run("adopt", str(folder), "--target", "Tag*").code == 0
    text = (folder / "routing.yaml").read_text(encoding="utf-8")
    assert "description: Tags VIPs" not in text
    assert "description: 'Says hi'" in text


def test_diff_prints_a_unified_diff_and_writes_nothing(
    run: Run, emulator: Emulator, folder: Path
) -> None:
    emulator.store.update("Tagger", {"description": "changed"})
    ran = run("adopt", str(folder), "--diff")
    assert ran.code == 2
    path = folder / "routing.yaml"
    assert ran.stdout == (
        f"--- {path}\n+++ {path}\n@@ -10,5 +10,5 @@\n"
        '         - ["sendMessageToVisitor", "Support", "Hi!"]\n \n   - name: Tagger\n'
        "-    description: Tags VIPs\n+    description: changed\n     enabled: true\n"
    )
    assert (folder / "routing.yaml").read_text(encoding="utf-8") == ROUTING


def test_diff_with_nothing_to_adopt_exits_0(run: Run, folder: Path) -> None:
    ran = run("adopt", str(folder), "--diff")
    assert (ran.code, ran.stdout) == (0, "")


def test_a_credential_in_a_live_trigger_is_written_masked_and_adopt_exits_1(
    run: Run, emulator: Emulator, folder: Path
) -> None:
    emulator.store.update("Tagger", {"description": f"pw {emulator.credentials.password}"})
    ran = run("adopt", str(folder))
    assert ran.code == 1
    assert 'warning: the live trigger "Tagger" holds a credential of this run' in ran.stderr
    text = (folder / "routing.yaml").read_text(encoding="utf-8")
    assert "description: pw ***" in text
    assert emulator.credentials.password not in text


def test_a_new_file_given_that_does_not_exist_yet_is_made_in_the_folder(
    run: Run, emulator: Emulator, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)  # no schemas/ here: no modeline
    emulator.store.create({"name": "Zeta", "description": "", "enabled": 1})
    emulator.store.create({"name": "Eta", "description": "", "enabled": 1})
    assert run("adopt", ".", "--new-file", "new/made.yaml").code == 0
    assert (folder / "new" / "made.yaml").read_text(encoding="utf-8") == (
        "triggers:\n  - name: Eta\n    description: ''\n    enabled: true\n\n"
        "  - name: Zeta\n    description: ''\n    enabled: true\n"
    )
    converged(run, ".")


def test_under_github_actions_no_line_of_the_diff_acts_as_a_workflow_command(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "A", "description": "::error::x\nnew", "enabled": 1})
    config = tmp_path / "t.yaml"
    config.write_text("triggers:\n  - name: A\n    description: |\n      ::error::x\n", "utf-8")
    ran = run("adopt", str(config), "--diff", extra_env={"GITHUB_ACTIONS": "true"})
    assert ran.code == 2
    first, *_, last = ran.stdout.splitlines()
    token = first.removeprefix("::stop-commands::")
    assert len(token) == 32
    assert last == f"::{token}::"
    assert "-      ::error::x\n" in ran.stdout
