"""The data of the `fmt` benchmark: N triggers (as the plan benchmark's live triggers) written
twice: by hand, in the style of examples/triggers (workload.to_yaml), and by `export`, which
writes fmt's layout.

Run in a process of its own (as workload.py is), so the benchmark's process stays small.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workload import live_set, to_yaml

from triggersync.engine import export
from triggersync.engine.model import normalise


def main(n: int, by_hand: str, exported: str) -> None:
    live = live_set(n)
    Path(by_hand).write_text(to_yaml(live), encoding="utf-8")
    triggers = [normalise(trigger) for trigger in live]
    Path(exported).write_text(export.to_yaml(triggers), encoding="utf-8")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
