"""The package's shape, checked: folders by concern, arrows running one way, no cycles.

docs/README.md draws the map; this test keeps the code true to it. Each package may import
only itself and the packages listed for it here (top-level modules count as packages).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "triggersync"

# Every package may use these: what went wrong, and how to show untrusted text.
FOUNDATION = {"errors", "untrusted"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "untrusted": set(),
    "loopback": set(),  # whether a host is this machine's: the client's and the emulator's check
    "base_url": set(),  # where an account's API is: the client's and the project file's reading
    "language": {"errors"},
    "engine": {"errors", "language"},
    "config": {"errors", "engine", "language", "base_url"},
    "api": {"errors", "engine", "loopback", "base_url"},
    "views": {"errors", "engine", "language"},
    # The emulator stands in for Zendesk: it never imports the client it is tested with.
    "emulator": {"errors", "engine", "language", "loopback"},
    # The Python API: the workflows the commands run, over the core, never the commands.
    "operations": {"errors", "config", "api", "engine", "language"},
    "cli": {
        *("errors", "language", "engine", "config", "api", "views", "emulator"),
        *("operations", "__init__"),
    },
    "__main__": {"cli"},
    "__init__": {"operations"},  # its names, imported lazily (module __getattr__)
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names imported, line) for every triggersync import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, list[str], int]] = []
    package = (
        _module_name(path) if path.name == "__init__.py" else _module_name(path).rsplit(".", 1)[0]
    )
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module.split(".")[0] == "triggersync":
                names = [alias.name for alias in node.names]
                found.append((module, names, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "triggersync":
                    found.append((alias.name, [], node.lineno))
    return found


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path) for path in _sources()}
    graph: dict[str, set[str]] = {}
    for path in _sources():
        edges: set[str] = set()
        for module, names, _line in _imports(path):
            # `from triggersync.engine import plan` imports the module engine.plan.
            targets = [f"{module}.{name}" for name in names if f"{module}.{name}" in modules]
            edges.update(targets or [module])
        graph[_module_name(path)] = edges & modules
    return graph


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path: Path) -> None:
    area = _area(_module_name(path))
    allowed = ALLOWED[area] | {area} | (FOUNDATION if area not in FOUNDATION else set())
    upward = [
        f"line {line}: {module}"
        for module, _names, line in _imports(path)
        if _area(module) not in allowed
    ]
    assert upward == [], f"{area} may import only {sorted(allowed)}"


def test_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


@pytest.mark.parametrize(
    "path",
    [*_sources(), *sorted((ROOT / "tests").rglob("*.py"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_private_names_imported_across_modules(path: Path) -> None:
    private = [
        f"line {line}: {name} from {module}"
        for module, names, line in _imports(path)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert private == []


# The workflows the commands run live in operations/: the commands reach planning, applying
# and the API client through it (types aside), never directly.
WORKFLOW_MODULES = {"triggersync.engine.apply", "triggersync.engine.diff", "triggersync.api.client"}


def _runtime_imports(path: Path) -> list[tuple[str, int]]:
    """Imports of triggersync modules outside `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module:
            found.extend((f"{node.module}.{a.name}", node.lineno) for a in node.names)
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "cli").glob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_the_commands_run_workflows_through_operations(path: Path) -> None:
    direct = [
        f"line {line}: {module}"
        for module, line in _runtime_imports(path)
        if module in WORKFLOW_MODULES
    ]
    assert direct == []


# One meaning per name: a public top-level name is defined in one module, unless every
# definition means the same thing at its own layer (a command and the operation it runs, an
# operation and the core step it wraps). Two meanings get two names (`ChangeKind`,
# `TriggerAction`), never a second module for the same word.
SAME_MEANING: dict[str, set[str]] = {
    "adopt": {"cli.adopt", "operations.adoption", "config.adopt"},
    "apply": {"cli.sync", "operations.workflow"},
    "check_reviewed": {"operations.workflow", "engine.reviewed"},
    "check_safety": {"operations.workflow", "engine.apply"},
    "departments_of": {"cli.steps", "operations.adoption"},  # the command's shows warnings
    "drift": {"cli.sync", "operations.workflow"},
    "export": {"cli.export", "operations.adoption"},
    "load": {"operations.workflow", "config.files"},
    "plan": {"cli.sync", "operations.workflow"},
    "simulate": {"cli.meaning", "operations.scenarios"},
    "test": {"cli.meaning", "operations.scenarios"},
    "unlock": {"cli.lock", "engine.lock"},
}


def _top_level_names(path: Path) -> set[str]:
    """The public names a module defines at its top level (type variables aside)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            value = node.value
            if isinstance(value, ast.Call) and ast.unparse(value.func).endswith("TypeVar"):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return {name for name in names if not name.startswith("_")}


def test_no_public_name_is_defined_twice_with_two_meanings() -> None:
    defined: dict[str, set[str]] = {}
    for path in _sources():
        module = _module_name(path).removeprefix("triggersync.")
        for name in _top_level_names(path):
            defined.setdefault(name, set()).add(module)
    twice = {
        name: sorted(modules)
        for name, modules in sorted(defined.items())
        if len(modules) > 1 and not modules <= SAME_MEANING.get(name, set())
    }
    assert twice == {}, "one meaning per name: qualify each (docs/README.md)"
