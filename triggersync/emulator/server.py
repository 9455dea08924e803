"""The emulator as a whole: an HTTP server on loopback in a background thread, its store,
its credentials, its faults and its request counters.

    with Emulator(faults=Faults(latency_ms=50)) as em:
        requests.get(em.url + "/triggers", auth=(em.credentials.email, em.credentials.password))
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any

from triggersync.emulator.auth import Credentials, TokenIssuer
from triggersync.emulator.faults import FaultInjector, Faults
from triggersync.emulator.handler import Handler
from triggersync.emulator.store import Store

__all__ = ["Credentials", "Emulator", "Faults", "Traffic"]

log = logging.getLogger("triggersync.emulator")


class Traffic:
    """Request counters for `GET /_emulator/stats`: per endpoint, whatever the outcome."""

    COUNTERS = (
        *("list", "show", "create", "update", "delete", "token", "total"),
        *("rate_limited", "failed", "delayed_ms", "peak_in_flight"),
    )

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, float] = dict.fromkeys(self.COUNTERS, 0)
        self._in_flight = 0

    def count(self, *names: str, amount: float = 1) -> None:
        with self._lock:
            for name in names:
                self._counts[name] += amount

    def enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._counts["peak_in_flight"] = max(self._counts["peak_in_flight"], self._in_flight)

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {name: int(value) for name, value in self._counts.items()}

    def reset(self) -> None:
        with self._lock:
            self._counts = dict.fromkeys(self.COUNTERS, 0)
            self._counts["peak_in_flight"] = self._in_flight


class EmulatorHTTPServer(ThreadingHTTPServer):
    request_queue_size = 128  # bursts of concurrent clients, not the stdlib's 5

    def __init__(self, emulator: Emulator, address: tuple[str, int]) -> None:
        self.emulator = emulator
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            log.info("%s connection dropped", client_address[0])  # the client went away
        else:
            log.exception("unexpected failure serving %s", client_address[0])

    def drop_connections(self) -> None:
        """Wake handler threads idling on keep-alive connections, so they can be joined."""
        with self._open_lock:
            for sock in self._open:
                with contextlib.suppress(OSError):  # the peer may have closed it already
                    sock.shutdown(socket.SHUT_RDWR)


class Emulator:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str = ":memory:",
        credentials: Credentials | None = None,
        faults: Faults | None = None,
        *,
        stamp: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.credentials = credentials or Credentials()
        self.faults = faults or Faults()
        # stamp: add `version` and `editor` to each created definition that lacks them.
        self.store = Store(db, stamp=stamp)
        self.tokens = TokenIssuer(self.credentials)
        self.injector = FaultInjector()
        self.traffic = Traffic()
        self.stopping = threading.Event()  # also cuts injected latency short on stop
        self._httpd: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Emulator:
        """Bind (port 0 picks a free port, then `port` holds the real one) and serve."""
        if self._httpd is not None or self.stopping.is_set():
            raise RuntimeError("an Emulator starts once")
        try:
            self._httpd = EmulatorHTTPServer(self, (self.host, self.port))
        except OSError:
            self.store.close()
            raise
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},  # bounds how long stop() waits for the loop
            name=f"triggersync-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, finish or drop in-flight requests, close the database. Idempotent."""
        self.stopping.set()
        if self._httpd is not None and self._thread is not None:
            self._httpd.shutdown()
            self._httpd.drop_connections()
            self._httpd.server_close()  # joins the request threads
            self._thread.join()
            self._httpd = None
        self.store.close()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until `stop()` was called (True) or the timeout passed (False)."""
        return self.stopping.wait(timeout)

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The base URL in the current host's layout; the client appends /triggers."""
        return f"{self.origin}/api/v2/chat"

    @property
    def legacy_url(self) -> str:
        """The base URL in the API document's layout (www.zopim.com/api/v2)."""
        return f"{self.origin}/api/v2"

    @property
    def token_url(self) -> str:
        return f"{self.origin}/oauth2/token"

    @property
    def stats_url(self) -> str:
        return f"{self.origin}/_emulator/stats"

    def stats(self) -> dict[str, int]:
        return self.traffic.snapshot()

    def reset_stats(self) -> None:
        self.traffic.reset()

    def __enter__(self) -> Emulator:
        return self if self._httpd is not None else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
