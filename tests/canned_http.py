"""A real loopback HTTP server that answers from a script of canned responses.

For what the emulator cannot show: HTML error pages, malformed JSON, wrong shapes, redirects,
servers that trickle an answer a byte at a time or never end one. Still real HTTP through the
real client; nothing in `requests` is mocked.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import loopback_tls


@dataclass
class Canned:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds between bytes: a slow server. With trickle_head the status line and headers
    # come a byte at a time too; otherwise they come at once and only the body trickles.
    trickle: float = 0.0
    trickle_head: bool = True
    endless: bool = False  # a chunked body that goes on until the client hangs up
    # The body of the lock's create (the last POST that named it), as the server holds it:
    # the lock as its holder made it, run id included (which no script can know in advance).
    echo_lock: bool = False


@dataclass
class Script:
    responses: list[Canned]
    seen: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    headers: list[dict[str, str]] = field(default_factory=list)  # each request's headers
    bodies: list[bytes] = field(default_factory=list)  # each request's body
    # For each answer: was all of it sent? False when the client hung up first (or the test
    # ended while it trickled).
    finished: list[bool] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def wait_for(self, count: int, timeout: float) -> bool:
        """Whether `count` requests have arrived, waiting at most `timeout` seconds (a bound
        for a slow machine, never a sleep)."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.seen) >= count, timeout)


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close waits for every answer, so `finished` is complete


@contextmanager
def canned_server(*responses: Canned, tls: bool = False) -> Iterator[tuple[str, Script]]:
    """Yields (base_url, script); the last response repeats once the script runs out.

    With tls, the server speaks https with tests/tls's certificate (trust it through
    REQUESTS_CA_BUNDLE)."""
    script = Script(list(responses))
    lock = threading.Lock()
    stop = threading.Event()  # ends trickling and endless answers when the test is over

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with lock:
                script.seen.append((self.command, self.path))
                script.headers.append(dict(self.headers.items()))
                script.bodies.append(body)
                canned = (
                    script.responses.pop(0) if len(script.responses) > 1 else script.responses[0]
                )
                if canned.echo_lock:
                    canned = Canned(canned.status, _the_lock(script))
            with script.arrived:
                script.arrived.notify_all()
            try:
                finished = self._send(canned)
            except OSError:  # the client hung up: what these tests expect
                self.close_connection, finished = True, False
            with lock:
                script.finished.append(finished)

        def _send(self, canned: Canned) -> bool:
            reason = self.responses.get(canned.status, ("",))[0]
            head = [f"{self.protocol_version} {canned.status} {reason}"]
            head += [f"{key}: {value}" for key, value in canned.headers.items()]
            if canned.endless:
                head.append("Transfer-Encoding: chunked")
            else:
                head.append(f"Content-Length: {len(canned.body)}")
            raw_head = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
            if canned.endless:
                self.wfile.write(raw_head)
                chunk = b"[" + b" " * 65535
                while not stop.is_set():
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
                self.close_connection = True
                return False
            elif canned.trickle:
                if not canned.trickle_head:
                    self.wfile.write(raw_head)
                    self.wfile.flush()
                slow = raw_head + canned.body if canned.trickle_head else canned.body
                self.close_connection = True
                for index in range(len(slow)):
                    if stop.wait(canned.trickle):
                        return False
                    self.wfile.write(slow[index : index + 1])
                    self.wfile.flush()
                return True
            self.wfile.write(raw_head + canned.body)
            return True

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(loopback_tls.CERT, loopback_tls.KEY)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    scheme = "https" if tls else "http"
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}/api/v2/chat", script
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join()


# An apply takes the account's lock before its first change (POST), lists the live triggers
# again under it, and releases it after its last change (DELETE).
LOCK_PATH = "/api/v2/chat/triggers/triggersync%20lock"
LOCK_TAKEN = Canned(
    201, b'{"id": 9999, "name": "triggersync lock", "description": "", "enabled": 0}'
)
LOCK_SHOWN = Canned(200, echo_lock=True)  # the lock looked up before its release: the run's own
LOCK_RELEASED = Canned(204)


def locked(live: Canned, *changes: Canned) -> tuple[Canned, ...]:
    """The script of an apply that changes something: the list, the lock taken, the list
    again under it, the answers to its changes, the lock looked up (still this run's) and
    released."""
    return (live, LOCK_TAKEN, live, *changes, LOCK_SHOWN, LOCK_RELEASED)


def _the_lock(script: Script) -> bytes:
    for (method, _), body in zip(reversed(script.seen), reversed(script.bodies), strict=True):
        if method == "POST" and json.loads(body or b"{}").get("name") == "triggersync lock":
            return json.dumps({"id": 9999, **json.loads(body)}).encode()
    return b'{"error": "not found"}'
