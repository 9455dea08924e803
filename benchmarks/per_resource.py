"""The per-resource baseline: the same plan done the way Terraform's refresh does it, one GET
per trigger (serially, on one keep-alive connection), then a comparison.

The names to refresh stand in for a Terraform state file; they come from one list request.

    python benchmarks/per_resource.py CONFIG.yaml BASE_URL
"""

from __future__ import annotations

import os
import sys
from urllib.parse import quote

import requests
import yaml


def main(config: str, base_url: str) -> int:
    with open(config, encoding="utf-8") as handle:
        desired = yaml.load(handle.read(), Loader=yaml.CSafeLoader)["triggers"]
    wanted = {trigger["name"]: trigger for trigger in desired}
    session = requests.Session()
    session.auth = (os.environ["TRIGGERSYNC_EMAIL"], os.environ["TRIGGERSYNC_PASSWORD"])
    names = [t["name"] for t in session.get(base_url + "/triggers", timeout=60).json()]
    changed = 0
    for name in names:
        answer = session.get(f"{base_url}/triggers/{quote(name, safe='')}", timeout=60)
        answer.raise_for_status()
        live = answer.json()
        want = wanted.get(name)
        if want is None or any(live.get(key) != value for key, value in want.items()):
            changed += 1
    print(len(names), changed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
