"""The one record of the run's secrets: every form in which a credential was sent, so that
whatever a server echoes back is masked before it is shown (docs/safety.md#credentials).
"""

from __future__ import annotations

import base64
import json
import threading
from urllib.parse import quote, quote_plus

from triggersync.errors import ApiError, TriggersyncError

MASK = "***"
_PREFIX = 8  # this many leading characters of a known form count as an echo of it


class Secrets:
    """Every form in which a credential was sent: as it is, URL-encoded (as in a form or a
    query), JSON-escaped, and the base64 of basic auth's `user:password`."""

    def __init__(self) -> None:
        self._forms: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def add(self, *values: str) -> None:
        with self._lock:
            forms = set(self._forms)
            for value in values:
                if value:
                    escaped = json.dumps(value)[1:-1]
                    forms.update({value, quote(value, safe=""), quote_plus(value), escaped})
            # Longest first, so that a form containing another is masked whole.
            self._forms = tuple(sorted(forms, key=lambda form: (-len(form), form)))

    def add_basic(self, user: str, password: str) -> None:
        self.add(password, base64.b64encode(f"{user}:{password}".encode()).decode())

    def mask(self, text: str) -> str:
        """The text with every known form, and any truncated echo of one, replaced."""
        forms = self._forms
        for form in forms:
            text = text.replace(form, MASK)
        # A server that cuts an echo short ("Basic bWVAeC5jb206…") still gives part of a
        # credential away: mask any run that starts like a known form, as far as it agrees.
        for form in forms:
            if len(form) <= _PREFIX:
                continue
            start = text.find(form[:_PREFIX])
            while start != -1:
                end = start + _PREFIX
                while (
                    end < len(text) and end - start < len(form) and text[end] == form[end - start]
                ):
                    end += 1
                text = text[:start] + MASK + text[end:]
                start = text.find(form[:_PREFIX], start + len(MASK))
        return text

    def mask_error(self, exc: TriggersyncError) -> None:
        """Mask the error's message (and an ApiError's server message) in place."""
        exc.message = self.mask(exc.message)
        exc.args = (exc.message,)
        if isinstance(exc, ApiError) and exc.server_message is not None:
            exc.server_message = self.mask(exc.server_message)
