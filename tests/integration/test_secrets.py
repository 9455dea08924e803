"""No credential in any output or written file: every command, every kind of credential,
success and failure (401, server down, 503, 500 on writes), always with -v where it exists.
"""

from __future__ import annotations

import base64
import json
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus

import loopback_tls
import pytest
from canned_http import Canned, canned_server
from click.testing import CliRunner
from clirun import Ran

import triggersync
from triggersync.api.client import Client
from triggersync.cli.main import cli
from triggersync.emulator.auth import TokenIssuer
from triggersync.emulator.server import Credentials, Emulator, Faults
from triggersync.errors import TransportError

SECRETS = Credentials(
    email="ops-7c1e@example.com",
    password="pw-Zq81/+secret",
    token="tok-4b2d+secret",
    client_id="cid-93af",
    client_secret="cs-e61f/secret",
)
MODES = {
    "basic": {"TRIGGERSYNC_EMAIL": SECRETS.email, "TRIGGERSYNC_PASSWORD": SECRETS.password},
    "token": {"TRIGGERSYNC_TOKEN": SECRETS.token},
    "oauth": {
        "TRIGGERSYNC_CLIENT_ID": SECRETS.client_id,
        "TRIGGERSYNC_CLIENT_SECRET": SECRETS.client_secret,
    },
}
EVERY = ("ok", "unauthorised", "down")  # every command, every kind of credential
CONFIG = """\
triggers:
  - name: Alpha
    description: changed
  - name: Beta
    description: new
"""
# Each command as (arguments after the command name), with {config}, {plan}, {out} filled in.
COMMANDS = {
    "validate": ["validate", "{config}"],
    "plan-text": ["plan", "{config}", "-v"],
    "plan-markdown": ["plan", "{config}", "-v", "--format", "markdown"],
    "plan-json": ["plan", "{config}", "-v", "--format", "json"],
    "plan-out": ["plan", "{config}", "-v", "--out", "{out}/plan.json"],
    "apply": ["apply", "{config}", "-v", "--yes"],
    "apply-plan": ["apply", "--plan", "{plan}", "-v"],
    "drift-text": ["drift", "{config}", "-v"],
    "drift-markdown": ["drift", "{config}", "-v", "--format", "markdown"],
    "drift-json": ["drift", "{config}", "-v", "--format", "json"],
    "export-stdout": ["export", "-v"],
    "export-file": ["export", "-v", "--out", "{out}/live.yaml"],
    "export-dir": ["export", "-v", "--out", "{out}/live/"],
}


# The failure paths beyond those: a 503 on the list (shared by every command that reads, so
# one of each kind), and 500s on writes (only apply writes).
SCENARIOS = [(command, scenario) for command in COMMANDS for scenario in EVERY]
SCENARIOS += [(c, "unavailable") for c in ("plan-out", "apply", "drift-text", "export-dir")]
SCENARIOS += [(c, "writes_fail") for c in ("apply", "apply-plan")]


