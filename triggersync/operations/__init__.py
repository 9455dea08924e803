"""The operations as a typed Python API: what the commands call, and what a Python user
imports (docs/python.md). Click-free, and never prints: each operation returns values (plans,
results, reports) or raises a TriggersyncError.

- one account, from paths: `load`, `connect`, `plan`, `apply`, `drift`, `read_saved`,
  `check_saved`, `check_reviewed` (workflow.py); `adopt`, `export` (adoption.py);
- scenarios, locally: `test`, `simulate`, `simulation_warnings`,
  `simulation_clash` (scenarios.py);
- a project file's accounts at once: `Project` (project.py), each account's part an
  `AccountRun` (accounts.py).
"""

from triggersync.operations.accounts import AccountRun, combined_exit
from triggersync.operations.adoption import Adopted, Exported, adopt, export
from triggersync.operations.project import AccountLive, AccountPlan, Project
from triggersync.operations.scenarios import (
    ScenarioRun,
    TestReport,
    simulate,
    simulation_clash,
    simulation_warnings,
    test,
)
from triggersync.operations.workflow import (
    Applied,
    apply,
    check_reviewed,
    check_safety,
    check_saved,
    connect,
    drift,
    live,
    load,
    plan,
    read_saved,
)

__all__ = [
    "AccountLive",
    "AccountPlan",
    "AccountRun",
    "Adopted",
    "Applied",
    "Exported",
    "Project",
    "ScenarioRun",
    "TestReport",
    "adopt",
    "apply",
    "check_reviewed",
    "check_safety",
    "check_saved",
    "combined_exit",
    "connect",
    "drift",
    "export",
    "live",
    "load",
    "plan",
    "read_saved",
    "simulate",
    "simulation_clash",
    "simulation_warnings",
    "test",
]
