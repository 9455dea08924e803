"""One attempt at an exchange: its answer, or what its failure means.

A failure says whether the request may have reached the server (a write may then have
happened) and whether a retry could help; an answer of 429 carries how long to wait.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NewConnectionError

from triggersync.api import transport
from triggersync.api.retry import parse_retry_after
from triggersync.api.transport import Answer
from triggersync.api.urls import display_url, redacted


@dataclass(frozen=True)
class Failure:
    message: str
    sent: bool  # False only when the request surely never left
    final: bool  # no retry can help (nor should be made to wait as long again)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Attempt:
    answer: Answer | None
    failure: Failure | None = None
    retry_after: float | None = None  # seconds a 429 asks to wait, when it says

    @classmethod
    def answered(cls, answer: Answer) -> Attempt:
        if answer.status != 429:
            return cls(answer)
        return cls(answer, retry_after=parse_retry_after(answer.headers.get("Retry-After")))

    @classmethod
    def failed(cls, exc: Exception, base_url: str, setting: str = "") -> Attempt:
        return cls(None, failure=failure_of(exc, base_url, setting))

    @property
    def sent(self) -> bool:
        """Whether the server may have acted on the request."""
        return self.failure is None or self.failure.sent

    @property
    def final(self) -> bool:
        return self.failure is not None and self.failure.final


def failure_of(exc: Exception, base_url: str, setting: str = "") -> Failure:
    """For an exception of transport.exchange: Expired, Interrupted, TooLarge, or one of
    requests'. `setting` names what chose the URL: a wrong or forgotten setting is the usual
    cause."""
    where = display_url(base_url)
    set_by = f"set by {setting}; " if setting else ""
    if isinstance(exc, transport.Interrupted):
        return Failure(str(exc), sent=exc.sent, final=True)
    if isinstance(exc, (transport.Expired, transport.TooLarge)):
        return Failure(str(exc), sent=True, final=True)
    if isinstance(exc, requests.ConnectTimeout):
        return Failure(
            f"timed out connecting to {where} ({set_by}is the server up?)", sent=False, final=False
        )
    if isinstance(exc, requests.exceptions.ProxyError):
        # Before the generic ConnectionError, as TLS below: a retry reaches the same proxy.
        return Failure(proxy_failure(base_url), sent=False, final=True)
    if isinstance(exc, requests.exceptions.SSLError):
        # Before the generic ConnectionError, which would call it a broken connection; and
        # final at once, since no retry makes a certificate trusted.
        if speaks_plain_http(exc):
            return Failure(
                f"the server at {where} does not speak TLS ({set_by}did you mean http://?)",
                sent=False,
                final=True,
            )
        message = (
            f"TLS certificate of {where} not trusted, or TLS failed "
            f"({set_by}for a private CA, set REQUESTS_CA_BUNDLE)"
        )
        return Failure(message, sent=False, final=True)
    if isinstance(exc, requests.ConnectionError):
        if never_connected(exc):
            return Failure(
                f"cannot connect to {where} ({set_by}is the server up?)", sent=False, final=False
            )
        return Failure("the connection broke before an answer came", sent=True, final=False)
    if isinstance(exc, requests.Timeout):
        return Failure(f"no answer within {transport.IDLE_TIMEOUT:.0f}s", sent=True, final=False)
    return Failure(f"request failed ({type(exc).__name__})", sent=True, final=False)


def speaks_plain_http(exc: requests.exceptions.SSLError) -> bool:
    """OpenSSL's words when the answer to its hello is not TLS at all (an HTTP 400, say)."""
    text = str(exc).lower()
    return any(
        sign in text for sign in ("wrong version number", "record layer failure", "http request")
    )


def never_connected(exc: requests.ConnectionError) -> bool:
    reason: Any = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, NewConnectionError)


def proxy_failure(base_url: str) -> str:
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