def run_cli(*args: str, env: dict[str, str]) -> Ran:
    """The CLI in-process, as tests/integration/conftest.py's `run`, without its emulator."""
    result = CliRunner().invoke(cli, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def secret_forms() -> list[str]:
    """Each secret as it is, URL-encoded (as in a token request form), and the basic-auth
    header's base64 forms."""
    values = [SECRETS.password, SECRETS.token, SECRETS.client_secret]
    forms = [form for value in values for form in (value, quote(value, safe=""), quote_plus(value))]
    for user, password in [
        (SECRETS.email, SECRETS.password),
        (SECRETS.client_id, SECRETS.client_secret),
    ]:
        forms.append(base64.b64encode(f"{user}:{password}".encode()).decode())
    return sorted(set(forms))


@dataclass(frozen=True)
class Setup:
    emulator: Emulator
    env: dict[str, str]
    files: Path  # everything the command may write lives under here


@pytest.fixture
def secret_emulator() -> Iterator[Emulator]:
    with Emulator(port=0, credentials=SECRETS) as em:
        em.store.create({"name": "Alpha", "description": "old", "enabled": 1})
        em.store.create({"name": "Gamma", "description": "", "enabled": 1})
        yield em


def everything_written(root: Path) -> str:
    return "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    )


def make_plan_file(setup: Setup) -> Path:
    plan = setup.files / "saved-plan.json"
    made = run_cli("plan", str(setup.files / "config"), "--out", str(plan), env=setup.env)
    assert made.code == 0, made.stderr
    return plan


def break_it(scenario: str, emulator: Emulator) -> None:
    if scenario == "unauthorised":
        emulator.tokens = TokenIssuer(Credentials())  # the defaults: ours are now wrong
    elif scenario == "down":
        emulator.stop()
    elif scenario == "unavailable":
        emulator.faults = Faults(fail_rate=1.0)
    elif scenario == "writes_fail":
        emulator.faults = Faults(fail_names=frozenset({"Alpha", "Beta", "Gamma"}))


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize(("command", "scenario"), SCENARIOS)
def test_no_credential_in_any_output_or_file(
    secret_emulator: Emulator, tmp_path: Path, command: str, mode: str, scenario: str
) -> None:
    files = tmp_path / "written"
    (files / "config").mkdir(parents=True)
    (files / "config" / "triggers.yaml").write_text(CONFIG, encoding="utf-8")
    env = {
        **MODES[mode],
        "TRIGGERSYNC_API_URL": secret_emulator.url,
        "TRIGGERSYNC_TOKEN_URL": secret_emulator.token_url,
        "TRIGGERSYNC_MAX_ATTEMPTS": "2",
        "TRIGGERSYNC_RETRY_DELAY": "0",
        "GITHUB_STEP_SUMMARY": str(files / "summary.md"),
    }
    setup = Setup(secret_emulator, env, files)
    plan = make_plan_file(setup) if command == "apply-plan" else files / "none.json"
    break_it(scenario, secret_emulator)
    args = [arg.format(config=files / "config", plan=plan, out=files) for arg in COMMANDS[command]]
    ran = run_cli(*args, env=env)
    reads_only = not command.startswith("apply")
    if scenario == "ok" or command == "validate" or (scenario == "writes_fail" and reads_only):
        assert ran.code in (0, 2), ran.stderr  # the credentials really were used
    else:
        assert ran.code == 1
        assert ran.stderr.startswith("Error: ") or "\nError: " in ran.stderr
    seen = ran.stdout + ran.stderr + everything_written(files)
    for form in secret_forms():
        assert form not in seen
    # The -v log and any message may name the variables, never their values.
    assert SECRETS.email not in ran.stderr


def test_the_secret_forms_are_distinctive() -> None:
    forms = secret_forms()
    assert len(forms) >= 8
    assert all(len(form) >= 8 for form in forms)


def test_the_oauth_mode_really_is_used(secret_emulator: Emulator) -> None:
    # Guards the test above: OAuth reaches the emulator's token endpoint and is accepted.
    env = {
        **MODES["oauth"],
        "TRIGGERSYNC_API_URL": secret_emulator.url,
        "TRIGGERSYNC_TOKEN_URL": secret_emulator.token_url,
    }
    assert run_cli("export", env=env).code == 0
    assert secret_emulator.stats()["token"] == 1


# -- transport: TLS verified, the standard proxy and CA variables honoured --------------------

TRANSPORT_ENV = {"TRIGGERSYNC_TOKEN": "tok", "TRIGGERSYNC_MAX_ATTEMPTS": "1"}


def test_tls_verification_is_never_switched_off() -> None:
    for source in Path(triggersync.__file__).parent.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "verify=False" not in text, source
        assert ".verify = False" not in text, source


def test_a_certificate_nobody_trusts_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with loopback_tls.serve(tls=True) as (port, seen):
        env = {**TRANSPORT_ENV, "TRIGGERSYNC_API_URL": f"https://127.0.0.1:{port}/api/v2/chat"}
        with (
            Client.from_env(env) as client,
            pytest.raises(TransportError, match=r"TLS certificate .* not trusted"),
        ):
            client.list()
    assert seen == []  # the handshake failed: no request was ever made


def test_an_untrusted_certificate_is_not_retried(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    caplog.set_level(logging.INFO, logger="triggersync.http")
    with loopback_tls.serve(tls=True) as (port, _):
        env = {
            **TRANSPORT_ENV,
            "TRIGGERSYNC_MAX_ATTEMPTS": "5",
            "TRIGGERSYNC_RETRY_DELAY": "0",
            "TRIGGERSYNC_API_URL": f"https://127.0.0.1:{port}/api/v2/chat",
        }
        with Client.from_env(env) as client, pytest.raises(TransportError, match="not trusted"):
            client.list()
    assert len([r for r in caplog.records if r.name == "triggersync.http"]) == 1


def test_requests_ca_bundle_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(loopback_tls.CERT))
    with loopback_tls.serve(tls=True) as (port, seen):
        env = {**TRANSPORT_ENV, "TRIGGERSYNC_API_URL": f"https://127.0.0.1:{port}/api/v2/chat"}
        with Client.from_env(env) as client:
            assert client.list() == []
    assert seen == [("GET", "/api/v2/chat/triggers")]


def test_https_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    with loopback_tls.serve(tls=False) as (proxy_port, seen):
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy_port}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        env = {**TRANSPORT_ENV, "TRIGGERSYNC_API_URL": PROXIED_URL}
        with Client.from_env(env) as client, pytest.raises(TransportError):
            client.list()
    assert seen == [("CONNECT", "chat.example.com:9")]


