"""Where the API lives, and whether it is safe to talk to it.

The base URL is `--api-url`, else TRIGGERSYNC_API_URL, else the host Zendesk serves a
subdomain's Chat API from, else the legacy host of the API document (docs/api.md). Credentials
go to that URL's origin (scheme, host and port) only; a redirect away from it is explained,
never followed. How answers are read is answers.py.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from urllib.parse import quote, urljoin, urlsplit

import requests

from triggersync.errors import ApiError, UsageError
from triggersync.untrusted import shown

LEGACY_BASE_URL = "https://www.zopim.com/api/v2"
_SUBDOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*$", re.IGNORECASE)
_USERINFO = re.compile(r"^([^:/?#]*://)[^@]*@")  # up to the last @: a password may hold / or :
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


LEGACY_SETTING = "the legacy default (neither TRIGGERSYNC_API_URL nor TRIGGERSYNC_SUBDOMAIN is set)"


def resolve_base_url(env: Mapping[str, str], override: str | None = None) -> str:
    """--api-url, else TRIGGERSYNC_API_URL, else the subdomain's host, else the legacy host."""
    setting = url_setting(env, override)
    if setting == "--api-url":
        url = override or ""
    elif setting == "TRIGGERSYNC_API_URL":
        url = env["TRIGGERSYNC_API_URL"]
    elif setting == "TRIGGERSYNC_SUBDOMAIN":
        subdomain = env["TRIGGERSYNC_SUBDOMAIN"].strip()
        if not _SUBDOMAIN.match(subdomain):
            raise UsageError(f"TRIGGERSYNC_SUBDOMAIN is not a valid subdomain: {subdomain!r}")
        url = f"https://{subdomain}.zendesk.com/api/v2/chat"
    else:
        url, setting = LEGACY_BASE_URL, "API URL"
    url = check_url(url.strip().rstrip("/"), what=setting)
    if "?" in url or "#" in url:
        # The paths are appended to the base URL: after a query or fragment they would not
        # be paths at all.
        raise UsageError(
            f"{setting} must not have a query (?) or a fragment (#); the triggers' paths are "
            f"appended to it: {redacted(url)!r}"
        )
    return url


def url_setting(env: Mapping[str, str], override: str | None = None) -> str:
    """Which setting chose the base URL, for messages: a user who forgot one must see it."""
    if override:
        return "--api-url"
    if env.get("TRIGGERSYNC_API_URL"):
        return "TRIGGERSYNC_API_URL"
    if env.get("TRIGGERSYNC_SUBDOMAIN", "").strip():
        return "TRIGGERSYNC_SUBDOMAIN"
    return LEGACY_SETTING


def trigger_path(name: str | None) -> str:
    """`/triggers`, or `/triggers/{name}` with the name percent-encoded as one path segment
    in UTF-8 (docs/api.md#triggers-are-addressed-by-name)."""
    if name is None:
        return "/triggers"
    try:
        segment = quote(name, safe="")
    except UnicodeEncodeError:
        # JSON can spell a lone surrogate ("\ud800"), so a live name may hold one; UTF-8
        # cannot encode it, so no URL addresses that trigger. Refuse this one call by name.
        raise ApiError(
            f"not sent: the name {shown(name)} holds a lone surrogate, which is not Unicode "
            "text and cannot be written in a URL; rename or delete it in Zendesk"
        ) from None
    if segment in (".", ".."):
        # A bare `.` or `..` segment is resolved away by URL normalisation (RFC 3986 §5.2.4),
        # so the request would address another path: percent-encode its dots.
        segment = segment.replace(".", "%2E")
    return "/triggers/" + segment


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, what: str) -> str:
    """Refuse URLs that are malformed, or that would leak credentials: plain http off
    loopback, or userinfo. `what` names the setting the URL came from."""
    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is not a number, or beyond 65535, raises here
        # requests' own check: hosts it cannot encode, and whatever else it would refuse later
        requests.PreparedRequest().prepare_url(url, None)
    except (ValueError, requests.RequestException) as exc:
        raise UsageError(f"{what} is not a valid URL ({_reason(exc)}): {redacted(url)!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what} must be an http(s) URL with a host, got {redacted(url)!r}")
    if port == 0:
        raise UsageError(f"{what} is not a valid URL (port 0): {redacted(url)!r}")
    if parts.username is not None or parts.password is not None:
        # Credentials come from the environment only; a URL ends up in logs and messages.
        raise UsageError(f"{what} must not carry credentials; use the TRIGGERSYNC_* variables")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise UsageError(
            f"{what}: refusing plain http:// to {parts.hostname}: credentials would cross the "
            "network unencrypted; use https:// (http is allowed only for loopback)"
        )
    if parts.path.rstrip("/").endswith("/triggers"):
        # The client appends /triggers itself; this URL would address a trigger "triggers".
        base = url.rstrip("/")[: -len("/triggers")]
        raise UsageError(
            f"{what} must be the API's base URL, without /triggers: use {redacted(base)!r}"
        )
    return url


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "Port" in text:
        return "the port must be a number from 1 to 65535"
    if "IPv6" in text or "IPv4" in text:
        return "the host is not a valid address in [ ]"
    if "No host" in text:
        return "no host"
    return "malformed"


def redacted(url: str) -> str:
    """A URL that may not even parse, for a message: never its userinfo, nor a control
    character."""
    return _CONTROL.sub("?", _USERINFO.sub(r"\1***@", url))[:300]


def display_url(url: str) -> str:
    """A URL fit for messages: never the userinfo part."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return parts._replace(netloc=netloc).geturl()


def origin(url: str) -> str:
    """scheme://host[:port], without userinfo (raises ValueError for a malformed URL)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}:{parts.port}" if parts.port else f"{parts.scheme}://{host}"


def redirect_advice(base_url: str, path: str, location: str | None) -> str:
    """Why a redirect from base_url + path to `location` is not followed, and what to do.

    A server that moved tells us where; following it would hand the credentials to whoever
    answers there (another origin, or plain http). The user decides, by configuring the URL."""
    if not location:
        return "a redirect without a Location, not followed"
    try:
        target = urljoin(base_url + path, location.strip())
        there = origin(target)
    except ValueError:
        return f"a redirect to a malformed Location, not followed: {redacted(location)!r}"
    here = origin(base_url)
    target = _CONTROL.sub("?", target)[:300]
    why = f"redirects are not followed, so credentials go to {here} only"
    if there == here:
        kind, why = "same origin", "redirects are not followed"
    elif urlsplit(target).scheme == "http" and urlsplit(base_url).scheme == "https":
        kind = f"another origin, {there}, over plain http"
    else:
        kind = f"another origin, {there}"
    new_base = target.split("?", 1)[0].split("#", 1)[0]
    final = new_base[: -len(path)] if new_base.endswith(path) else None
    advice = (
        f"set TRIGGERSYNC_API_URL (or --api-url) to {final}"
        if final
        else "set TRIGGERSYNC_API_URL (or --api-url) to the API's final URL"
    )
    return f"redirected to {target} ({kind}); {why}: if the API has moved there, {advice}"
