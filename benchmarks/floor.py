"""The floor of a plan: only the unavoidable work, with nothing but the standard library and
PyYAML's C loader (`yaml.load(..., Loader=CSafeLoader)`). Start Python, load the YAML, make
one list request, parse the JSON.

    python benchmarks/floor.py CONFIG.yaml BASE_URL
"""

from __future__ import annotations

import base64
import gc
import http.client
import json
import os
import sys
from urllib.parse import urlsplit

import yaml


def main(config: str, base_url: str) -> int:
    gc.disable()  # the one-line trick any script loading big YAML would use
    with open(config, encoding="utf-8") as handle:
        desired = yaml.load(handle.read(), Loader=yaml.CSafeLoader)["triggers"]
    url = urlsplit(base_url)
    token = base64.b64encode(
        f"{os.environ['TRIGGERSYNC_EMAIL']}:{os.environ['TRIGGERSYNC_PASSWORD']}".encode()
    ).decode()
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    connection.request("GET", url.path + "/triggers", headers={"Authorization": f"Basic {token}"})
    live = json.loads(connection.getresponse().read())
    connection.close()
    print(len(desired), len(live))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
