"""export writes fmt's layout: an exported file is fmt-clean, and a one-word edit of it is a
one-line diff (docs/configuration.md#layout)."""

from __future__ import annotations

from pathlib import Path

from clirun import Run

from triggersync.emulator.server import Emulator

COUNTRIES = ["DE", "AT", "CH", "LI", "LU"]


def seed(emulator: Emulator) -> None:
    emulator.store.create(
        {
            "name": "Route DACH",
            "description": "German-speaking countries, to the German team",
            "enabled": 1,
            "definition": {
                "event": "chat_requested",
                "condition": ["or", *(["eq", "@visitor_country_code", c] for c in COUNTRIES)],
                "actions": [["setDepartment", 1001], ["addTag", "dach"]],
            },
        }
    )
    emulator.store.create({"name": "Café Bäckerei", "description": "1", "enabled": 0})


def test_an_exported_folder_is_fmt_clean(run: Run, emulator: Emulator, tmp_path: Path) -> None:
    seed(emulator)
    assert run("export", "--out", str(tmp_path / "live")).code == 0
    ran = run("fmt", "--check", str(tmp_path / "live"))
    assert (ran.code, ran.stdout) == (0, "")


def test_an_exported_file_is_fmt_clean(run: Run, emulator: Emulator, tmp_path: Path) -> None:
    seed(emulator)
    assert run("export", "--out", str(tmp_path / "all.yaml")).code == 0
    assert run("fmt", "--check", str(tmp_path / "all.yaml")).code == 0


def test_export_names_files_with_their_letters_readable(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator)
    run("export", "--out", str(tmp_path / "live"))
    assert sorted(p.name for p in (tmp_path / "live").iterdir()) == [
        "cafe-backerei.yaml",
        "route-dach.yaml",
    ]


def test_a_one_word_edit_of_an_exported_condition_is_a_one_line_diff(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    seed(emulator)
    run("export", "--out", str(tmp_path / "live"))
    path = tmp_path / "live" / "route-dach.yaml"
    before = path.read_text().splitlines()
    after = [line.replace("LI]", "FR]") for line in before]
    path.write_text("\n".join(after) + "\n")
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 1
    assert run("fmt", "--check", str(path)).code == 0
    plan = run("plan", str(tmp_path / "live")).stdout
    assert '~ definition.condition[4][2]: "LI" -> "FR"' in plan


def test_what_adopt_writes_into_an_fmt_clean_folder_keeps_it_fmt_clean(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "Kept", "description": "", "enabled": 1})
    folder = tmp_path / "triggers"
    folder.mkdir()
    assert run("export", "--out", str(folder / "all.yaml")).code == 0
    seed(emulator)  # a long condition to add, and a trigger whose description changes
    emulator.store.update("Kept", {"description": "changed in Zendesk"})
    assert run("adopt", str(folder)).code == 0
    assert run("fmt", "--check", str(folder)).code == 0


def test_triggers_adopt_adds_to_an_fmt_clean_file_keep_it_fmt_clean(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.store.create({"name": "Kept", "description": "", "enabled": 1})
    path = tmp_path / "all.yaml"
    assert run("export", "--out", str(path)).code == 0
    seed(emulator)
    assert run("adopt", str(path)).code == 0
    assert "name: Route DACH" in path.read_text(encoding="utf-8")
    ran = run("fmt", "--check", "--diff", str(path))
    assert (ran.code, ran.stdout) == (0, "")
