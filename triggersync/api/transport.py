"""One HTTP exchange, bounded: no redirects, one deadline for all of it, a cap on the answer.

`requests` bounds the wait between two bytes, not the whole exchange: a server that sends a
byte every few seconds keeps a request alive for ever, and one that never ends its body fills
the memory. So every exchange runs under a watch with a deadline. A connection registers with
the watch of the thread that uses it (urllib3 sends from the calling thread), and one watchdog
thread shuts the socket of any exchange still running at its deadline, so that the blocked
read returns at once; the body is read in chunks against a size cap. Redirects are never
followed: credentials are meant for one origin, and the caller decides what a 3xx means.

An interrupted run ends its exchanges the same way: a Cutoff, once cut, shuts the socket of
every exchange made under it that is still running, and lets none start after.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import ProxyManager

from triggersync.api import settings
from triggersync.loopback import is_loopback

if TYPE_CHECKING:
    from urllib3._base_connection import BaseHTTPConnection

DEFAULT_TIMEOUT = 120.0  # seconds for one exchange, body included
MAX_ANSWER = 64 * 1024 * 1024  # bytes of one answer's body, decoded
CONNECT_TIMEOUT = 5.0
IDLE_TIMEOUT = 30.0  # silence between two reads that counts as a broken exchange (retried)
_CHUNK = 64 * 1024


class Expired(Exception):
    """The exchange was still running at its deadline."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no complete answer within {seconds:g} s (TRIGGERSYNC_TIMEOUT)")


class Interrupted(Exception):
    """The exchange was cut off, or never started, because the run was interrupted."""

    def __init__(self, *, sent: bool) -> None:
        self.sent = sent  # False: refused before anything was sent
        super().__init__(
            "cut off by the interrupt before its answer came; whether it took effect is "
            "unknown: plan again to see"
            if sent
            else "not sent: the run was interrupted"
        )


class Cutoff:
    """Ends, on demand, the exchanges made under it: those still running are cut off through
    the watchdog (their sockets shut), and none starts after. One per client."""

    def __init__(self) -> None:
        self.done = False

    def cut(self) -> None:
        self.done = True
        _WATCHDOG.interrupt(self)


