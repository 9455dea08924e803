"""A credential echoed back by a server is masked however the output escapes it: a hidden
character written as `\\u200b`, `##[` written as `##\\u005b` under GitHub Actions, a trigger
name, a plan in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from canned_http import Canned, canned_server
from run_cli import run_cli, write_config

SECRETS = {
    "zero-width": {
        "TRIGGERSYNC_EMAIL": "ops@example.com",
        "TRIGGERSYNC_PASSWORD": "pa\u200bss-9f3k",
    },
    "old-command": {"TRIGGERSYNC_TOKEN": "tok##[en]-9f3k"},
    "slash": {"TRIGGERSYNC_TOKEN": "tok/en\\9f3k"},
}


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("mode", sorted(SECRETS))
def test_a_credential_echoed_in_a_live_name_is_masked_in_every_format(
    tmp_path: Path, mode: str, fmt: str
) -> None:
    env = {"TRIGGERSYNC_TOKEN": "", "GITHUB_ACTIONS": "true", **SECRETS[mode]}
    secret = SECRETS[mode].get("TRIGGERSYNC_TOKEN") or SECRETS[mode]["TRIGGERSYNC_PASSWORD"]
    # The server echoes the credential as the name of a trigger, written with `\/`.
    body = json.dumps([{"name": f"echo {secret} end", "enabled": 1}]).replace("/", "\\/")
    config = write_config(tmp_path, "triggers: []\n")
    with canned_server(Canned(200, body.encode())) as (url, _):
        code, out, err = run_cli("plan", config, "--format", fmt, url=url, env=env)
    assert code == 0, err
    shown = out + err
    assert "9f3k" not in shown
    assert "***" in out
    if fmt == "json":
        json.loads(out)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_json_escaped_echo_of_a_credential_inside_a_name_is_masked(
    tmp_path: Path, fmt: str
) -> None:
    secret = "tok/en-9f3k"
    # The server quotes the request it got (`\/` for `/`) inside a trigger's name.
    name = "you sent " + json.dumps({"token": secret}).replace("/", "\\/")
    body = json.dumps([{"name": name, "enabled": 1}])
    config = write_config(tmp_path, "triggers: []\n")
    with canned_server(Canned(200, body.encode())) as (url, _):
        code, out, err = run_cli(
            "plan", config, "--format", fmt, url=url, env={"TRIGGERSYNC_TOKEN": secret}
        )
    assert code == 0, err
    assert "9f3k" not in out + err


@pytest.mark.parametrize("token", ["null", "true", "1234"])
def test_a_credential_spelled_like_json_keeps_the_json_plan_valid(
    tmp_path: Path, token: str
) -> None:
    body = json.dumps([{"name": "A", "enabled": 1}])
    config = write_config(tmp_path, "triggers: []\nignore: []\n")
    with canned_server(Canned(200, body.encode())) as (url, _):
        code, out, err = run_cli(
            "plan", config, "--format", "json", url=url, env={"TRIGGERSYNC_TOKEN": token}
        )
    assert code == 0, err
    assert json.loads(out)["format_version"] == 1


def test_a_saved_plan_stays_valid_json_with_a_credential_spelled_null(tmp_path: Path) -> None:
    body = json.dumps([{"name": "A", "enabled": 1}])
    config = write_config(tmp_path, "triggers: []\n")
    saved = tmp_path / "plan.json"
    with canned_server(Canned(200, body.encode())) as (url, _):
        code, _out, err = run_cli(
            "plan", config, "--out", str(saved), url=url, env={"TRIGGERSYNC_TOKEN": "null"}
        )
    assert code == 0, err
    assert json.loads(saved.read_text())["changes"][0]["after"] is None
