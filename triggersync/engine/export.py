"""Live triggers → configuration YAML that round-trips: planning against it shows no changes."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from triggersync.engine import canonical
from triggersync.engine.lock import LOCK_NAME
from triggersync.engine.model import Trigger, deeper_than
from triggersync.errors import TriggersyncError
from triggersync.language import check_definition
from triggersync.untrusted import is_clean, shown, yaml_double_quoted

SCHEMA_RELPATH = Path("schemas") / "triggersync.schema.json"
# The schema's own address (its `$id`), for a file written where no checkout holds the schema.


class _Flow(list[Any]):
    """A list written inline: conditions and actions read best as `["eq", "@x", "US"]`."""


class _Dumper(yaml.SafeDumper):
    """Writes live text so that the file reads back exactly and no line of it can be taken
    for something else when it is printed, in a CI log above all.

    A string that holds a hidden character (a line break, a control, bidi or zero-width
    character, a lone surrogate), the runner's `##[`, or that starts with `::` is written
    double-quoted, on one line, with those characters escaped (text.yaml_double_quoted):
    PyYAML alone would write a line break as a new line of the scalar, which then starts
    with the live text, and would write bidi and zero-width characters raw. Nothing is
    folded (the width is unbounded), so no line ever starts inside a live string: a live
    string starts a line only as a mapping key, and one starting with `::` is quoted.
    """

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        body = yaml_double_quoted(text)
        self.write_indicator('"', True)
        self.column += len(body)
        self.stream.write(body)
        self.write_indicator('"', False)


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    plain = is_clean(data) and not data.lstrip().startswith("::")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=None if plain else '"')


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(str, _represent_str)


def _definition(definition: Any) -> Any:
    if not isinstance(definition, dict):
        return definition
    out: dict[str, Any] = {}
    for key, value in definition.items():
        if key == "actions" and isinstance(value, list):
            out[key] = [_Flow(a) if isinstance(a, list) else a for a in value]
        elif key == "condition" and isinstance(value, list):
            out[key] = _Flow(value)
        else:
            out[key] = value
    return out


def _literal(value: Any) -> Any:
    """Every string value with `${` written `$${` (configuration reads `$${` as a literal
    `${`), so a live `${` is never read back as a variable reference; mapping keys are never
    substituted, so they stay."""
    if isinstance(value, str):
        return value.replace("${", "$${")
    if isinstance(value, list):
        return [_literal(item) for item in value]
    if isinstance(value, dict):
        return {key: _literal(item) for key, item in value.items()}
    return value


def trigger_document(trigger: Trigger) -> dict[str, Any]:
    """Keys in the order a reader expects: name, description, enabled, definition."""
    doc: dict[str, Any] = {
        "name": _literal(trigger.name),
        "description": _literal(trigger.description),
        "enabled": bool(trigger.enabled),
    }
    if trigger.definition is not None:
        doc["definition"] = _definition(_literal(trigger.definition))
    return doc


def _shaped(key: str, value: Any, in_definition: bool) -> Any:
    """One field's value as `trigger_document` shapes it."""
    value = _literal(value)
    if in_definition:
        return _definition({key: value})[key]
    if key == "definition":
        return _definition(value)
    if key == "enabled":
        return bool(value)
    return value


def field_yaml(key: str, value: Any, *, in_definition: bool = False, flow: bool = False) -> str:
    """One `key: value` of a trigger (or, `in_definition`, of its definition) as export writes
    it, with no line break at the end: in block layout, lines after the first indented from
    column 0; or, `flow`, on one line for a `{...}` mapping. adopt splices it into a file."""
    if flow:
        return _dump(lambda: {key: _shaped(key, value, in_definition)}, flow=True)[1:-2]
    field = {key: _shaped(key, value, in_definition)}
    # Laid out where it goes in a file in fmt's layout (a trigger's keys at column 4, its
    # definition's at 6), so that the width of its one-line lists is decided as fmt decides.
    item = {"definition": field} if in_definition else field
    lines = canonical.canonical_text(_dump(lambda: {"triggers": [item]}, flow=False)).splitlines()
    column = 6 if in_definition else 4
    return "\n".join(line[column:] for line in lines[2 if in_definition else 1 :])


