"""Requests no real client sends, over raw sockets to the real emulator: each gets a clear 4xx
with a JSON error where HTTP allows one, and never a traceback in the emulator's log."""

from __future__ import annotations

import base64
import json
import logging
import socket
from collections.abc import Iterator

import pytest

from triggersync.emulator import handler
from triggersync.emulator.server import Emulator


@pytest.fixture(autouse=True)
def no_traceback(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.INFO, logger="triggersync.emulator")
    yield
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []


def _auth(emulator: Emulator) -> str:
    userpass = f"{emulator.credentials.email}:{emulator.credentials.password}"
    return "Basic " + base64.b64encode(userpass.encode()).decode()


def _request(
    emulator: Emulator,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    host: str | None = None,
    length: int | None = None,
    auth: bool = True,
    content_type: str | None = "application/json",
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1"]
    lines.append(f"Host: {host if host is not None else f'127.0.0.1:{emulator.port}'}")
    if auth:
        lines.append(f"Authorization: {_auth(emulator)}")
    if body and content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    lines.append(f"Content-Length: {len(body) if length is None else length}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _exchange(emulator: Emulator, data: bytes, *, half_close: bool = False) -> bytes:
    """Send `data` on a new connection and read until the emulator closes it."""
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=10) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def _status_and_error(reply: bytes) -> tuple[int, str]:
    head, _, body = reply.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert b"Content-Type: application/json" in head
    error: str = json.loads(body)["error"]
    return status, error


# -- request lines the parser cannot read ----------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [b"GARBAGE\r\n\r\n", b"\x00\xff\xfe\x80 binary\r\n\r\n", b"GET / HTTP/1.1 extra words\r\n\r\n"],
    ids=["word", "binary", "too-many-words"],
)
def test_a_request_line_that_is_not_http_is_a_json_400(emulator: Emulator, line: bytes) -> None:
    status, error = _status_and_error(_exchange(emulator, line))
    assert status == 400
    assert "Bad" in error


def test_an_unknown_method_is_a_json_501(emulator: Emulator) -> None:
    status, _ = _status_and_error(_exchange(emulator, _request(emulator, "BREW", "/")))
    assert status == 501


# -- text that is not Unicode ----------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_a_lone_surrogate_in_the_path_is_a_400(emulator: Emulator, method: str) -> None:
    path = "/api/v2/chat/triggers/%ED%A0%80"
    reply = _exchange(emulator, _request(emulator, method, path, b"{}" if method == "PUT" else b""))
    assert _status_and_error(reply) == (400, "the trigger name is not valid UTF-8")


@pytest.mark.parametrize(
    "body",
    [
        {"name": "\ud800"},
        {"name": "T", "description": "\udfff"},
        {"name": "T", "definition": {"event": "x", "\ud800": 1}},
        {"name": "T", "tags": ["\ud800"]},
    ],
    ids=["name", "description", "definition-key", "extra-field"],
)
def test_a_lone_surrogate_in_a_json_body_is_a_400(emulator: Emulator, body: object) -> None:
    raw = json.dumps(body).encode()  # ASCII: the surrogate goes as a \\ud800 escape
    reply = _exchange(emulator, _request(emulator, "POST", "/api/v2/chat/triggers", raw))
    status, error = _status_and_error(reply)
    assert status == 400
    assert "not valid Unicode" in error
    assert emulator.store.list() == []


def test_a_lone_surrogate_in_an_update_is_a_400(emulator: Emulator) -> None:
    emulator.store.create({"name": "T"})
    raw = json.dumps({"name": "\ud800"}).encode()
    reply = _exchange(emulator, _request(emulator, "PUT", "/api/v2/chat/triggers/T", raw))
    assert _status_and_error(reply)[0] == 400
    assert [t["name"] for t in emulator.store.list()] == ["T"]


def test_a_surrogate_pair_is_a_character_and_fine(emulator: Emulator) -> None:
    raw = json.dumps({"name": "rocket \U0001f680"}).encode()  # sent as \\ud83d\\ude80
    reply = _exchange(emulator, _request(emulator, "POST", "/api/v2/chat/triggers", raw))
    assert reply.startswith(b"HTTP/1.1 201 ")
    assert emulator.store.list()[0]["name"] == "rocket \U0001f680"


