"""The README's quick start against the emulator, pasted line by line into bash.

Only the port is adapted (a free one instead of 8080); every other line runs as written, from
a copy of the examples, and each must succeed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
WAIT = 120  # seconds: a generous bound for a slow machine, never a sleep


def emulator_block() -> list[str]:
    """The lines of the quick start's sh block that starts the emulator."""
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", README, re.M | re.S)
    assert section is not None
    blocks = re.findall(r"```sh\n(.*?)```", section.group(1), re.S)
    found = [block for block in blocks if "triggersync emulator" in block]
    assert len(found) == 1, found
    return [line for line in found[0].splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def script(lines: list[str], port: int) -> str:
    """Each line as typed, then a check that names the line when it failed."""
    out = ["cleanup() { jobs -p | xargs -r kill; }", "trap cleanup EXIT"]
    for line in lines:
        typed = line.replace("8080", str(port))
        out.append(typed)
        if not re.sub(r"#.*", "", typed).rstrip().endswith("&"):
            out.append(
                f'rc=$?; if [ "$rc" -ne 0 ]; then echo "FAILED ($rc): {typed}" >&2; exit 1; fi'
            )
    return "\n".join(out) + "\n"


def test_the_quick_start_works_pasted_line_by_line(tmp_path: Path) -> None:
    lines = emulator_block()
    assert lines[0].startswith("triggersync emulator --port 8080 ")
    shutil.copytree(ROOT / "examples" / "triggers", tmp_path / "examples" / "triggers")
    shutil.copy(ROOT / "examples" / "departments.yaml", tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRIGGERSYNC_", "GITHUB_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    with subprocess.Popen(
        ["bash", "-c", script(lines, free_port())],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as shell:
        try:
            stdout, stderr = shell.communicate(timeout=WAIT)
        finally:
            if shell.poll() is None:
                os.killpg(shell.pid, signal.SIGKILL)
    assert shell.returncode == 0, stderr
    assert "FAILED" not in stderr
    assert stdout.rstrip().endswith("No changes."), stdout
    assert "Traceback" not in stderr
    # The emulator runs in the same terminal: its request log must not land in the output.
    assert "/api/v2/chat/triggers" not in stdout + stderr
    assert [p.suffix for p in (tmp_path / "triggers").iterdir()] == [".yaml"] * 8
