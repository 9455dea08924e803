"""`triggersync emulator`: serve the local API until SIGINT or SIGTERM."""

from __future__ import annotations

import logging
import os
import shlex
import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from triggersync.emulator.server import Credentials


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    # SIGTERM becomes the same clean unwind as Ctrl-C: leave the wait, stop, close the db.
    raise KeyboardInterrupt


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port (0-65535); 0 picks a free one.",
)
@click.option("--db", type=click.Path(dir_okay=False), help="SQLite file; in-memory if omitted.")
@click.option("--latency-ms", type=click.FloatRange(min=0), default=0, help="Delay per request.")
@click.option(
    "--rate-limit", type=click.IntRange(min=0), default=0, help="Requests per minute (429 after)."
)
@click.option("--fail-rate", type=click.FloatRange(0, 1), default=0, help="Fraction answered 503.")
@click.option(
    "--fail-after-commit-rate",
    type=click.FloatRange(0, 1),
    default=0,
    help="Fraction of writes stored, then answered 502.",
)
@click.option("--fail-name", multiple=True, help="Writes to this trigger name answer 500.")
@click.option("--refuse-creates", is_flag=True, help="Every create with a definition answers 400.")
@click.option("--seed", type=int, help="Seed for reproducible failures.")
@click.option(
    "--stamp/--no-stamp",
    default=True,
    show_default=True,
    help="Add version: 1 and editor: developer to each created definition that lacks them.",
)
@click.option(
    "--departments",
    "departments_file",
    type=click.Path(dir_okay=False),
    help="Seed the departments from this YAML or JSON list of {name, enabled}.",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Log each request on stderr (quiet by default)."
)
@click.option(
    "--log",
    "log_file",
    type=click.Path(dir_okay=False),
    help="Append each request to this file instead.",
)
def emulator(
    host: str,
    port: int,
    db: str | None,
    latency_ms: float,
    rate_limit: int,
    fail_rate: float,
    fail_after_commit_rate: float,
    fail_name: tuple[str, ...],
    refuse_creates: bool,
    seed: int | None,
    stamp: bool,
    departments_file: str | None,
    verbose: bool,
    log_file: str | None,
) -> int:
    """Run the local Zendesk Chat Triggers API emulator (SQLite-backed).

    It accepts the TRIGGERSYNC_EMAIL/TRIGGERSYNC_PASSWORD (basic auth), TRIGGERSYNC_TOKEN
    (bearer) and TRIGGERSYNC_CLIENT_ID/TRIGGERSYNC_CLIENT_SECRET (OAuth) of its environment,
    or printed defaults when they are unset. At start it prints `export` lines to paste into
    the shell that runs triggersync. It logs requests only with --verbose or --log FILE, so
    that, run in the background, it does not write over a plan or a progress bar.

    \b
    Example:
      triggersync emulator --port 8080 --db emulator.sqlite
      triggersync emulator --departments examples/departments.yaml
    """
    import sqlite3

    from triggersync.emulator.server import Credentials, Emulator, Faults
    from triggersync.emulator.store import StoreError
    from triggersync.loopback import is_loopback

    if not is_loopback(host):
        # It accepts well-known default credentials and plain http: loopback only.
        raise click.UsageError(f"--host must be a loopback address (127.0.0.1, ::1), not {host}")

    faults = Faults(
        latency_ms=latency_ms,
        rate_limit=rate_limit,
        fail_rate=fail_rate,
        fail_after_commit_rate=fail_after_commit_rate,
        fail_names=frozenset(fail_name),
        refuse_creates=refuse_creates,
        seed=seed,
    )
    credentials = Credentials.from_env(os.environ)
    departments = _read_departments(departments_file) if departments_file else []
    try:
        em = Emulator(host, port, db or ":memory:", credentials, faults, stamp=stamp)
    except sqlite3.Error as exc:
        raise click.ClickException(f"cannot open the database {db}: {exc}") from None
    try:
        em.store.seed_departments(departments)
    except StoreError as exc:
        em.store.close()
        raise click.ClickException(f"{departments_file}: {exc.message}") from None
    # Handlers go in before anything can block, so a signal at any point unwinds cleanly.
    previous = {sig: signal.signal(sig, _stop_on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        request_log = _request_log(verbose, log_file)
    except OSError as exc:
        raise click.ClickException(f"cannot open the log file {log_file}: {exc}") from None
    try:
        try:
            em.start()
        except OSError as exc:
            raise click.ClickException(f"cannot serve on {host}:{port}: {exc}") from None
        for line in banner_lines(em.url, credentials):
            click.echo(line)
        sys.stdout.flush()
        # Waiting with a timeout keeps the main thread responsive to signals on every platform.
        while not em.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)  # a second signal must not cut the shutdown short
        em.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        logging.getLogger("triggersync.emulator").removeHandler(request_log)
        request_log.close()
    click.echo("triggersync emulator stopped", err=True)
    return 0


def banner_lines(url: str, credentials: Credentials) -> list[str]:
    """What the emulator prints at start (docs/emulator.md): where it serves, then lines a
    user can paste as they are into the shell that runs triggersync."""
    from triggersync.emulator.auth import ENV_NAMES

    lines = [
        f"triggersync emulator serving {url} (also /api/v2)",
        f"export TRIGGERSYNC_API_URL={shlex.quote(url)}",
    ]
    for field, env_name in ENV_NAMES.items():
        if credentials.is_default(field):
            lines.append(f"export {env_name}={shlex.quote(getattr(credentials, field))}")
        else:
            # Only the emulator's own defaults are printed: an environment value may be real.
            lines.append(f"# {env_name} is taken from this environment (not shown)")
    return lines


def _read_departments(path: str) -> list[object]:
    """A seed file: a YAML (or JSON, which YAML reads) list of departments; each is checked
    as a create's body is."""
    import yaml

    try:
        with open(path, encoding="utf-8") as stream:
            data = yaml.safe_load(stream)
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: not YAML or JSON ({type(exc).__name__})") from None
    if not isinstance(data, list):
        raise click.ClickException(f"{path}: expected a list of {{name, enabled}} departments")
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise click.ClickException(
                f"{path}: item {number}: each department is a mapping with a name"
            )
    return data


def _request_log(verbose: bool, log_file: str | None) -> logging.Handler:
    """Requests go to --log FILE, else to stderr with --verbose; failures to stderr always.

    A request log on stderr by default would land inside the plan or progress bar of a
    triggersync run in the same terminal (the emulator started with `&`).
    """
    handler: logging.Handler
    if log_file is not None:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setLevel(logging.INFO)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.INFO if verbose else logging.ERROR)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("triggersync.emulator")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler
