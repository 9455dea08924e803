"""`triggersync plan`, `apply` and `drift`: the configuration against the live triggers
(docs/commands.md; the guards apply enforces: docs/safety.md)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from triggersync.cli import accounts, steps
from triggersync.cli import options as opts
from triggersync.cli.console import Console, Interrupts, Progress, pass_console
from triggersync.cli.lock import LEFT_BEHIND, lock_timeout
from triggersync.errors import LockWaitInterrupted

if TYPE_CHECKING:
    from triggersync.engine.model import Trigger
    from triggersync.engine.plan import Plan


@click.command(
    epilog=opts.api_epilog("0 ok; with --detailed-exitcode 0 no changes, 2 changes; 1 error.")
)
@opts.paths_or_project
@opts.project
@opts.vars
@opts.api_url
@opts.format(
    ["text", "markdown", "json", "github"],
    help="github: the text plan, after ::warning annotations (and ::error under --strict).",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Also save the plan (JSON) here.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes.")
@opts.max_chars
@opts.no_prune
@opts.strict
@opts.targets
@opts.console_options
@pass_console
def plan(
    console: Console,
    paths: tuple[str, ...],
    vars_file: str | None,
    api_url: str | None,
    fmt: str,
    out: str | None,
    detailed_exitcode: bool,
    max_chars: int | None,
    no_prune: bool,
    strict: bool,
    targets: tuple[str, ...],
    project_file: str | None,
    account_names: tuple[str, ...],
) -> int:
    """Show what apply would change; writes nothing to the API.

    Without PATHS, for every account of the project file (triggersync.yaml).

    \b
    Example:
      triggersync plan triggers/ --out plan.json
      triggersync plan triggers/ --target "Sales *"
      triggersync plan triggers/ --format markdown --max-chars 65000 > comment.md
      triggersync plan --account staging
    """
    from triggersync.views.accounts import render_accounts_json
    from triggersync.views.json import render_json

    opts.check_max_chars(fmt, max_chars)
    project = accounts.project_for(
        console, paths, project_file, account_names, vars_file=vars_file, api_url=api_url
    )
    if project is not None:
        runs = project.plan(account_names, prune=not no_prune, strict=strict, targets=targets)
        failures = accounts.report_accounts(runs, fmt, console, max_chars, drift=False)
        if out and failures:
            console.error(f"the plan is not saved to {out}: not every account could be planned")
        elif out:
            plans = {run.account: run.unwrap().plan for run in runs}
            document = render_accounts_json(plans, mask=console.mask)
            console.write_file(Path(out), document, masked=True)
            _say_saved(console, out, (), None, no_prune, targets)
        return accounts.exit_code(
            runs, lambda value: 2 if detailed_exitcode and not value.plan.empty else 0
        )
    github = fmt == "github"
    with steps.annotated_errors(console, github):
        cfg = steps.load_config(paths, vars_file, console, strict, project_file, warn=not github)
        with steps.client(api_url, console) as client:
            the_plan = steps.plan_live(
                cfg, client, prune=not no_prune, targets=targets, console=console, warn=not github
            )
    if out:
        console.write_file(Path(out), render_json(the_plan, console.mask), masked=True)
        _say_saved(console, out, paths, vars_file, no_prune, targets)
    steps.report(the_plan, fmt, console, max_chars, drift=False)
    return 2 if detailed_exitcode and not the_plan.empty else 0


def _say_saved(
    console: Console,
    out: str,
    paths: Sequence[str],
    vars_file: str | None,
    no_prune: bool,
    targets: Sequence[str],
) -> None:
    """Where the plan was saved, and the command that applies it in the reviewed form: a
    fresh plan of the same files with the same options, which must agree with it (a project's
    accounts take their files and vars from the project file)."""
    again = [
        *paths,
        *(["--vars", vars_file] if vars_file else []),
        *(["--no-prune"] * no_prune),
        *(arg for target in targets for arg in ("--target", target)),
    ]
    console.info(
        f"Saved the plan to {out}; apply it with: "
        f"{shlex.join(['triggersync', 'apply', '--plan', out, *again])}"
    )


@click.command(
    epilog=opts.api_epilog(
        "0 applied or nothing to do; 1 any failure or refusal; 130 interrupted; "
        "143 stopped by SIGTERM."
    )
)
@opts.paths_or_project
@opts.project
@opts.vars
@opts.api_url
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False), help="Apply this saved plan.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Allow a plan that deletes many triggers.")
@opts.no_prune
@opts.targets
@opts.parallelism
@lock_timeout
@opts.strict
@opts.console_options
@pass_console
def apply(
    console: Console,
    paths: tuple[str, ...],
    vars_file: str | None,
    api_url: str | None,
    plan_file: str | None,
    yes: bool,
    force: bool,
    no_prune: bool,
    targets: tuple[str, ...],
    parallelism: int,
    lock_timeout: float,
    strict: bool,
    project_file: str | None,
    account_names: tuple[str, ...],
) -> int:
    """Plan, confirm, and apply; or apply a saved plan exactly.

    With --plan FILE and PATHS, plan afresh from PATHS and apply only when that plan's
    changes are exactly the saved plan's (what was reviewed is what is applied).

    One apply at a time per account: while it changes triggers, apply holds the account's
    lock, and another apply refuses (or waits, with --lock-timeout). Without PATHS, for every
    account of the project file (triggersync.yaml).

    \b
    Example:
      triggersync apply triggers/ --yes
      triggersync apply --plan plan.json
      triggersync apply --plan plan.json triggers/
    """
    from triggersync import operations
    from triggersync.config import project as project_settings
    from triggersync.engine.planfile import read_saved_plans
    from triggersync.views.text import render_text

    saved_any = read_saved_plans(Path(plan_file)) if plan_file and not paths else None
    if isinstance(saved_any, dict) and project_settings.find_project_file(project_file) is None:
        raise click.UsageError(
            f"{plan_file} holds the plans of a project file's accounts: apply it where the "
            "project file (triggersync.yaml) is, or pass --project FILE"
        )
    if not paths and (plan_file is None or isinstance(saved_any, dict)):
        project = accounts.project_for(
            console, paths, project_file, account_names, vars_file=vars_file, api_url=api_url
        )
        assert project is not None
        saved_plans = saved_any if isinstance(saved_any, dict) else None
        return accounts.apply_accounts(
            console,
            project,
            account_names,
            saved_plans,
            prune=not no_prune,
            yes=yes or saved_plans is not None,
            force=force,
            parallelism=parallelism,
            lock_timeout=lock_timeout,
            strict=strict,
            targets=targets,
        )
    if account_names and not paths:
        raise click.UsageError(
            f"{plan_file} is one account's plan (made from PATHS), not a project's: --account "
            "chooses a part of a project's plan; apply it without --account"
        )
    if account_names:
        raise click.UsageError("--account chooses accounts of the project file: give no PATHS")
    if plan_file and not paths and (no_prune or vars_file or targets):
        raise click.UsageError(
            "--no-prune, --vars and --target shape a new plan; a saved plan alone is applied as "
            "is (it keeps the targets it was made with)"
        )
    # Files first (they are checked before anything else happens), then the API.
    saved = (
        operations.read_saved(plan_file, settings=steps.rule_settings(strict, project_file))
        if plan_file
        else None
    )
    cfg = steps.load_config(paths, vars_file, console, strict, project_file) if paths else None
    with steps.client(api_url, console, parallelism) as client:
        if cfg is None:
            assert saved is not None
            the_plan = operations.check_saved(saved, client)
        else:
            the_plan = steps.plan_live(
                cfg, client, prune=not no_prune, targets=targets, console=console
            )
            if saved is not None:
                # The saved plan is only a record of what was reviewed: the fresh plan runs,
                # and every check below reads it (docs/plans.md).
                the_plan = operations.check_reviewed(saved, the_plan, client)
        console.emit(render_text(the_plan, color=console.color))
        if the_plan.empty:
            return 0  # nothing to change: no lock taken
        operations.check_safety(the_plan, force=force)
        if not plan_file and not yes and not steps.confirmed(console):
            return 1

        def replan(live: list[Trigger]) -> Plan:
            assert cfg is not None
            return steps.plan_live(
                cfg, client, prune=not no_prune, live=live, console=console, targets=targets
            )

        def replanned(fresh: Plan) -> None:
            console.info("The account changed since the plan above was made; planned again:")
            console.emit(render_text(fresh, color=console.color))

        # Ctrl-C and SIGTERM stop the apply between changes (and end a wait for the lock);
        # a change in flight gets a grace to finish before its request is cut off.
        interrupts = Interrupts(client.cancel, client.cut_off)
        try:
            with interrupts, Progress(console) as progress:
                applied = operations.apply(
                    the_plan,
                    client,
                    force=force,
                    parallelism=parallelism,
                    on_outcome=progress.update,
                    lock_timeout=lock_timeout,
                    on_wait=lambda other: console.info(
                        f"Waiting up to {lock_timeout:g} s for the account's lock: held by "
                        f"{other.said()}"
                    ),
                    on_locked=lambda: setattr(interrupts, "left_behind", LEFT_BEHIND),
                    # Planned again only when what was confirmed was "apply what the files
                    # say" (--yes); a saved or an asked-for plan is applied as it is, or not.
                    replan=replan if cfg is not None and saved is None and yes else None,
                    on_replanned=replanned,
                    on_start=lambda the_plan: progress.start(len(the_plan.changes)),
                )
        except LockWaitInterrupted as stopped:
            console.error(str(stopped))
            return interrupts.exit_code or 1
    return steps.summarise(console, applied, interrupts.exit_code)


@click.command(epilog=opts.api_epilog("0 no drift; 2 drift; 1 error."))
@opts.paths_or_project
@opts.project
@opts.vars
@opts.api_url
@opts.format(
    ["text", "markdown", "json"],
    help="json: a plan document (as plan --format json) of the changes an apply would make.",
)
@opts.max_chars
@opts.targets
@opts.console_options
@pass_console
def drift(
    console: Console,
    paths: tuple[str, ...],
    vars_file: str | None,
    api_url: str | None,
    fmt: str,
    max_chars: int | None,
    targets: tuple[str, ...],
    project_file: str | None,
    account_names: tuple[str, ...],
) -> int:
    """Report live triggers that differ from the configuration; exit 2 on drift.

    Text and markdown word the differences from Zendesk's side; --format json gives the
    changes an apply would make to undo them, as a plan document (docs/plans.md).

    \b
    Example:
      triggersync drift triggers/ --format markdown
    """
    opts.check_max_chars(fmt, max_chars)
    project = accounts.project_for(
        console, paths, project_file, account_names, vars_file=vars_file, api_url=api_url
    )
    if project is not None:
        runs = project.drift(account_names, targets=targets)
        accounts.report_accounts(runs, fmt, console, max_chars, drift=True)
        return accounts.exit_code(runs, lambda value: 0 if value.plan.empty else 2)
    cfg = steps.load_config(paths, vars_file, console, project_file=project_file)
    with steps.client(api_url, console) as client:
        the_plan = steps.plan_live(cfg, client, prune=True, targets=targets, console=console)
    steps.report(the_plan, fmt, console, max_chars, drift=True)
    return 0 if the_plan.empty else 2
