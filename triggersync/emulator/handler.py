"""The emulator's HTTP layer: the server, and one request against it (routing, faults, auth,
and the API's JSON shapes).

Zendesk Chat's Triggers API and its OAuth token URL, as docs/api.md and docs/emulator.md
describe them. Faults are decided against whatever `Emulator.faults` holds at that moment, so
tests can change them mid-run. What a request needs of the emulator is `Served`, so this
module does not import the one that starts it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote

from triggersync.emulator.auth import TokenIssuer
from triggersync.emulator.faults import FaultInjector, Faults
from triggersync.emulator.hosts import is_own_host
from triggersync.emulator.store import Store, StoreError
from triggersync.emulator.traffic import Traffic

emulator_logger = logging.getLogger("triggersync.emulator")


class Served(Protocol):
    """What a request needs of the emulator it is served by (server.Emulator is one)."""

    port: int
    store: Store
    tokens: TokenIssuer
    faults: Faults
    injector: FaultInjector
    traffic: Traffic
    stopping: threading.Event  # set on stop: cuts injected latency short

    def stats(self) -> dict[str, int]: ...


MAX_BODY = 1 << 20
_PREFIXES = (("api", "v2", "chat"), ("api", "v2"))
_ALLOW = {
    "collection": "GET, POST",
    "item": "GET, PUT, DELETE",
    "departments": "GET, POST",
    "department": "GET, PUT, DELETE",
    "token": "POST",
    "stats": "GET",
}
_OPS = {
    ("departments", "GET"): "departments",
    ("departments", "POST"): "departments",
    ("department", "GET"): "departments",
    ("department", "PUT"): "departments",
    ("department", "DELETE"): "departments",
    ("collection", "GET"): "list",
    ("collection", "POST"): "create",
    ("item", "GET"): "show",
    ("item", "PUT"): "update",
    ("item", "DELETE"): "delete",
    ("token", "POST"): "token",
    ("stats", "GET"): "stats",
}


@dataclass(frozen=True)
class _Route:
    kind: str  # collection | item | departments | department | token | stats
    name: str | None = None  # a trigger's name, or a department's id


def _route(path: str) -> _Route | None:
    """The path's target; the trigger name is exactly one percent-encoded segment."""
    segments = path.split("/")
    # The Chat token endpoint on the account's host, and the retired host's one.
    if segments in (["", "oauth2", "chat", "token"], ["", "oauth2", "token"]):
        return _Route("token")
    if segments == ["", "_emulator", "stats"]:
        return _Route("stats")
    for prefix in _PREFIXES:
        rest = segments[1 + len(prefix) :]
        if tuple(segments[1 : 1 + len(prefix)]) != prefix:
            continue
        if rest[:1] == ["departments"]:
            if rest[1:] in ([], [""]):
                return _Route("departments")
            if len(rest) == 2 and rest[1].isascii() and rest[1].isdigit():
                return _Route("department", rest[1])
            continue
        if rest[:1] != ["triggers"]:
            continue
        if rest[1:] in ([], [""]):
            return _Route("collection")
        if len(rest) == 2:
            return _Route("item", unquote(rest[1], encoding="utf-8", errors="strict"))
    return None


class _Reply(Exception):
    """Ends a request early with this status and JSON body."""

    def __init__(self, status: int, payload: Any, headers: Mapping[str, str] | None = None):
        super().__init__(status)
        self.status, self.payload, self.headers = status, payload, dict(headers or {})


