"""Credentials from the environment, in order of precedence:

TRIGGERSYNC_TOKEN (bearer), TRIGGERSYNC_CLIENT_ID + TRIGGERSYNC_CLIENT_SECRET (OAuth client
credentials, a token granted and renewed as needed), TRIGGERSYNC_EMAIL + TRIGGERSYNC_PASSWORD
(basic auth).

No credential is ever part of a message, a log line or a repr. Each auth object records every
form in which it sends a credential (`Secrets`), so that a server echoing one back in an error
never gets it shown: the client masks all server text with that record.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin

import requests
from requests.auth import AuthBase, HTTPBasicAuth

from triggersync.api import transport
from triggersync.api.answers import loads
from triggersync.api.secrets import Secrets
from triggersync.api.urls import check_url, display_url, origin, token_url
from triggersync.errors import ApiError, AuthError, TransportError, UsageError

_RENEWED = "_triggersync_token_renewed"  # marks the one resend after a 401
_TOKEN_ANSWER_LIMIT = 1024 * 1024  # a token answer is a few hundred bytes
# Values never to repeat, even when a server echoes them back in an error message.
SECRET_VARS = ("TRIGGERSYNC_TOKEN", "TRIGGERSYNC_CLIENT_SECRET", "TRIGGERSYNC_PASSWORD")
CREDENTIAL_VARS = (
    "TRIGGERSYNC_TOKEN",
    "TRIGGERSYNC_CLIENT_ID",
    "TRIGGERSYNC_CLIENT_SECRET",
    "TRIGGERSYNC_EMAIL",
    "TRIGGERSYNC_PASSWORD",
)
TOKEN_VARS = "TRIGGERSYNC_TOKEN"
CLIENT_VARS = "TRIGGERSYNC_CLIENT_ID and TRIGGERSYNC_CLIENT_SECRET"
BASIC_VARS = "TRIGGERSYNC_EMAIL and TRIGGERSYNC_PASSWORD"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1


class BasicAuth(HTTPBasicAuth):
    """`user:password` in UTF-8, as curl sends it and RFC 7617 names the one charset;
    requests' own encoding, Latin-1, fails on a password with a character beyond it (€)."""

    def __init__(self, username: str, password: str) -> None:
        super().__init__(username, password)
        self._header = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
        self.secrets = Secrets()
        self.secrets.add_basic(username, password)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = self._header
        return request

    def __repr__(self) -> str:
        return "BasicAuth(<hidden>)"


class BearerAuth(AuthBase):
    def __init__(self, token: str) -> None:
        self._token = token
        self.secrets = Secrets()
        self.secrets.add(token)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth(<hidden>)"