def items_yaml(triggers: Sequence[Trigger], *, flow: bool = False) -> str:
    """The triggers as items of the `triggers` list, as export writes them: block lines (`- `
    at column 0, each line ending with a line break), or, `flow`, `{...}, {...}` on one line."""
    if flow:
        documents = _dump(lambda: [trigger_document(t) for t in triggers], flow=True)
        return documents.rstrip("\n")[1:-1]
    # In fmt's layout, items at column 2 (a blank line between two), then moved to column 0.
    laid = canonical.canonical_text(_documents(triggers, ordered=False)).split("\n", 1)[1]
    return "".join(line[2:] if line != "\n" else line for line in laid.splitlines(keepends=True))


def _dump(data: Callable[[], Any], *, flow: bool) -> str:
    """YAML of what `data` makes (made here, so that too deep a value fails the same way
    whether building it or writing it recurses too far)."""
    try:
        return yaml.dump(
            data(),
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=flow,
            width=float("inf"),
        )
    except RecursionError:  # a live definition nested beyond what the writers recurse
        raise TriggersyncError(
            "cannot write the live triggers as YAML: a definition is nested too deeply"
        ) from None


_SURROGATE = re.compile("[\ud800-\udfff]")

# Configuration files are read to 64 levels of nesting at most, counted from the top of the
# file (docs/configuration.md#yaml-safely); a definition sits 3 levels down (`triggers`, the
# list item, `definition`), so a value inside it may sit at most 61 levels below it.
CONFIG_MAX_DEPTH = 64
MAX_DEFINITION_DEPTH = CONFIG_MAX_DEPTH - 3


def exportable(triggers: Sequence[Trigger]) -> tuple[list[Trigger], list[str]]:
    """The triggers YAML can hold, and why each of the others cannot.

    JSON can spell a lone surrogate (`"\\ud800"`) and Python's json reads it, but it is not
    Unicode text: a UTF-8 file cannot hold it raw, and YAML readers (libyaml, which loads
    configuration) refuse its escape. A definition may nest deeper than a configuration file
    is read. Written anyway, such a trigger would make a file that no later command reads (or
    no file at all), so it is refused here, by name, and the others are exported.
    """
    kept: list[Trigger] = []
    refused: list[str] = []
    for trigger in triggers:
        why = _unwritable(trigger)
        if why is None:
            kept.append(trigger)
        else:
            refused.append(f"not exported: {shown(trigger.name)}: {why}; fix it in Zendesk")
    return kept, refused


def _unwritable(trigger: Trigger) -> str | None:
    if trigger.name == LOCK_NAME:
        # Enabled (the lock itself never reaches here): no configuration may declare the
        # lock's name, and no apply runs while a trigger holds it (docs/safety.md#the-lock).
        return (
            "its name is the one an apply's lock is created under, which no configuration declares"
        )
    fields = {
        "name": trigger.name,
        "description": trigger.description,
        "definition": trigger.definition,
    }
    field = next((key for key, value in fields.items() if _holds_surrogate(value)), None)
    if field is not None:
        return (
            f"its {field} holds a lone surrogate, which is not Unicode text and which YAML "
            "cannot hold"
        )
    if deeper_than(trigger.definition, MAX_DEFINITION_DEPTH):
        return (
            f"its definition nests deeper than {MAX_DEFINITION_DEPTH} levels, more than a "
            f"configuration file may ({CONFIG_MAX_DEPTH} levels from its top)"
        )
    if trigger.definition is not None:
        # Zendesk may hold a shape that no configuration can (validate refuses it): written,
        # the file would stop every later plan, so the trigger is named instead.
        broken = next((p for p in check_definition(trigger.definition) if p.is_error), None)
        if broken is not None:
            where = f"definition.{broken.where}" if broken.path else "definition"
            return f"its {where} cannot be read as configuration: {broken.message}"
    return None


def _holds_surrogate(value: Any) -> bool:
    # A walk with a stack, not recursion: a live definition may nest beyond the recursion
    # limit.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
    return False


def modeline(target_dir: Path) -> str:
    """The yaml-language-server modeline, relative to the schema of the repository export runs
    in (`triggersync schema --out schemas/` puts one there). Without one, no modeline: a path
    into the installation that runs the export would be wrong on every other machine, and the
    schema has no address on the web that an editor could fetch."""
    schema = Path.cwd() / SCHEMA_RELPATH
    if not schema.exists():
        return ""
    try:
        ref = os.path.relpath(schema, target_dir.resolve())
    except ValueError:  # another drive on Windows
        ref = str(schema)
    return f"# yaml-language-server: $schema={Path(ref).as_posix()}\n"


