"""`triggersync export`: the live triggers written as configuration YAML (docs/commands.md)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from triggersync.cli import accounts, steps
from triggersync.cli import options as opts
from triggersync.cli.console import Console, pass_console
from triggersync.errors import ConfigError, TriggersyncError

if TYPE_CHECKING:
    from triggersync.config.files import Config
    from triggersync.engine.departments import Departments
    from triggersync.engine.model import Trigger
    from triggersync.operations import AccountLive


@click.command(epilog=opts.api_epilog("0 ok; 1 error, or a trigger left out."))
@opts.api_url
@opts.project
@click.option(
    "--out",
    type=click.Path(),
    help="A .yaml file, or a directory for one file per trigger (a directory of configuration "
    "is updated in place, as adopt does). Default: stdout.",
)
@click.option("--force", is_flag=True, help="Replace an existing --out file.")
@click.option(
    "--department-ids",
    is_flag=True,
    help="Write setDepartment with department ids, not names (and do not read departments).",
)
@opts.vars
@opts.targets
@opts.console_options
@pass_console
def export(
    console: Console,
    api_url: str | None,
    out: str | None,
    force: bool,
    department_ids: bool,
    vars_file: str | None,
    targets: tuple[str, ...],
    project_file: str | None,
    account_names: tuple[str, ...],
) -> int:
    """Write the live triggers as configuration YAML.

    An existing --out file is never replaced without --force. An --out directory that
    already holds configuration is updated as `adopt DIR` updates it: each live trigger where
    a file declares it, the others in new files, declarations of triggers gone from Zendesk
    removed, and triggers its `ignore` globs match left out (--vars fills its ${NAME}s). A
    department is written by its name where the account's departments can be read and the
    name is that department's alone.

    \b
    Example:
      triggersync export --out triggers/
      triggersync export --target "Sales *"

    With a project file naming accounts (and no --api-url), every account's (or those of
    --account): --out DIR gets a folder per account, DIR/NAME.
    """
    from triggersync.config import project as project_settings

    found = None if api_url else project_settings.find_project_file(project_file)
    if found is not None and project_settings.load_project_file(found).accounts:
        return _export_accounts(
            console, project_file, account_names, out, force, vars_file, targets, department_ids
        )
    if account_names or project_file:
        raise click.UsageError("--account and --project need a project file's accounts")

    def fetch(cfg: Config | None) -> tuple[list[Trigger], Departments | None]:
        with steps.client(api_url, console) as client:
            listed = client.list()
            if department_ids:
                return listed, None
            return listed, steps.departments_of(listed, client, console, fallback="ids are written")

    return _export(console, fetch, out, force, vars_file, targets)


def _export_accounts(
    console: Console,
    project_file: str | None,
    account_names: Sequence[str],
    out: str | None,
    force: bool,
    vars_file: str | None,
    targets: Sequence[str],
    department_ids: bool = False,
) -> int:
    """Each account's live triggers, to DIR/NAME (or to stdout or FILE, for one account),
    each account's department ids written as its departments' names (unless
    `department_ids`), as a run over PATHs writes them."""
    from triggersync.config.files import EXTENSIONS
    from triggersync.operations import AccountLive, combined_exit
    from triggersync.operations.accounts import then

    project = accounts.project_for(console, (), project_file, account_names)
    assert project is not None
    several = len(project.select(account_names)) > 1
    if several and (out is None or out.endswith(EXTENSIONS)):
        raise click.UsageError(
            "several accounts: give --out DIR (a folder per account), or one --account NAME"
        )
    if department_ids:
        runs = [then(run, AccountLive) for run in project.live(account_names)]
    else:
        runs = project.live_with_departments(account_names, fallback="ids are written")
    codes = [1] * len(accounts.errors(console, runs))
    for run in runs:
        listed = run.value
        if listed is None:
            continue
        accounts.warn(console, run.account, listed.warnings)
        target = os.path.join(out, run.account) if several and out is not None else out
        try:
            given = functools.partial(_given, listed)
            codes.append(_export(console, given, target, force, vars_file, targets, run.account))
        except TriggersyncError as exc:
            console.error(f"account {run.account}: {exc}")
            codes.append(1)
    return combined_exit(codes)


def _given(listed: AccountLive, cfg: Config | None) -> tuple[list[Trigger], Departments | None]:
    return listed.triggers, listed.departments


def _export(
    console: Console,
    fetch: Callable[[Config | None], tuple[list[Trigger], Departments | None]],
    out: str | None,
    force: bool,
    vars_file: str | None,
    targets: Sequence[str] = (),
    account: str | None = None,
) -> int:
    """The live triggers `fetch` gives (those `targets` match), written to `out` (stdout
    when None); `account`: whose, over a project's accounts."""
    from triggersync import operations
    from triggersync.config.files import EXTENSIONS, discover
    from triggersync.engine import export as export_mod

    target = Path(out) if out is not None else None
    is_folder = target is not None and (
        target.is_dir() or str(out).endswith(("/", os.sep)) or target.suffix not in EXTENSIONS
    )
    cfg = None
    if is_folder and target is not None and target.is_dir() and discover([target])[0]:
        cfg = _existing_configuration(str(target), vars_file, console)
    listed, departments = fetch(cfg)
    steps.warn_unmatched(targets, [trigger.name for trigger in listed], console)
    exported = operations.export(
        listed,
        departments=departments,
        config=cfg,
        paths=[str(target)] if cfg is not None else (),
        targets=targets,
        mask=console.mask,
    )
    whose = "" if account is None else f"account {account}: "
    for warning in exported.warnings:
        console.warn(f"{whose}{warning}")
    if exported.adoption is not None:
        for problem in exported.refused:
            console.error(problem)
        steps.write_adoption(exported.adoption, console)
        return 1 if exported.refused else 0
    live = list(exported.triggers)
    if target is None:
        console.emit(export_mod.to_yaml(live))
        return _report_refused(list(exported.refused), console)
    if is_folder:
        written = export_mod.write_directory(live, target)
        console.info(f"Wrote {len(written)} files to {target}")
    else:
        if target.exists() and not force:
            raise TriggersyncError(
                f"{target} already exists: export would replace it with the {len(live)} live "
                "triggers; pass --force to replace it, or choose another --out"
            )
        console.write_file(target, export_mod.to_yaml(live, target.parent))
        console.info(f"Wrote {len(live)} triggers to {target}")
    return _report_refused(list(exported.refused), console)


