"""The JSON Schemas the package ships: the configuration's and the saved plan's.

They live in schemas/ at the repository root, where editors and readers find them; the wheel
carries copies inside the package (pyproject.toml, force-include), so an installed
triggersync finds them from any folder.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any


@functools.cache
def packaged_schema(name: str) -> dict[str, Any]:
    """The installed copy of schema `name`, else the repository's. Read once per name;
    callers must not mutate it."""
    packaged = resources.files("triggersync").joinpath("schemas").joinpath(name)
    if packaged.is_file():
        text = packaged.read_text(encoding="utf-8")
    else:
        text = (Path(__file__).resolve().parents[2] / "schemas" / name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
