"""The top level's fast path agrees with jsonschema, and spares its import when all is well."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from triggersync.config import schema

_value = st.none() | st.booleans() | st.integers() | st.text(max_size=3)
_top = st.dictionaries(
    st.sampled_from(["ignore", "triggers", "other"]),
    st.lists(_value, max_size=3) | _value,
    max_size=3,
)


@given(_top)
def test_top_level_fast_path_never_accepts_what_jsonschema_rejects(doc: dict[str, Any]) -> None:
    doc = {**doc, "triggers": []}
    assert schema.check(doc) == schema._problems(schema.validator(), doc, ())


def test_a_valid_file_never_imports_jsonschema() -> None:
    script = (
        "import sys\n"
        "from triggersync.config import schema\n"
        "doc = {'ignore': ['Legacy *'], 'triggers': [{'name': 'A', 'enabled': True}]}\n"
        "assert schema.check(doc) == []\n"
        "assert 'jsonschema' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
