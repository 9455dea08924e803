"""The one record of the run's secrets: every form in which a credential was sent, or in which
a server might echo it, so that it is masked wherever it would be shown
(docs/safety.md#credentials).
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

from triggersync.errors import ApiError, TriggersyncError
from triggersync.untrusted import clean, shown, yaml_double_quoted

MASK = "***"
# A secret shorter than this is not masked in free text: it cannot be told from ordinary text
# ("x" is in "expected"), so masking it would garble every message and give it away.
MIN_MASKED = 4
_PREFIX = 8  # this many leading characters of a known form count as an echo of it
_HEX = re.compile(r"%[0-9A-F]{2}")


def _every_byte_encoded(value: str) -> str:
    """Percent-encoding of all but ASCII letters and digits: some encoders take `~`, `.`, `-`
    or `_` for `%7E`, `%2E`, `%2D`, `%5F`."""
    return "".join(
        char if char.isascii() and char.isalnum() else quote(char, safe="").replace("~", "%7E")
        for char in value
    )


def _b64(data: bytes) -> Iterator[str]:
    yield base64.b64encode(data).decode()
    yield base64.urlsafe_b64encode(data).decode()


def forms_of(value: str) -> set[str]:
    """The ways a server may write `value` back: as it is; percent-encoded (a form, a query),
    with upper- or lower-case hex, `+` or `%20` for a space; JSON-escaped (ASCII or not, `/`
    as `\\/` or not); HTML-escaped; inside YAML single quotes; and its base64 and base64url."""
    if len(value) < MIN_MASKED:
        return set()
    percent = {quote(value, safe=""), quote_plus(value), _every_byte_encoded(value)}
    percent |= {_HEX.sub(lambda hexa: hexa[0].lower(), form) for form in percent}
    escaped = {json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    escaped |= {form.replace("/", "\\/") for form in escaped}
    marked_up = {html.escape(value), html.escape(value, quote=False), value.replace("'", "''")}
    forms = {value, *percent, *escaped, *marked_up, *_b64(value.encode())}
    # Text is masked after it is made safe to show, which escapes a hidden character (a
    # zero-width space: `\u200b`) and `##[`: each form as it reads once escaped, too.
    # A form inside a shown string (a server's echo of the request body, `a\/b`, as a
    # trigger's name) reads as that string shows it: JSON-quoted, `a\\/b`.
    shown_forms = {clean(form) for form in forms} | {yaml_double_quoted(value)}
    shown_forms |= {shown(form)[1:-1] for form in forms}
    return forms | shown_forms


class Secrets:
    """Every form of every credential of the run, masked in whatever a server sends back and
    in whatever the run shows or writes."""

    def __init__(self) -> None:
        self._forms: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def add(self, *values: str) -> None:
        """Values never to show: a password, a token, a client secret."""
        self._add(*(form for value in values for form in forms_of(value)))

    def add_basic(self, user: str, password: str) -> None:
        """Basic auth's password, and `user:password` as its header carries it, in base64
        (UTF-8, as sent; Latin-1 as other clients send it), each also as base64url."""
        combined = f"{user}:{password}"
        encodings = [combined.encode()]
        if not combined.isascii() and all(ord(char) <= 0xFF for char in combined):
            encodings.append(combined.encode("latin-1"))
        headers = [form for data in encodings for form in _b64(data)]
        # Long whatever the password: masked even when the password alone is too short to be.
        self._add(*forms_of(password), *(form for header in headers for form in forms_of(header)))

    def _add(self, *forms: str) -> None:
        with self._lock:
            # Longest first, so that a form containing another is masked whole.
            known = set(self._forms) | set(forms)
            self._forms = tuple(sorted(known, key=lambda form: (-len(form), form)))

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
