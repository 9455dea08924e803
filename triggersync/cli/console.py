"""Terminal manners for the CLI: colour, verbosity, progress, interrupts, GitHub job summaries.

Results go to stdout; progress, prompts, warnings and errors go to stderr, so
`triggersync plan --format json > plan.json` is always clean JSON. Every message passes
untrusted.clean on its way out: it may quote a server or a file, and nothing in it may hide
text, forge a line, or be read by the GitHub Actions runner as a workflow command.

One Console serves a run. It is made once, in the click context, by whichever comes first:
the callback of -v, -q or --no-color (options.console_options), which set it, or a command's
`@pass_console`, which takes it.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from triggersync.errors import TriggersyncError
from triggersync.untrusted import clean

if TYPE_CHECKING:
    from triggersync.engine.apply import Outcome


@dataclass
class Console:
    verbose: int = 0  # how many -v
    quiet: bool = False
    no_color: bool = False

    @property
    def verbosity(self) -> int:
        """-1 quiet, 0 normal, 1+ verbose; -q wins over -v."""
        return -1 if self.quiet else self.verbose

    @property
    def color(self) -> bool:
        """Colour only on a terminal, never with --no-color or NO_COLOR set (no-color.org)."""
        return not self.no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()

    @property
    def interactive(self) -> bool:
        return sys.stdin.isatty()

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(clean(message), err=True)

    def warn(self, message: str) -> None:
        click.echo(f"warning: {clean(message)}", err=True)

    def error(self, message: str) -> None:
        click.echo(f"Error: {clean(message)}", err=True)

    def setup_logging(self) -> None:
        """-v logs each request (method, path, status, duration); never a header value."""
        level = logging.INFO if self.verbosity > 0 else logging.WARNING
        logger = logging.getLogger("triggersync")
        logger.setLevel(level)
        if not any(isinstance(handler, _StderrHandler) for handler in logger.handlers):
            handler = _StderrHandler()
            handler.setFormatter(logging.Formatter("%(message)s"))
            logger.addHandler(handler)


pass_console = click.make_pass_decorator(Console, ensure=True)


def emit(text: str) -> None:
    """A result (a report, YAML) on stdout, as rendered: renderers have made it safe to show."""
    click.echo(text, nl=not text.endswith("\n"))


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is when a record comes, not when the handler was made:
    a StreamHandler would keep writing to the stream of the first command run in-process."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(clean(self.format(record)), err=True)


def append_step_summary(render: Callable[[], str]) -> None:
    """GitHub Actions shows $GITHUB_STEP_SUMMARY on the run page, so plan and drift append
    their markdown there. It is rendered only when there is a summary to append to: a large
    plan off GitHub pays nothing."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        markdown = render()
        try:
            with Path(target).open("a", encoding="utf-8") as handle:
                handle.write(markdown if markdown.endswith("\n") else markdown + "\n")
        except OSError as exc:
            raise TriggersyncError(
                f"cannot append to GITHUB_STEP_SUMMARY ({target}): {exc.strerror}"
            ) from None


def write_atomically(path: Path, text: str) -> None:
    """Never leave a half-written plan or export behind."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise TriggersyncError(f"cannot write {path}: {exc.strerror}") from None


class Progress:
    """A progress bar on a terminal; otherwise one line per finished change (CI logs)."""

    def __init__(self, console: Console, total: int) -> None:
        self._console = console
        self._bar: Any = None
        if console.verbosity >= 0 and sys.stderr.isatty() and total > 1:
            self._bar = click.progressbar(length=total, label="Applying", file=sys.stderr)

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        # Closed on errors too, so the terminal is never left mid-bar.
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def update(self, outcome: Outcome) -> None:
        if self._bar is not None:
            self._bar.update(1)
            return
        from triggersync.views.text import outcome_line

        self._console.info(f"  {outcome_line(outcome)}")


class Interrupts:
    """Ctrl-C and SIGTERM while applying: the first sets `stop`, so no new change starts and
    the run ends with what finished; a second one ends the process at once.

    Handlers are installed only inside the `with` block (and only on the main thread, where
    Python delivers signals), and the previous ones restored after.
    """

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self.signum: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)

    @property
    def exit_code(self) -> int | None:
        """128 + the signal's number, as a shell reports a process a signal ended: 130, 143."""
        return None if self.signum is None else 128 + self.signum

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        # A raw write: the handler may run while the main thread is inside a buffered write
        # to stderr, which a second buffered write would trip over.
        if self.signum is not None:
            os.write(2, b"\nInterrupted again: exiting at once; plan again to see what is left.\n")
            os._exit(128 + signum)
        self.signum = signum
        self.stop.set()
        os.write(
            2,
            b"\nInterrupted: starting no new change, finishing those in flight "
            b"(interrupt again to exit at once).\n",
        )
