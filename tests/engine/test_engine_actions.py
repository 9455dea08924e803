"""The action table: one entry per action, and categories that every entry fills."""

from __future__ import annotations

from typing import get_args

from triggersync.engine.actions import ACTIONS, COUNTED, DRIFTED, PAST, Action


def test_the_table_has_one_entry_per_action() -> None:
    assert sorted(ACTIONS) == sorted(get_args(Action))
    assert all(action == kind.action for action, kind in ACTIONS.items())


def test_the_summary_counts_every_kind_some_action_counts_as() -> None:
    assert {item for kind in ACTIONS.values() for item in kind.counts_as} == set(COUNTED)
    assert set(PAST) == set(COUNTED)


def test_drift_words_every_action_in_one_of_its_three_categories() -> None:
    assert {kind.drifted for kind in ACTIONS.values()} == set(DRIFTED)
