"""Every form in which a server may echo a credential back is masked: percent-encoded in
either case, JSON with escaped slashes, HTML-escaped, base64 of the secret alone, base64url of
basic auth's `user:password`. A secret too short to tell from ordinary text is not masked in
free text, which would garble every message and give its characters away."""

from __future__ import annotations

import base64
import html
import re
from urllib.parse import quote

import pytest
from api_clients import FAST
from canned_http import Canned, canned_server

from triggersync.api.auth import BasicAuth, BearerAuth
from triggersync.api.client import Client
from triggersync.errors import ApiError

USER, PASSWORD = "me@x.com", "Pa55/w+rd&x=yz~long"
TOKEN = "at-5f0c1e9d/granted+at-run-time"
USER_PASS = f"{USER}:{PASSWORD}".encode()


def lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda match: match[0].lower(), text)


def every_byte_encoded(text: str) -> str:
    """Percent-encoding of everything but letters and digits (`~` as %7E too, as some
    encoders do)."""
    return "".join(
        char if char.isascii() and char.isalnum() else "".join(f"%{b:02X}" for b in char.encode())
        for char in text
    )


BASIC_ECHOES = {
    "percent-lowercase": lower_hex(quote(PASSWORD, safe="")),
    "percent-every-byte-lowercase": lower_hex(every_byte_encoded(PASSWORD)),
    "percent-every-byte": every_byte_encoded(PASSWORD),
    "json-escaped-slashes": PASSWORD.replace("/", "\\/"),
    "html-escaped": html.escape(PASSWORD),
    "base64-password-alone": base64.b64encode(PASSWORD.encode()).decode(),
    "base64url-user-password": base64.urlsafe_b64encode(USER_PASS).decode(),
}


@pytest.mark.parametrize("echo", BASIC_ECHOES.values(), ids=BASIC_ECHOES.keys())
def test_an_echoed_basic_credential_is_masked_in_every_form(echo: str) -> None:
    answer = Canned(400, f"bad credential {echo} given".encode(), {"Content-Type": "text/plain"})
    with (
        canned_server(answer) as (api, _),
        Client(api, BasicAuth(USER, PASSWORD), policy=FAST) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.list()
    assert str(caught.value) == "GET /triggers: HTTP 400: bad credential *** given"


def test_the_base64_of_an_echoed_bearer_token_is_masked() -> None:
    echo = base64.b64encode(TOKEN.encode()).decode()
    answer = Canned(400, f"bad token {echo} given".encode(), {"Content-Type": "text/plain"})
    with (
        canned_server(answer) as (api, _),
        Client(api, BearerAuth(TOKEN), policy=FAST) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.list()
    assert str(caught.value) == "GET /triggers: HTTP 400: bad token *** given"


@pytest.mark.parametrize("token", ["x", "ex", "pec"])
def test_a_secret_shorter_than_four_characters_is_not_masked_in_free_text(token: str) -> None:
    words = "unexpected field at /triggers"
    answer = Canned(400, f'{{"error": "{words}"}}'.encode())
    with (
        canned_server(answer) as (api, _),
        Client(api, BearerAuth(token), policy=FAST) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.list()
    assert str(caught.value) == f"GET /triggers: HTTP 400: {words}"


def test_a_secret_of_four_characters_is_masked() -> None:
    answer = Canned(400, b'{"error": "bad token t0k3"}')
    with (
        canned_server(answer) as (api, _),
        Client(api, BearerAuth("t0k3"), policy=FAST) as client,
        pytest.raises(ApiError) as caught,
    ):
        client.list()
    assert str(caught.value) == "GET /triggers: HTTP 400: bad token ***"
