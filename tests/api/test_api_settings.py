"""Near misses among the TRIGGERSYNC_* variables (api/settings.py)."""

from __future__ import annotations

import pytest

from triggersync.api.settings import KNOWN_VARIABLES, near_misses


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("TRIGGERSYNC_API_TOKEN", "TRIGGERSYNC_TOKEN"),
        ("TRIGGERSYNC_SUBDOMIAN", "TRIGGERSYNC_SUBDOMAIN"),
        ("TRIGGERSYNC_APIURL", "TRIGGERSYNC_API_URL"),
        ("TRIGGERSYNC_PASS", "TRIGGERSYNC_PASSWORD"),
        ("TRIGGERSYNC_CLIENTID", "TRIGGERSYNC_CLIENT_ID"),
    ],
)
def test_a_near_miss_suggests_the_variable_meant(name: str, meant: str) -> None:
    assert list(near_misses({name: "x"})) == [
        f"{name} is not a variable triggersync reads (did you mean {meant}?)"
    ]


@pytest.mark.parametrize(
    "env",
    [
        {"TRIGGERSYNC_TOKEN": "t", "TRIGGERSYNC_PROD_TOKEN": "p"},  # one's own, beside the real
        {"TRIGGERSYNC_FOO": "x"},  # close to nothing
        {"NOT_TRIGGERSYNC_TOKN": "x"},  # another tool's
        dict.fromkeys(KNOWN_VARIABLES, "x"),
    ],
    ids=["beside-the-real-one", "far", "other-prefix", "all-known"],
)
def test_no_warning(env: dict[str, str]) -> None:
    assert list(near_misses(env)) == []
