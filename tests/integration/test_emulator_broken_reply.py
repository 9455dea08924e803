"""A failure after the emulator has started a reply: no second response in the same stream."""

from __future__ import annotations

import base64
import socket

import pytest

from triggersync.emulator import handler
from triggersync.emulator.server import Emulator


def _auth(emulator: Emulator) -> str:
    userpass = f"{emulator.credentials.email}:{emulator.credentials.password}"
    return "Basic " + base64.b64encode(userpass.encode()).decode()


def _get(emulator: Emulator, path: str) -> bytes:
    host = f"127.0.0.1:{emulator.port}"
    return (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {_auth(emulator)}\r\n\r\n".encode()
    )


def test_a_failure_after_the_headers_closes_without_a_second_response(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing real fails between the headers and the body, so a bug is planted there.
    send_headers = handler.Handler.end_headers

    def end_headers_then_fail(self: handler.Handler) -> None:
        send_headers(self)
        raise RuntimeError("planted failure after the headers went out")

    monkeypatch.setattr(handler.Handler, "end_headers", end_headers_then_fail)
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=10) as sock:
        sock.sendall(_get(emulator, "/_emulator/stats"))
        received = b""
        while chunk := sock.recv(65536):  # the server must close: the reply cannot be finished
            received += chunk
    assert received.startswith(b"HTTP/1.1 200 ")
    assert received.count(b"HTTP/1.1 ") == 1
    assert received.endswith(b"\r\n\r\n")  # the headers, and neither a body nor a 500 after them
    assert "unexpected failure handling GET /_emulator/stats" in caplog.text


def test_the_next_request_on_a_connection_can_still_get_a_500(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    # A reply started by an earlier request on this keep-alive connection must not stop a later
    # failure from being answered.
    stats, listing = _get(emulator, "/_emulator/stats"), _get(emulator, "/api/v2/chat/triggers")
    emulator.store.close()  # every query now raises sqlite3.ProgrammingError
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=10) as sock:
        sock.sendall(stats + listing)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    assert received.startswith(b"HTTP/1.1 200 ")
    assert b"HTTP/1.1 500 " in received
    assert received.endswith(b'{"error": "internal emulator error"}')
