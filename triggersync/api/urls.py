"""Where the API lives, and whether it is safe to talk to it.

The base URL is `--api-url`, else TRIGGERSYNC_API_URL, else the host Zendesk serves a
subdomain's Chat API from; with none of them set, nothing is sent (docs/api.md). The OAuth
token URL defaults to the Chat token endpoint on the same origin. Credentials
go to that URL's origin (scheme, host and port) only; a redirect away from it is explained,
never followed. How answers are read is answers.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote, urljoin, urlsplit

import requests

from triggersync.base_url import RETIRED_HOST, trimmed, zendesk_base_url
from triggersync.errors import ApiError, UsageError
from triggersync.loopback import is_loopback
from triggersync.untrusted import shown

RETIRED_ON = "2025-05-12"
_SUBDOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*$", re.IGNORECASE)
_USERINFO = re.compile(r"^([^:/?#]*://)[^@]*@")  # up to the last @: a password may hold / or :
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

NO_URL = (
    "no API URL: set TRIGGERSYNC_SUBDOMAIN to the account's subdomain (acme for "
    "acme.zendesk.com), or TRIGGERSYNC_API_URL (or --api-url) to the API's base URL"
)


def resolve_base_url(
    env: Mapping[str, str], override: str | None = None, *, named: str | None = None
) -> str:
    """--api-url, else TRIGGERSYNC_API_URL, else the subdomain's host; none of them is an
    error, raised before any request (docs/api.md#where-the-api-is)."""
    setting = url_setting(env, override)
    if setting == "--api-url":
        url = override or ""
    elif setting == "TRIGGERSYNC_API_URL":
        url = env["TRIGGERSYNC_API_URL"]
    elif setting == "TRIGGERSYNC_SUBDOMAIN":
        url = subdomain_url(env["TRIGGERSYNC_SUBDOMAIN"])
    else:
        # The document's www.zopim.com is retired: guessing it would send the credentials
        # to a host that no longer serves the API, and then retry for seconds.
        raise UsageError(NO_URL)
    # `named`: what the user calls the setting, when it is not one of ours (a project file's).
    setting = named or setting
    url = check_url(trimmed(url), what=setting)
    if "?" in url or "#" in url:
        # The paths are appended to the base URL: after a query or fragment they would not
        # be paths at all.
        raise UsageError(
            f"{setting} must not have a query (?) or a fragment (#); the triggers' paths are "
            f"appended to it: {redacted(url)!r}"
        )
    return url


def subdomain_url(value: str) -> str:
    """The Chat API of the account `value` names: `acme` → https://acme.zendesk.com/api/v2/chat.
    A host or URL in its place is refused with the subdomain it holds, which is what was meant."""
    subdomain = value.strip()
    if _SUBDOMAIN.match(subdomain):
        return zendesk_base_url(subdomain)
    try:
        host = urlsplit(subdomain if "//" in subdomain else "//" + subdomain).hostname or ""
    except ValueError:
        host = ""
    first = host.split(".", 1)[0]
    if "." in host and _SUBDOMAIN.match(first):
        raise UsageError(
            f"TRIGGERSYNC_SUBDOMAIN is the subdomain alone: set TRIGGERSYNC_SUBDOMAIN={first} "
            f"(not {redacted(subdomain)!r}), or TRIGGERSYNC_API_URL to a full base URL"
        )
    raise UsageError(
        "TRIGGERSYNC_SUBDOMAIN is not a valid subdomain (letters, digits and -, as acme in "
        f"acme.zendesk.com): {redacted(subdomain)!r}"
    )


def url_setting(env: Mapping[str, str], override: str | None = None) -> str:
    """Which setting chose the base URL, for messages: a user who forgot one must see it.
    Empty when none is set (resolve_base_url refuses that)."""
    if override:
        return "--api-url"
    if env.get("TRIGGERSYNC_API_URL"):
        return "TRIGGERSYNC_API_URL"
    if env.get("TRIGGERSYNC_SUBDOMAIN", "").strip():
        return "TRIGGERSYNC_SUBDOMAIN"
    return ""


def is_retired(url: str) -> bool:
    """Whether `url` is on the host Zendesk retired on RETIRED_ON (the API document's)."""
    try:
        return (urlsplit(url).hostname or "").lower() == RETIRED_HOST
    except ValueError:
        return False


def retired_warning(setting: str) -> str:
    """The warning for a URL on the retired host; `setting` names where it came from."""
    if setting == "TRIGGERSYNC_TOKEN_URL":
        advice = "unset it, and the token URL is the Chat one on the API's own host"
    else:
        advice = "set TRIGGERSYNC_SUBDOMAIN (acme for acme.zendesk.com) instead"
    return (
        f"{setting} names {RETIRED_HOST}, which Zendesk retired on {RETIRED_ON}; the Chat API "
        f"is served from the account's own host ({{subdomain}}.zendesk.com/api/v2/chat): {advice}"
    )


def token_url(base_url: str) -> str:
    """The OAuth token endpoint on the API's own host: the Chat one (`/oauth2/chat/token`), or
    the retired host's `/oauth2/token` (docs/api.md#oauth-client-credentials)."""
    path = "/oauth2/token" if is_retired(base_url) else "/oauth2/chat/token"
    return origin(base_url) + path


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
        raise UsageError(
            f"{what} must not carry credentials; they come from environment variables only"
        )
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