class TokenCache:
    """One account's access token, shared by the clients a run makes for it (a project's plan
    and its apply each have their own client): the client credentials are exchanged once
    per run, as over one account, not once per client."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def get(self) -> tuple[str | None, float]:
        with self._lock:
            return self._token, self._renew_at

    def put(self, token: str, renew_at: float) -> None:
        with self._lock:
            self._token, self._renew_at = token, renew_at


class ClientCredentialsAuth(AuthBase):
    """Fetches one access token on first use (or takes the one `shared` holds), then behaves
    as BearerAuth."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        session: requests.Session,
        clock: Callable[[], float] = time.monotonic,
        shared: TokenCache | None = None,
    ) -> None:
        self._token_url = check_url(token_url, what="TRIGGERSYNC_TOKEN_URL")
        self._client_id = client_id
        self._client_secret = client_secret
        self._session = session
        self._clock = clock
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = threading.Lock()
        self._shared = shared
        self.secrets = Secrets()
        self.secrets.add(client_secret)
        self.secrets.add_basic(client_id, client_secret)

    def __repr__(self) -> str:
        return "ClientCredentialsAuth(<hidden>)"

    @property
    def token_url(self) -> str:
        """Where the client secret goes."""
        return self._token_url

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.register_hook("response", self._renew_on_401)  # type: ignore[no-untyped-call]
        request.headers["Authorization"] = f"Bearer {self._current(stale=None)}"
        return request

    def _current(self, *, stale: str | None) -> str:
        """The token to send: fetched on first use, renewed before it expires, and renewed
        when the server refused `stale` (another thread may have renewed it already)."""
        with self._lock:
            if self._token is None and self._shared is not None:
                token, renew_at = self._shared.get()
                if token is not None and self._clock() < renew_at:
                    self.secrets.add(token)
                    self._token, self._renew_at = token, renew_at
            expired = self._clock() >= self._renew_at
            if self._token is None or expired or (stale is not None and self._token == stale):
                self._token, lifetime = self._grant()
                # Renew a minute early, so no request sets off with a token about to lapse.
                self._renew_at = self._clock() + max(0.0, lifetime - 60.0)
                if self._shared is not None:
                    self._shared.put(self._token, self._renew_at)
            return self._token

    def _renew_on_401(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        """A long apply can outlive a token, or it may be revoked: renew it and send once more
        (the hook pattern of requests' own HTTPDigestAuth). The client never follows
        redirects, so the 401 comes from the URL the token was meant for."""
        sent = response.request
        if response.status_code != 401 or getattr(sent, _RENEWED, False):
            return response
        stale = str(sent.headers.get("Authorization", "")).removeprefix("Bearer ")
        token = self._current(stale=stale)
        response.close()
        again = sent.copy()
        again.headers["Authorization"] = f"Bearer {token}"
        setattr(again, _RENEWED, True)
        connection: Any = response.connection
        renewed: requests.Response = connection.send(again, **kwargs)
        renewed.history.append(response)
        renewed.request = again
        return renewed

    def _grant(self) -> tuple[str, float]:
        """A new access token and its lifetime in seconds (a day when the server is silent)."""
        form = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "scope": "read write",
        }
        what = f"OAuth token request to {display_url(self._token_url)}"
        try:
            # The session's own auth is this object: bypass it, or the grant would recurse.
            # Never redirected: the form carries the client secret.
            answer = transport.exchange(
                self._session,
                "POST",
                self._token_url,
                data=form,
                auth=_no_auth,
                limit=_TOKEN_ANSWER_LIMIT,
            )
        except (transport.Expired, transport.Interrupted, transport.TooLarge) as exc:
            raise TransportError(f"{what}: {exc}") from None
        except requests.RequestException as exc:
            raise TransportError(f"{what}: no answer ({type(exc).__name__})") from None
        status = answer.status
        if 300 <= status < 400:
            raise ApiError(
                f"{what}: HTTP {status}: redirected{self._target(answer)}; not followed, as the "
                "client secret goes only to TRIGGERSYNC_TOKEN_URL: set it to the final URL",
                status=status,
            )
        if status in (400, 401, 403):
            raise AuthError(
                f"OAuth token request refused (HTTP {status}); check {CLIENT_VARS}",
                status=status,
            )
        if status != 200:
            raise ApiError(f"{what} failed: HTTP {status}", status=status)
        token, lifetime = _token_from(answer.body)
        if token is None:
            raise TransportError(
                f"{what}: HTTP 200, but the answer is not JSON with an access_token"
            )
        self.secrets.add(token)
        problem = header_problem(token)
        if problem:
            # Sent as it is, it would crash the request, or add headers of the server's choosing.
            raise TransportError(
                f"{what}: HTTP 200, but its access_token holds {problem}, which an HTTP "
                "header cannot carry; not used"
            )
        return token, lifetime

    def _target(self, answer: transport.Answer) -> str:
        location = answer.headers.get("Location")
        if not location:
            return ""
        try:
            return f" to {origin(urljoin(self._token_url, location))}"
        except ValueError:
            return ""


_MAX_LIFETIME = 365 * 86400


def _token_from(body: bytes) -> tuple[str | None, float]:
    try:
        answer = loads(body)
    except ValueError:
        return None, 0.0
    if not isinstance(answer, dict):
        return None, 0.0
    token, lifetime = answer.get("access_token"), answer.get("expires_in", 86400)
    if not isinstance(token, str) or not token:
        return None, 0.0
    valid = isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool)
    # A lifetime beyond a year is a year: an integer of hundreds of digits has no float.
    return token, float(min(lifetime, _MAX_LIFETIME)) if valid else 86400.0


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    return request


