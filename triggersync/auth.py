"""Credentials from the environment (SPEC §3, §7), in order of precedence:

TRIGGERSYNC_TOKEN (bearer), TRIGGERSYNC_CLIENT_ID + TRIGGERSYNC_CLIENT_SECRET (OAuth client
credentials, one grant per run), TRIGGERSYNC_EMAIL + TRIGGERSYNC_PASSWORD (basic auth).
No credential is ever part of a message, a log line or a repr.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

import requests
from requests.auth import AuthBase, HTTPBasicAuth

from triggersync.endpoint import check_url
from triggersync.errors import ApiError, AuthError, TransportError, UsageError

DEFAULT_TOKEN_URL = "https://www.zopim.com/oauth2/token"
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
        self, token_url: str, client_id: str, client_secret: str, session: requests.Session
    ) -> None:
        self._token_url = check_url(token_url, what="TRIGGERSYNC_TOKEN_URL")
        self._client_id = client_id
        self._client_secret = client_secret
        self._session = session
        self._bearer: BearerAuth | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return "ClientCredentialsAuth(<hidden>)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        with self._lock:
            if self._bearer is None:
                self._bearer = BearerAuth(self._grant())
        return self._bearer(request)

    def _grant(self) -> str:
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
            token = response.json().get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise TransportError("OAuth token endpoint answered without an access_token")
        return token


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