class Handler(BaseHTTPRequestHandler):
    server: EmulatorHTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse one connection per session
    server_version = "triggersync-emulator"
    timeout = 30  # an idle keep-alive connection, or a body that stops coming, frees its thread
    # A request line the parser cannot read gets a status line, headers and a JSON body, not
    # the bare body of HTTP/0.9, which no client of this API speaks.
    default_request_version = "HTTP/1.1"
    # Headers and body go out as two writes; with Nagle on, delayed ACKs add ~40 ms to each
    # keep-alive request.
    disable_nagle_algorithm = True

    def _dispatch(self) -> None:
        em = self.server.emulator
        em.traffic.enter()
        self._started = False  # one handler serves every request of a keep-alive connection
        try:
            self._answer(self._handle(em))
        except _Reply as reply:
            self._answer(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:
            emulator_logger.exception("unexpected failure handling %s %s", self.command, self._path)
            self.close_connection = True  # the request may be half-read: start afresh
            if not self._started:
                # A bug in the emulator must still answer, or the client waits for its timeout.
                self._answer(_Reply(500, {"error": "internal emulator error"}))
            # Otherwise a status line is already out (or buffered): a 500 after it would be read
            # as the first reply's body. Closing the connection is the only clean end left.
        finally:
            em.traffic.leave()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _dispatch

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """How the stdlib's parser refuses a request it cannot read (a garbage or binary request
        line, headers too long, an unknown method): in the API's JSON, and the connection
        closed, since nothing after it can be trusted to start a request."""
        emulator_logger.info("%s refused: %d %s", self.client_address[0], code, message)
        self.close_connection = True
        self._answer(_Reply(code, {"error": message or HTTPStatus(code).phrase}))

    @property
    def _path(self) -> str:
        return self.path.partition("?")[0]  # a query string never changes the target

    def _handle(self, em: Served) -> _Reply:
        body = self._read_body()
        self._check_host(em)
        try:
            route = _route(self._path)
        except UnicodeDecodeError:
            raise _Reply(400, {"error": "the trigger name is not valid UTF-8"}) from None
        if route is None:
            raise _Reply(404, {"error": f"no such path: {self._path}"})
        op = _OPS.get((route.kind, self.command))
        if op is None:
            raise _Reply(405, {"error": "method not allowed"}, {"Allow": _ALLOW[route.kind]})
        if op == "stats":
            self._authorise(em)
            return _Reply(200, em.stats())
        em.traffic.count(op, "total")
        faults = em.faults
        if faults.latency_ms > 0:
            started = time.monotonic()
            em.stopping.wait(faults.latency_ms / 1000)
            em.traffic.count("delayed_ms", amount=(time.monotonic() - started) * 1000)
        retry_after = em.injector.retry_after(faults)
        if retry_after is not None:
            em.traffic.count("rate_limited")
            raise _Reply(429, {"error": "rate limited"}, {"Retry-After": str(retry_after)})
        if em.injector.strikes(faults, faults.fail_rate):
            em.traffic.count("failed")
            raise _Reply(503, {"error": "service unavailable (injected)"})
        if op == "token":
            return self._token(em, body)
        self._authorise(em)
        if op == "list":
            return _Reply(200, em.store.list())
        if op == "departments":
            return self._departments(em, route, body)
        assert route.name is not None or op == "create"
        if op == "show":
            found = em.store.get(route.name or "")
            if found is None:
                raise _Reply(404, {"error": f"no trigger named {route.name!r}"})
            return _Reply(200, found)
        return self._write(em, op, route.name, body, faults)

    def _authorise(self, em: Served) -> None:
        if not em.tokens.accepts(self.headers.get("Authorization")):
            # No WWW-Authenticate: a browser then never offers a login, so it never keeps one
            # that a page from any other origin could make it send (docs/emulator.md).
            raise _Reply(401, {"error": "invalid credentials"})

    def _check_host(self, em: Served) -> None:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            self.close_connection = True
            raise _Reply(400, {"error": "a request needs exactly one Host header"})
        if not is_own_host(hosts[0], em.port):
            self.close_connection = True
            message = f"this is localhost:{em.port}; a request for {hosts[0]!r} is not served here"
            raise _Reply(421, {"error": message})

    def _write(self, em: Served, op: str, name: str | None, raw: bytes, faults: Faults) -> _Reply:
        if op != "delete":
            # A page in a browser can send text/plain or a form to any origin without asking;
            # application/json it cannot, unless the server agrees first (this one never does).
            kind = (self.headers.get("Content-Type") or "").partition(";")[0].strip().lower()
            if kind != "application/json":
                error = "the body must be JSON, sent with Content-Type: application/json"
                raise _Reply(415, {"error": error})
        payload = None if op == "delete" else _parse_json(raw)
        targets = {name, payload.get("name") if isinstance(payload, dict) else None}
        if targets & faults.fail_names:
            em.traffic.count("failed")
            raise _Reply(500, {"error": "internal server error (injected)"})
        # Only what carries a definition: Zendesk refuses a definition, not a name (and an
        # apply's lock, a trigger without one, is still taken).
        if op == "create" and faults.refuse_creates and _has_definition(payload):
            em.traffic.count("failed")
            raise _Reply(400, {"error": "trigger refused (injected)"})
        try:
            if op == "create":
                result: Any = em.store.create(payload)
            elif op == "update":
                result = em.store.update(name or "", payload)
            else:
                em.store.delete(name or "")
                result = None
        except StoreError as exc:
            raise _Reply(exc.status, {"error": exc.message}) from None
        if em.injector.strikes(faults, faults.fail_after_commit_rate):
            em.traffic.count("failed")
            raise _Reply(502, {"error": "bad gateway (injected after the change was stored)"})
        return _Reply({"create": 201, "update": 200, "delete": 204}[op], result)

    def _departments(self, em: Served, route: _Route, raw: bytes) -> _Reply:
        """The departments, on both path layouts: list, show, create, update, delete."""
        store = em.store
        try:
            if route.kind == "departments":
                if self.command == "GET":
                    return _Reply(200, list(store.departments()))
                return _Reply(201, store.create_department(_parse_json(raw)))
            number = int(route.name or "0")
            if self.command == "GET":
                return _Reply(200, store.department(number))
            if self.command == "PUT":
                return _Reply(200, store.update_department(number, _parse_json(raw)))
            store.delete_department(number)
            return _Reply(204, None)
        except StoreError as exc:
            raise _Reply(exc.status, {"error": exc.message}) from None

    def _token(self, em: Served, raw: bytes) -> _Reply:
        try:
            form = parse_qs(raw.decode("utf-8"), strict_parsing=bool(raw))
        except (UnicodeDecodeError, ValueError):
            raise _Reply(400, {"error": "invalid_request"}) from None
        field = {key: values[0] for key, values in form.items()}
        if field.get("grant_type") != "client_credentials":
            raise _Reply(400, {"error": "unsupported_grant_type"})
        token = em.tokens.issue(field.get("client_id"), field.get("client_secret"))
        if token is None:
            raise _Reply(401, {"error": "invalid_client"})
        scope = field.get("scope", "read write")
        headers = {"Cache-Control": "no-store"}
        payload = {"access_token": token, "token_type": "Bearer", "expires_in": em.tokens.ttl}
        return _Reply(200, {**payload, "scope": scope}, headers)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            raise _Reply(411, {"error": "send a Content-Length"})
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            raise _Reply(400, {"error": "invalid Content-Length"})
        if length > MAX_BODY:
            self.close_connection = True  # the unread body would be parsed as the next request
            raise _Reply(413, {"error": f"the body exceeds {MAX_BODY} bytes"})
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise _Reply(408, {"error": f"the body stopped coming for {self.timeout}s"}) from None
        if len(body) < length:
            # The client closed (or half-closed) early: what came is not the body it meant.
            self.close_connection = True
            message = f"the body ended after {len(body)} of its {length} bytes (Content-Length)"
            raise _Reply(400, {"error": message})
        return body

    def _answer(self, reply: _Reply) -> None:
        data = b"" if reply.payload is None else json.dumps(reply.payload, ensure_ascii=False)
        body = data.encode("utf-8") if isinstance(data, str) else data
        self._started = True
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        if reply.status != 204:  # a 204 carries no body and so no length (RFC 9110 §8.6)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if not self.command:
            return  # no request line to show: send_error has logged why
        # Method, path and status only: headers may carry credentials.
        emulator_logger.info("%s %s %s %s", self.client_address[0], self.command, self._path, code)

    def log_message(self, format: str, *args: Any) -> None:
        emulator_logger.info("%s " + format, self.client_address[0], *args)


def _parse_json(raw: bytes) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(constant)

    try:
        value = json.loads(raw, parse_constant=refuse)
    # JSONDecodeError and UnicodeDecodeError are ValueErrors; RecursionError: nesting too deep
    except (ValueError, RecursionError):
        raise _Reply(400, {"error": "the body is not valid JSON"}) from None
    try:
        # JSON's \u escapes can spell half a surrogate pair, which is no character at all, and
        # which neither SQLite nor a reply could hold.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        error = "the body is not valid Unicode: a \\u escape names half a surrogate pair"
        raise _Reply(400, {"error": error}) from None
    return value


class EmulatorHTTPServer(ThreadingHTTPServer):
    request_queue_size = 128  # bursts of concurrent clients, not the stdlib's 5

    def __init__(self, emulator: Served, address: tuple[str, int]) -> None:
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
            emulator_logger.info("%s connection dropped", client_address[0])  # the client went away
        else:
            emulator_logger.exception("unexpected failure serving %s", client_address[0])

    def drop_connections(self) -> None:
        """Wake handler threads idling on keep-alive connections, so they can be joined."""
        with self._open_lock:
            for sock in self._open:
                with contextlib.suppress(OSError):  # the peer may have closed it already
                    sock.shutdown(socket.SHUT_RDWR)


def _has_definition(payload: Any) -> bool:
    return isinstance(payload, dict) and payload.get("definition") is not None