class TooLarge(Exception):
    """The answer's body is over the cap."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the answer is larger than {size_text(limit)}")


@dataclass(frozen=True)
class Answer:
    """An HTTP answer read in full."""

    status: int
    reason: str
    headers: Mapping[str, str]  # case-insensitive
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def timeout_from(env: Mapping[str, str]) -> float:
    """TRIGGERSYNC_TIMEOUT: seconds one exchange may take, body included."""
    return settings.seconds(env, "TRIGGERSYNC_TIMEOUT", DEFAULT_TIMEOUT, zero_allowed=False)


def size_text(size: int) -> str:
    for unit, factor in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def exchange(
    session: requests.Session,
    method: str,
    url: str,
    *,
    timeout: float | None = None,
    limit: int = MAX_ANSWER,
    cutoff: Cutoff | None = None,
    **kwargs: Any,
) -> Answer:
    """Send one request and read its whole answer within `timeout` seconds, unless `cutoff`
    is cut first.

    Without a timeout, the deadline of the exchange this one runs inside applies (an OAuth
    grant made while the API request is prepared), else the default bound; so does its
    cutoff. Raises Expired, Interrupted, TooLarge, or what requests raises."""
    outer: _Watch | None = getattr(_local, "watch", None)
    if cutoff is None and outer is not None:
        cutoff = outer.cutoff
    if timeout is not None:
        seconds, deadline = timeout, time.monotonic() + timeout
    elif outer is not None:
        seconds, deadline = outer.seconds, outer.deadline
    else:
        seconds, deadline = DEFAULT_TIMEOUT, time.monotonic() + DEFAULT_TIMEOUT
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise Expired(seconds)
    # The per-read timeouts never outlast the deadline; when one of them is what the deadline
    # cut short, the exchange expired rather than went silent.
    cut = (min(CONNECT_TIMEOUT, remaining), min(IDLE_TIMEOUT, remaining))
    _resolve_within(session, url, deadline, seconds, cutoff)
    if is_loopback(urlsplit(url).hostname or ""):
        # Whatever HTTP(S)_PROXY, ALL_PROXY and NO_PROXY say: a proxy could not reach this
        # machine's loopback, and a plain-http one would see the credentials in clear
        # (docs/safety.md#plain-http-only-on-loopback). None here hides the variable's value.
        kwargs["proxies"] = dict.fromkeys(("http", "https", "all"))
    with _watching(seconds, deadline, cutoff) as watch:
        # Checked once the watch is registered: a cut from now on reaches this exchange.
        if cutoff is not None and cutoff.done:
            raise Interrupted(sent=False)
        try:
            response = session.request(
                method, url, stream=True, allow_redirects=False, timeout=cut, **kwargs
            )
            answer = _read(response, limit)
        except requests.RequestException as exc:
            if watch.interrupted:
                raise Interrupted(sent=True) from None
            cut_short = (
                remaining < CONNECT_TIMEOUT
                if isinstance(exc, requests.ConnectTimeout)
                else remaining < IDLE_TIMEOUT and isinstance(exc, requests.Timeout)
            )
            if watch.expired or cut_short:
                raise Expired(seconds) from None
            raise
        # A body that ends when the connection closes looks complete when the watchdog
        # closed it: after the deadline, or the cut, nothing read counts.
        if watch.interrupted:
            raise Interrupted(sent=True)
        if watch.expired:
            raise Expired(seconds)
    return answer


# Hosts (and ports) whose name has resolved once in this process: the system resolver cannot
# be interrupted, so the first look-up of each runs in a thread of its own, within the
# exchange's deadline (docs/safety.md#bounds); once it answered, the resolver is trusted.
_RESOLVED: set[tuple[str, int]] = set()
_RESOLVED_LOCK = threading.Lock()
_POLL = 0.05  # seconds between looks at an interrupt while a name resolves


def _resolve_within(
    session: requests.Session, url: str, deadline: float, seconds: float, cutoff: Cutoff | None
) -> None:
    """Expired if the exchange's host name does not resolve before the deadline; Interrupted
    if the run is cut meanwhile. A name a proxy resolves, or an address, is not looked up."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return  # requests reports the URL
    if not host or _is_address(host) or is_loopback(host):
        return
    with _RESOLVED_LOCK:
        if (host, port) in _RESOLVED:
            return
    if session.trust_env and requests.utils.select_proxy(
        url, requests.utils.get_environ_proxies(url)
    ):
        return
    answered = threading.Event()

    def look_up() -> None:
        # A failure is left to the connection, which reports it as it always has.
        with contextlib.suppress(OSError, UnicodeError):
            socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            with _RESOLVED_LOCK:
                _RESOLVED.add((host, port))
        answered.set()

    threading.Thread(target=look_up, name="triggersync-resolve", daemon=True).start()
    while not answered.wait(max(0.0, min(_POLL, deadline - time.monotonic()))):
        if cutoff is not None and cutoff.done:
            raise Interrupted(sent=False)
        if time.monotonic() >= deadline:
            raise Expired(seconds)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _read(response: requests.Response, limit: int) -> Answer:
    try:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(limit)
        body = bytearray()
        for chunk in response.iter_content(_CHUNK):
            body += chunk
            if len(body) > limit:
                raise TooLarge(limit)
        return Answer(
            response.status_code,
            response.reason or "",
            CaseInsensitiveDict(response.headers),
            bytes(body),
        )
    finally:
        # Returns a fully read connection to the pool; drops one read in part.
        response.close()


# -- the watch over each exchange -----------------------------------------------------------


