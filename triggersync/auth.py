"""Credentials from the environment (SPEC §3, §7), in order of precedence:

TRIGGERSYNC_TOKEN (bearer), TRIGGERSYNC_CLIENT_ID + TRIGGERSYNC_CLIENT_SECRET (OAuth client
credentials, one grant per run), TRIGGERSYNC_EMAIL + TRIGGERSYNC_PASSWORD (basic auth).
No credential is ever part of a message, a log line or a repr.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
from requests.auth import AuthBase, HTTPBasicAuth

from triggersync.endpoint import check_url
from triggersync.errors import ApiError, AuthError, TransportError, UsageError

DEFAULT_TOKEN_URL = "https://www.zopim.com/oauth2/token"
_RENEWED = "_triggersync_token_renewed"  # marks the one resend after a 401
# Values never to repeat, even when a server echoes them back in an error message.
SECRET_VARS = ("TRIGGERSYNC_TOKEN", "TRIGGERSYNC_CLIENT_SECRET", "TRIGGERSYNC_PASSWORD")
TOKEN_VARS = "TRIGGERSYNC_TOKEN"
CLIENT_VARS = "TRIGGERSYNC_CLIENT_ID and TRIGGERSYNC_CLIENT_SECRET"
BASIC_VARS = "TRIGGERSYNC_EMAIL and TRIGGERSYNC_PASSWORD"


class BearerAuth(AuthBase):
    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth(<hidden>)"


class ClientCredentialsAuth(AuthBase):
    """Fetches one access token on first use, then behaves as BearerAuth."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        session: requests.Session,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token_url = check_url(token_url, what="TRIGGERSYNC_TOKEN_URL")
        self._client_id = client_id
        self._client_secret = client_secret
        self._session = session
        self._clock = clock
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return "ClientCredentialsAuth(<hidden>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.register_hook("response", self._renew_on_401)  # type: ignore[no-untyped-call]
        request.headers["Authorization"] = f"Bearer {self._current(stale=None)}"
        return request

    def _current(self, *, stale: str | None) -> str:
        """The token to send: fetched on first use, renewed before it expires, and renewed
        when the server refused `stale` (another thread may have renewed it already)."""
        with self._lock:
            expired = self._clock() >= self._renew_at
            if self._token is None or expired or (stale is not None and self._token == stale):
                self._token, lifetime = self._grant()
                # Renew a minute early, so no request sets off with a token about to lapse.
                self._renew_at = self._clock() + max(0.0, lifetime - 60.0)
            return self._token

    def _renew_on_401(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        """A long apply can outlive a token, or it may be revoked: renew it and send once more
        (the hook pattern of requests' own HTTPDigestAuth)."""
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
        try:
            # The session's own auth is this object: bypass it, or the grant would recurse.
            response = self._session.post(
                self._token_url, data=form, auth=_no_auth, timeout=(5.0, 30.0)
            )
        except requests.RequestException as exc:
            raise TransportError(
                f"cannot reach the OAuth token endpoint {self._token_url}: {type(exc).__name__}"
            ) from None
        if response.status_code in (400, 401, 403):
            raise AuthError(
                f"OAuth token request refused (HTTP {response.status_code}); check {CLIENT_VARS}",
                status=response.status_code,
            )
        if response.status_code != 200:
            raise ApiError(
                f"OAuth token request failed: HTTP {response.status_code}",
                status=response.status_code,
            )
        try:
            answer = response.json()
            token, lifetime = answer.get("access_token"), answer.get("expires_in", 86400)
        except (ValueError, AttributeError):
            token, lifetime = None, None
        if not isinstance(token, str) or not token:
            raise TransportError("OAuth token endpoint answered without an access_token")
        valid = isinstance(lifetime, (int, float)) and not isinstance(lifetime, bool)
        return token, float(lifetime) if valid else 86400.0


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    return request


def from_env(env: Mapping[str, str], session: requests.Session) -> tuple[AuthBase, str]:
    """The auth to use and the variables it came from (named in authentication errors)."""
    if env.get("TRIGGERSYNC_TOKEN"):
        return BearerAuth(env["TRIGGERSYNC_TOKEN"]), TOKEN_VARS
    if env.get("TRIGGERSYNC_CLIENT_ID") and env.get("TRIGGERSYNC_CLIENT_SECRET"):
        token_url = env.get("TRIGGERSYNC_TOKEN_URL") or DEFAULT_TOKEN_URL
        auth = ClientCredentialsAuth(
            token_url, env["TRIGGERSYNC_CLIENT_ID"], env["TRIGGERSYNC_CLIENT_SECRET"], session
        )
        return auth, CLIENT_VARS
    if env.get("TRIGGERSYNC_EMAIL") and env.get("TRIGGERSYNC_PASSWORD"):
        return HTTPBasicAuth(env["TRIGGERSYNC_EMAIL"], env["TRIGGERSYNC_PASSWORD"]), BASIC_VARS
    raise UsageError(f"no credentials: set {TOKEN_VARS}, or {CLIENT_VARS}, or {BASIC_VARS}")
