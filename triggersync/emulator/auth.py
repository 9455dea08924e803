"""Who the emulator lets in: basic auth, its static bearer token, and tokens it issued itself."""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

DEFAULTS = {
    "email": "demo@example.com",
    "password": "demo-password",
    "token": "demo-token",
    "client_id": "demo-client",
    "client_secret": "demo-secret",
}
ENV_NAMES = {field: f"TRIGGERSYNC_{field.upper()}" for field in DEFAULTS}


@dataclass(frozen=True)
class Credentials:
    email: str = DEFAULTS["email"]
    password: str = DEFAULTS["password"]
    token: str = DEFAULTS["token"]
    client_id: str = DEFAULTS["client_id"]
    client_secret: str = DEFAULTS["client_secret"]

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Credentials:
        """The TRIGGERSYNC_* variables; an unset or empty one keeps its default."""
        return cls(**{field: env.get(ENV_NAMES[field]) or DEFAULTS[field] for field in DEFAULTS})

    def is_default(self, field: str) -> bool:
        """Only defaults are safe to print: a value from the environment may be a real secret."""
        return bool(getattr(self, field) == DEFAULTS[field])


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class TokenIssuer:
    """Checks Authorization headers and issues OAuth client-credentials tokens."""

    ttl = 7200  # seconds, as Zendesk's own tokens

    def __init__(self, credentials: Credentials, clock: Callable[[], float] = time.monotonic):
        self.credentials = credentials
        self._clock = clock
        self._lock = threading.Lock()
        self._issued: dict[str, float] = {}  # token -> expiry on self._clock

    def issue(self, client_id: str | None, client_secret: str | None) -> str | None:
        """A new bearer token, or None when the client credentials are wrong."""
        creds = self.credentials
        if client_id is None or client_secret is None:
            return None
        if not (_same(client_id, creds.client_id) & _same(client_secret, creds.client_secret)):
            return None
        token = secrets.token_urlsafe(24)
        with self._lock:
            now = self._clock()
            self._issued = {t: exp for t, exp in self._issued.items() if exp > now}
            self._issued[token] = now + self.ttl
        return token

    def accepts(self, authorization: str | None) -> bool:
        scheme, _, value = (authorization or "").strip().partition(" ")
        value = value.strip()
        if scheme.lower() == "bearer" and value:
            if _same(value, self.credentials.token):
                return True
            with self._lock:
                expiry = self._issued.get(value)
            return expiry is not None and expiry > self._clock()
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return False
            email, sep, password = decoded.partition(":")
            creds = self.credentials
            return bool(sep) and _same(email, creds.email) & _same(password, creds.password)
        return False
