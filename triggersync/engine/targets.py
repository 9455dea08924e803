"""`--target NAME`: which triggers a run considers (docs/commands.md, "Targets").

A target is a glob (fnmatch, case-sensitive, as `ignore` globs are) on trigger names, live or
declared, and it always matches the name it spells exactly: `--target "Sales [EU]"` names the
trigger "Sales [EU]", which as a glob alone it would not (`[EU]` is a class of one letter).
A declared trigger is in scope when its name, or the name it is `renamed_from`, matches; a live
trigger when its name matches, or when it is the old name or the leftover
temporary copy of a declared trigger in scope: a rename or an unfinished replacement is one
change, never half of one. Everything out of scope is invisible to the plan, pruning included,
so a targeted plan never deletes a trigger no target names.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from triggersync.engine.model import Trigger
from triggersync.engine.plan import Targeting, temporary_name


def matches(name: str, globs: Sequence[str]) -> bool:
    """Whether a name is in scope: every name is when there are no globs."""
    return not globs or any(_match(name, glob) for glob in globs)


def _match(name: str, glob: str) -> bool:
    return name == glob or fnmatch.fnmatchcase(name, glob)


@dataclass(frozen=True)
class Scoped:
    """The two sides of a plan narrowed to the targets, and the record of it."""

    desired: tuple[Trigger, ...]
    live: tuple[Trigger, ...]
    targeting: Targeting | None


def narrow(
    desired: Sequence[Trigger],
    live: Sequence[Trigger],
    globs: Sequence[str],
    *,
    owned: Iterable[str],
) -> Scoped:
    """Both sides as the targets see them; without globs, both sides whole.

    `owned` names the live triggers the configuration owns (for the count only: ignored live
    triggers are no part of what a plan could target).
    """
    if not globs:
        return Scoped(tuple(desired), tuple(live), None)
    picked = tuple(
        want
        for want in desired
        if matches(want.name, globs)
        or (want.renamed_from is not None and matches(want.renamed_from, globs))
    )
    companions = {temporary_name(want.name) for want in picked}
    companions.update(want.renamed_from for want in picked if want.renamed_from is not None)
    seen = tuple(have for have in live if matches(have.name, globs) or have.name in companions)
    everything = {want.name for want in desired} | set(owned)
    selected = {want.name for want in picked} | ({have.name for have in seen} & everything)
    return Scoped(picked, seen, Targeting(tuple(globs), len(selected), len(everything)))


def unmatched(globs: Sequence[str], names: Iterable[str]) -> list[str]:
    """The globs that match none of the names: most likely a typo."""
    every = list(names)
    return [glob for glob in globs if not any(_match(n, glob) for n in every)]
