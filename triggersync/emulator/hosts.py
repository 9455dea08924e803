"""Which `Host` headers name the emulator: a loopback name or address, with its port.

A web page can rebind its own domain name to 127.0.0.1 (DNS rebinding) and then read the
emulator as if it were that domain; the browser still sends the page's domain in `Host`, so
answering only loopback names keeps such a page out. Real clients send what the URL says:
curl and Python's `requests` and `urllib` send `127.0.0.1:PORT`, `localhost:PORT` or
`[::1]:PORT`.
"""

from __future__ import annotations

import ipaddress
import re

_HOST = re.compile(
    r"(?:\[(?P<ip6>[0-9A-Fa-f:.]+)\]|(?P<name>[^\s:\[\]/?#@]+))(?::(?P<port>\d{1,5}))?"
)
DEFAULT_PORT = 80  # a URL without a port, and so a Host header without one, means port 80


def is_own_host(value: str, port: int) -> bool:
    """Whether `value` (a Host header) names a loopback host at `port`."""
    match = _HOST.fullmatch(value.strip())
    if match is None:
        return False
    given = int(match["port"]) if match["port"] else DEFAULT_PORT
    if given != port:
        return False
    name, ip6 = match["name"], match["ip6"]
    if name is not None and name.lower() == "localhost":
        return True
    address = _address(ip6 or name)
    return (
        address is not None and address.is_loopback and (address.version == 6) == (ip6 is not None)
    )


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
