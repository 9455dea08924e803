"""The Zendesk Chat triggers API: five endpoints, and the department list that names in a
configuration are resolved against; one `_request` (docs/api.md).

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
from triggersync.api import outcomes, transport
from triggersync.api.answers import (
    error_for,
    json_body,
    server_message,
    trigger_from,
    triggers_from,
)
from triggersync.api.attempt import Attempt
from triggersync.api.departments import DEPARTMENTS_PATH, departments_from
from triggersync.api.outcomes import GoneAfterRetry, OutcomeUnknown
from triggersync.api.retry import RetryPolicy, Throttle, rate_limit_pause
from triggersync.api.transport import Answer
from triggersync.api.urls import (
    display_url,
    is_retired,
    redirect_advice,
    resolve_base_url,
    retired_warning,
    trigger_path,
    url_setting,
)
from triggersync.engine.departments import Departments
from triggersync.engine.lock import outside_lock
from triggersync.engine.model import Trigger
from triggersync.errors import (
    ApiError,
    AuthError,
    NotFoundError,
    TransportError,
    TriggersyncError,
)

http_logger = logging.getLogger("triggersync.http")

MAX_RATE_LIMITED = 50  # 429s tolerated for one call; the time bound usually ends it first

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _masked(method: Callable[Concatenate[Client, _P], _R]) -> Callable[Concatenate[Client, _P], _R]:
    """Every error leaving the client has the credentials masked: a server may echo them
    (in its message, a Location, a Content-Type), and the OAuth grant may quote it."""

    @functools.wraps(method)
    def wrapper(self: Client, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except TriggersyncError as exc:
            self.secrets.mask_error(exc)
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
        url_setting: str = "",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.url_setting = url_setting  # which setting chose base_url, for messages
        # What the caller should show before the first request (the core never prints).
        self.warnings: list[str] = []
        if is_retired(self.base_url):
            self.warnings.append(retired_warning(url_setting or "the API URL"))
        # Taken once, never released: the first worker to retry announces it, atomically.
        self._retry_announced = threading.Lock()
        # What the auth sends, and any other value never to show (e.g. unused variables).
        self.secrets = auth_mod.secrets_of(auth)
        self.secrets.add(*secrets)
        # Set to stop retrying (an interrupted apply): a request on the wire still gets its
        # answer, but a failure is final and a backoff wait ends at once.
        self.cancel = threading.Event()
        # Cut when even the requests on the wire may wait no longer (cut_off).
        self._cutoff = transport.Cutoff()
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
            # Plain http is loopback only (urls.check_url); a proxy elsewhere could not
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
        credential_names: Mapping[str, str] | None = None,
        url_named: str | None = None,
        tokens: auth_mod.TokenCache | None = None,
    ) -> Client:
        """The client the environment describes. For a project file's account,
        `credential_names` maps a TRIGGERSYNC_* credential variable to the variable that really
        held it, and `url_named` says where its URL was set, so that messages name what to fix;
        `tokens` shares an OAuth access token with the account's other clients."""
        env = os.environ if env is None else env
        base_url = resolve_base_url(env, api_url, named=url_named)
        timeout = transport.timeout_from(env)
        session = requests.Session()
        try:
            auth, auth_vars = auth_mod.from_env(env, session, base_url, tokens)
            for standard, actual in (credential_names or {}).items():
                auth_vars = auth_vars.replace(standard, actual)
        except TriggersyncError:
            session.close()
            raise
        # Every secret that is set, the unused ones too: a server might echo any of them.
        found = auth_mod.credentials(env)
        made = cls(
            base_url,
            auth,
            auth_vars=auth_vars,
            session=session,
            parallelism=parallelism,
            policy=policy or RetryPolicy.from_env(env),
            secrets=[found.get(name, "") for name in auth_mod.SECRET_VARS],
            timeout=timeout,
            url_setting=url_named or url_setting(env, api_url),
        )
        explicit_token_url = env.get("TRIGGERSYNC_TOKEN_URL", "").strip()
        if isinstance(auth, auth_mod.ClientCredentialsAuth) and is_retired(explicit_token_url):
            made.warnings.append(retired_warning("TRIGGERSYNC_TOKEN_URL"))
        return made

    def cut_off(self) -> None:
        """End every request still running, and start none: for an interrupted run whose
        requests in flight had their grace. Their outcome is unknown, which the errors say;
        the next plan shows what is left."""
        self.cancel.set()
        self._cutoff.cut()
        self.throttle.open()  # a worker waiting out a 429 goes on, to be refused at once

    def reopen(self, timeout: float) -> None:
        """After an interrupt, for the requests the run still owes (releasing its lock):
        they may start again, even after cut_off, each one attempt (`cancel` stays set) of at
        most `timeout` seconds, so the run still ends within seconds."""
        self._cutoff = transport.Cutoff()
        self.timeout = min(self.timeout, timeout)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the five endpoints -------------------------------------------------------------

    @_masked
    def list_all(self) -> list[Trigger]:
        """Every live trigger, the lock included: for the lock alone (engine/lock.py)."""
        try:
            answer = self._request("GET", None)
        except NotFoundError as exc:
            # The collection always exists: a 404 for it means the base URL is wrong, and a
            # user must see which URL, and which setting chose it (docs/api.md#base-url).
            raise NotFoundError(
                f"{exc.message}; no trigger list at {display_url(self.base_url)} "
                f"(set by {self.url_setting or 'the default'}): the Chat API's base URL "
                "ends in /api/v2/chat, e.g. https://acme.zendesk.com/api/v2/chat",
                status=exc.status,
                server_message=exc.server_message,
            ) from None
        return triggers_from(json_body(answer, "GET /triggers"), "GET /triggers")

    def list(self) -> list[Trigger]:
        """Every live trigger but an apply's lock (engine/lock.py): this is where live
        triggers enter the engine, so no plan, export, drift report, delete guard or stale
        check ever sees the lock."""
        return outside_lock(self.list_all())

    @_masked
    def show(self, name: str) -> Trigger:
        answer = self._request("GET", name)
        what = f"GET {trigger_path(name)}"
        return trigger_from(json_body(answer, what), what)

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
                if self._cutoff.done:
                    raise  # no look-up can be made any more: the outcome stays unknown
                made = outcomes.created(self, name, body)
                if made is not None:
                    return made
                if attempt == self.policy.max_attempts or time.monotonic() >= deadline:
                    raise
                self._sleep(self.policy.backoff(attempt))
                if self.cancel.is_set():
                    raise
                continue
            return outcomes.written(self, answer, "POST /triggers", name, body)
        raise AssertionError("unreachable")  # pragma: no cover

    @_masked
    def update(self, name: str, body: Mapping[str, Any]) -> Trigger:
        what = f"PUT {trigger_path(name)}"
        try:
            answer = self._request("PUT", name, dict(body))
        except GoneAfterRetry:
            # A retried rename whose first attempt went through: the old name is gone.
            return outcomes.renamed_by_first_attempt(self, what, name, body)
        return outcomes.written(self, answer, what, str(body.get("name", name)), body)

    @_masked
    def delete(self, name: str) -> None:
        # A 404 after an ambiguous attempt means that attempt deleted it.
        with contextlib.suppress(GoneAfterRetry):
            self._request("DELETE", name)

    @_masked
    def departments(self) -> Departments:
        """The account's departments, to resolve the names a configuration routes to
        (docs/api.md#departments)."""
        what = f"GET {DEPARTMENTS_PATH}"
        try:
            answer = self._request("GET", None, path=DEPARTMENTS_PATH)
        except AuthError as exc:
            if exc.status != 403:
                raise
            # Zendesk lists departments for administrators only: a token that may read and
            # write triggers can still be refused here, and "check the credentials" misleads.
            raise AuthError(
                f"{what}: HTTP 403: {exc.server_message}; Zendesk lists departments for "
                "administrators only: use an administrator's credentials, or write department "
                "ids (numbers) instead of names",
                status=403,
                server_message=exc.server_message,
            ) from None
        return departments_from(json_body(answer, what), what)

    # -- the one place requests are made ------------------------------------------------

    def _request(
        self,
        method: str,
        name: str | None,
        body: dict[str, Any] | None = None,
        *,
        idempotent: bool = True,
        deadline: float | None = None,
        path: str | None = None,
    ) -> Answer:
        """One call to `path`, by default the trigger `name`'s (or the list's)."""
        path = path or trigger_path(name)
        what = f"{method} {path}"
        if deadline is None:
            deadline = time.monotonic() + self.policy.max_total
        attempt = rate_limited = 0
        ambiguous = False
        while True:
            attempt += 1
            tried = self._send(method, path, body)
            answer = tried.answer
            if answer is not None and answer.status == 429:
                rate_limited += 1
                wait = rate_limit_pause(tried.retry_after)
                left = deadline - time.monotonic()
                if wait > left:
                    # Waiting would outlast the time bound: say so now rather than hang.
                    raise ApiError(
                        f"{what}: HTTP 429: {server_message(answer)}; the next try would be "
                        f"in {wait:.0f}s, later than the {max(0.0, left):.0f}s left to retry",
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
                    raise GoneAfterRetry(what, status=404)
                if answer.status >= 400:
                    raise error_for(what, answer, self._auth_vars)
                return answer
            # A 5xx or a broken exchange: the server may have acted on a write.
            ambiguous = ambiguous or (tried.sent and method != "GET")
            error = (
                error_for(what, answer, self._auth_vars)
                if answer is not None
                else TransportError(f"{what}: {tried.failure}")
            )
            if not idempotent and tried.sent:
                raise OutcomeUnknown(error.message, status=error.status) from None
            if tried.final or attempt >= self.policy.max_attempts or time.monotonic() >= deadline:
                raise error
            self._announce_retries(error.message, deadline)
            self._sleep(self.policy.backoff(attempt, random.random))
            if self.cancel.is_set():
                raise error

    def _announce_retries(self, message: str, deadline: float) -> None:
        """Once per client, at the first failure retried: what is retried and for how long,
        so that retries against a server that is down are not a long silence."""
        if not self._retry_announced.acquire(blocking=False):
            return
        waits = sum(
            min(self.policy.max_delay, self.policy.base_delay * 2 ** (n - 1))
            for n in range(1, self.policy.max_attempts)
        )
        seconds = min(waits, max(0.0, deadline - time.monotonic()))
        http_logger.warning(
            "%s; retrying for up to %.0f s (TRIGGERSYNC_MAX_ATTEMPTS=%d)",
            self.secrets.mask(message),
            max(1.0, seconds),
            self.policy.max_attempts,
        )

    def _send(self, method: str, path: str, body: dict[str, Any] | None) -> Attempt:
        self.throttle.acquire()
        started = time.monotonic()
        attempt = Attempt(None)
        try:
            answer = transport.exchange(
                self._session,
                method,
                self.base_url + path,
                json=body,
                timeout=self.timeout,
                limit=self.max_answer,
                cutoff=self._cutoff,
            )
            attempt = Attempt.answered(answer)
        except (
            transport.Expired,
            transport.Interrupted,
            transport.TooLarge,
            requests.RequestException,
        ) as exc:
            attempt = Attempt.failed(exc, self.base_url, self.url_setting)
        finally:
            status = attempt.answer.status if attempt.answer is not None else None
            pause = rate_limit_pause(attempt.retry_after)
            if pause > self.policy.max_total:
                pause = 0.0  # the caller gives up at once: park no worker for it
            self.throttle.release(rate_limited=status == 429, retry_after=pause)
            line = f"{method} {path} {status or attempt.failure} {time.monotonic() - started:.3f}s"
            http_logger.info("%s", self.secrets.mask(line))
        return attempt