# -- what a page in a browser could send ------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
    ids=["none", "text", "form", "multipart"],
)
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_body_not_sent_as_json_is_a_415_and_changes_nothing(
    emulator: Emulator, method: str, content_type: str | None
) -> None:
    emulator.store.create({"name": "T"})
    path = "/api/v2/chat/triggers" + ("/T" if method == "PUT" else "")
    raw = json.dumps({"name": "Made by a page"}).encode()
    request = _request(emulator, method, path, raw, content_type=content_type)
    status, error = _status_and_error(_exchange(emulator, request))
    assert (status, error) == (
        415,
        "the body must be JSON, sent with Content-Type: application/json",
    )
    assert [t["name"] for t in emulator.store.list()] == ["T"]


def test_json_with_a_charset_is_json(emulator: Emulator) -> None:
    raw = json.dumps({"name": "T"}).encode()
    request = _request(
        emulator,
        "POST",
        "/api/v2/chat/triggers",
        raw,
        content_type="Application/JSON; charset=utf-8",
    )
    assert _exchange(emulator, request).startswith(b"HTTP/1.1 201 ")


def test_a_refused_login_never_asks_a_browser_for_one(emulator: Emulator) -> None:
    reply = _exchange(emulator, _request(emulator, "GET", "/api/v2/chat/triggers", auth=False))
    head = reply.partition(b"\r\n\r\n")[0]
    assert head.startswith(b"HTTP/1.1 401 ")
    assert b"www-authenticate" not in head.lower()


# -- a body shorter than its Content-Length ---------------------------------------------------


def test_a_body_cut_short_by_a_half_close_is_a_400_and_changes_nothing(emulator: Emulator) -> None:
    body = b'{"name": "T"}'  # valid JSON on its own: still not the body that was announced
    request = _request(emulator, "POST", "/api/v2/chat/triggers", body, length=len(body) + 50)
    reply = _exchange(emulator, request, half_close=True)
    status, error = _status_and_error(reply)
    assert status == 400
    assert f"ended after {len(body)} of its {len(body) + 50} bytes" in error
    assert emulator.store.list() == []


def test_a_body_that_stops_coming_is_a_408(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The connection stays open: the emulator's own idle timeout (shortened) ends the wait.
    monkeypatch.setattr(handler.Handler, "timeout", 1.0)
    request = _request(emulator, "POST", "/api/v2/chat/triggers", b'{"na', length=100)
    status, _ = _status_and_error(_exchange(emulator, request))
    assert status == 408
    assert emulator.store.list() == []


# -- Host: only the names this emulator answers to --------------------------------------------


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "evil.example", "127.0.0.1:{other}", "localhost", ""]
)
def test_a_host_that_is_not_this_emulator_is_a_421(emulator: Emulator, host: str) -> None:
    named = host.format(port=emulator.port, other=emulator.port + 1)
    reply = _exchange(emulator, _request(emulator, "GET", "/api/v2/chat/triggers", host=named))
    status, error = _status_and_error(reply)
    assert status == 421
    assert f"localhost:{emulator.port}" in error


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}"])
def test_the_loopback_names_with_the_port_are_served(emulator: Emulator, host: str) -> None:
    named = host.format(port=emulator.port)
    reply = _exchange(emulator, _request(emulator, "GET", "/api/v2/chat/triggers", host=named))
    assert reply.startswith(b"HTTP/1.1 200 ")


def test_a_request_without_a_host_is_a_400(emulator: Emulator) -> None:
    request = b"GET /api/v2/chat/triggers HTTP/1.1\r\nConnection: close\r\n\r\n"
    assert _status_and_error(_exchange(emulator, request))[0] == 400


def test_a_request_with_two_hosts_is_a_400(emulator: Emulator) -> None:
    request = _request(emulator, "GET", "/api/v2/chat/triggers").replace(
        b"\r\n\r\n", b"\r\nHost: evil.example\r\n\r\n", 1
    )
    assert _status_and_error(_exchange(emulator, request))[0] == 400


def test_the_ipv6_loopback_with_the_port_is_served() -> None:
    with Emulator(host="::1") as em, socket.create_connection(("::1", em.port), timeout=10) as s:
        s.sendall(_request(em, "GET", "/api/v2/chat/triggers", host=f"[::1]:{em.port}"))
        assert s.recv(65536).startswith(b"HTTP/1.1 200 ")


# -- the stats endpoint ----------------------------------------------------------------------


def test_stats_without_credentials_are_a_401(emulator: Emulator) -> None:
    reply = _exchange(emulator, _request(emulator, "GET", "/_emulator/stats", auth=False))
    assert _status_and_error(reply) == (401, "invalid credentials")


def test_stats_with_credentials_are_served(emulator: Emulator) -> None:
    reply = _exchange(emulator, _request(emulator, "GET", "/_emulator/stats"))
    assert reply.startswith(b"HTTP/1.1 200 ")
