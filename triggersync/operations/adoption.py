"""The live triggers as a configuration would hold them: adopt them into the files, or read
them to export (docs/commands.md#adopt, #export; docs/python.md).

Two things happen to live triggers on their way into files: a department id is written as its
name where the name reads back to that id alone (docs/configuration.md#departments), and a
credential of this run that Zendesk holds in a trigger is written as `***`, so that no file,
diff or log ever carries it. Both are said as warnings, returned, never printed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from triggersync.untrusted import shown

if TYPE_CHECKING:
    from triggersync.api.client import Client
    from triggersync.config.adopt import Adoption
    from triggersync.config.files import Config
    from triggersync.engine.departments import Departments
    from triggersync.engine.model import Trigger


@dataclass(frozen=True)
class Adopted:
    """An adoption (the files' new text, not yet written) and what to say about it."""

    adoption: Adoption
    warnings: tuple[str, ...] = ()
    # A credential was written as ***: the files are not all the live triggers say.
    masked: bool = False

    @property
    def complete(self) -> bool:
        """Every live trigger adopted as it is."""
        return not self.adoption.problems and not self.masked


def with_department_names(
    live: Sequence[Trigger], client: Client, *, config: Config | None = None
) -> tuple[list[Trigger], list[str]]:
    """`live` with each department id written as the department's name, where the name reads
    back to that id alone (a department `config` already names or numbers rightly stays as
    written there); and the warnings: an id kept, or the departments unreadable."""
    warnings: list[str] = []
    table = departments_of(live, client, warnings, fallback="ids are written")
    named, kept = with_names_from(live, table, config=config)
    return named, [*warnings, *kept]


def with_names_from(
    live: Sequence[Trigger], departments: Departments | None, *, config: Config | None = None
) -> tuple[list[Trigger], list[str]]:
    """As `with_department_names`, from departments already read (None: the ids stay)."""
    from triggersync.engine.departments import with_names

    if departments is None:
        return list(live), []
    return with_names(live, departments, declared=config.triggers if config is not None else ())


def masked(trigger: Trigger, mask: Callable[[str], str]) -> tuple[Trigger, str | None]:
    """The trigger with every credential `mask` knows written as *** (in its name,
    description and definition); and the warning to say when there was one."""
    masking = _Masking(mask)
    out = masking.trigger(trigger)
    if not masking.found:
        return out, None
    return out, (
        f"the live trigger {shown(out.name)} holds a credential of this run; it is written "
        "as ***: check the trigger in Zendesk"
    )


def adopt(
    config: Config,
    client: Client,
    paths: Sequence[str] | str,
    *,
    targets: Sequence[str] = (),
    new_file: str | None = None,
    live: Sequence[Trigger] | None = None,
    mask: Callable[[str], str] | None = None,
) -> Adopted:
    """The files of `config` (loaded from `paths`) rewritten to match the live triggers (listed
    now unless `live` gives them), narrowed to `targets`: each differing trigger edited where
    it is declared, live triggers no file declares added (to `new_file`, or a new file each),
    declarations of triggers gone from Zendesk removed. Nothing is written: the caller writes
    `adoption.files`."""
    from triggersync.config.adopt import adopt as adopt_files

    listed = client.list() if live is None else live
    named, warnings = with_department_names(listed, client, config=config)
    hid = False
    ready = []
    for trigger in named:
        out, warning = masked(trigger, mask or client.secrets.mask)
        if warning is not None:
            warnings.append(warning)
            hid = True
        ready.append(out)
    adoption = adopt_files(
        config,
        ready,
        paths=[paths] if isinstance(paths, str) else paths,
        targets=targets,
        new_file=new_file,
    )
    return Adopted(adoption, tuple(warnings), hid)


@dataclass(frozen=True)
class Exported:
    """What export writes: the live triggers YAML can hold, their department ids written as
    names and credentials masked; why each other is left out (`refused`); what to say. When
    the --out folder already holds a configuration, `adoption` is that configuration updated
    in place instead (as `adopt` updates it), and `triggers` is empty."""

    triggers: tuple[Trigger, ...]
    refused: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    adoption: Adoption | None = None


def export(
    live: Sequence[Trigger],
    *,
    departments: Departments | None = None,
    config: Config | None = None,
    paths: Sequence[str] = (),
    targets: Sequence[str] = (),
    mask: Callable[[str], str] | None = None,
) -> Exported:
    """The live triggers (those `targets` match) ready to write as configuration: department
    ids written as names from `departments` (the account's list; None: ids kept), every
    credential `mask` knows written as ***. With `config` (the configuration already at
    `paths`, the --out folder), that configuration adopts them instead. Nothing is written."""
    from triggersync.engine.export import exportable
    from triggersync.engine.targets import matches

    named, warnings = with_names_from(live, departments, config=config)
    ready = []
    for trigger in named:
        out, warning = masked(trigger, mask) if mask is not None else (trigger, None)
        if warning is not None:
            warnings.append(warning)
        ready.append(out)
    if config is not None:
        from triggersync.config.adopt import adopt as adopt_files

        adoption = adopt_files(config, ready, paths=paths, targets=targets)
        return Exported((), adoption.problems, tuple(warnings), adoption)
    kept, refused = exportable([trigger for trigger in ready if matches(trigger.name, targets)])
    return Exported(tuple(kept), tuple(refused), tuple(warnings))


def departments_of(
    live: Sequence[Trigger], client: Client, warnings: list[str], *, fallback: str
) -> Departments | None:
    """The account's departments, to show or write names for the ids these live triggers
    route to; None when none routes by id, or (with a warning that says `fallback`) when the
    list cannot be read."""
    from triggersync.engine import departments
    from triggersync.errors import ApiError

    if not any(departments.ids_in(trigger.definition) for trigger in live):
        return None
    try:
        return client.departments()
    except ApiError as exc:
        warnings.append(f"the departments cannot be read, so {fallback}: {exc}")
        return None


class _Masking:
    def __init__(self, mask: Callable[[str], str]) -> None:
        self._mask = mask
        self.found = False  # whether anything was masked

    def trigger(self, trigger: Trigger) -> Trigger:
        """The trigger with every credential masked in its name, description and definition;
        the same object when none was there."""
        try:
            definition = self._json(trigger.definition)
        except RecursionError:
            # Nested deeper than YAML can be written, too: export refuses the trigger by name.
            definition = trigger.definition
        name, description = self._text(trigger.name), self._text(trigger.description)
        if not self.found:
            return trigger
        return dataclasses.replace(
            trigger, name=name, description=description, definition=definition
        )

    def _text(self, value: str) -> str:
        masked = self._mask(value)
        self.found = self.found or masked != value
        return masked

    def _json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, list):
            return [self._json(item) for item in value]
        if isinstance(value, dict):
            return {self._text(key): self._json(item) for key, item in value.items()}
        return value
