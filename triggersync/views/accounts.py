"""Reports over many accounts (a project file, docs/projects.md): one document with a section
per account, in the project file's order.

Text heads each section with `== NAME ==`; markdown with a `### NAME` heading, and the
comment's marker once, as the last line, so that one report is one pull-request comment; JSON
is one document, `{"format_version": 1, "accounts": {NAME: <plan document>}}`, the shape of a
saved project plan. An account that failed has a section that says so (its error goes to
stderr as well); JSON leaves it out and names it under `failed`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from triggersync.engine.plan import Plan
from triggersync.engine.planfile import accounts_to_dict
from triggersync.untrusted import json_document
from triggersync.views.json import masked_json

FAILED: Final = "Failed: {}"

# One account's section: its name, and its report, or None when the account failed.
Section = tuple[str, str | None]


def render_accounts_text(sections: Sequence[Section], errors: Mapping[str, str]) -> str:
    parts = []
    for name, body in sections:
        text = body if body is not None else FAILED.format(errors.get(name, "see above")) + "\n"
        parts.append(f"== {name} ==\n{text}")
    return "\n".join(parts)


def render_accounts_markdown(
    sections: Sequence[Section], errors: Mapping[str, str], marker: str
) -> str:
    parts = []
    for name, body in sections:
        if body is None:
            text = "**Failed:**" + _quoted(errors.get(name, ""))
        else:
            text = body.rstrip("\n").removesuffix(marker).rstrip("\n")
        parts.append(f"### {name}\n\n{text}\n")
    return "\n".join(parts) + f"\n{marker}\n"


def _quoted(message: str) -> str:
    lines = message.splitlines() or [""]
    return "\n\n" + "\n".join(f"> {line}" if line else ">" for line in lines)


def render_accounts_json(
    plans: Mapping[str, Plan],
    failed: Sequence[str] = (),
    mask: Callable[[str], str] | None = None,
) -> str:
    """The document; with `mask`, masked string by string, as views.json.render_json."""
    document: dict[str, Any] = accounts_to_dict(plans)
    if failed:
        document["failed"] = list(failed)
    return json_document(document if mask is None else masked_json(document, mask)) + "\n"
