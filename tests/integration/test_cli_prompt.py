"""`apply` on a terminal asks first: a real pseudo-terminal as standard input."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from triggersync.emulator.server import Emulator

SCRIPT = Path(sys.executable).parent / "triggersync"


def apply_on_a_terminal(emulator: Emulator, tmp_path: Path, answer: str) -> tuple[int, str]:
    config = tmp_path / "triggers.yaml"
    config.write_text("triggers:\n  - name: Good Trigger\n")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TRIGGERSYNC_API_URL": emulator.url,
        "TRIGGERSYNC_EMAIL": "demo@example.com",
        "TRIGGERSYNC_PASSWORD": "demo-password",
    }
    controller, terminal = pty.openpty()
    try:
        os.write(controller, answer.encode() + b"\n")  # typed ahead; the tty buffers it
        ran = subprocess.run(
            [str(SCRIPT), "apply", str(config)],
            stdin=terminal,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        os.close(controller)
        os.close(terminal)
    return ran.returncode, ran.stderr


def test_answering_yes_applies(emulator: Emulator, tmp_path: Path) -> None:
    code, stderr = apply_on_a_terminal(emulator, tmp_path, "y")
    assert code == 0
    assert "Apply these changes? [y/N]" in stderr
    assert emulator.store.get("Good Trigger") is not None


def test_answering_no_changes_nothing(emulator: Emulator, tmp_path: Path) -> None:
    code, stderr = apply_on_a_terminal(emulator, tmp_path, "n")
    assert code == 1
    assert "nothing was changed" in stderr
    assert emulator.store.get("Good Trigger") is None
