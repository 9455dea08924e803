"""Real API clients for the tests' loopback servers (tests/canned_http.py) and the emulator.

Nothing is mocked: each client talks real HTTP. Retries keep their count but never wait.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import requests
from canned_http import Canned, Script, canned_server
from requests.auth import HTTPBasicAuth
from virtual_time import FastForwardThrottle, VirtualClock

from triggersync.api import transport
from triggersync.api.auth import ClientCredentialsAuth
from triggersync.api.client import Client
from triggersync.api.retry import RetryPolicy
from triggersync.emulator.server import Emulator

FAST = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0)
EMAIL, PASSWORD = "ops-7c1e@example.com", "pw-Zq81/+secret"
BASIC = base64.b64encode(f"{EMAIL}:{PASSWORD}".encode()).decode()
ACCESS_TOKEN = "at-5f0c1e9d/granted+at-run-time"
CLIENT_SECRET = "cs-e61f/secret"
TOKEN_ANSWER = json.dumps({"access_token": ACCESS_TOKEN, "expires_in": 3600}).encode()
MADE = json.dumps({"id": 7, "name": "T", "description": "d", "enabled": 1}).encode()


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def basic_client(
    url: str,
    *,
    policy: RetryPolicy = FAST,
    timeout: float = transport.DEFAULT_TIMEOUT,
    max_answer: int = transport.MAX_ANSWER,
) -> Client:
    """Basic auth with EMAIL and PASSWORD: what a canned server may echo back."""
    auth = HTTPBasicAuth(EMAIL, PASSWORD)
    return Client(
        url, auth, policy=policy, sleep=lambda _: None, timeout=timeout, max_answer=max_answer
    )


def emulator_client(emulator: Emulator, policy: RetryPolicy = FAST) -> Client:
    auth = HTTPBasicAuth(emulator.credentials.email, emulator.credentials.password)
    return Client(emulator.url, auth, policy=policy, sleep=lambda _: None)


def oauth_client(
    api_url: str,
    token_url: str,
    *,
    client_id: str = "cid-93af",
    secret: str = CLIENT_SECRET,
    clock: Callable[[], float] = time.monotonic,
    timeout: float = transport.DEFAULT_TIMEOUT,
) -> Client:
    session = requests.Session()
    auth = ClientCredentialsAuth(token_url, client_id, secret, session, clock=clock)
    return Client(
        api_url, auth, session=session, policy=FAST, sleep=lambda _: None, timeout=timeout
    )


@contextmanager
def token_server(*answers: Canned) -> Iterator[tuple[str, Script]]:
    """An OAuth token endpoint; yields (token_url, script)."""
    with canned_server(*(answers or (Canned(200, TOKEN_ANSWER),))) as (url, script):
        yield origin(url) + "/oauth2/token", script


def redirect(to: str, status: int = 307) -> Canned:
    return Canned(status, b"", {"Location": to})


@contextmanager
def canned(*responses: Canned, policy: RetryPolicy = FAST) -> Iterator[tuple[Client, Script]]:
    """A basic-auth client of a canned server."""
    with canned_server(*responses) as (url, script), basic_client(url, policy=policy) as client:
        yield client, script


@contextmanager
def fast_forward(
    *responses: Canned, policy: RetryPolicy = FAST
) -> Iterator[tuple[Client, Script, FastForwardThrottle]]:
    """A client of a canned server whose throttle skips every pause a 429 asks for."""
    with canned(*responses, policy=policy) as (client, script):
        throttle = FastForwardThrottle(4, VirtualClock())
        client.throttle = throttle
        yield client, script, throttle
