"""Writes that happened although their answer never came: apply looks before it reports.

A server that stores a delete or a PUT, then answers 5xx to it and to every retry, has
still done it. Each test drives the real CLI against a real loopback server that answers
from a script, request by request, and checks both the report and the requests made.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from canned_http import LOCK_PATH, Canned, canned_server, locked
from run_cli import listing, run_cli, write_config

# Two attempts per request, no waiting: a lost answer and one failed retry.
ENV = {"TRIGGERSYNC_MAX_ATTEMPTS": "2", "TRIGGERSYNC_RETRY_DELAY": "0"}
OLD = {"event": "page_enter", "condition": ["and"], "actions": []}
COND = ["eq", "@visitor_country_code", "US"]
NEW = {"event": "chat_requested", "condition": COND, "actions": [["addTag", "new"]]}
TEMPORARY = "G [triggersync: replacing]"
TEMPORARY_PATH = "/api/v2/chat/triggers/G%20%5Btriggersync%3A%20replacing%5D"
PATH = "/api/v2/chat/triggers/G"
REPLACED = """\
triggers:
  - name: G
    definition:
      event: chat_requested
      condition: [eq, "@visitor_country_code", US]
      actions: [[addTag, new]]
"""
STORED_THEN_502 = Canned(502, b'{"error": "bad gateway"}')
DOWN = Canned(503, b'{"error": "service unavailable"}')
NOT_FOUND = Canned(404, b'{"error": "not found"}')


def trigger(name: str, definition: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    made = {"id": 1, "name": name, "description": "", "enabled": 1, **fields}
    return made if definition is None else {**made, "definition": definition}


def answer(status: int, body: dict[str, Any]) -> Canned:
    return Canned(status, json.dumps(body).encode())


def apply(tmp_path: Path, text: str, *script: Canned) -> tuple[int, str, str, list[str]]:
    """Run `apply --yes` against the script (the live list first; the lock's answers are
    added); also returns each request as `METHOD path`, but those of the lock: the lock
    taken, the list made again under it, the lock looked up and released."""
    config = write_config(tmp_path, text)
    with canned_server(*locked(*script)) as (url, seen):
        code, stdout, stderr = run_cli("apply", config, "--yes", "--force", url=url, env=ENV)
    made = [f"{method} {path}" for method, path in seen.seen]
    assert made[1:3] == ["POST /api/v2/chat/triggers", "GET /api/v2/chat/triggers"]
    assert made[-2:] == [f"GET {LOCK_PATH}", f"DELETE {LOCK_PATH}"]
    return code, stdout, stderr, [made[0], *made[3:-2]]


# -- a replacement whose old trigger's delete was stored, but not answered ---------------------


def test_a_replacement_whose_delete_happened_unanswered_is_finished(tmp_path: Path) -> None:
    code, stdout, stderr, requests = apply(
        tmp_path,
        REPLACED,
        listing([trigger("G", OLD)]),
        answer(201, trigger(TEMPORARY, NEW, enabled=0)),
        STORED_THEN_502,
        DOWN,
        NOT_FOUND,  # the look-up: "G" is gone
        answer(200, trigger("G", NEW)),
    )
    assert (code, "Error" in stderr) == (0, False)
    assert stdout.endswith("Apply complete: 1 created, 0 updated, 1 deleted.\n")
    assert requests[2:] == [
        f"DELETE {PATH}",
        f"DELETE {PATH}",
        f"GET {PATH}",
        f"PUT {TEMPORARY_PATH}",
    ]


@pytest.mark.parametrize("status", [409, 403, 422])
def test_a_replacement_whose_delete_happened_but_was_refused_is_finished(
    tmp_path: Path, status: int
) -> None:
    # The server deletes the old trigger, then answers as if it had not: only a look tells.
    code, stdout, stderr, requests = apply(
        tmp_path,
        REPLACED,
        listing([trigger("G", OLD)]),
        answer(201, trigger(TEMPORARY, NEW, enabled=0)),
        answer(status, {"error": "conflict"}),
        NOT_FOUND,  # the look-up: "G" is gone
        answer(200, trigger("G", NEW)),
    )
    assert (code, "Error" in stderr) == (0, False)
    assert stdout.endswith("Apply complete: 1 created, 0 updated, 1 deleted.\n")
    assert requests[2:] == [f"DELETE {PATH}", f"GET {PATH}", f"PUT {TEMPORARY_PATH}"]


def test_a_replacement_whose_refused_delete_cannot_be_checked_keeps_its_copy(
    tmp_path: Path,
) -> None:
    code, _, stderr, requests = apply(
        tmp_path,
        REPLACED,
        listing([trigger("G", OLD)]),
        answer(201, trigger(TEMPORARY, NEW, enabled=0)),
        answer(409, {"error": "conflict"}),
        DOWN,  # the look-up fails,
        DOWN,  # and so does its retry
    )
    assert code == 1
    assert (
        'its disabled replacement "G [triggersync: replacing]" is left in place: the next '
        "apply finishes or removes it\n"
    ) in stderr
    assert f"DELETE {TEMPORARY_PATH}" not in requests  # never withdrawn blindly


def test_a_replacement_whose_withdrawal_happened_but_was_refused_says_it_was_withdrawn(
    tmp_path: Path,
) -> None:
    code, _, stderr, requests = apply(
        tmp_path,
        REPLACED,
        listing([trigger("G", OLD)]),
        answer(201, trigger(TEMPORARY, NEW, enabled=0)),
        answer(400, {"error": "refused"}),
        answer(200, trigger("G", OLD)),  # the look-up: "G" is still live
        answer(409, {"error": "conflict"}),  # the withdrawal: carried out, answered 409
        NOT_FOUND,  # the look-up: the replacement is gone
    )
    assert code == 1
    assert '"G": not replaced, "G" is unchanged (its replacement was withdrawn)' in stderr
    assert requests[-2:] == [f"DELETE {TEMPORARY_PATH}", f"GET {TEMPORARY_PATH}"]


def test_a_replacement_whose_old_trigger_is_still_there_is_withdrawn(tmp_path: Path) -> None:
    code, stdout, stderr, requests = apply(
        tmp_path,
        REPLACED,
        listing([trigger("G", OLD)]),
        answer(201, trigger(TEMPORARY, NEW, enabled=0)),
        DOWN,
        DOWN,
        answer(200, trigger("G", OLD)),  # the look-up: "G" is still live
        Canned(204),
    )
    assert code == 1
    assert '"G": not replaced, "G" is unchanged (its replacement was withdrawn)' in stderr
    assert stdout.endswith(
        "0 created, 0 updated, 0 deleted. 1 failed, 0 skipped; plan again to see what is left.\n"
    )
    assert requests[-2:] == [f"GET {PATH}", f"DELETE {TEMPORARY_PATH}"]


def test_a_replacement_that_cannot_tell_whether_its_old_trigger_is_gone_keeps_both(
    tmp_path: Path,
) -> None:
    code, _, stderr, requests = apply(
        tmp_path,
        REPLACED,
        listing([trigger("G", OLD)]),
        answer(201, trigger(TEMPORARY, NEW, enabled=0)),
        *[DOWN] * 4,  # the delete and its retry; the look-up and its retry
    )
    assert code == 1
    assert (
        'Error: "G": not replaced: deleting "G" failed (DELETE /triggers/G: HTTP 503: service '
        "unavailable) and whether it is still live cannot be told, as looking it up failed too; "
        'its disabled replacement "G [triggersync: replacing]" is left in place: the next apply '
        "finishes or removes it\n"
    ) in stderr
    assert f"DELETE {TEMPORARY_PATH}" not in requests  # never withdrawn blindly


def test_a_replacement_whose_withdrawal_happened_unanswered_says_it_was_withdrawn(
    tmp_path: Path,
) -> None:
    code, _, stderr, _ = apply(
        tmp_path,
        REPLACED,
        listing([trigger("G", OLD)]),
        answer(201, trigger(TEMPORARY, NEW, enabled=0)),
        answer(400, {"error": "refused"}),  # the old one cannot be deleted
        answer(200, trigger("G", OLD)),  # the look-up: "G" is still live
        STORED_THEN_502,  # withdrawing the replacement: stored, not answered
        DOWN,
        NOT_FOUND,  # the look-up: the replacement is gone
    )
    assert code == 1
    assert '"G": not replaced, "G" is unchanged (its replacement was withdrawn)' in stderr


def test_a_replacement_whose_last_step_happened_unanswered_is_complete(tmp_path: Path) -> None:
    code, stdout, stderr, requests = apply(
        tmp_path,
        REPLACED,
        listing([trigger("G", OLD)]),
        answer(201, trigger(TEMPORARY, NEW, enabled=0)),
        Canned(204),
        STORED_THEN_502,
        DOWN,
        answer(200, trigger("G", NEW)),  # the look-up: "G" holds the name and enabled sent
    )
    assert (code, "Error" in stderr) == (0, False)
    assert stdout.endswith("Apply complete: 1 created, 0 updated, 1 deleted.\n")
    assert requests[-1] == f"GET {PATH}"


# -- plain deletes and updates ---------------------------------------------------------------


def test_a_delete_that_happened_unanswered_is_reported_done(tmp_path: Path) -> None:
    code, stdout, stderr, requests = apply(
        tmp_path,
        "triggers:\n  - name: Kept\n",
        listing([trigger("Kept"), trigger("G")]),
        STORED_THEN_502,
        DOWN,
        NOT_FOUND,
    )
    assert (code, "Error" in stderr) == (0, False)
    assert stdout.endswith("Apply complete: 0 created, 0 updated, 1 deleted.\n")
    assert requests[1:] == [f"DELETE {PATH}", f"DELETE {PATH}", f"GET {PATH}"]


def test_a_delete_refused_on_every_attempt_is_reported_failed(tmp_path: Path) -> None:
    code, _, stderr, _ = apply(
        tmp_path,
        "triggers:\n  - name: Kept\n",
        listing([trigger("Kept"), trigger("G")]),
        DOWN,
        DOWN,
        answer(200, trigger("G")),
    )
    assert code == 1
    assert 'Error: "G": DELETE /triggers/G: HTTP 503: service unavailable\n' in stderr


@pytest.mark.parametrize(
    ("found", "code"),
    [(answer(200, trigger("G", description="new")), 0), (answer(200, trigger("G")), 1)],
    ids=["holds what was sent", "does not"],
)
def test_an_update_whose_answer_was_lost_is_judged_by_what_is_live(
    tmp_path: Path, found: Canned, code: int
) -> None:
    ran, stdout, _, requests = apply(
        tmp_path,
        "triggers:\n  - name: G\n    description: new\n",
        listing([trigger("G")]),
        STORED_THEN_502,
        DOWN,
        found,
    )
    assert ran == code
    assert ("Apply complete: 0 created, 1 updated, 0 deleted.\n" in stdout) is (code == 0)
    assert requests[-1] == f"GET {PATH}"


def test_an_update_refused_outright_is_not_looked_up(tmp_path: Path) -> None:
    code, _, stderr, requests = apply(
        tmp_path,
        "triggers:\n  - name: G\n    description: new\n",
        listing([trigger("G")]),
        answer(400, {"error": "refused"}),
    )
    assert code == 1
    assert 'Error: "G": PUT /triggers/G: HTTP 400: refused\n' in stderr
    assert requests == ["GET /api/v2/chat/triggers", f"PUT {PATH}"]


def test_an_update_whose_look_up_fails_too_is_reported_failed(tmp_path: Path) -> None:
    code, _, stderr, requests = apply(
        tmp_path,
        "triggers:\n  - name: G\n    description: new\n",
        listing([trigger("G")]),
        *[DOWN] * 4,  # the update and its retry; the look-up and its retry
    )
    assert code == 1
    assert 'Error: "G": PUT /triggers/G: HTTP 503: service unavailable\n' in stderr
    assert requests[-2:] == [f"GET {PATH}", f"GET {PATH}"]  # the look-up, retried
