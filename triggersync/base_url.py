"""Where an account's Chat API is, read one way by the client (api/urls.py) and by the project
file (config/project.py), which do not import each other: a subdomain's base URL, a base URL
as the client trims it, and what two base URLs of one Zendesk account have in common.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# The API document's host, retired by Zendesk: there the credentials chose the account.
RETIRED_HOST = "www.zopim.com"
ZENDESK_DOMAIN = ".zendesk.com"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def zendesk_base_url(subdomain: str) -> str:
    """The Chat API of the account `subdomain` names: `acme` → https://acme.zendesk.com/api/v2/chat
    (the caller checks that it is a subdomain)."""
    return f"https://{subdomain.strip()}{ZENDESK_DOMAIN}/api/v2/chat"


def trimmed(url: str) -> str:
    """A base URL as the client uses it: no blanks around it, no `/` ending it (the triggers'
    paths are appended to it)."""
    return url.strip().rstrip("/")


def account_key(url: str) -> str | None:
    """What every base URL of one Zendesk account comes to, so two of them can be told apart
    (docs/projects.md#checks): the host in lower case, without a final dot, and, off
    Zendesk's own hosts, the port and the path as the client trims them. On a Zendesk host
    the host alone: it is the account's subdomain, whatever path follows.

    None when no account can be told: a URL that does not parse (the client refuses it, with
    its own error), or the retired host, where the credentials chose the account."""
    try:
        parts = urlsplit(trimmed(url))
        # A host's case means nothing, nor does the final dot of a fully qualified name.
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    if not host or host == RETIRED_HOST:
        return None
    if host.endswith(ZENDESK_DOMAIN):
        return host
    return f"{host}:{port}{parts.path.rstrip('/')}"
