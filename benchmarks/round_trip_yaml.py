"""The alternative adopt did not take, measured: ruamel.yaml's round trip (load, change one
description, dump) of a configuration file, its time and how many lines it changes that were
not asked for. Run with a Python that has ruamel.yaml (it is not a dependency of triggersync):

    python benchmarks/round_trip_yaml.py CONFIG.yaml

Prints one JSON object: {"seconds": ..., "lines_changed": ...}.
"""

from __future__ import annotations

import difflib
import io
import json
import sys
import time
from pathlib import Path

from ruamel.yaml import YAML  # type: ignore[import-not-found]


def main(path: str) -> None:
    text = Path(path).read_text(encoding="utf-8")
    started = time.perf_counter()
    yaml = YAML()  # round-trip mode: comments, order and quoting kept where it can
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)  # the file's own layout, told by hand
    data = yaml.load(text)
    data["triggers"][0]["description"] = "changed"
    out = io.StringIO()
    yaml.dump(data, out)
    took = time.perf_counter() - started
    changed = sum(
        1
        for line in difflib.unified_diff(text.splitlines(), out.getvalue().splitlines(), n=0)
        if line.startswith("-") and not line.startswith("---")
    )
    print(json.dumps({"seconds": took, "lines_changed": changed}))


if __name__ == "__main__":
    main(sys.argv[1])
