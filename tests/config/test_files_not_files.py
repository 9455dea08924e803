"""Configuration is read from regular files only, and never through a link that leads out
of the folders given and the working directory (docs/safety.md#files)."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from triggersync.config import load, load_vars, project, scenarios
from triggersync.errors import ConfigError

CONFIG = "triggers: []\n"
SECRET = "runner_secret: hunter2\n"


def _refusal(call: Callable[[], object]) -> str:
    """The ConfigError the call raises, in a thread so that a read that blocks (a FIFO with
    no writer) fails the test instead of hanging it."""
    caught: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            caught.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "the read blocked"
    assert caught, "no error"
    assert isinstance(caught[0], ConfigError), caught
    return str(caught[0])


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with a configuration folder, and a folder outside it."""
    (tmp_path / "repo" / "cfg").mkdir(parents=True)
    (tmp_path / "repo" / "cfg" / "a.yaml").write_text(CONFIG)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "s.yaml").write_text(SECRET)
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def test_a_fifo_in_a_folder_is_an_error_naming_it_and_is_never_opened(repo: Path) -> None:
    os.mkfifo(repo / "cfg" / "pipe.yaml")
    message = _refusal(lambda: load(["cfg"]))
    assert "cfg/pipe.yaml:1:1: a named pipe (FIFO), not a regular file" in message


def test_a_fifo_named_directly_is_an_error_not_a_missing_file(repo: Path) -> None:
    os.mkfifo(repo / "pipe.yaml")
    assert "pipe.yaml:1:1: a named pipe (FIFO)" in _refusal(lambda: load(["pipe.yaml"]))


def test_a_socket_is_an_error_naming_it(repo: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("cfg/s.yaml")
        assert "cfg/s.yaml:1:1: a socket, not a regular file" in _refusal(lambda: load(["cfg"]))


def test_a_link_to_dev_zero_is_an_error_naming_the_link(repo: Path) -> None:
    (repo / "cfg" / "zero.yaml").symlink_to("/dev/zero")
    message = _refusal(lambda: load(["cfg"]))
    assert "cfg/zero.yaml:1:1: a link to a file outside the folders given" in message


def test_a_link_to_a_device_inside_the_working_directory_is_refused_as_a_device(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "cfg" / "zero.yaml").symlink_to("/dev/zero")
    monkeypatch.chdir("/dev")
    message = _refusal(lambda: load([repo / "cfg"]))
    assert "zero.yaml:1:1: a character device, not a regular file" in message


def test_a_link_outside_is_an_error_and_its_target_is_never_shown(repo: Path) -> None:
    (repo / "cfg" / "out.yaml").symlink_to(repo.parent / "outside" / "s.yaml")
    message = _refusal(lambda: load(["cfg"]))
    assert "cfg/out.yaml:1:1: a link to a file outside" in message
    assert "runner_secret" not in message
    assert "outside/s.yaml" not in message


def test_a_link_outside_is_never_opened(repo: Path) -> None:
    os.mkfifo(repo.parent / "outside" / "pipe")
    (repo / "cfg" / "out.yaml").symlink_to(repo.parent / "outside" / "pipe")
    assert "a link to a file outside" in _refusal(lambda: load(["cfg"]))


def test_a_link_within_the_folder_given_is_followed_outside_the_working_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "cfg" / "data").mkdir()
    (repo / "cfg" / "data" / "real.txt").write_text("triggers: [{name: A}]\n")
    (repo / "cfg" / "b.yaml").symlink_to("data/real.txt")
    monkeypatch.chdir(repo.parent / "outside")
    assert [t.name for t in load([repo / "cfg"]).triggers] == ["A"]


def test_a_link_within_the_working_directory_is_followed(repo: Path) -> None:
    (repo / "real.txt").write_text("triggers: [{name: A}]\n")
    (repo / "cfg" / "b.yaml").symlink_to("../real.txt")
    assert [t.name for t in load(["cfg"]).triggers] == ["A"]


def test_a_vars_file_linked_outside_is_an_error_naming_the_link(repo: Path) -> None:
    (repo / "vars.yaml").symlink_to(repo.parent / "outside" / "s.yaml")
    message = _refusal(lambda: load_vars("vars.yaml"))
    assert "vars.yaml:1:1: a link to a file outside" in message
    assert "hunter2" not in message


def test_a_vars_fifo_is_an_error(repo: Path) -> None:
    os.mkfifo(repo / "vars.yaml")
    assert "vars.yaml:1:1: a named pipe (FIFO)" in _refusal(lambda: load_vars("vars.yaml"))


def test_a_project_file_that_is_a_fifo_is_an_error(repo: Path) -> None:
    os.mkfifo(repo / "p.yaml")
    assert "p.yaml:1:1: a named pipe (FIFO)" in _refusal(
        lambda: project.load_project_file("p.yaml")
    )


def test_a_scenario_folder_with_a_link_outside_is_an_error(repo: Path) -> None:
    (repo / "scenarios").mkdir()
    (repo / "scenarios" / "s.yaml").symlink_to(repo.parent / "outside" / "s.yaml")
    message = _refusal(lambda: scenarios.load_scenarios(["scenarios"], []))
    assert "scenarios/s.yaml:1:1: a link to a file outside" in message
