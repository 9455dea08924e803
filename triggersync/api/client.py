"""The Zendesk Chat triggers API (api/triggers-api.txt): five endpoints, one `_request`.

Every call goes through `_request`: one bounded exchange at a time (transport.py), the shared
throttle, retries with backoff, and the mapping of statuses to typed errors. Triggers are
addressed by name, percent-encoded as one path segment; ids are never used, as Zendesk's
triggers API addresses them by name. Redirects are never followed, so the credentials go to
the configured origin only; every message leaving the client has them masked, should a
server echo them.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase

from triggersync.api import auth as auth_mod
from triggersync.api import transport
from triggersync.api.endpoint import (
    display_url,
    redacted,
    redirect_advice,
    resolve_base_url,
    trigger_path,
)
from triggersync.api.responses import json_body, never_connected, server_message, trigger_from
from triggersync.api.retry import RetryPolicy, Throttle, parse_retry_after
from triggersync.api.transport import Answer
from triggersync.engine.model import Trigger, normalise, same
from triggersync.errors import (
    ApiError,
    AuthError,
    NotFoundError,
    TransportError,
    TriggersyncError,
)

log = logging.getLogger("triggersync.http")

MAX_RATE_LIMITED = 50  # 429s tolerated for one call; the time bound usually ends it first

_P = ParamSpec("_P")
_R = TypeVar("_R")


class OutcomeUnknown(ApiError):
    """A write was sent but no usable answer came back: it may or may not have happened."""


def _masked(method: Callable[Concatenate[Client, _P], _R]) -> Callable[Concatenate[Client, _P], _R]:
    """Every error leaving the client has the credentials masked: a server may echo them
    (in its message, a Location, a Content-Type), and the OAuth grant may quote it."""

    @functools.wraps(method)
    def wrapper(self: Client, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except TriggersyncError as exc:
            exc.message = self.secrets.mask(exc.message)
            exc.args = (exc.message,)
            if isinstance(exc, ApiError) and exc.server_message is not None:
                exc.server_message = self.secrets.mask(exc.server_message)
            raise

    return wrapper


class Client:
    def __init__(
        self,
        base_url: str,
        auth: AuthBase,
        *,
        auth_vars: str = "the TRIGGERSYNC_* credentials",
        session: requests.Session | None = None,
        policy: RetryPolicy | None = None,
        parallelism: int = 4,
        sleep: Callable[[float], None] | None = None,
        secrets: Sequence[str] = (),
        timeout: float = transport.DEFAULT_TIMEOUT,
        max_answer: int = transport.MAX_ANSWER,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # What the auth sends, and any other value never to show (e.g. unused variables).
        self.secrets = auth_mod.secrets_of(auth)
        self.secrets.add(*secrets)
        # Set to stop retrying (an interrupted apply): a request on the wire still gets its
        # answer, but a failure is final and a backoff wait ends at once.
        self.cancel = threading.Event()
        self.policy = policy or RetryPolicy()
        self.throttle = Throttle(parallelism)
        self.timeout = timeout  # seconds for one exchange, body included
        self.max_answer = max_answer  # bytes of one answer
        self._auth_vars = auth_vars
        self._sleep = sleep or self.cancel.wait
        self._session = session or requests.Session()
        # One pool slot per worker, so keep-alive connections are reused, never dropped.
        adapter = transport.WatchedAdapter(pool_maxsize=max(10, parallelism), max_retries=0)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._session.auth = auth
        self._session.headers["User-Agent"] = "triggersync"
        if urlsplit(self.base_url).scheme == "http":
            # Plain http is loopback only (endpoint.check_url); a proxy elsewhere could not
            # reach it anyway, and would see the credentials in clear: never use one.
            self._session.trust_env = False

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        api_url: str | None = None,
        parallelism: int = 4,
        policy: RetryPolicy | None = None,
    ) -> Client:
        env = os.environ if env is None else env
        base_url = resolve_base_url(env, api_url)
        timeout = transport.timeout_from(env)
        session = requests.Session()
        try:
            auth, auth_vars = auth_mod.from_env(env, session)
        except TriggersyncError:
            session.close()
            raise
        return cls(
            base_url,
            auth,
            auth_vars=auth_vars,
            session=session,
            parallelism=parallelism,
            policy=policy or RetryPolicy.from_env(env),
            secrets=[env.get(name, "") for name in auth_mod.SECRET_VARS],
            timeout=timeout,
        )

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the five endpoints -------------------------------------------------------------

    @_masked
    def list(self) -> list[Trigger]:
        answer = self._request("GET", None)
        data = json_body(answer, "GET /triggers")
        if not isinstance(data, list):
            raise TransportError(
                f"GET /triggers: expected a JSON array of triggers, got {type(data).__name__}"
            )
        triggers = [trigger_from(item, "GET /triggers") for item in data]
        seen: set[str] = set()
        for trigger in triggers:
            if trigger.name in seen:
                raise TransportError(f"GET /triggers: the name {trigger.name!r} appears twice")
            seen.add(trigger.name)
        return triggers

    @_masked
    def show(self, name: str) -> Trigger:
        answer = self._request("GET", name)
        return trigger_from(
            json_body(answer, f"GET {trigger_path(name)}"), f"GET {trigger_path(name)}"
        )

    def find(self, name: str) -> Trigger | None:
        try:
            return self.show(name)
        except NotFoundError:
            return None

    @_masked
    def create(self, body: Mapping[str, Any]) -> Trigger:
        """POST, never blindly re-sent: after an unknown outcome, look before sending again."""
        name = str(body["name"])
        # One time bound for the whole create, look-ups and re-sends included.
        deadline = time.monotonic() + self.policy.max_total
        for attempt in range(1, self.policy.max_attempts + 1):
            try:
                answer = self._request(
                    "POST", None, dict(body), idempotent=False, deadline=deadline
                )
            except OutcomeUnknown:
                existing = self.find(name)
                if existing is None:
                    if attempt == self.policy.max_attempts or time.monotonic() >= deadline:
                        raise
                    self._sleep(self.policy.backoff(attempt))
                    if self.cancel.is_set():
                        raise
                    continue
                if _has(existing, body):
                    return existing
                raise ApiError(
                    f"POST /triggers: the outcome of creating {name!r} was unknown, and "
                    "Zendesk now has a trigger of that name with other content"
                ) from None
            return self._written(answer, "POST /triggers", name, body)
        raise AssertionError("unreachable")  # pragma: no cover

    @_masked
    def update(self, name: str, body: Mapping[str, Any]) -> Trigger:
        try:
            answer = self._request("PUT", name, dict(body))
        except _GoneAfterRetry:
            # A retried rename whose first attempt went through: the old name is gone.
            new = self.find(str(body.get("name", name)))
            if new is not None and _has(new, body):
                return new
            raise NotFoundError(
                f"PUT {trigger_path(name)}: HTTP 404: trigger not found", status=404
            ) from None
        return self._written(answer, f"PUT {trigger_path(name)}", str(body.get("name", name)), body)

    def _written(self, answer: Answer, what: str, name: str, body: Mapping[str, Any]) -> Trigger:
        """The trigger a successful write answered with. An answer that cannot be read does
        not undo the write: read the trigger back, and accept it if it has what was sent."""
        try:
            return trigger_from(json_body(answer, what), what)
        except TransportError as exc:
            existing = self.find(name)
            if existing is not None and _has(existing, body):
                return existing
            raise TransportError(
                f"{exc.message} (HTTP {answer.status}), and {name!r} is not live with the "
                "content sent",
                status=answer.status,
            ) from None

    @_masked
    def delete(self, name: str) -> None:
        # A 404 after an ambiguous attempt means that attempt deleted it.
        with contextlib.suppress(_GoneAfterRetry):
            self._request("DELETE", name)

    # -- the one place requests are made ------------------------------------------------

    def _request(
        self,
        method: str,
        name: str | None,
        body: dict[str, Any] | None = None,
        *,
        idempotent: bool = True,
        deadline: float | None = None,
    ) -> Answer:
        path = trigger_path(name)
        what = f"{method} {path}"
        if deadline is None:
            deadline = time.monotonic() + self.policy.max_total
        attempt = rate_limited = 0
        ambiguous = False
        while True:
            attempt += 1
            answer, failure, sent, final = self._send(method, path, body)
            if answer is not None and answer.status == 429:
                rate_limited += 1
                wait = parse_retry_after(answer.headers.get("Retry-After")) or 0.0
                left = deadline - time.monotonic()
                if wait > left:
                    # Waiting would outlast the time bound: say so now rather than hang.
                    raise ApiError(
                        f"{what}: HTTP 429: {server_message(answer)}; the server asks to "
                        f"wait {wait:.0f}s, longer than the {max(0.0, left):.0f}s left to retry",
                        status=429,
                        server_message=server_message(answer),
                    )
                if self.cancel.is_set():
                    raise ApiError(f"{what}: HTTP 429: not retried: interrupted", status=429)
                if rate_limited < MAX_RATE_LIMITED and time.monotonic() < deadline:
                    attempt -= 1  # the server refused without acting: not a failed attempt
                    continue
                raise ApiError(
                    f"{what}: HTTP 429: still rate limited after {rate_limited} tries",
                    status=429,
                )
            if answer is not None and 300 <= answer.status < 400:
                advice = redirect_advice(self.base_url, path, answer.headers.get("Location"))
                raise ApiError(f"{what}: HTTP {answer.status}: {advice}", status=answer.status)
            if answer is not None and answer.status < 500:
                if answer.status == 404 and ambiguous and method in ("PUT", "DELETE"):
                    raise _GoneAfterRetry(what, status=404)
                if answer.status >= 400:
                    raise self._error(what, answer)
                return answer
            # A 5xx or a broken exchange: the server may have acted on a write.
            ambiguous = ambiguous or (sent and method != "GET")
            error = (
                self._error(what, answer)
                if answer is not None
                else TransportError(f"{what}: {failure}")
            )
            if not idempotent and sent:
                raise OutcomeUnknown(error.message, status=error.status) from None
            if final or attempt >= self.policy.max_attempts or time.monotonic() >= deadline:
                raise error
            self._sleep(self.policy.backoff(attempt, random.random))
            if self.cancel.is_set():
                raise error

    def _send(
        self, method: str, path: str, body: dict[str, Any] | None
    ) -> tuple[Answer | None, str, bool, bool]:
        """(answer, failure, sent, final): sent is False only when the request surely never
        left; final when no retry can help (nor should be made to wait as long again)."""
        self.throttle.acquire()
        started = time.monotonic()
        answer: Answer | None = None
        failure = ""
        sent = True
        final = False
        try:
            answer = transport.exchange(
                self._session,
                method,
                self.base_url + path,
                json=body,
                timeout=self.timeout,
                limit=self.max_answer,
            )
        except (transport.Expired, transport.TooLarge) as exc:
            failure, final = str(exc), True
        except requests.ConnectTimeout:
            failure, sent = f"timed out connecting to {display_url(self.base_url)}", False
        except requests.exceptions.ProxyError:
            # Before the generic ConnectionError, as TLS below: a retry reaches the same proxy.
            failure, sent, final = _proxy_failure(self.base_url), False, True
        except requests.exceptions.SSLError:
            # Before the generic ConnectionError, which would call it a broken connection; and
            # final at once, since no retry makes a certificate trusted.
            failure = (
                f"TLS certificate of {display_url(self.base_url)} not trusted, or TLS failed "
                "(for a private CA, set REQUESTS_CA_BUNDLE)"
            )
            sent, final = False, True
        except requests.ConnectionError as exc:
            sent = not never_connected(exc)
            failure = (
                f"cannot connect to {display_url(self.base_url)} (is the server up?)"
                if not sent
                else "the connection broke before an answer came"
            )
        except requests.Timeout:
            failure = f"no answer within {transport.IDLE_TIMEOUT:.0f}s"
        except requests.RequestException as exc:
            failure = f"request failed ({type(exc).__name__})"
        finally:
            status = answer.status if answer is not None else None
            retry_after = (
                parse_retry_after(answer.headers.get("Retry-After"))
                if answer is not None and status == 429
                else None
            )
            if retry_after is None:
                retry_after = 1.0
            elif retry_after > self.policy.max_total:
                retry_after = 0.0  # the caller gives up at once: park no worker for it
            self.throttle.release(rate_limited=status == 429, retry_after=retry_after)
            line = f"{method} {path} {status or failure} {time.monotonic() - started:.3f}s"
            log.info("%s", self.secrets.mask(line))
        return answer, failure, sent, final

    def _error(self, what: str, answer: Answer) -> ApiError:
        status = answer.status
        message = server_message(answer)
        if status in (401, 403):
            return AuthError(
                f"{what}: HTTP {status}: authentication failed ({message}); "
                f"check {self._auth_vars}",
                status=status,
                server_message=message,
            )
        cls = NotFoundError if status == 404 else ApiError
        return cls(f"{what}: HTTP {status}: {message}", status=status, server_message=message)


def _proxy_failure(base_url: str) -> str:
    """Name the variable that set the proxy, as requests reads them (lower case first)."""
    scheme = urlsplit(base_url).scheme
    for name in (f"{scheme}_proxy", f"{scheme.upper()}_PROXY", "all_proxy", "ALL_PROXY"):
        value = os.environ.get(name)
        if value:
            return (
                f"the proxy {redacted(value)} refused the connection or is down (set by "
                f"{name}; check it, or list the API's host in NO_PROXY)"
            )
    return "the proxy refused the connection or is down (check HTTPS_PROXY and NO_PROXY)"


class _GoneAfterRetry(ApiError):
    """404 on a retry whose earlier attempt may have succeeded."""


def _has(trigger: Trigger, body: Mapping[str, Any]) -> bool:
    """Does the live trigger carry every field the body sets (after normalisation)?"""
    view = trigger.view(with_definition=True)
    wanted = normalise({**view, **{k: v for k, v in body.items() if k != "id"}})
    return same(view, wanted.view(with_definition=True))
