"""Whatever the emulator accepts, the tool can take over: `export`, then `validate` and `plan`
of what it wrote, shows no change (docs/language.md#checks: never stricter than the API).

Triggers are made as a person or a script would make them, by POSTing JSON to a real emulator
(which stamps `version` and `editor` on each definition, as Zendesk may); the real CLI then
exports them to a file, validates it and plans it against the same emulator. Some of the
definitions offered have shapes no trigger can hold: the emulator must refuse those, or the
round trip fails at `validate`.
"""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import requests
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from triggersync.cli.main import cli
from triggersync.emulator.server import Emulator
from triggersync.engine.plan import TEMPORARY_SUFFIX
from triggersync.language.vocabulary import EVENTS, OPERATORS, TRIGGER_ACTIONS, VARIABLES

# Each example starts an emulator and runs three commands: kept few, so the suite stays fast.
ROUND_TRIPS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

text = st.text(max_size=12)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)),
    max_leaves=6,
)

GROUPS = ("and", "or", "not")
operators = st.one_of(
    st.sampled_from(sorted(set(OPERATORS) - set(GROUPS))),
    text.filter(lambda name: name not in GROUPS),
)
variables = st.one_of(st.sampled_from(sorted(VARIABLES)), text)
# A condition: a group of conditions, or an operator followed by any operands.
conditions = st.recursive(
    st.one_of(
        st.tuples(operators, variables, scalars).map(list),
        st.tuples(operators, st.lists(json_values, max_size=2)).map(lambda t: [t[0], *t[1]]),
        st.just(["firedBefore"]),
        st.just([]),
    ),
    lambda inner: st.tuples(st.sampled_from(GROUPS), st.lists(inner, max_size=3)).map(
        lambda t: [t[0], *t[1]]
    ),
    max_leaves=5,
)
actions = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(sorted(TRIGGER_ACTIONS)), text), st.lists(json_values, max_size=3)
    ).map(lambda t: [t[0], *t[1]]),
    max_size=3,
)
definitions = st.fixed_dictionaries(
    {},
    optional={
        "event": st.one_of(st.sampled_from(sorted(EVENTS)), scalars),
        "condition": st.one_of(conditions, st.none()),
        "actions": st.one_of(actions, st.none()),
        "version": scalars,
        "editor": scalars,
        "extra": json_values,
    },
)
# Anything at all under the three keys: mostly what no trigger can hold, which the emulator
# must refuse for the property to hold.
raw_definitions = st.dictionaries(st.sampled_from(["event", "condition", "actions"]), json_values)

triggers = st.fixed_dictionaries(
    {"name": st.text(min_size=1, max_size=20).filter(lambda n: not n.endswith(TEMPORARY_SUFFIX))},
    optional={
        "description": st.one_of(st.none(), text),
        "enabled": st.sampled_from([0, 1, True, False]),
        "definition": st.one_of(st.none(), definitions, definitions, raw_definitions),
    },
)
accounts = st.lists(triggers, min_size=1, max_size=3, unique_by=lambda t: t["name"])


def cli_run(env: dict[str, str], *args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a bug
    return result


@ROUND_TRIPS
@given(account=accounts)
def test_whatever_the_emulator_accepts_exports_validates_and_plans_no_changes(
    account: list[dict[str, Any]],
) -> None:
    with Emulator(port=0) as emulator, TemporaryDirectory() as folder, requests.Session() as http:
        http.trust_env = False
        http.auth = (emulator.credentials.email, emulator.credentials.password)
        for trigger in account:
            made = http.post(f"{emulator.url}/triggers", json=trigger, timeout=30)
            assume(made.status_code == 201)  # only what it accepts is the API's to hold
        env = {
            "TRIGGERSYNC_API_URL": emulator.url,
            "TRIGGERSYNC_EMAIL": emulator.credentials.email,
            "TRIGGERSYNC_PASSWORD": emulator.credentials.password,
            "NO_COLOR": "1",
        }
        exported = str(Path(folder) / "live.yaml")
        ran = cli_run(env, "export", "--out", exported)
        assert ran.exit_code == 0, ran.stderr
        ran = cli_run(env, "validate", exported)
        assert ran.exit_code == 0, ran.stderr + ran.stdout
        ran = cli_run(env, "plan", exported)
        assert (ran.exit_code, ran.stdout) == (0, "No changes.\n"), ran.stderr
