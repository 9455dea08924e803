"""The commands over a project file's accounts (docs/projects.md): which mode a run is in,
and the reports and exit codes over many accounts.

With configuration PATHs a command works as it always has. With none, the project file (here
or `--project FILE`) names the accounts, and the command runs for each (or those chosen with
`--account`), all at once, through `operations.Project`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

import click

from triggersync.cli.console import Console
from triggersync.errors import ConfigError

if TYPE_CHECKING:
    from triggersync.engine.plan import Plan
    from triggersync.operations import AccountPlan, AccountRun, Project

T = TypeVar("T")

NO_PATHS = (
    "give configuration PATHS, or run where a triggersync.yaml project file names the accounts "
    "(or pass --project FILE)"
)


def project_for(
    console: Console,
    paths: Sequence[str],
    project_file: str | None,
    accounts: Sequence[str],
    *,
    vars_file: str | None = None,
    api_url: str | None = None,
) -> Project | None:
    """The project whose accounts this run covers, or None for a run over PATHs."""
    from triggersync.config import project as project_settings
    from triggersync.operations import Project

    if paths:
        if accounts:
            raise click.UsageError("--account chooses accounts of the project file: give no PATHS")
        return None
    found = project_settings.find_project_file(project_file)
    if found is None:
        raise click.UsageError(NO_PATHS)
    project = Project(project_settings.load_project_file(found))
    if not project.accounts:
        raise click.UsageError(
            f"{found} names no accounts (only settings): give configuration PATHS"
        )
    if vars_file or api_url:
        raise click.UsageError(
            "--vars and --api-url are given per account in the project file; with PATHS, "
            "they apply to those"
        )
    project.select(accounts)  # an unknown name fails before anything runs
    console.secrets = project.secrets
    console.setup_logging()
    project.on_connect = lambda name, client: warn(console, name, client.warnings)
    project.on_warning = console.warn
    return project


def errors(console: Console, runs: Sequence[AccountRun[T]]) -> dict[str, str]:
    """Each failed account's error on stderr, one line per problem, each naming the account;
    the messages by account, for the report."""
    said: dict[str, str] = {}
    for run in runs:
        if run.error is None:
            continue
        problems = run.error.problems if isinstance(run.error, ConfigError) else ()
        lines = [str(problem) for problem in problems] or [str(run.error)]
        for line in lines:
            console.error(f"account {run.account}: {line}")
        said[run.account] = "\n".join(lines)
    return said


def warn(console: Console, name: str, warnings: Sequence[object]) -> None:
    for warning in warnings:
        console.warn(f"account {name}: {warning}")


def render(
    runs: Sequence[AccountRun[AccountPlan]],
    fmt: str,
    console: Console,
    failures: dict[str, str],
    *,
    drift: bool,
) -> str:
    """One report for every account: a section each (JSON: one document)."""
    from triggersync.cli import steps
    from triggersync.views import accounts as view
    from triggersync.views.markdown import DRIFT_MARKER, PLAN_MARKER

    if fmt == "json":
        plans = {run.account: run.value.plan for run in runs if run.value is not None}
        failed = [run.account for run in runs if run.value is None]
        return view.render_accounts_json(plans, failed, console.mask)
    sections = [
        (
            run.account,
            None
            if run.value is None
            else steps.render_as(run.value.plan, fmt, console, drift=drift),
        )
        for run in runs
    ]
    if fmt == "markdown":
        return view.render_accounts_markdown(
            sections, failures, DRIFT_MARKER if drift else PLAN_MARKER
        )
    return view.render_accounts_text(sections, failures)


def markdown(runs: Sequence[AccountRun[AccountPlan]], failures: dict[str, str], drift: bool) -> str:
    from triggersync.views import accounts as view
    from triggersync.views import markdown as md

    one: Callable[[Plan], str] = md.render_drift_markdown if drift else md.render_markdown
    sections = [(run.account, None if run.value is None else one(run.value.plan)) for run in runs]
    return view.render_accounts_markdown(
        sections, failures, md.DRIFT_MARKER if drift else md.PLAN_MARKER
    )


def report_accounts(
    runs: Sequence[AccountRun[AccountPlan]],
    fmt: str,
    console: Console,
    max_chars: int | None,
    *,
    drift: bool,
) -> dict[str, str]:
    """Warnings and errors on stderr, the report on stdout, its markdown in the job summary;
    the failures by account. With `github`, the warnings are annotations on stdout instead,
    and a configuration's errors are annotated too, each naming its account."""
    from triggersync.views.github import annotation_lines
    from triggersync.views.markdown import truncate_markdown

    github = fmt == "github"
    for run in runs:
        marks, prefix = "", f"account {run.account}"
        if run.value is not None and github:
            marks = annotation_lines("warning", run.value.all_warnings, prefix)
        elif run.value is not None:
            warn(console, run.account, run.value.all_warnings)
        elif github and isinstance(run.error, ConfigError):
            marks = annotation_lines("error", run.error.problems, prefix)
        if marks:
            console.emit(marks)
    failures = errors(console, runs)
    text = render(runs, fmt, console, failures, drift=drift)
    if max_chars is not None:
        text = truncate_markdown(text, max_chars, what="report" if drift else "plan")
    console.emit(text, masked=fmt == "json")
    console.append_step_summary(lambda: markdown(runs, failures, drift))
    return failures


