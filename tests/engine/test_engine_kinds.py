"""The table of change kinds: one entry per kind, and categories that every entry fills."""

from __future__ import annotations

from typing import get_args

from triggersync.engine.kinds import CHANGE_KINDS, COUNTED, DRIFTED, PAST, ChangeKind


def test_the_table_has_one_entry_per_change_kind() -> None:
    assert sorted(CHANGE_KINDS) == sorted(get_args(ChangeKind))
    assert all(action == kind.action for action, kind in CHANGE_KINDS.items())


def test_the_summary_counts_every_kind_some_change_kind_counts_as() -> None:
    assert {item for kind in CHANGE_KINDS.values() for item in kind.counts_as} == set(COUNTED)
    assert set(PAST) == set(COUNTED)


def test_drift_words_every_change_kind_in_one_of_its_three_categories() -> None:
    assert {kind.drifted for kind in CHANGE_KINDS.values()} == set(DRIFTED)
