"""Loopback servers for transport tests: HTTPS with a self-signed certificate, and a proxy
that records what it was asked. Never a packet off this machine.

tests/tls/ holds a self-signed certificate for 127.0.0.1 (valid until 2126) and its key,
made for these tests only: `openssl req -x509 -newkey rsa:2048 -nodes -days 36500
-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost`.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TLS = Path(__file__).parent / "tls"
CERT = TLS / "cert.pem"
KEY = TLS / "key.pem"


class _Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]]

    def do_GET(self) -> None:
        self.seen.append((self.command, self.path))
        body = b"[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_CONNECT(self) -> None:
        self.seen.append((self.command, self.path))
        self.send_response(403)  # a proxy that refuses to tunnel: enough to show it was asked
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(*, tls: bool) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """Yields (port, seen): every (method, target) the server was asked for."""
    seen: list[tuple[str, str]] = []
    handler = type("Handler", (_Handler,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(CERT, KEY)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
