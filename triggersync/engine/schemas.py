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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.abc import Traversable


def schema_path(name: str) -> Traversable:
    """Where schema `name` is: the copy inside the installed package, else the repository's,
    when running from a source tree. The one place that knows."""
    packaged = resources.files("triggersync").joinpath("schemas").joinpath(name)
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "schemas" / name


@functools.cache
def packaged_schema(name: str) -> dict[str, Any]:
    """Schema `name`, read once; callers must not mutate it."""
    schema: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return schema
