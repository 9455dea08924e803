"""The steps commands share, from files and API to a report: load the configuration, make the
client, make the plan, show it.

Click-side code: it may echo. The core it calls never does, and is imported inside each step,
so that `triggersync --version` and `--help` pay for none of it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from triggersync.cli.console import Console
from triggersync.errors import TriggersyncError

if TYPE_CHECKING:
    from triggersync.api.client import Client
    from triggersync.config.adopt import Adoption
    from triggersync.config.files import Config
    from triggersync.engine.departments import Departments
    from triggersync.engine.model import Trigger
    from triggersync.engine.plan import Plan
    from triggersync.language.rules import RuleSettings
    from triggersync.operations import Applied


def load_config(
    paths: Sequence[str],
    vars_file: str | None,
    console: Console,
    strict: bool | None = None,
    project_file: str | None = None,
    *,
    warn: bool = True,
) -> Config:
    """The configuration, its warnings shown (unless `warn` is false: a report that marks
    them itself, `--format github`); `strict` and `project_file`: see `rule_settings`."""
    from triggersync import operations

    cfg = operations.load(paths, vars_file, settings=rule_settings(strict, project_file))
    for warning in cfg.warnings if warn else ():
        console.warn(str(warning))
    return cfg


@contextlib.contextmanager
def annotated_errors(console: Console, github: bool, prefix: str = "") -> Iterator[None]:
    """With `github`, a configuration's errors (a warning under --strict among them) are also
    marked on their lines, `::error file=...` on stdout, before the one catch says them on
    stderr."""
    from triggersync.errors import ConfigError
    from triggersync.views.github import annotation_lines

    try:
        yield
    except ConfigError as exc:
        if github:
            console.emit(annotation_lines("error", exc.problems, prefix))
        raise


def rule_settings(strict: bool | None, project_file: str | None = None) -> RuleSettings:
    """The rule settings of the project file (--project FILE, else triggersync.yaml at the
    working directory, when there is one; docs/rules.md#settings). `strict` is the --strict
    flag of a command that can be strict (validate, plan, apply); None for a command that
    never is, whatever the project says."""
    from triggersync.config import project

    settings = project.settings(project_file).rule_settings
    if strict is None:
        return dataclasses.replace(settings, strict=False)
    return settings.with_strict(strict)


def client(api_url: str | None, console: Console, parallelism: int = 4) -> Client:
    """The API client, from the environment; with -v, each of its requests is logged. From
    here on the console masks the client's secrets in everything it shows or writes."""
    import os

    from triggersync.api.settings import near_misses
    from triggersync.operations import connect

    console.setup_logging()
    # Before the client, whose error for a missing setting the near miss usually explains.
    for warning in near_misses(os.environ):
        console.warn(warning)
    made = connect(api_url, parallelism=parallelism)
    console.secrets = made.secrets
    for warning in made.warnings:
        console.warn(warning)
    return made


def plan_live(
    cfg: Config,
    client: Client,
    prune: bool,
    live: Sequence[Trigger] | None = None,
    *,
    console: Console,
    targets: Sequence[str] = (),
    warn: bool = True,
) -> Plan:
    """The plan of the configuration against the live triggers, fetched now unless given;
    a warning about a department it names is shown, unless `warn` is false (it is in the
    plan's warnings either way: docs/configuration.md#departments). Narrowed to `targets`
    (globs), with a warning for a glob that names no trigger."""
    from triggersync.operations import plan

    live = client.list() if live is None else live
    warn_unmatched(targets, [t.name for t in cfg.triggers] + [t.name for t in live], console)
    return plan(
        cfg,
        client,
        prune=prune,
        live=live,
        targets=targets,
        on_warning=(lambda p: console.warn(str(p))) if warn else None,
    )


def warn_unmatched(targets: Sequence[str], names: Sequence[str], console: Console) -> None:
    """A --target that names no trigger is most likely a typo: said, with the closest name,
    rather than a quiet "No changes."."""
    from triggersync.engine.targets import unmatched
    from triggersync.language import literal

    for glob in unmatched(targets, names):
        hint = closest_name(glob, names)
        console.warn(f"--target {literal(glob)} matches no trigger, declared or live{hint}")


def closest_name(word: str, names: Sequence[str]) -> str:
    """` (did you mean "Name"?)` for the trigger name closest to `word`, or "" when none is
    close: the hint of every "no such trigger" the commands say."""
    from triggersync.language import did_you_mean, literal

    close = did_you_mean(word, names)
    return f" (did you mean {literal(close)}?)" if close is not None else ""


def departments_of(
    live: Sequence[Trigger], client: Client, console: Console, *, fallback: str
) -> Departments | None:
    """The account's departments, to show names for the ids these live triggers route to
    (None when none does, or, said, when they cannot be read)."""
    from triggersync.operations.adoption import departments_of as read

    warnings: list[str] = []
    table = read(live, client, warnings, fallback=fallback)
    for warning in warnings:
        console.warn(warning)
    return table


def confirmed(console: Console) -> bool:
    """Whether the user says to apply; off a terminal, a refusal (apply needs --yes)."""
    if not console.interactive:
        console.error("refusing to apply: standard input is not a terminal; pass --yes")
        return False
    if not click.confirm("Apply these changes?", default=False, err=True):
        console.error("apply cancelled; nothing was changed")
        return False
    return True


def summarise(
    console: Console,
    applied: Applied,
    interrupted: int | None,
    account: str | None = None,
) -> int:
    """What an apply did, said: the account's lock's warnings and errors, each failure on
    stderr, then the summary line; its exit code (1 as well when the lock may still be held).
    `account`: whose, when several accounts applied (its messages say `account NAME: `, its
    summary line starts `NAME: `)."""
    from triggersync.views.text import applied_summary

    whose = "" if account is None else f"account {account}: "
    prefix = "" if account is None else f"{account}: "
    for warning in applied.lock_warnings:
        console.warn(f"{whose}{warning}")
    if applied.lock_error is not None:
        console.error(f"{whose}{applied.lock_error}")
    result = applied.result
    if result is None:  # nothing was tried: planned again under the lock, and nothing to do
        return interrupted or (1 if applied.lock_error is not None else 0)
    for failure in result.failures():
        console.error(f"{whose}{failure.message}")
    summary = applied_summary(result)
    failed = f"{result.count('failed')} failed, {result.count('skipped')} skipped"
    if interrupted is not None:
        console.echo(
            f"{prefix}Apply interrupted: {summary} {failed}, {result.count('not_applied')} "
            "not applied; plan again to see what is left."
        )
        return interrupted
    if result.ok and applied.lock_error is None:
        console.echo(f"{prefix}Apply complete: {summary}")
        return 0
    if result.ok:
        console.echo(f"{prefix}Apply complete: {summary} The account's lock was not released.")
        return 1
    console.echo(f"{prefix}Apply incomplete: {summary} {failed}; plan again to see what is left.")
    return 1


def render_as(
    plan: Plan, fmt: str, console: Console, *, drift: bool = False, warnings: bool = False
) -> str:
    """The plan (or drift report) in `fmt`; `warnings`: text lists the plan's warnings too, as
    markdown and JSON always do (a saved plan's, for `show`)."""
    from triggersync.views import markdown, text
    from triggersync.views.json import render_json

    if fmt == "json":
        return render_json(plan, console.mask)
    if fmt == "markdown":
        return markdown.render_drift_markdown(plan) if drift else markdown.render_markdown(plan)
    if drift:
        return text.render_drift_text(plan, color=console.color)
    # And github's: the text, after its annotations.
    return text.render_text(plan, color=console.color, warnings=warnings)


def report(plan: Plan, fmt: str, console: Console, max_chars: int | None, *, drift: bool) -> None:
    """Print a plan or drift report; append its markdown to the GitHub job summary. With
    `github`, the text report after an annotation for each of the plan's warnings."""
    from triggersync.views import markdown
    from triggersync.views.github import annotation_lines

    marks = annotation_lines("warning", plan.warnings) if fmt == "github" else ""
    if marks:
        console.emit(marks)
    text = render_as(plan, fmt, console, drift=drift)
    if max_chars is not None:
        text = markdown.truncate_markdown(text, max_chars, what="report" if drift else "plan")
    console.emit(text, masked=fmt == "json")
    summary = markdown.render_drift_markdown if drift else markdown.render_markdown
    console.append_step_summary(lambda: summary(plan))


def write_adoption(adoption: Adoption, console: Console) -> None:
    """Every file adopt changed or made, each whole or not at all, then what it did."""
    for change in adoption.files:
        path = Path(change.path)
        if change.before is None:
            _make_folder(path.parent)
        console.write_file(path, change.after)
    console.echo(_summary(adoption))


def _make_folder(folder: Path) -> None:

    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise TriggersyncError(f"cannot create {folder}: {exc.strerror}") from None


def _summary(adoption: Adoption) -> str:
    if adoption.empty:
        return "Nothing to adopt."
    files = len(adoption.files)
    return (
        f"Adopted: {len(adoption.updated)} updated, {len(adoption.added)} added, "
        f"{len(adoption.removed)} removed, in {files} file{'s' if files != 1 else ''}."
    )