class _Watch:
    def __init__(self, seconds: float, deadline: float, cutoff: Cutoff | None = None) -> None:
        self.seconds = seconds
        self.deadline = deadline
        self.cutoff = cutoff
        self.expired = False
        self.interrupted = False
        self._connection: BaseHTTPConnection | None = None
        # The socket itself: http.client forgets it once an answer says the connection ends
        # with it, while the answer is still being read from it.
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()

    def attach(self, connection: BaseHTTPConnection) -> None:
        sock = getattr(connection, "sock", None)
        with self._lock:
            if connection is not self._connection:
                self._connection, self._sock = connection, None
            if isinstance(sock, socket.socket):
                self._sock = sock
            if self.expired or self.interrupted:
                self._shut()

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut()

    def interrupt(self) -> None:
        with self._lock:
            self.interrupted = True
            self._shut()

    def _shut(self) -> None:
        sock = self._sock or getattr(self._connection, "sock", None)
        if isinstance(sock, socket.socket):
            # The plain socket's shutdown, also under TLS: it wakes a read blocked in another
            # thread, which SSLSocket's own shutdown would not do safely. OSError: closed.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


_local = threading.local()


class _Watchdog:
    """One daemon thread for the process: expires each watch at its deadline."""

    def __init__(self) -> None:
        self._watches: set[_Watch] = set()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def add(self, watch: _Watch) -> None:
        with self._cond:
            self._watches.add(watch)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="triggersync-watchdog", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def discard(self, watch: _Watch) -> None:
        with self._cond:
            self._watches.discard(watch)

    def interrupt(self, cutoff: Cutoff) -> None:
        with self._cond:
            cut = [watch for watch in self._watches if watch.cutoff is cutoff]
        for watch in cut:
            watch.interrupt()

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for watch in [w for w in self._watches if w.deadline <= now]:
                    self._watches.discard(watch)
                    watch.expire()
                soonest = min((w.deadline for w in self._watches), default=None)
                self._cond.wait(None if soonest is None else soonest - now)


_WATCHDOG = _Watchdog()


@contextmanager
def _watching(seconds: float, deadline: float, cutoff: Cutoff | None) -> Iterator[_Watch]:
    watch = _Watch(seconds, deadline, cutoff)
    outer = getattr(_local, "watch", None)
    _local.watch = watch
    _WATCHDOG.add(watch)
    try:
        yield watch
    finally:
        _WATCHDOG.discard(watch)
        _local.watch = outer


def _attach(connection: BaseHTTPConnection) -> None:
    watch: _Watch | None = getattr(_local, "watch", None)
    if watch is not None:
        watch.attach(connection)


# -- pools whose connections report to the watch ---------------------------------------------
# urllib3 calls _prepare_proxy before it sets up a tunnel, and _validate_conn before every
# request, in the thread that sends, with the connection about to be used. The https pool
# connects in _validate_conn; the http pool is made to as well, so that the watch holds the
# socket from the start. Hooking the pools, not the connection classes, leaves in place the
# connection class urllib3 (or a test recorder) installs.


class _WatchedHTTPPool(HTTPConnectionPool):
    def _validate_conn(self, conn: BaseHTTPConnection) -> None:
        _attach(conn)
        super()._validate_conn(conn)
        if conn.is_closed:
            conn.connect()
        _attach(conn)

    def _prepare_proxy(self, conn: BaseHTTPConnection) -> None:
        _attach(conn)
        super()._prepare_proxy(conn)
        _attach(conn)


class _WatchedHTTPSPool(HTTPSConnectionPool):
    def _validate_conn(self, conn: BaseHTTPConnection) -> None:
        _attach(conn)
        super()._validate_conn(conn)
        _attach(conn)

    def _prepare_proxy(self, conn: HTTPSConnection) -> None:  # type: ignore[override]
        _attach(conn)
        super()._prepare_proxy(conn)
        _attach(conn)


_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class WatchedAdapter(HTTPAdapter):
    """The adapter every session of the client mounts: its connections report to the watch."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if type(manager) is ProxyManager:  # a SOCKS manager keeps the pools it needs
            manager.pool_classes_by_scheme = _POOLS
        return manager
