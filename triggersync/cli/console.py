"""Terminal manners for the CLI: colour, verbosity, progress, interrupts, GitHub job summaries.

Results go to stdout; progress, prompts, warnings and errors go to stderr, so
`triggersync plan --format json > plan.json` is always clean JSON. Every message passes
untrusted.clean on its way out: it may quote a server or a file, and nothing in it may hide
text, forge a line, or be read by the GitHub Actions runner as a workflow command.

One Console serves a run, made once in the click context (cli/main.py), and everything the
run shows or writes goes through it: stdout, stderr, the -v log, saved plans and exports, the
job summary. Once the API client is made, the Console masks the run's secrets in all of it,
whatever carried them there: an error message, or a trigger's name or description that a
server echoed a credential into (docs/safety.md#credentials).
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
from typing import TYPE_CHECKING, Any, Protocol

import click

from triggersync.errors import TriggersyncError
from triggersync.untrusted import clean

if TYPE_CHECKING:
    from triggersync.engine.apply import ApplyOutcome


class Masker(Protocol):
    """The run's secrets registry (api/secrets.py)."""

    def mask(self, text: str) -> str: ...


@dataclass
class Console:
    verbose: int = 0  # how many -v
    quiet: bool = False
    no_color: bool = False
    # The secrets of the run, from the API client once it is made (cli/steps.py).
    secrets: Masker | None = None

    def mask(self, text: str) -> str:
        return text if self.secrets is None else self.secrets.mask(text)

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

    # -- stdout: results ---------------------------------------------------------------------

    def emit(self, text: str, *, masked: bool = False) -> None:
        """A result (a report, YAML) on stdout, as rendered: renderers made it safe to show.
        `masked`: the renderer masked each string where it stands (a JSON document)."""
        text = text if masked else self.mask(text)
        click.echo(text, nl=not text.endswith("\n"))

    def echo(self, line: str) -> None:
        """A line of the tool's own on stdout (a summary)."""
        click.echo(self.mask(line))

    # -- stderr: messages --------------------------------------------------------------------

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(clean(self.mask(message)), err=True)

    def warn(self, message: str) -> None:
        from triggersync.views.text import warning_line

        click.echo(warning_line(self.mask(message)), err=True)

    def error(self, message: str) -> None:
        click.echo(f"Error: {clean(self.mask(message))}", err=True)

    def setup_logging(self) -> None:
        """-v logs each request (method, path, status, duration); never a header value."""
        level = logging.INFO if self.verbosity > 0 else logging.WARNING
        logger = logging.getLogger("triggersync")
        logger.setLevel(level)
        # One handler, this run's: a run in the same process before this one left its own.
        for old in [h for h in logger.handlers if isinstance(h, _StderrHandler)]:
            logger.removeHandler(old)
        handler = _StderrHandler(self)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)

    # -- files -------------------------------------------------------------------------------

    def write_file(self, path: Path, text: str, *, masked: bool = False) -> None:
        """A saved plan or an export, whole or not at all: never left half-written. `masked`
        as for `emit`."""
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            tmp.write_text(text if masked else self.mask(text), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise TriggersyncError(f"cannot write {path}: {exc.strerror}") from None

    def append_step_summary(self, render: Callable[[], str]) -> None:
        """GitHub Actions shows $GITHUB_STEP_SUMMARY on the run page, so plan and drift append
        their markdown there. It is rendered only when there is a summary to append to: a
        large plan off GitHub pays nothing."""
        target = os.environ.get("GITHUB_STEP_SUMMARY")
        if target:
            markdown = self.mask(render())
            try:
                with Path(target).open("a", encoding="utf-8") as handle:
                    handle.write(markdown if markdown.endswith("\n") else markdown + "\n")
            except OSError as exc:
                raise TriggersyncError(
                    f"cannot append to GITHUB_STEP_SUMMARY ({target}): {exc.strerror}"
                ) from None


pass_console = click.make_pass_decorator(Console, ensure=True)


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is when a record comes, not when the handler was made:
    a StreamHandler would keep writing to the stream of the first command run in-process."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self._console = console

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(clean(self._console.mask(self.format(record))), err=True)


class Progress:
    """A progress bar on a terminal; otherwise one line per finished change (CI logs). Made
    with the number of changes, or started with it once known (`start`: an apply that plans
    again under the account's lock knows it only then)."""

    def __init__(self, console: Console, total: int | None = None) -> None:
        self._console = console
        self._bar: Any = None
        if total is not None:
            self.start(total)

    def start(self, total: int) -> None:
        if self._console.verbosity >= 0 and sys.stderr.isatty() and total > 1:
            self._bar = click.progressbar(length=total, label="Applying", file=sys.stderr)
            self._bar.__enter__()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        # Closed on errors too, so the terminal is never left mid-bar.
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def update(self, outcome: ApplyOutcome, account: str = "") -> None:
        """One change done; `account` names whose, when several accounts apply at once."""
        if self._bar is not None:
            self._bar.update(1)
            return
        from triggersync.views.text import outcome_line

        whose = f"{account}: " if account else ""
        self._console.info(f"  {whose}{outcome_line(outcome)}")


class Interrupts:
    """Ctrl-C and SIGTERM while applying: the first sets `stop`, so no new change starts and
    the run ends with what finished; the changes in flight get GRACE seconds to finish, then
    `cut_off` ends them (their outcome unknown), so the run ends within seconds even when a
    server hangs. A second signal ends the process at once.

    Handlers are installed only inside the `with` block (and only on the main thread, where
    Python delivers signals), and the previous ones restored after.
    """

    GRACE = 5.0  # seconds the changes in flight get after the first interrupt

    def __init__(self, stop: threading.Event, cut_off: Callable[[], None] | None = None) -> None:
        self.stop = stop
        self.signum: int | None = None
        self._previous: dict[int, Any] = {}
        self._cut_off = cut_off
        # Set by the first signal, and on leaving the block: wakes the grace keeper.
        self._woken = threading.Event()
        self._over = threading.Event()  # set on leaving the block: nothing left to cut off
        self._keeper: threading.Thread | None = None
        # Said when a second signal ends the run at once: what it leaves behind.
        self.left_behind = b""

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._handle)
        if self._cut_off is not None:
            # A thread of its own: the signal handler must not wait, nor take locks.
            self._keeper = threading.Thread(
                target=self._keep_grace, name="triggersync-grace", daemon=True
            )
            self._keeper.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        self._over.set()
        self._woken.set()
        if self._keeper is not None:
            self._keeper.join()

    @property
    def exit_code(self) -> int | None:
        """128 + the signal's number, as a shell reports a process a signal ended: 130, 143."""
        return None if self.signum is None else 128 + self.signum

    def _keep_grace(self) -> None:
        self._woken.wait()
        if not self._over.is_set() and not self._over.wait(self.GRACE):
            assert self._cut_off is not None
            self._cut_off()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        # A raw write: the handler may run while the main thread is inside a buffered write
        # to stderr, which a second buffered write would trip over.
        if self.signum is not None:
            os.write(
                2,
                b"\nInterrupted again: exiting at once; plan again to see what is left."
                + self.left_behind
                + b"\n",
            )
            os._exit(128 + signum)
        self.signum = signum
        self.stop.set()
        self._woken.set()
        os.write(
            2,
            b"\nInterrupted: starting no new change, finishing those in flight "
            b"(for up to %d s; interrupt again to exit at once).\n" % self.GRACE,
        )