def test_no_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    with loopback_tls.serve(tls=False) as (proxy_port, seen):
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy_port}")
        monkeypatch.setenv("NO_PROXY", "localhost")
        env = {**TRANSPORT_ENV, "TRIGGERSYNC_API_URL": "https://localhost:9/api/v2/chat"}
        with Client.from_env(env) as client, pytest.raises(TransportError, match="cannot connect"):
            client.list()
    assert seen == []


def test_loopback_is_never_proxied_whatever_no_proxy_says(monkeypatch: pytest.MonkeyPatch) -> None:
    with loopback_tls.serve(tls=False) as (proxy_port, seen):
        use_proxy(monkeypatch, f"http://127.0.0.1:{proxy_port}")
        monkeypatch.setenv("ALL_PROXY", f"http://127.0.0.1:{proxy_port}")
        env = {**TRANSPORT_ENV, "TRIGGERSYNC_API_URL": "https://localhost:9/api/v2/chat"}
        with Client.from_env(env) as client, pytest.raises(TransportError, match="cannot connect"):
            client.list()
    assert seen == []


def test_a_proxy_refusing_the_tunnel_fails_at_once_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="triggersync.http")
    with loopback_tls.serve(tls=False) as (proxy_port, seen):
        use_proxy(monkeypatch, f"http://127.0.0.1:{proxy_port}")
        env = {**RETRYING_ENV, "TRIGGERSYNC_API_URL": PROXIED_URL}
        with Client.from_env(env) as client, pytest.raises(TransportError, match="HTTPS_PROXY"):
            client.list()
    assert seen == [("CONNECT", "chat.example.com:9")]
    assert len([r for r in caplog.records if r.name == "triggersync.http"]) == 1


def test_a_proxy_that_is_down_fails_at_once_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="triggersync.http")
    use_proxy(monkeypatch, f"http://127.0.0.1:{free_port()}")
    env = {**RETRYING_ENV, "TRIGGERSYNC_API_URL": PROXIED_URL}
    with Client.from_env(env) as client, pytest.raises(TransportError, match="HTTPS_PROXY"):
        client.list()
    assert len([r for r in caplog.records if r.name == "triggersync.http"]) == 1


def test_a_proxy_error_never_shows_the_proxy_password(monkeypatch: pytest.MonkeyPatch) -> None:
    use_proxy(monkeypatch, f"http://proxy-user:proxy-pw-77c1@127.0.0.1:{free_port()}")
    env = {**TRANSPORT_ENV, "TRIGGERSYNC_API_URL": PROXIED_URL}
    with Client.from_env(env) as client, pytest.raises(TransportError) as caught:
        client.list()
    assert "proxy-pw-77c1" not in str(caught.value)


# Not loopback, so proxied; the proxy refuses or is down, so no name is ever looked up.
PROXIED_URL = "https://chat.example.com:9/api/v2/chat"
RETRYING_ENV = {**TRANSPORT_ENV, "TRIGGERSYNC_MAX_ATTEMPTS": "5", "TRIGGERSYNC_RETRY_DELAY": "0"}


def use_proxy(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("HTTPS_PROXY", url)
    for name in ("https_proxy", "all_proxy", "ALL_PROXY", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- a server that echoes every form of the credentials it was sent ---------------------------

ACCESS_TOKEN = "at-0b7e+granted/at-run-time"


def echoed_forms(mode: str) -> list[str]:
    """What a server could echo back of what each mode sends."""
    if mode == "basic":
        basic = base64.b64encode(f"{SECRETS.email}:{SECRETS.password}".encode()).decode()
        values = [SECRETS.password, basic, f"Basic {basic}", f"Basic {basic[:12]}"]
    elif mode == "token":
        values = [SECRETS.token, f"Bearer {SECRETS.token}"]
    else:
        values = [SECRETS.client_secret, ACCESS_TOKEN, f"Bearer {ACCESS_TOKEN}"]
    return values + [quote(value, safe="") for value in values] + [quote_plus(values[0])]


@pytest.mark.parametrize("mode", sorted(MODES))
def test_every_echoed_form_of_a_credential_is_masked(mode: str, tmp_path: Path) -> None:
    (tmp_path / "triggers.yaml").write_text(CONFIG, encoding="utf-8")
    forms = echoed_forms(mode)
    echo = json.dumps({"error": "you sent: " + " | ".join(forms)}).encode()
    grant = json.dumps({"access_token": ACCESS_TOKEN, "expires_in": 3600}).encode()
    with (
        canned_server(Canned(400, echo)) as (api, _),
        canned_server(Canned(200, grant)) as (token_base, _),
    ):
        env = {
            **MODES[mode],
            "TRIGGERSYNC_API_URL": api,
            "TRIGGERSYNC_TOKEN_URL": token_base + "/oauth2/token",
        }
        ran = run_cli("plan", str(tmp_path), "-v", env=env)
    assert ran.code == 1
    assert "Error: GET /triggers: HTTP 400: you sent: ***" in ran.stderr
    for form in forms:
        assert form not in ran.stdout + ran.stderr