def to_yaml(triggers: Sequence[Trigger], target_dir: Path | None = None) -> str:
    """A configuration file of the triggers, in fmt's layout (docs/configuration.md#layout),
    so that an exported file is fmt-clean."""
    return canonical.canonical_text(modeline(target_dir or Path.cwd()) + _documents(triggers))


def _documents(triggers: Sequence[Trigger], *, ordered: bool = True) -> str:
    listed = sorted(triggers, key=lambda t: t.name) if ordered else triggers
    return _dump(lambda: {"triggers": [trigger_document(t) for t in listed]}, flow=False)


# A file name's stem stays well under the 255 bytes file systems allow, leaving room for a
# collision suffix and `.yaml`.
MAX_STEM_BYTES = 100


def file_stem(name: str) -> str:
    """A readable file name for a trigger: its letters and digits, lowercase, joined by `-`.

    Accents are dropped, not the letters that carry them (`Café Bäckerei` → `cafe-backerei`:
    each letter decomposed, NFKD, and its marks left out). A name with no Latin letters keeps
    its own letters (`Привет мир` → `привет-мир`); one with none at all (only symbols or
    emoji) gets `trigger-` and a short hash of the name, the same on every export. A stem
    longer than MAX_STEM_BYTES is cut and ends with a hash of the whole name.
    """
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    stem = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()
    if not stem:
        words = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", name)).strip("-")
        stem = words.casefold()
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
    if not stem:
        return "trigger-" + digest[:8]
    if len(stem.encode()) <= MAX_STEM_BYTES:
        return stem
    # Cut, with a hash of the whole name, so that two long names alike in their first
    # hundred bytes still get two files.
    return f"{_cut(stem, MAX_STEM_BYTES - 13)}-{digest[:12]}"


def _cut(stem: str, limit: int) -> str:
    """At most `limit` UTF-8 bytes, cut after a whole word when one ends past half of it."""
    if len(stem.encode()) <= limit:
        return stem
    cut = stem.encode()[:limit].decode("utf-8", "ignore")
    word_end = cut.rfind("-")
    return cut[:word_end] if word_end > len(cut) // 2 else cut.rstrip("-")


def write_directory(triggers: Sequence[Trigger], directory: Path) -> list[Path]:
    """One file per trigger, names made unique when two triggers slug alike.

    All or nothing: every file is written first into a hidden folder beside `directory` (a
    folder configuration discovery skips), and only moved into place once all are complete,
    so a failure or an interrupt midway never leaves a half-written export behind. A new
    folder is moved in whole; into an existing one each file is moved, replacing its earlier
    version.

    Returns the files written. A folder that already holds configuration is not written
    here: adopt updates it in place (config/adopt.py), so no trigger is declared twice.
    """
    # Made with mkdir, not mkdtemp, so a new export folder gets the usual permissions.
    staging = directory.parent / f".{directory.name}.export-{secrets.token_hex(4)}"
    try:
        staging.mkdir(parents=True)
    except OSError as exc:
        raise TriggersyncError(f"cannot create {directory}: {exc.strerror}") from None
    try:
        names = _write_files(triggers, staging, modeline(directory))
        if directory.is_dir():
            for name in names:
                os.replace(staging / name, directory / name)
            staging.rmdir()
        else:
            os.rename(staging, directory)
    except BaseException as exc:  # a failed write, a trigger YAML cannot hold, or Ctrl-C
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise TriggersyncError(f"cannot write {directory}: {exc.strerror}") from None
        raise
    return [directory / name for name in names]


def file_names(triggers: Sequence[Trigger]) -> list[tuple[Trigger, str]]:
    """Each trigger with its file name, in the order of the triggers' names."""
    named: list[tuple[Trigger, str]] = []
    used: set[str] = set()
    for trigger in sorted(triggers, key=lambda t: t.name):
        stem = file_stem(trigger.name)
        candidate, n = stem, 2
        while candidate in used:
            candidate, n = f"{stem}-{n}", n + 1
        used.add(candidate)
        named.append((trigger, f"{candidate}.yaml"))
    return named


def _write_files(triggers: Sequence[Trigger], folder: Path, head: str) -> list[str]:
    """Each trigger's file in `folder`; the file names, in the order of the triggers' names."""
    names: list[str] = []
    for trigger, name in file_names(triggers):
        names.append(name)
        text = canonical.canonical_text(head + _documents([trigger]))
        (folder / name).write_text(text, encoding="utf-8")
    return names
