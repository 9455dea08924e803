"""The real CLI, in-process, with no emulator and no credentials: what `explain PATH`,
`simulate` and `test` need (they never touch the network). Files are written dedented."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner
from clirun import Ran

from triggersync.cli.main import cli


def invoke(*args: str, env: dict[str, str] | None = None) -> Ran:
    result = CliRunner().invoke(cli, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a bug: fail the test with it
    return Ran(result.exit_code, result.stdout, result.stderr)


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


TRIGGERS = """\
triggers:
  - name: Pricing greeting
    definition:
      event: page_enter
      condition:
        - and
        - [icontains, "@visitor_page_url", /pricing]
        - [not, [firedBefore]]
        - [stillOnPage, 30]
      actions:
        - [sendMessageToVisitor, Sales, "Hi!"]
  - name: Route DACH
    definition:
      event: chat_requested
      condition: [eq, "@visitor_country_code", DE]
      actions: [[addTag, dach]]
  - name: Route US
    enabled: false
    definition:
      event: chat_requested
      condition: [eq, "@visitor_country_code", US]
      actions: [[addTag, us]]
  - name: VIP welcome
    definition:
      event: page_enter
      condition: [and, [hasTag, vip], [gt, "@visitor_previous_visits", 2]]
      actions: [[sendMessageToVisitor, Support, "Welcome back!", "Yes/No"]]
  - name: Bare
"""
