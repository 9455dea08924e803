"""vcrpy cassettes: the client's real conversations with the emulator, replayed offline.

The cassettes under tests/cassettes/ were recorded against a live emulator and replay with
`record_mode="none"`: any request the client makes that is not in the cassette fails the test.
Re-record after changing what the client sends:

    TRIGGERSYNC_RECORD=1 .venv/bin/pytest tests/api/test_api_cassettes.py -o addopts=""
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import vcr
from click.testing import CliRunner
from requests.auth import HTTPBasicAuth

from triggersync.api.client import Client
from triggersync.cli.main import cli
from triggersync.emulator.server import Emulator
from triggersync.engine.lock import Holder
from triggersync.errors import NotFoundError

CASSETTES = Path(__file__).parent.parent / "cassettes"
RECORDING = os.environ.get("TRIGGERSYNC_RECORD") == "1"
REPLAY_URL = "http://127.0.0.1:8080/api/v2/chat"  # recorded URLs are rewritten to this
EMAIL, PASSWORD, TOKEN = "demo@example.com", "demo-password", "demo-token"
SECRETS = [
    PASSWORD,
    TOKEN,
    "demo-secret",
    base64.b64encode(f"{EMAIL}:{PASSWORD}".encode()).decode(),
]


def _recorded(request: vcr.request.Request) -> vcr.request.Request:
    """A request as recorded and matched: on a fixed port."""
    parts = urlsplit(request.uri)
    request.uri = urlunsplit(parts._replace(netloc="127.0.0.1:8080"))
    return request


# Who holds an apply's lock (user, host, pid, run id, time) differs on every run; one fixed
# holder, recording and replaying, makes the recorded lock this run's own, so its release is
# looked up and deleted on replay as it was live.
HOLDER = Holder(
    "tester@recorder, pid 1, run 0123456789ab",
    datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc),
    "0123456789ab",
)


RECORDER = vcr.VCR(
    cassette_library_dir=str(CASSETTES),
    record_mode="all" if RECORDING else "none",
    filter_headers=["authorization", "cookie", "set-cookie"],
    before_record_request=_recorded,
    match_on=["method", "scheme", "host", "port", "path", "query", "body"],
)


@pytest.fixture
def base_url() -> Iterator[str]:
    """A live emulator while recording; the recorded URL (no server at all) on replay."""
    if not RECORDING:
        yield REPLAY_URL
        return
    with Emulator(port=0) as emulator:
        yield emulator.url


def test_full_client_session_replays(base_url: str) -> None:
    with (
        RECORDER.use_cassette("client_session.yaml"),
        Client(base_url, HTTPBasicAuth(EMAIL, PASSWORD)) as client,
    ):
        assert client.list() == []
        client.create({"name": "Good Trigger", "description": "Visitor entered page"})
        assert client.show("Good Trigger").description == "Visitor entered page"
        new = {"name": "Best Trigger", "description": "Visitor requested new chat"}
        assert client.update("Good Trigger", new).name == "Best Trigger"
        assert [t.name for t in client.list()] == ["Best Trigger"]
        client.delete("Best Trigger")
        with pytest.raises(NotFoundError):
            client.show("Best Trigger")


def test_apply_sequence_replays(
    base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Holder, "this_run", classmethod(lambda cls, env=None, now=None: HOLDER))
    config = tmp_path / "triggers.yaml"
    config.write_text(
        "triggers:\n"
        "  - name: Good Trigger\n    description: Visitor entered page\n"
        "  - name: Better Trigger\n    description: Visitor requested chat\n    enabled: false\n"
    )
    env = {"TRIGGERSYNC_API_URL": base_url, "TRIGGERSYNC_TOKEN": TOKEN}
    runner = CliRunner()
    with RECORDER.use_cassette("apply_sequence.yaml"):
        applied = runner.invoke(cli, ["apply", str(config), "--yes", "--parallelism", "1"], env=env)
        replanned = runner.invoke(cli, ["plan", str(config), "--detailed-exitcode"], env=env)
    assert applied.exit_code == 0, applied.stderr
    assert "lock" not in applied.stderr  # taken and released as this run's
    assert applied.stdout.endswith("Apply complete: 2 created, 0 updated, 0 deleted.\n")
    assert (replanned.exit_code, replanned.stdout) == (0, "No changes.\n")


@pytest.mark.parametrize("cassette", sorted(CASSETTES.glob("*.yaml")), ids=lambda p: p.name)
def test_no_credential_in_any_cassette(cassette: Path) -> None:
    text = cassette.read_text()
    leaked = [secret for secret in SECRETS if secret in text]
    assert leaked == []
    assert "authorization" not in text.lower()