def _existing_configuration(folder: str, vars_file: str | None, console: Console) -> Config:
    """The configuration already in the --out folder, which export then updates; a folder
    whose YAML is not configuration is refused, never written over."""
    try:
        return steps.load_config([folder], vars_file, console)
    except ConfigError as exc:
        for problem in exc.problems:
            console.error(str(problem))
        raise TriggersyncError(
            f"{folder} holds YAML files that are not a valid configuration (above); export "
            "updates the configuration in a folder in place: fix them, or export to another "
            "folder"
        ) from None


def _report_refused(messages: list[str], console: Console) -> int:
    """After what was written, so that the triggers left out are what a reader sees last."""
    for message in messages:
        console.error(message)
    return 1 if messages else 0


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    help="A folder to write the JSON Schemas into (e.g. schemas/). Default: the configuration "
    "schema on stdout.",
)
@click.option("--force", is_flag=True, help="Replace schema files that already exist there.")
@opts.offline_console_options
@pass_console
def schema(console: Console, out: str | None, force: bool) -> int:
    """Write the JSON Schemas of configuration and scenario files, for editors.

    With the schema in your repository's schemas/ folder, `export` (run from the repository's
    root) starts each file with a modeline that points at it, and editors complete and check
    as you type.

    \b
    Example:
      triggersync schema --out schemas/
    """
    from triggersync.engine.schemas import schema_path

    names = ("triggersync.schema.json", "scenarios.schema.json")
    if out is None:
        console.emit(schema_path(names[0]).read_text(encoding="utf-8"))
        return 0
    folder = Path(out)
    existing = [folder / name for name in names if (folder / name).exists()]
    if existing and not force:
        raise TriggersyncError(f"{existing[0]} already exists; pass --force to replace it")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TriggersyncError(f"cannot create {folder}: {exc.strerror}") from None
    for name in names:
        console.write_file(folder / name, schema_path(name).read_text(encoding="utf-8"))
    console.info(f"Wrote {', '.join(names)} to {folder}")
    return 0
