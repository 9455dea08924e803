"""Fuzzing where untrusted input enters: only the documented error may come out.

The loader turns any bytes into a Config or a ConfigError (plan files: see
tests/engine/test_engine_planfile_fuzz.py). Anything else (a KeyError, a RecursionError, a
TypeError from a hash of a list...) is a bug that would reach the user as a traceback.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triggersync.config import files as config
from triggersync.errors import ConfigError

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

YAML_BITS = [
    "triggers:", "ignore:", "- ", "name: ", "description: ", "enabled: ", "definition: ",
    "renamed_from: ", "id: ", "event: ", "condition: ", "actions: ", "&a ", "*a", "<<: ",
    "!!str ", "!!python/object:os.system ", "!!binary ", "[", "]", "{", "}", ", ", ": ", "\n",
    "  ", "\t", "'", '"', "#", "|", ">", "---\n", "...\n", "~", "true", "0", "1.5", "yes",
    "${X}", "$${X}", "\\", "\x00", "\x85", "\ufeff", "é", "🚀", "%YAML 1.1\n", "? ",
]  # fmt: skip
yamlish = st.lists(st.sampled_from(YAML_BITS), max_size=40).map("".join)


def load_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        issues: tuple[Any, ...] = ()
        try:
            config.load([str(path)])
        except ConfigError as exc:
            issues = exc.problems or (None,)
        # An error always says where: in this file, and nowhere else.
        assert all(
            issue is not None and issue.location is not None and issue.location.file == str(path)
            for issue in issues
        )


@FUZZ
@given(st.binary(max_size=2000))
def test_the_loader_takes_any_bytes(data: bytes) -> None:
    load_bytes(data)


@FUZZ
@given(yamlish)
def test_the_loader_takes_any_yamlish_text(text: str) -> None:
    load_bytes(text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(
    st.lists(
        st.fixed_dictionaries(
            {"name": st.text(max_size=20)},
            optional={
                "description": st.one_of(st.text(max_size=10), st.integers(), st.none()),
                "enabled": st.one_of(st.booleans(), st.integers(-1, 2), st.text(max_size=3)),
                "definition": st.recursive(
                    st.one_of(st.none(), st.integers(), st.text(max_size=5)),
                    lambda inner: (
                        st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
                    ),
                    max_leaves=8,
                ),
                "renamed_from": st.one_of(st.text(max_size=10), st.integers()),
                "id": st.integers(),
            },
        ),
        max_size=4,
    )
)
def test_the_loader_takes_any_trigger_list(triggers: list[dict[str, Any]]) -> None:
    load_bytes(json.dumps({"triggers": triggers}).encode())  # JSON is YAML