def exit_code(runs: Sequence[AccountRun[T]], code: Callable[[T], int]) -> int:
    """The accounts' exit codes combined: 1 if any is 1 (a failed account is), else 2 if any
    is 2, else 0."""
    from triggersync.operations import combined_exit

    return combined_exit([1 if run.value is None else code(run.value) for run in runs])


def apply_accounts(
    console: Console,
    project: Project,
    names: Sequence[str],
    saved: Mapping[str, Plan] | None,
    *,
    prune: bool,
    yes: bool,
    force: bool,
    parallelism: int,
    lock_timeout: float = 0.0,
    strict: bool = False,
    targets: Sequence[str] = (),
) -> int:
    """Every account's plan (or each part of a saved plan, as reviewed), shown; the delete
    guard's refusals said; one question; then every account applied at once."""
    from triggersync.cli import steps
    from triggersync.cli.console import Interrupts, Progress
    from triggersync.cli.lock import left_behind
    from triggersync.operations import combined_exit
    from triggersync.views import accounts as view
    from triggersync.views.text import render_text

    if saved is not None:
        runs = project.reviewed(saved, names, strict=strict)
    else:
        runs = project.plan(names, prune=prune, strict=strict, targets=targets)
    for run in runs:
        if run.value is not None:
            warn(console, run.account, run.value.all_warnings)
    failures = errors(console, runs)
    sections = [
        (
            run.account,
            None if run.value is None else render_text(run.value.plan, color=console.color),
        )
        for run in runs
    ]
    console.emit(view.render_accounts_text(sections, failures))
    changing = [run for run in runs if run.value is not None and not run.value.plan.empty]
    guarded = project.guarded(changing, force=force)
    failures.update(errors(console, guarded))
    pending = [run for run in guarded if run.ok]
    if not pending:
        return 1 if failures else 0
    if not yes and not steps.confirmed(console):
        return 1
    total = sum(len(run.unwrap().plan.changes) for run in pending)
    locked: list[str] = []

    def took_lock(account: str) -> None:
        # Said if a second Ctrl-C ends the run at once: which accounts' locks may be left.
        locked.append(account)
        interrupts.left_behind = left_behind(locked)

    with (
        Progress(console, total) as progress,
        Interrupts(project.stopped, project.cut_off) as interrupts,
    ):
        applied = project.apply(
            pending,
            force=force,
            parallelism=parallelism,
            on_outcome=lambda account, outcome: progress.update(outcome, account),
            lock_timeout=lock_timeout,
            on_wait=lambda account, other: console.info(
                f"{account}: Waiting up to {lock_timeout:g} s for the account's lock: held by "
                f"{other.said()}"
            ),
            on_locked=took_lock,
        )
    codes = [1] * len(failures)
    errors(console, applied)
    for done in applied:
        if done.value is None or done.value.result is None:
            codes.append(1 if done.value is None else 0)
            continue
        codes.append(
            steps.summarise(console, done.value, interrupts.exit_code, account=done.account)
        )
    # An interrupted run exits 130 or 143, whatever each account's own code (as one account's).
    return interrupts.exit_code or combined_exit(codes)