def secrets_of(auth: AuthBase) -> Secrets:
    """The record of what `auth` sends; built here for a plain requests HTTPBasicAuth."""
    known = getattr(auth, "secrets", None)
    if isinstance(known, Secrets):
        return known
    secrets = Secrets()
    if isinstance(auth, HTTPBasicAuth):
        secrets.add_basic(_text(auth.username), _text(auth.password))
    return secrets


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def header_problem(value: str) -> str | None:
    """What in `value` an HTTP header cannot carry, in words; None when it can carry all of it.

    Control characters would end the header (and let the rest pass for headers of its own) or
    be refused by the HTTP library; a header holds Latin-1 at most."""
    if _CONTROL.search(value):
        return "a control character (such as a line break or a tab)"
    if any(ord(char) > 0xFF for char in value):
        return "a character beyond Latin-1"
    return None


def credentials(env: Mapping[str, str]) -> dict[str, str]:
    """The credential variables that are set, surrounding whitespace stripped: a secret pasted
    into a CI settings page often keeps its trailing newline, and no credential begins or ends
    with whitespace. A control character left inside is an error naming the variable (never
    its value); so is, in the token sent as a header, a character a header cannot carry."""
    found: dict[str, str] = {}
    for name in CREDENTIAL_VARS:
        value = env.get(name, "").strip()
        if not value:
            continue
        if _CONTROL.search(value):
            problem: str | None = "a control character (such as a line break or a tab)"
        elif name == TOKEN_VARS:
            problem = header_problem(value)
        elif name == "TRIGGERSYNC_EMAIL" and ":" in value:
            # Basic auth joins the two with a colon: the server would split the email there,
            # refuse the login, and the run would end in a puzzling 401.
            problem = "a colon (:), which basic authentication uses to end the email"
        else:
            problem = None
        if problem:
            raise UsageError(
                f"{name} holds {problem} inside it, which no HTTP request can carry as a "
                "credential; check its value (surrounding whitespace is ignored)"
            )
        found[name] = value
    return found


def from_env(
    env: Mapping[str, str],
    session: requests.Session,
    base_url: str,
    tokens: TokenCache | None = None,
) -> tuple[AuthBase, str]:
    """The auth to use and the variables it came from (named in authentication errors);
    `tokens`: an OAuth access token shared with the account's other clients.
    Client credentials go to TRIGGERSYNC_TOKEN_URL, else to the token endpoint on base_url's
    own host, so the client secret never leaves the account's origin unasked."""
    found = credentials(env)
    if TOKEN_VARS in found:
        return BearerAuth(found[TOKEN_VARS]), TOKEN_VARS
    if "TRIGGERSYNC_CLIENT_ID" in found and "TRIGGERSYNC_CLIENT_SECRET" in found:
        url = env.get("TRIGGERSYNC_TOKEN_URL", "").strip() or token_url(base_url)
        auth = ClientCredentialsAuth(
            url,
            found["TRIGGERSYNC_CLIENT_ID"],
            found["TRIGGERSYNC_CLIENT_SECRET"],
            session,
            shared=tokens,
        )
        return auth, CLIENT_VARS
    if "TRIGGERSYNC_EMAIL" in found and "TRIGGERSYNC_PASSWORD" in found:
        return BasicAuth(found["TRIGGERSYNC_EMAIL"], found["TRIGGERSYNC_PASSWORD"]), BASIC_VARS
    raise UsageError(missing_credentials(found))


# Credentials that come in pairs: one half set alone is almost always the other half forgotten.
_PAIRS = (
    ("TRIGGERSYNC_CLIENT_ID", "TRIGGERSYNC_CLIENT_SECRET"),
    ("TRIGGERSYNC_EMAIL", "TRIGGERSYNC_PASSWORD"),
)


def missing_credentials(found: Mapping[str, str]) -> str:
    """What to set, when no complete credential is: the missing half of a pair that is half
    set, by name; otherwise every way to authenticate."""
    for first, second in _PAIRS:
        if (first in found) != (second in found):
            present, missing = (first, second) if first in found else (second, first)
            return f"{present} is set but {missing} is not: set both (or {TOKEN_VARS})"
    return f"no credentials: set {TOKEN_VARS}, or {CLIENT_VARS}, or {BASIC_VARS}"
