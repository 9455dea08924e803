"""`triggersync plan`, `apply` and `drift`: the configuration against the live triggers
(docs/commands.md; the guards apply enforces: docs/safety.md)."""

from __future__ import annotations

from pathlib import Path

import click

from triggersync.cli import options as opts
from triggersync.cli import steps
from triggersync.cli.console import Console, Interrupts, Progress, pass_console
from triggersync.cli.lock import held, lock_timeout


@click.command(
    epilog=opts.api_epilog("0 ok; with --detailed-exitcode 0 no changes, 2 changes; 1 error.")
)
@opts.paths
@opts.vars
@opts.api_url
@opts.format(["text", "markdown", "json"])
@click.option("--out", type=click.Path(dir_okay=False), help="Also save the plan (JSON) here.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes.")
@opts.max_chars
@opts.no_prune
@opts.strict
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
) -> int:
    """Show what apply would change; writes nothing to the API.

    \b
    Example:
      triggersync plan triggers/ --out plan.json
      triggersync plan triggers/ --format markdown --max-chars 65000 > comment.md
    """
    from triggersync.views.json import render_json

    opts.check_max_chars(fmt, max_chars)
    cfg = steps.load(paths, vars_file, console, strict)
    with steps.client(api_url, console) as client:
        the_plan = steps.plan_live(cfg, client, prune=not no_prune)
    if out:
        console.write_file(Path(out), render_json(the_plan))
        console.info(f"Saved the plan to {out}; apply it with: triggersync apply --plan {out}")
    steps.report(the_plan, fmt, console, max_chars, drift=False)
    return 2 if detailed_exitcode and not the_plan.empty else 0


@click.command(
    epilog=opts.api_epilog(
        "0 applied or nothing to do; 1 any failure or refusal; 130 interrupted; "
        "143 stopped by SIGTERM."
    )
)
@click.argument("paths", nargs=-1, type=click.Path())
@opts.vars
@opts.api_url
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False), help="Apply this saved plan.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Allow a plan that deletes many triggers.")
@opts.no_prune
@opts.parallelism
@opts.strict
@lock_timeout
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
    parallelism: int,
    strict: bool,
    lock_timeout: float,
) -> int:
    """Plan, confirm, and apply; or apply a saved plan exactly.

    One apply at a time per account: while it changes triggers, apply holds the account's
    lock, and another apply refuses (or waits, with --lock-timeout).

    \b
    Example:
      triggersync apply triggers/ --yes
      triggersync apply --plan plan.json
    """
    from triggersync.engine import apply as apply_mod
    from triggersync.engine.planfile import read_plan_file
    from triggersync.errors import StalePlanError
    from triggersync.language.rules import enforce
    from triggersync.views.text import applied_summary, render_text

    if bool(paths) == bool(plan_file):
        raise click.UsageError("give configuration PATHS or --plan FILE, not both or neither")
    if plan_file and (no_prune or vars_file):
        raise click.UsageError(
            "--no-prune and --vars shape a new plan; a saved plan is applied as is"
        )
    # Files first (they are checked before anything else happens), then the API.
    saved = read_plan_file(Path(plan_file)) if plan_file else None
    if saved is not None:
        enforce(saved.warnings, steps.rule_settings(strict))
    cfg = None if saved else steps.load(paths, vars_file, console, strict)
    with steps.client(api_url, console, parallelism) as client:
        if saved is not None:
            apply_mod.check_fresh(saved, client.list(), client.base_url)
            the_plan = saved
        else:
            assert cfg is not None
            the_plan = steps.plan_live(cfg, client, prune=not no_prune)
        console.emit(render_text(the_plan, color=console.color))
        if the_plan.empty:
            return 0  # nothing to change: no lock taken
        apply_mod.check_safety(the_plan, force=force)
        if not plan_file and not yes:
            if not console.interactive:
                console.error("refusing to apply: standard input is not a terminal; pass --yes")
                return 1
            if not click.confirm("Apply these changes?", default=False, err=True):
                console.error("apply cancelled; nothing was changed")
                return 1
        # Ctrl-C and SIGTERM stop the apply between changes (and end a wait for the lock);
        # a change in flight gets a grace to finish before its request is cut off.
        interrupts = Interrupts(client.cancel, client.cut_off)
        with held(client, console, lock_timeout, interrupts) as lock:
            if not lock.held:
                return interrupts.exit_code or 1
            # Under the lock, the live state is read again: the plan applies only to the
            # state it was made from, and another apply may have ended since.
            live = client.list()
            try:
                apply_mod.check_fresh(the_plan, live, client.base_url)
            except StalePlanError as stale:
                if saved is not None or not yes:  # not what was reviewed or confirmed
                    raise StalePlanError(f"{stale}; nothing was changed") from None
                assert cfg is not None
                the_plan = steps.plan_live(cfg, client, prune=not no_prune, live=live)
                console.info("The account changed since the plan above was made; planned again:")
                console.emit(render_text(the_plan, color=console.color))
                if the_plan.empty:
                    return 0
                apply_mod.check_safety(the_plan, force=force)
            with Progress(console, len(the_plan.changes)) as progress:
                result = apply_mod.apply_plan(
                    the_plan,
                    client,
                    parallelism=parallelism,
                    on_outcome=progress.update,
                    stop=client.cancel,
                )
    for failure in result.failures():
        console.error(failure.message)
    summary = applied_summary(result)
    failed = f"{result.count('failed')} failed, {result.count('skipped')} skipped"
    if interrupts.exit_code is not None:
        console.echo(
            f"Apply interrupted: {summary} {failed}, {result.count('not_applied')} not applied; "
            "plan again to see what is left."
        )
        return interrupts.exit_code
    if result.ok and not lock.release_failed:
        console.echo(f"Apply complete: {summary}")
        return 0
    if result.ok:
        console.echo(f"Apply complete: {summary} The account's lock was not released.")
        return 1
    console.echo(f"Apply incomplete: {summary} {failed}; plan again to see what is left.")
    return 1


@click.command(epilog=opts.api_epilog("0 no drift; 2 drift; 1 error."))
@opts.paths
@opts.vars
@opts.api_url
@opts.format(
    ["text", "markdown", "json"],
    help="json: a plan document (as plan --format json) of the changes an apply would make.",
)
@opts.max_chars
@opts.console_options
@pass_console
def drift(
    console: Console,
    paths: tuple[str, ...],
    vars_file: str | None,
    api_url: str | None,
    fmt: str,
    max_chars: int | None,
) -> int:
    """Report live triggers that differ from the configuration; exit 2 on drift.

    Text and markdown word the differences from Zendesk's side; --format json gives the
    changes an apply would make to undo them, as a plan document (docs/plans.md).

    \b
    Example:
      triggersync drift triggers/ --format markdown
    """
    opts.check_max_chars(fmt, max_chars)
    cfg = steps.load(paths, vars_file, console)
    with steps.client(api_url, console) as client:
        the_plan = steps.plan_live(cfg, client, prune=True)
    steps.report(the_plan, fmt, console, max_chars, drift=True)
    return 0 if the_plan.empty else 2
