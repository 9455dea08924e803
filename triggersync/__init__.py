"""triggersync: Zendesk Chat triggers as code.

The Python API (docs/python.md) is `triggersync.operations`; its main names are here too,
imported on first use so that `triggersync --version` pays for none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from triggersync.operations import (
        AccountPlan,
        AccountRun,
        Applied,
        Project,
        apply,
        connect,
        drift,
        load,
        plan,
    )

__all__ = [
    "AccountPlan",
    "AccountRun",
    "Applied",
    "Project",
    "__version__",
    "adopt",
    "apply",
    "connect",
    "drift",
    "load",
    "plan",
]
# The names exported lazily, each from triggersync.operations.
_LAZY = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from triggersync import operations

        return getattr(operations, name)
    raise AttributeError(f"module 'triggersync' has no attribute {name!r}")
