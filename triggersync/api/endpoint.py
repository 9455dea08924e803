"""Where the API lives, whether it is safe to talk to it, and how its answers are read.

The base URL is `--api-url`, else TRIGGERSYNC_API_URL, else the host Zendesk serves a
subdomain's Chat API from; with none of them set, nothing is sent (docs/api.md). The OAuth
token URL defaults to the Chat token endpoint on the same origin. Credentials
go to that URL's origin (scheme, host and port) only; a redirect away from it is explained,
never followed. Answers are read defensively: a wrong shape, an HTML error page or garbage is
one clear TransportError naming the call.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import requests

from triggersync.api.transport import Answer
from triggersync.engine.model import Trigger, normalise
from triggersync.errors import ApiError, AuthError, NotFoundError, TransportError, UsageError
from triggersync.untrusted import shown

RETIRED_HOST = "www.zopim.com"
RETIRED_ON = "2025-05-12"
_SUBDOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*$", re.IGNORECASE)
_USERINFO = re.compile(r"^([^:/?#]*://)[^@]*@")  # up to the last @: a password may hold / or :
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

NO_URL = (
    "no API URL: set TRIGGERSYNC_SUBDOMAIN to the account's subdomain (acme for "
    "acme.zendesk.com), or TRIGGERSYNC_API_URL (or --api-url) to the API's base URL"
)


def resolve_base_url(env: Mapping[str, str], override: str | None = None) -> str:
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
    url = check_url(url.strip().rstrip("/"), what=setting)
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
        return f"https://{subdomain}.zendesk.com/api/v2/chat"
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


# -- reading answers ------------------------------------------------------------------------

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")  # C0, DEL and C1: a terminal acts on them


class NotJson(ValueError):
    """Text that Python's json reads but JSON does not allow; the message says why."""


def _not_json(constant: str) -> Any:
    raise NotJson(f"{constant} is not JSON")


def _finite(number: str) -> float:
    # 1e400 reads as inf: written back it would be Infinity in a JSON plan and .inf in an
    # export, neither of which reads back as the number the server sent.
    value = float(number)
    if not math.isfinite(value):
        raise NotJson(f"a number beyond the range of a double: {number[:40]}")
    return value


def loads(data: bytes) -> Any:
    """Strict JSON: Python's json also takes NaN and Infinity, which no JSON server sends, and
    turns a number too large for a double into infinity. RecursionError (arrays nested beyond
    the stack) is a ValueError here too."""
    try:
        return json.loads(data, parse_constant=_not_json, parse_float=_finite)
    except RecursionError:
        raise NotJson("nested too deeply") from None


def server_message(answer: Answer) -> str:
    """The server's own words: JSON {"error"|"message"|"description"}, else a text snippet."""
    try:
        data = loads(answer.body)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("error", "message", "description", "details"):
            value = data.get(key)
            if isinstance(value, str) and value:
                return _CONTROLS.sub(" ", value)[:500]
            if isinstance(value, dict):
                inner = value.get("message") or value.get("title")
                if isinstance(inner, str) and inner:
                    return _CONTROLS.sub(" ", inner)[:500]
    text = re.sub(r"<[^>]*>", " ", answer.text)
    text = " ".join(_CONTROLS.sub(" ", text).split())
    return text[:200] or answer.reason or "no message"


def error_for(what: str, answer: Answer, auth_vars: str) -> ApiError:
    """The error an answer of 400 or more means; `auth_vars` name the credentials to check."""
    status = answer.status
    message = server_message(answer)
    if status in (401, 403):
        return AuthError(
            f"{what}: HTTP {status}: authentication failed ({message}); check {auth_vars}",
            status=status,
            server_message=message,
        )
    cls = NotFoundError if status == 404 else ApiError
    return cls(f"{what}: HTTP {status}: {message}", status=status, server_message=message)


def json_body(answer: Answer, what: str) -> Any:
    try:
        return loads(answer.body)
    except NotJson as exc:
        raise TransportError(f"{what}: the answer is not JSON ({exc})") from None
    except ValueError:
        kind = _CONTROLS.sub(" ", answer.headers.get("Content-Type", "unknown content type"))
        raise TransportError(f"{what}: the answer is not JSON ({kind[:100]})") from None


def trigger_from(item: Any, what: str) -> Trigger:
    if not isinstance(item, dict):
        raise TransportError(f"{what}: expected a trigger object, got {type(item).__name__}")
    try:
        return normalise(item)
    except ValueError as exc:
        raise TransportError(f"{what}: malformed trigger in the answer: {exc}") from None


def triggers_from(data: Any, what: str) -> list[Trigger]:
    """A list answer: a JSON array of triggers, no name twice (names address triggers)."""
    if not isinstance(data, list):
        raise TransportError(
            f"{what}: expected a JSON array of triggers, got {type(data).__name__}"
        )
    triggers = [trigger_from(item, what) for item in data]
    seen: set[str] = set()
    for trigger in triggers:
        if trigger.name in seen:
            raise TransportError(f"{what}: the name {trigger.name!r} appears twice")
        seen.add(trigger.name)
    return triggers
