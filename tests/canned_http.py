"""A real loopback HTTP server that answers from a script of canned responses.

For what the emulator cannot show: HTML error pages, malformed JSON, wrong shapes. Still
real HTTP through the real client; nothing in `requests` is mocked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Canned:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Script:
    responses: list[Canned]
    seen: list[tuple[str, str]] = field(default_factory=list)  # (method, path)


@contextmanager
def canned_server(*responses: Canned) -> Iterator[tuple[str, Script]]:
    """Yields (base_url, script); the last response repeats once the script runs out."""
    script = Script(list(responses))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            with lock:
                script.seen.append((self.command, self.path))
                canned = (
                    script.responses.pop(0) if len(script.responses) > 1 else script.responses[0]
                )
            self.send_response(canned.status)
            for key, value in canned.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(canned.body)))
            self.end_headers()
            self.wfile.write(canned.body)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v2/chat", script
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
