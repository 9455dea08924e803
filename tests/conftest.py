"""Shared fixtures: a real emulator on loopback, and an environment free of real credentials."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest
import requests
from requests.auth import HTTPBasicAuth

from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy
from triggersync.emulator.server import Credentials, Emulator

# A runner may start the suite with Ctrl-C ignored (a background job of a non-interactive shell
# is, and `nohup ... &` is): the CLI subprocesses would inherit that, and the tests that press
# Ctrl-C on them would hang until their timeouts. Python handles Ctrl-C here as in a terminal,
# so the children start with its default and install their own handler.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's own TRIGGERSYNC_* settings (or real credentials)."""
    for name in list(os.environ):
        if name.startswith("TRIGGERSYNC_"):
            monkeypatch.delenv(name)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """An in-process emulator on a free loopback port, in-memory, default credentials."""
    with Emulator(port=0, credentials=Credentials()) as em:
        yield em


@pytest.fixture
def emulator_env(emulator: Emulator) -> dict[str, str]:
    """The variables that point the CLI at `emulator` with basic auth."""
    return {
        "TRIGGERSYNC_API_URL": emulator.url,
        "TRIGGERSYNC_EMAIL": emulator.credentials.email,
        "TRIGGERSYNC_PASSWORD": emulator.credentials.password,
    }


@pytest.fixture
def emulator_session(emulator: Emulator) -> Iterator[requests.Session]:
    """A session authenticated against `emulator`, ignoring any proxy settings."""
    with requests.Session() as session:
        session.trust_env = False  # loopback must never go through HTTP(S)_PROXY
        session.auth = (emulator.credentials.email, emulator.credentials.password)
        yield session


@pytest.fixture
def emulator_client(emulator: Emulator) -> Iterator[Client]:
    """A Client of `emulator` with basic auth that retries (up to 4 attempts) without waiting."""
    auth = HTTPBasicAuth(emulator.credentials.email, emulator.credentials.password)
    policy = RetryPolicy(max_attempts=4, base_delay=0.0, max_delay=0.0)
    with Client(emulator.url, auth, policy=policy) as made:
        yield made
