"""Whether a host is this machine's: the one check the client and the emulator share.

The client sends credentials over plain http only to a loopback host (api/urls.py); the
emulator, which accepts well-known credentials over plain http, listens only on one
(emulator/command.py). Neither imports the other, so the check lives here, beside both.
"""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or a bare address, no brackets, no port) is `localhost` or a
    loopback address."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
