"""A lone surrogate in a live trigger: shown escaped, written as a JSON escape, never a crash.

JSON may spell a string that is not valid Unicode (`"\\ud800"`) and Python's json reads it as
a lone surrogate, which no UTF-8 writer accepts. A configuration file cannot hold one (YAML
readers refuse its escape), so export refuses such a trigger by name and exports the rest.
Each test drives the real CLI against a real loopback server that serves such triggers, so
every write (stdout, --out, the step summary) is a real UTF-8 write.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from canned_http import LOCK_PATH, Canned, canned_server, locked
from run_cli import listing, write_config
from run_cli import run_cli as run

LIVE = [
    {"id": 1, "name": "S", "description": "d\udfff", "enabled": 1},
    {"id": 2, "name": "T\udc00", "description": "", "enabled": 1},
    {"id": 3, "name": "U", "description": "plain", "enabled": 1},
]
# Declares the first (with another description: an update) and the third; not the second,
# which is deleted.
CONFIG = "triggers:\n  - name: S\n    description: new\n  - name: U\n    description: plain\n"


@pytest.fixture
def url() -> Iterator[str]:
    with canned_server(listing(LIVE)) as (base_url, _):
        yield base_url


@pytest.fixture
def config(tmp_path: Path) -> str:
    return write_config(tmp_path, CONFIG)


def test_a_text_plan_shows_them_escaped(url: str, config: str) -> None:
    code, stdout, stderr = run("plan", config, url=url)
    assert code == 0, stderr
    assert '  ~ update "S"\n      ~ description: "d\\udfff" -> "new"\n' in stdout
    assert '  - delete "T\\udc00"\n' in stdout


@pytest.mark.parametrize(
    "args",
    [["plan", "--format", "markdown"], ["drift"], ["drift", "--format", "markdown"]],
    ids=" ".join,
)
def test_a_report_shows_them_escaped(url: str, config: str, args: list[str]) -> None:
    code, stdout, stderr = run(args[0], config, *args[1:], url=url)
    assert code in (0, 2), stderr
    assert '"d\\udfff"' in stdout
    assert '"T\\udc00"' in stdout


def test_a_json_plan_writes_them_as_json_escapes(url: str, config: str) -> None:
    code, stdout, stderr = run("plan", config, "--format", "json", url=url)
    assert code == 0, stderr
    assert stdout.isascii()
    changes = json.loads(stdout)["changes"]
    assert [change["name"] for change in changes] == ["S", "T\udc00"]
    assert changes[0]["before"]["description"] == "d\udfff"


def test_a_saved_plan_writes_them_as_json_escapes(url: str, config: str, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    code, _, stderr = run("plan", config, "--out", str(out), url=url)
    assert code == 0, stderr
    assert json.loads(out.read_bytes())["state"]["live_names"] == ["S", "T\udc00", "U"]


def test_the_step_summary_shows_them_escaped(url: str, config: str, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    code, _, stderr = run("drift", config, url=url, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert code == 2, stderr
    assert '"T\\udc00"' in summary.read_text(encoding="utf-8")


def test_an_export_refuses_them_by_name_and_writes_the_rest(url: str) -> None:
    code, stdout, stderr = run("export", url=url)
    assert code == 1
    assert stderr == (
        'Error: not exported: "S": its description holds a lone surrogate, which is not '
        "Unicode text and which YAML cannot hold; fix it in Zendesk\n"
        'Error: not exported: "T\\udc00": its name holds a lone surrogate, which is not '
        "Unicode text and which YAML cannot hold; fix it in Zendesk\n"
    )
    assert [t["name"] for t in yaml.safe_load(stdout)["triggers"]] == ["U"]


def test_an_exported_directory_holds_the_rest_and_plans_only_their_deletion(
    url: str, tmp_path: Path
) -> None:
    target = tmp_path / "live"
    code, _, stderr = run("export", "--out", str(target), url=url)
    assert code == 1
    assert stderr.count("not exported") == 2
    assert [path.name for path in target.iterdir()] == ["u.yaml"]
    code, stdout, stderr = run("plan", str(target), url=url)
    assert code == 0, stderr
    assert stdout.endswith("Plan: 0 to create, 0 to update, 2 to delete.\n")


def test_an_apply_refuses_to_address_one_by_name_and_applies_the_rest(config: str) -> None:
    # A name that is not Unicode text cannot be percent-encoded into the API's path: that one
    # change fails with a message naming the trigger; the update of "S" still goes through.
    updated = {"id": 1, "name": "S", "description": "new", "enabled": 1}
    with canned_server(*locked(listing(LIVE), Canned(200, json.dumps(updated).encode()))) as (
        url,
        script,
    ):
        code, stdout, stderr = run("apply", config, "--yes", url=url)
    assert code == 1
    triggers = "/api/v2/chat/triggers"
    assert script.seen == [  # the lock taken and released; the list again under it
        ("GET", triggers),
        ("POST", triggers),
        ("GET", triggers),
        ("PUT", f"{triggers}/S"),
        ("GET", LOCK_PATH),  # still this run's
        ("DELETE", LOCK_PATH),
    ]
    assert (
        'Error: "T\\udc00": not sent: the name "T\\udc00" holds a lone surrogate, which is not '
        "Unicode text and cannot be written in a URL; rename or delete it in Zendesk"
    ) in stderr.splitlines()
    assert "Apply incomplete: 0 created, 1 updated, 0 deleted. 1 failed" in stdout
