"""Where the API lives (SPEC §1) and whether it is safe to talk to it."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from triggersync.errors import UsageError

LEGACY_BASE_URL = "https://www.zopim.com/api/v2"
_SUBDOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*$", re.IGNORECASE)


def resolve_base_url(env: Mapping[str, str], override: str | None = None) -> str:
    """--api-url, else TRIGGERSYNC_API_URL, else the subdomain's host, else the legacy host."""
    url = override or env.get("TRIGGERSYNC_API_URL")
    if not url:
        subdomain = env.get("TRIGGERSYNC_SUBDOMAIN", "").strip()
        if subdomain:
            if not _SUBDOMAIN.match(subdomain):
                raise UsageError(f"TRIGGERSYNC_SUBDOMAIN is not a valid subdomain: {subdomain!r}")
            url = f"https://{subdomain}.zendesk.com/api/v2/chat"
        else:
            url = LEGACY_BASE_URL
    return check_url(url.strip().rstrip("/"), what="API URL")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, what: str) -> str:
    """Refuse URLs that would leak credentials: plain http off loopback, or userinfo."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what} must be an http(s) URL with a host, got {display_url(url)!r}")
    if parts.username is not None or parts.password is not None:
        # Credentials come from the environment only; a URL ends up in logs and messages.
        raise UsageError(f"{what} must not carry credentials; use the TRIGGERSYNC_* variables")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise UsageError(
            f"refusing plain http:// to {parts.hostname}: credentials would cross the network "
            "unencrypted; use https:// (http is allowed only for loopback)"
        )
    return url


def display_url(url: str) -> str:
    """A URL fit for messages: never the userinfo part."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return parts._replace(netloc=netloc).geturl()
