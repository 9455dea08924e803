"""The emulator as a whole: an HTTP server on loopback in a background thread, its store,
its credentials, its faults and its request counters.

    with Emulator(faults=Faults(latency_ms=50)) as em:
        requests.get(em.url + "/triggers", auth=(em.credentials.email, em.credentials.password))
"""

from __future__ import annotations

import threading
from types import TracebackType

from triggersync.emulator.auth import Credentials, TokenIssuer
from triggersync.emulator.faults import FaultInjector, Faults
from triggersync.emulator.handler import EmulatorHTTPServer
from triggersync.emulator.store import Store
from triggersync.emulator.traffic import Traffic

__all__ = ["Credentials", "Emulator", "Faults", "Traffic"]


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
        """The Chat token endpoint, where a client pointed at `url` asks by default."""
        return f"{self.origin}/oauth2/chat/token"

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
