"""How the API's answers are read: a wrong shape, an HTML page or garbage is one clear error
naming the call."""

from __future__ import annotations

import pytest
from api_clients import canned
from canned_http import Canned

from triggersync.errors import ApiError, TransportError


def test_an_html_error_page_is_reported_as_text() -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    with (
        canned(Canned(502, page, {"Content-Type": "text/html"})) as (client, _),
        pytest.raises(ApiError, match="502 Bad Gateway"),
    ):
        client.list()


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Canned(200, b"<html>login</html>", {"Content-Type": "text/html"}), "not JSON"),
        (Canned(200, b'[{"name": "T", "definition": {"x": NaN}}]'), "not JSON"),
        (Canned(200, b'[{"name": "T", "definition": {"x": Infinity}}]'), "not JSON"),
        (Canned(200, b'[{"name": "T", "definition": {"x": -Infinity}}]'), "not JSON"),
        (
            Canned(200, b'[{"name": "T", "definition": {"x": 1e400}}]'),
            r"GET /triggers: the answer is not JSON \(a number beyond the range of a double",
        ),
        (Canned(200, b'[{"name": "T", "definition": {"x": -1e400}}]'), "not JSON"),
        (Canned(200, b'{"triggers": []}'), "GET /triggers: expected a JSON array"),
        (Canned(200, b"[1, 2]"), "GET /triggers: expected a trigger object"),
        (Canned(200, b'[{"description": "no name"}]'), "GET /triggers: malformed trigger"),
        (Canned(200, b'[{"name": "x", "enabled": 7}]'), "GET /triggers: malformed trigger"),
        (Canned(200, b'[{"name": "x"}, {"name": "x"}]'), "GET /triggers: .* appears twice"),
    ],
    ids=[
        "html",
        "nan",
        "infinity",
        "minus-infinity",
        "out-of-range",
        "minus-out-of-range",
        "object",
        "numbers",
        "no-name",
        "enabled-7",
        "a-name-twice",
    ],
)
def test_a_list_answer_that_is_not_a_list_of_triggers_is_a_transport_error(
    answer: Canned, error: str
) -> None:
    with canned(answer) as (client, _), pytest.raises(TransportError, match=error):
        client.list()


def test_an_answer_of_millions_of_tiny_values_is_refused_before_it_is_parsed() -> None:
    # 4,000,001 `{}`: 12 MB of text that would take ~0.4 GB parsed (63 MiB of it, 1.7 GB).
    body = b"[" + b",".join([b"{}"] * 2_000_001) + b"]"
    with (
        canned(Canned(200, body)) as (client, _),
        pytest.raises(TransportError) as caught,
    ):
        client.list()
    assert str(caught.value) == (
        "GET /triggers: the answer holds over 4000000 JSON values, more than triggersync reads "
        "(about 190,000 triggers)"
    )
