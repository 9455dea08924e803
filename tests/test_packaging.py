"""The wheel works from any folder: schemas inside the package, console entry points."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_IN_WHEEL = [
    "triggersync/schemas/triggersync.schema.json",
    "triggersync/schemas/plan.schema.json",
    "triggersync/schemas/scenarios.schema.json",
    "triggersync/schemas/project.schema.json",
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run([*pip, "--wheel-dir", str(out), str(ROOT)], check=True, capture_output=True)
    (built,) = out.glob("triggersync-*.whl")
    return built


def test_the_wheel_says_the_package_is_typed(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        assert "triggersync/py.typed" in archive.namelist()


def test_the_python_api_is_imported_only_when_used() -> None:
    code = (
        "import sys, triggersync; "
        "print('triggersync.operations' in sys.modules); "
        "print(triggersync.Project.__name__); "
        "print('triggersync.operations' in sys.modules)"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout == "False\nProject\nTrue\n"


def test_an_unknown_name_is_an_attribute_error() -> None:
    import triggersync

    with pytest.raises(AttributeError, match="has no attribute 'Projetc'"):
        _ = triggersync.Projetc  # type: ignore[attr-defined]


@pytest.mark.parametrize("schema", SCHEMAS_IN_WHEEL)
def test_the_wheel_carries_the_schema(wheel: Path, schema: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        assert schema in archive.namelist()


def run_installed(
    wheel: Path, tmp_path: Path, file: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """`python -m triggersync ARGS FILE` from the wheel's contents alone, in FILE's folder."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return subprocess.run(
        [sys.executable, "-m", "triggersync", *args, str(file)],
        cwd=file.parent,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_installed_package_validates_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    config = tmp_path / "elsewhere" / "triggers.yaml"
    config.parent.mkdir()
    config.write_text("triggers:\n  - name: Good Trigger\n")
    ran = run_installed(wheel, tmp_path, config, "validate")
    assert (ran.returncode, ran.stdout) == (0, "1 trigger in 1 file is valid.\n")


def test_the_installed_package_checks_a_saved_plan_from_another_folder(
    wheel: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "elsewhere" / "plan.json"
    saved.parent.mkdir()
    saved.write_text('{"format_version": 1, "summary": {}, "changes": {}, "state": {}}')
    ran = run_installed(wheel, tmp_path, saved, "apply", "--plan")
    assert (ran.returncode, ran.stderr) == (
        1,
        f"Error: {saved}: plan file: changes: expected a list, got an object\n",
    )


def test_the_installed_package_runs_scenarios_from_another_folder(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "triggers.yaml").write_text("triggers:\n  - name: Good Trigger\n")
    (folder / "scenarios.yml").write_text(
        "scenarios:\n  - name: Nothing fires\n    event: page_enter\n    expect: {fires: []}\n"
    )
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "triggersync",
            "test",
            "triggers.yaml",
            "--scenarios",
            "scenarios.yml",
        ],
        cwd=folder,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (ran.returncode, ran.stdout) == (
        0,
        "PASS Nothing fires\nScenarios: 1 passed, 0 failed.\n",
    )


def test_python_dash_m_prints_the_version() -> None:
    from triggersync import __version__

    ran = subprocess.run(
        [sys.executable, "-m", "triggersync", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout == f"triggersync, version {__version__}\n"


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "triggersync"
    ran = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    assert "Zendesk Chat triggers as code." in ran.stdout
