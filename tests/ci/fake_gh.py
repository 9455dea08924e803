#!/usr/bin/env python3
"""A stand-in for the GitHub CLI in the CI scripts' tests: the few `gh` calls the scripts make,
answered from a JSON state file (FAKE_GH_STATE) that the test prepares and then reads back.

`--jq` filters run through the real jq, so the scripts' filters are tested as written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any


def option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def out(value: Any, args: list[str]) -> None:
    text = json.dumps(value)
    jq = option(args, "--jq")
    if jq is not None:
        text = subprocess.run(
            ["jq", "-r", jq], input=text, capture_output=True, text=True, check=True
        ).stdout
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def main(args: list[str]) -> int:
    path = Path(os.environ["FAKE_GH_STATE"])
    state = json.loads(path.read_text())
    state.setdefault("calls", []).append(args)
    code = run(state, args)
    path.write_text(json.dumps(state))
    return code


def run(state: dict[str, Any], args: list[str]) -> int:
    if args[0] == "api":
        if args[1] not in state["api"]:
            print(f"gh: Not Found (HTTP 404): {args[1]}", file=sys.stderr)
            return 1
        out(state["api"][args[1]], args)
        return 0
    if args[:2] == ["run", "download"]:
        source = state.get("artifacts", {}).get(args[2], {}).get(option(args, "--name") or "")
        if source is None:
            print("gh: no valid artifacts found to download", file=sys.stderr)
            return 1
        shutil.copytree(source, option(args, "--dir") or ".", dirs_exist_ok=True)
        return 0
    prs: list[dict[str, Any]] = state.setdefault("prs", [])
    body_file = option(args, "--body-file")
    body = Path(body_file).read_text() if body_file else None
    if args[:2] == ["pr", "comment"]:
        state.setdefault("comments", []).append({"pr": args[2], "body": body})
        return 0
    if args[:2] == ["pr", "list"]:
        head, wanted = option(args, "--head"), option(args, "--state")
        found = [{"number": p["number"]} for p in prs if p["head"] == head and p["state"] == wanted]
        out(found, args)
        return 0
    if args[:2] == ["pr", "create"]:
        number = 100 + len(prs)
        prs.append(
            {
                "number": number,
                "head": option(args, "--head"),
                "base": option(args, "--base"),
                "title": option(args, "--title"),
                "state": "open",
                "body": body,
            }
        )
        print(f"https://github.com/o/r/pull/{number}")
        return 0
    if args[:2] in (["pr", "edit"], ["pr", "close"]):
        (pr,) = [p for p in prs if str(p["number"]) == args[2]]
        if args[1] == "edit":
            pr["body"] = body
        else:
            pr["state"] = "closed"
            pr["close_comment"] = option(args, "--comment")
        return 0
    print(f"fake gh: unexpected call {args}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
