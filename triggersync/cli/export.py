"""`triggersync export`: the live triggers written as configuration YAML (docs/commands.md)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from triggersync.cli import options as opts
from triggersync.cli import steps
from triggersync.cli.console import Console, pass_console
from triggersync.errors import TriggersyncError
from triggersync.untrusted import shown

if TYPE_CHECKING:
    from triggersync.engine.model import Trigger


@click.command(epilog=opts.api_epilog("0 ok; 1 error."))
@opts.api_url
@click.option(
    "--out",
    type=click.Path(),
    help="A .yaml file, or a directory for one file per trigger. Default: stdout.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace an existing --out file, or hand-written files in the --out directory.",
)
@click.option(
    "--department-ids",
    is_flag=True,
    help="Write setDepartment with department ids, not names (and do not read departments).",
)
@opts.console_options
@pass_console
def export(
    console: Console, api_url: str | None, out: str | None, force: bool, department_ids: bool
) -> int:
    """Write the live triggers as configuration YAML.

    An existing --out file is never replaced without --force, nor a file in the --out
    directory that holds other triggers than the one exported to it (a file of an earlier
    export of the same trigger is refreshed). A department is written by its name where the
    account's departments can be read and the name is that department's alone.

    \b
    Example:
      triggersync export --out triggers/
    """
    from triggersync.engine import export as export_mod
    from triggersync.engine.departments import with_names

    with steps.client(api_url, console) as client:
        live, refused = export_mod.exportable(client.list())
        if not department_ids:
            table = steps.departments_of(live, client, console, fallback="ids are written")
            if table is not None:
                live, kept = with_names(live, table)
                for message in kept:
                    console.warn(message)
    live = [_masked(trigger, console) for trigger in live]
    if out is None:
        console.emit(export_mod.to_yaml(live))
        return _report_refused(refused, console)
    target = Path(out)
    if target.is_dir() or out.endswith(("/", os.sep)) or target.suffix not in (".yaml", ".yml"):
        replaced = export_mod.would_replace(live, target)
        if replaced and not force:
            path, held = replaced[0]
            more = f" (and {len(replaced) - 1} more)" if len(replaced) > 1 else ""
            raise TriggersyncError(
                f"{path} holds {held}{more}: export would replace it with one live trigger; "
                "pass --force to replace it, or export to another directory"
            )
        written, others = export_mod.write_directory(live, target)
        console.info(f"Wrote {len(written)} files to {target}")
        if others:
            names = ", ".join(path.name for path in others)
            console.warn(
                f"{target} also holds YAML files this export did not write ({names}); "
                "remove those of triggers no longer in Zendesk, or apply brings them back"
            )
    else:
        if target.exists() and not force:
            raise TriggersyncError(
                f"{target} already exists: export would replace it with the {len(live)} live "
                "triggers; pass --force to replace it, or choose another --out"
            )
        console.write_file(target, export_mod.to_yaml(live, target.parent))
        console.info(f"Wrote {len(live)} triggers to {target}")
    return _report_refused(refused, console)


def _masked(trigger: Trigger, console: Console) -> Trigger:
    """The trigger with the run's secrets masked in its data: a folder export writes its files
    (and names them after the triggers) itself, past the Console's writers. Said aloud, as
    the file then holds *** where Zendesk holds a credential."""
    masking = _Masking(console)
    try:
        definition = masking.json(trigger.definition)
    except RecursionError:
        # Nested deeper than YAML can be written, too: export refuses the trigger by name.
        definition = trigger.definition
    masked = dataclasses.replace(
        trigger,
        name=masking.text(trigger.name),
        description=masking.text(trigger.description),
        definition=definition,
    )
    if masking.found:
        console.warn(
            f"the live trigger {shown(masked.name)} holds a credential of this run; it is "
            "exported as ***: check the trigger in Zendesk"
        )
    return masked


class _Masking:
    def __init__(self, console: Console) -> None:
        self._console = console
        self.found = False  # whether anything was masked

    def text(self, value: str) -> str:
        masked = self._console.mask(value)
        self.found = self.found or masked != value
        return masked

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {self.text(key): self.json(item) for key, item in value.items()}
        return value


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
@opts.console_options
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
