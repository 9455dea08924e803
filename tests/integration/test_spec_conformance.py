"""Acceptance checks of SPEC.md sentences that no other test pinned down."""

from __future__ import annotations

from pathlib import Path

from clirun import Run

from triggersync.emulator.server import Emulator


def test_export_writes_a_live_dollar_brace_as_literal_so_it_round_trips(
    run: Run, emulator: Emulator, tmp_path: Path
) -> None:
    # SPEC §7: `${NAME}` in any string value is a reference and `$${` a literal `${`; export
    # (adoption) must write live text so that planning against it shows no changes.
    emulator.store.create(
        {
            "name": "Price ${X}",
            "description": "has ${VAR}, $${Z} and a lone ${",
            "enabled": 1,
            "definition": {
                "event": "chat_requested",
                "condition": ["and", ["eq", "@visitor_country_code", "US"]],
                "actions": [["sendMessageToVisitor", "Support", "Hi ${visitor}"]],
            },
        }
    )
    target = tmp_path / "live.yaml"
    assert run("export", "--out", str(target)).code == 0
    ran = run("plan", str(target))
    assert (ran.code, ran.stdout) == (0, "No changes.\n"), ran.stderr
