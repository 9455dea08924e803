"""Untrusted text (trigger names, values, server words) made safe to show on a terminal."""

from __future__ import annotations

import json
import re
from typing import Any

# json.dumps escapes C0 controls; a terminal also acts on C1 (U+009B starts a control
# sequence, as ESC [ does), which ensure_ascii=False would let through raw.
_C1 = re.compile(r"[\x80-\x9f]")


def shown(value: Any) -> str:
    """A value as JSON (strings quoted), with every control character escaped."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))
