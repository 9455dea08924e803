"""Hostile input wherever input enters: YAML files, plan files, server answers.

Each gives one clear error (or works); none a traceback, a hang or a memory blow-up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from canned_http import Canned, canned_server
from click.testing import CliRunner
from requests.auth import HTTPBasicAuth

from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy
from triggersync.cli.main import cli
from triggersync.config import reader
from triggersync.emulator.server import Emulator

FAST = RetryPolicy(max_attempts=2, base_delay=0.0, max_delay=0.0)
ESCAPES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # anything a terminal could act on
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)
EVIL = "Evil\x1b[2J\x1b]0;pwned\x07\r\x00name"


def cli_run(*args: str, api_url: str = "http://127.0.0.1:9/api/v2/chat") -> tuple[int, str, str]:
    env = {
        "TRIGGERSYNC_API_URL": api_url,
        "TRIGGERSYNC_EMAIL": "demo@example.com",
        "TRIGGERSYNC_PASSWORD": "demo-password",
        "TRIGGERSYNC_RETRY_DELAY": "0",
        "TRIGGERSYNC_MAX_ATTEMPTS": "2",
    }
    result = CliRunner().invoke(cli, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a bug
    return result.exit_code, result.stdout, result.stderr


def validate(tmp_path: Path, content: str | bytes) -> tuple[int, str]:
    path = tmp_path / "triggers.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code, _, stderr = cli_run("validate", str(path))
    return code, stderr


# -- YAML -------------------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_by_the_expansion_bound(tmp_path: Path) -> None:
    # 10**9 nodes if expanded; refused from the node graph, before anything is expanded.
    code, stderr = validate(tmp_path, BOMB)
    assert code == 1
    assert "aliases expand to" in stderr
    assert str(reader.MAX_ALIAS_EXPANSION)[:3] in stderr.replace(",", "")


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    code, stderr = validate(tmp_path, "triggers:\n  - name: " + "[" * 70 + "]" * 70 + "\n")
    assert code == 1
    assert f"nested deeper than {reader.MAX_YAML_DEPTH}" in stderr


def test_nesting_beyond_the_parser_limit_is_a_syntax_error(tmp_path: Path) -> None:
    code, stderr = validate(tmp_path, "triggers:\n  - name: " + "[" * 5000 + "]" * 5000 + "\n")
    assert code == 1
    assert stderr.startswith("Error: ")  # libyaml: "exceeded maximum nesting depth"


def test_very_deep_flow_nesting_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    code, stderr = validate(tmp_path, "a: " + "{b: " * 20000 + "1" + "}" * 20000 + "\n")
    assert code == 1
    assert stderr.startswith("Error: ")


def test_an_object_tag_is_refused(tmp_path: Path) -> None:
    code, stderr = validate(tmp_path, "triggers:\n  - !!python/object/apply:os.getpid []\n")
    assert code == 1
    assert "'!!python/object/apply:os.getpid' is not allowed" in stderr


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: the size is real, the disk use is not
        handle.truncate(reader.MAX_FILE_BYTES + 1)
    code, _, stderr = cli_run("validate", str(path))
    assert code == 1
    assert "the limit is 64 MiB" in stderr


def test_non_utf8_is_one_clear_error(tmp_path: Path) -> None:
    code, stderr = validate(tmp_path, b"triggers:\n  - name: caf\xe9\n")
    assert code == 1
    assert "not valid UTF-8" in stderr


def test_a_binary_file_is_one_clear_error(tmp_path: Path) -> None:
    code, stderr = validate(tmp_path, bytes(range(256)) * 4)
    assert code == 1
    assert stderr.startswith("Error: ")


# -- plan files -------------------------------------------------------------------------------


def apply_plan_file(tmp_path: Path, content: str | None = None) -> tuple[int, str]:
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, _, stderr = cli_run("apply", "--plan", str(path))
    return code, stderr


def test_a_huge_plan_file_is_refused_unread(tmp_path: Path) -> None:
    with (tmp_path / "plan.json").open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)
    code, stderr = apply_plan_file(tmp_path)
    assert code == 1
    assert "too large for a plan file" in stderr


def test_deeply_nested_plan_json_is_a_plan_file_error(tmp_path: Path) -> None:
    code, stderr = apply_plan_file(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert code == 1
    assert "not a plan file" in stderr


def test_a_deep_definition_inside_a_plan_is_a_clean_error_or_works(tmp_path: Path) -> None:
    deep: object = 1
    for _ in range(900):
        deep = [deep]
    change = {"action": "create", "name": "X", "before": None}
    change["after"] = {"name": "X", "description": "", "enabled": 1, "definition": deep}
    document = {
        "format_version": 1,
        "summary": {"create": 1, "update": 0, "delete": 0},
        "changes": [change],
        "state": {
            "base_url": None,
            "live_names": [],
            "fingerprints": {},
            "ignore": [],
            "owned_live": 0,
        },
    }
    code, stderr = apply_plan_file(tmp_path, json.dumps(document))
    assert code == 1  # refused by the plan check or the (absent) server; either way cleanly
    assert stderr.startswith("Error: ")


def test_a_plan_file_that_is_not_utf8_is_a_plan_file_error(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_bytes(b'{"format_version": 1, "x": "\xff"}')
    code, stderr = apply_plan_file(tmp_path)
    assert code == 1
    assert "not a plan file" in stderr


# -- server answers ---------------------------------------------------------------------------


@pytest.fixture
def empty_config(tmp_path: Path) -> str:
    path = tmp_path / "config" / "triggers.yaml"
    path.parent.mkdir()
    path.write_text("triggers: []\n", encoding="utf-8")
    return str(path.parent)


def test_an_html_error_page_is_one_line_of_its_text(empty_config: str) -> None:
    page = b"<!DOCTYPE html><html><head><title>Oops</title></head><body>\n<h1>Service down</h1>"
    with canned_server(Canned(500, page, {"Content-Type": "text/html"})) as (url, _):
        code, stdout, stderr = cli_run("plan", empty_config, api_url=url)
    assert (code, stdout) == (1, "")
    # The retries announced at the first 500, then the one error, each on one line.
    assert stderr.endswith("\nError: GET /triggers: HTTP 500: Oops Service down\n")
    assert stderr.startswith("GET /triggers: HTTP 500: Oops Service down; retrying for up to ")
    assert stderr.count("\n") == 2


def test_a_non_json_success_is_one_clear_error(empty_config: str) -> None:
    with canned_server(Canned(200, b"\x89PNG\r\n\x1a\n", {"Content-Type": "image/png"})) as (
        url,
        _,
    ):
        code, _, stderr = cli_run("plan", empty_config, api_url=url)
    assert code == 1
    assert stderr == "Error: GET /triggers: the answer is not JSON (image/png)\n"


@pytest.mark.parametrize(
    "body",
    [b"null", b'"triggers"', b"{}", b'[{"name": null}]'],
)
def test_a_list_of_the_wrong_shape_is_one_clear_error(empty_config: str, body: bytes) -> None:
    with canned_server(Canned(200, body)) as (url, _):
        code, _, stderr = cli_run("plan", empty_config, api_url=url)
    assert code == 1
    assert stderr.startswith("Error: GET /triggers: ")
    assert stderr.count("\n") == 1


@pytest.fixture
def twenty_thousand() -> Iterator[str]:
    triggers = [
        {"id": i, "name": f"T{i:05}", "description": "", "enabled": 1} for i in range(20000)
    ]
    with canned_server(Canned(200, json.dumps(triggers).encode())) as (url, _):
        yield url


def test_a_list_of_twenty_thousand_triggers_parses(twenty_thousand: str) -> None:
    with Client(twenty_thousand, HTTPBasicAuth("u", "p"), policy=FAST) as client:
        live = client.list()
    assert len(live) == 20000
    assert live[-1].name == "T19999"


def test_a_plan_over_twenty_thousand_triggers_works(
    twenty_thousand: str, empty_config: str
) -> None:
    code, stdout, _ = cli_run("plan", empty_config, "--no-prune", api_url=twenty_thousand)
    assert (code, stdout) == (0, "No changes.\n")


@pytest.fixture
def evil_live(emulator: Emulator) -> str:
    emulator.store.create({"name": EVIL, "description": "d\x1b[31m", "enabled": 1})
    return emulator.url


@pytest.mark.parametrize(
    "args",
    [
        ["plan"],
        ["plan", "--format", "markdown"],
        ["plan", "--format", "json"],
        ["drift"],
        ["drift", "--format", "markdown"],
    ],
)
def test_control_characters_in_names_never_reach_stdout_raw(
    evil_live: str, empty_config: str, args: list[str]
) -> None:
    code, stdout, _ = cli_run(args[0], empty_config, *args[1:], api_url=evil_live)
    assert code in (0, 2)
    assert "Evil" in stdout
    assert not ESCAPES.search(stdout)


def test_control_characters_in_an_export_are_escaped(evil_live: str) -> None:
    code, stdout, _ = cli_run("export", api_url=evil_live)
    assert code == 0
    assert "Evil" in stdout
    assert not ESCAPES.search(stdout)


def test_control_characters_in_a_failure_message_are_escaped(
    emulator: Emulator, evil_live: str, empty_config: str
) -> None:
    emulator.store.create({"name": "Other", "description": "", "enabled": 1})
    emulator.faults.fail_names = frozenset({EVIL})
    code, _, stderr = cli_run("apply", empty_config, "--yes", "--force", api_url=evil_live)
    assert code == 1
    assert '"Evil\\u001b[2J' in stderr
    assert not ESCAPES.search(stderr)


HIDDEN = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202a\u202e\u2066\u2069\u2028\u2029\x85"


@pytest.fixture
def hidden_live(emulator: Emulator) -> str:
    emulator.store.create({"name": f"A{HIDDEN}", "description": f"d{HIDDEN}", "enabled": 1})
    return emulator.url


@pytest.mark.parametrize(
    "args",
    [
        ["plan"],
        ["plan", "--format", "markdown"],
        ["drift"],
        ["drift", "--format", "markdown"],
    ],
)
def test_bidi_and_zero_width_characters_never_reach_stdout_raw(
    hidden_live: str, empty_config: str, args: list[str]
) -> None:
    code, stdout, _ = cli_run(args[0], empty_config, *args[1:], api_url=hidden_live)
    assert code in (0, 2)
    assert '"A\\u200b\\u200c' in stdout
    assert not set(stdout) & set(HIDDEN)


def test_bidi_and_zero_width_characters_in_an_export_are_escaped(hidden_live: str) -> None:
    code, stdout, _ = cli_run("export", api_url=hidden_live)
    assert code == 0
    assert not set(stdout) & set(HIDDEN)
    assert yaml.safe_load(stdout)["triggers"][0]["name"] == f"A{HIDDEN}"


def test_a_line_separator_in_a_name_forges_no_line_of_a_cut_markdown_plan(
    emulator: Emulator, empty_config: str
) -> None:
    for i in range(40):
        name = f'Trigger {i:02} {"x" * 40}\u2028+ create "forged"'
        emulator.store.create({"name": name, "description": "", "enabled": 1})
    args = ["plan", empty_config, "--format", "markdown", "--max-chars", "1000"]
    code, stdout, _ = cli_run(*args, api_url=emulator.url)
    assert code == 0
    assert "plan truncated" in stdout
    assert [line for line in stdout.split("\n") if line.startswith("+")] == []
