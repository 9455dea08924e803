"""The emulator's HTTP API over real loopback HTTP, endpoint by endpoint and error by error."""

from __future__ import annotations

import base64
import socket
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
import requests

from triggersync.emulator.server import Emulator

DEFINITION = {"event": "chat_requested", "condition": ["and"], "actions": [["addTag", "x"]]}
# As the emulator stores DEFINITION: with the metadata it stamps on what it creates.
STAMPED = {**DEFINITION, "version": 1, "editor": "developer"}
ODD_NAMES = ["with space", "a/b", "100%", "why?", "#1", "Café ☕ 日本", "a%2Fb", "+plus+"]


def item(base: str, name: str) -> str:
    return f"{base}/triggers/{quote(name, safe='')}"


@pytest.fixture(params=["url", "legacy_url"])
def base(request: pytest.FixtureRequest, emulator: Emulator) -> str:
    """Both path layouts: /api/v2/chat (current host) and /api/v2 (the API document)."""
    url: str = getattr(emulator, request.param)
    return url


def test_list_starts_empty(emulator_session: requests.Session, base: str) -> None:
    response = emulator_session.get(f"{base}/triggers")
    assert response.status_code == 200
    assert response.json() == []


def test_create_returns_201_with_the_object(emulator_session: requests.Session, base: str) -> None:
    body = {"name": "Good Trigger", "enabled": 1, "description": "Visitor requested chat"}
    response = emulator_session.post(f"{base}/triggers", json=body)
    assert response.status_code == 201
    assert response.json() == {**body, "id": 1}


def test_show_returns_the_object(emulator: Emulator, emulator_session: requests.Session) -> None:
    emulator.store.create({"name": "T", "definition": DEFINITION})
    response = emulator_session.get(item(emulator.url, "T"))
    assert response.status_code == 200
    expected = {"id": 1, "name": "T", "description": "", "enabled": 1, "definition": STAMPED}
    assert response.json() == expected


def test_list_is_ordered_by_id(emulator: Emulator, emulator_session: requests.Session) -> None:
    for name in ("b", "a", "c"):
        emulator.store.create({"name": name})
    names = [t["name"] for t in emulator_session.get(f"{emulator.url}/triggers").json()]
    assert names == ["b", "a", "c"]


def test_update_returns_200_with_the_object(
    emulator: Emulator, emulator_session: requests.Session, base: str
) -> None:
    emulator.store.create({"name": "Good Trigger", "description": "old", "enabled": 1})
    body = {"name": "Best Trigger", "description": "Visitor requested new chat"}
    response = emulator_session.put(item(base, "Good Trigger"), json=body)
    assert response.status_code == 200
    assert response.json() == {**body, "id": 1, "enabled": 1}


def test_delete_returns_204_with_an_empty_body(
    emulator: Emulator, emulator_session: requests.Session, base: str
) -> None:
    emulator.store.create({"name": "T"})
    response = emulator_session.delete(item(base, "T"))
    assert response.status_code == 204
    assert response.content == b""
    assert emulator.store.list() == []


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_unknown_name_is_404(emulator: Emulator, emulator_session: requests.Session, method: str):
    response = emulator_session.request(method, item(emulator.url, "nope"), json={})
    assert response.status_code == 404
    assert "nope" in response.json()["error"]


@pytest.mark.parametrize(
    "auth",
    [None, ("demo@example.com", "wrong"), ("someone@example.com", "demo-password")],
    ids=["none", "wrong-password", "wrong-email"],
)
def test_bad_basic_credentials_are_401(emulator: Emulator, auth: tuple[str, str] | None) -> None:
    with requests.Session() as session:
        session.trust_env = False
        response = session.get(f"{emulator.url}/triggers", auth=auth)
    assert response.status_code == 401
    assert "error" in response.json()


@pytest.mark.parametrize("header", ["Bearer wrong-token", "Bearer ", "Basic !!!", "Token x"])
def test_bad_authorization_headers_are_401(emulator: Emulator, header: str) -> None:
    with requests.Session() as session:
        session.trust_env = False
        response = session.get(f"{emulator.url}/triggers", headers={"Authorization": header})
    assert response.status_code == 401


def test_static_bearer_token_is_accepted(emulator: Emulator) -> None:
    with requests.Session() as session:
        session.trust_env = False
        headers = {"Authorization": f"Bearer {emulator.credentials.token}"}
        response = session.get(f"{emulator.url}/triggers", headers=headers)
    assert response.status_code == 200


def test_duplicate_name_on_create_is_400(emulator: Emulator, emulator_session: requests.Session):
    emulator.store.create({"name": "T"})
    response = emulator_session.post(f"{emulator.url}/triggers", json={"name": "T"})
    assert response.status_code == 400
    assert "already exists" in response.json()["error"]


def test_duplicate_name_on_rename_is_400(emulator: Emulator, emulator_session: requests.Session):
    emulator.store.create({"name": "A"})
    emulator.store.create({"name": "B"})
    response = emulator_session.put(item(emulator.url, "A"), json={"name": "B"})
    assert response.status_code == 400
    assert [t["name"] for t in emulator.store.list()] == ["A", "B"]


@pytest.mark.parametrize("data", [b"{not json", b"", b"\xff\xfe", b'{"name": NaN}'])
def test_non_json_body_is_400(emulator: Emulator, emulator_session: requests.Session, data: bytes):
    headers = {"Content-Type": "application/json"}
    response = emulator_session.post(f"{emulator.url}/triggers", data=data, headers=headers)
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]


@pytest.mark.parametrize("body", [b"[]", b'"T"', b"1", b"null"])
def test_non_object_body_is_400(
    emulator: Emulator, emulator_session: requests.Session, body: bytes
) -> None:
    emulator.store.create({"name": "T"})
    headers = {"Content-Type": "application/json"}
    for response in (
        emulator_session.post(f"{emulator.url}/triggers", data=body, headers=headers),
        emulator_session.put(item(emulator.url, "T"), data=body, headers=headers),
    ):
        assert response.status_code == 400
        assert "object" in response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": 3},
        {"name": "T", "enabled": "yes"},
        {"name": "T", "definition": 1},
    ],
)
def test_bad_fields_on_create_are_400(
    emulator: Emulator, emulator_session: requests.Session, body: dict[str, object]
) -> None:
    response = emulator_session.post(f"{emulator.url}/triggers", json=body)
    assert response.status_code == 400
    assert emulator.store.list() == []


def test_put_of_a_different_definition_is_400(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator.store.create({"name": "T", "definition": DEFINITION})
    changed = {**DEFINITION, "event": "chat_ended"}
    response = emulator_session.put(item(emulator.url, "T"), json={"definition": changed})
    assert response.status_code == 400
    assert "definition" in response.json()["error"]
    assert (emulator.store.get("T") or {})["definition"] == STAMPED


def test_a_definition_whose_action_is_not_a_list_is_400(
    emulator_session: requests.Session, base: str
) -> None:
    body = {"name": "T", "definition": {**DEFINITION, "actions": ["addTag"]}}
    response = emulator_session.post(f"{base}/triggers", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "error": "definition.actions[0]: an action is a list that starts with its name "
        "(e.g. ['addTag', 'vip']), got \"addTag\""
    }


def test_put_of_the_identical_definition_is_200(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator.store.create({"name": "T", "definition": DEFINITION})
    body = {"definition": DEFINITION, "description": "new"}
    response = emulator_session.put(item(emulator.url, "T"), json=body)
    assert response.status_code == 200
    assert response.json()["description"] == "new"


def test_id_in_a_body_is_ignored(emulator: Emulator, emulator_session: requests.Session) -> None:
    created = emulator_session.post(f"{emulator.url}/triggers", json={"name": "T", "id": 42})
    updated = emulator_session.put(item(emulator.url, "T"), json={"id": 7, "enabled": 0})
    assert created.json()["id"] == 1
    assert updated.json()["id"] == 1


def test_put_with_null_name_keeps_the_name(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator.store.create({"name": "T"})
    response = emulator_session.put(item(emulator.url, "T"), json={"name": None, "enabled": 0})
    assert response.status_code == 200
    assert response.json()["name"] == "T"


def test_put_is_partial(emulator: Emulator, emulator_session: requests.Session) -> None:
    emulator.store.create({"name": "T", "description": "kept", "enabled": 1})
    response = emulator_session.put(item(emulator.url, "T"), json={"enabled": False})
    assert response.json() == {"id": 1, "name": "T", "description": "kept", "enabled": 0}


def test_extra_fields_are_preserved(emulator: Emulator, emulator_session: requests.Session) -> None:
    emulator.store.create({"name": "T", "departments": [3], "position": 2})
    emulator_session.put(item(emulator.url, "T"), json={"description": "changed"})
    listed = emulator_session.get(f"{emulator.url}/triggers").json()
    assert listed[0]["departments"] == [3]
    assert listed[0]["position"] == 2


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_names_round_trip(emulator: Emulator, emulator_session: requests.Session, name: str):
    created = emulator_session.post(f"{emulator.url}/triggers", json={"name": name})
    shown = emulator_session.get(item(emulator.url, name))
    updated = emulator_session.put(item(emulator.url, name), json={"description": "d"})
    deleted = emulator_session.delete(item(emulator.url, name))
    assert (created.status_code, shown.status_code) == (201, 200)
    assert (updated.status_code, deleted.status_code) == (200, 204)
    assert shown.json()["name"] == name
    assert updated.json()["name"] == name


def test_query_string_is_ignored(emulator: Emulator, emulator_session: requests.Session) -> None:
    emulator.store.create({"name": "T"})
    response = emulator_session.get(f"{emulator.url}/triggers/T?include=all")
    assert response.json()["name"] == "T"


def test_trailing_slash_on_the_collection(emulator_session: requests.Session, base: str) -> None:
    assert emulator_session.get(f"{base}/triggers/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/", "/api/v2", "/api/v2/trigger", "/api/v3/triggers", "/api/v2/triggers/a/b"]
)
def test_unknown_path_is_404_json(
    emulator: Emulator, emulator_session: requests.Session, path: str
) -> None:
    response = emulator_session.get(f"{emulator.origin}{path}")
    assert response.status_code == 404
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", "/api/v2/chat/triggers/T"),
        ("DELETE", "/api/v2/chat/triggers"),
        ("PUT", "/api/v2/triggers"),
        ("GET", "/oauth2/token"),
    ],
)
def test_unsupported_method_is_405(
    emulator: Emulator, emulator_session: requests.Session, method: str, path: str
) -> None:
    response = emulator_session.request(method, f"{emulator.origin}{path}")
    assert response.status_code == 405
    assert response.headers["Allow"]


def test_name_that_is_not_utf8_is_400(emulator: Emulator, emulator_session: requests.Session):
    response = emulator_session.get(f"{emulator.url}/triggers/%FF")
    assert response.status_code == 400


def test_body_over_one_mebibyte_is_413(emulator: Emulator, emulator_session: requests.Session):
    body = {"name": "T", "description": "x" * (1 << 20)}
    response = emulator_session.post(f"{emulator.url}/triggers", json=body)
    assert response.status_code == 413
    assert emulator.store.list() == []


def test_chunked_body_is_refused_with_411(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    response = emulator_session.post(f"{emulator.url}/triggers", data=iter([b'{"name": "T"}']))
    assert response.status_code == 411


def test_keep_alive_serves_many_requests_on_one_connection(emulator: Emulator) -> None:
    userpass = f"{emulator.credentials.email}:{emulator.credentials.password}"
    auth = "Basic " + base64.b64encode(userpass.encode()).decode()
    request = (
        f"GET /api/v2/chat/triggers HTTP/1.1\r\nHost: 127.0.0.1:{emulator.port}\r\n"
        f"Authorization: {auth}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=10) as sock:
        sock.sendall(request * 3)
        received = b""
        while received.count(b"HTTP/1.1 200") < 3:
            chunk = sock.recv(65536)
            assert chunk, "the server closed a keep-alive connection"
            received += chunk
    assert received.count(b"HTTP/1.1 200") == 3


def test_stats_count_requests_per_endpoint(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator_session.post(f"{emulator.url}/triggers", json={"name": "T"})
    emulator_session.get(f"{emulator.url}/triggers")
    emulator_session.get(item(emulator.url, "T"))
    stats = emulator_session.get(emulator.stats_url).json()  # with the API's credentials
    assert stats == emulator.stats()
    assert (stats["create"], stats["list"], stats["show"], stats["total"]) == (1, 1, 1, 3)


def test_reset_stats_zeroes_the_counters(
    emulator: Emulator, emulator_session: requests.Session
) -> None:
    emulator_session.get(f"{emulator.url}/triggers")
    emulator.reset_stats()
    assert emulator.stats()["total"] == 0


def test_fifty_concurrent_creates_get_unique_ids(emulator: Emulator) -> None:
    def create(index: int) -> requests.Response:
        with requests.Session() as session:
            session.trust_env = False
            auth = (emulator.credentials.email, emulator.credentials.password)
            body = {"name": f"Trigger {index}"}
            return session.post(f"{emulator.url}/triggers", json=body, auth=auth, timeout=30)

    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(create, range(50)))
    assert [r.status_code for r in responses] == [201] * 50
    assert sorted(r.json()["id"] for r in responses) == list(range(1, 51))
    assert len(emulator.store.list()) == 50


def token_request(emulator: Emulator, **form: str) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        return session.post(emulator.token_url, data=form, timeout=10)


def test_oauth_token_is_usable_as_bearer(emulator: Emulator) -> None:
    response = token_request(
        emulator,
        grant_type="client_credentials",
        client_id=emulator.credentials.client_id,
        client_secret=emulator.credentials.client_secret,
        scope="read write",
    )
    assert response.status_code == 200
    issued = response.json()
    assert (issued["token_type"], issued["scope"]) == ("Bearer", "read write")
    assert issued["expires_in"] > 0
    with requests.Session() as session:
        session.trust_env = False
        headers = {"Authorization": f"Bearer {issued['access_token']}"}
        assert session.get(f"{emulator.url}/triggers", headers=headers).status_code == 200


@pytest.mark.parametrize(
    "client",
    [
        {"client_id": "demo-client", "client_secret": "wrong"},
        {"client_id": "other", "client_secret": "demo-secret"},
        {"client_id": "demo-client"},
    ],
    ids=["wrong-secret", "wrong-id", "no-secret"],
)
def test_oauth_bad_client_is_401(emulator: Emulator, client: dict[str, str]) -> None:
    response = token_request(emulator, grant_type="client_credentials", **client)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


@pytest.mark.parametrize("form", [{"grant_type": "password"}, {}], ids=["password", "none"])
def test_oauth_wrong_grant_is_400(emulator: Emulator, form: dict[str, str]) -> None:
    response = token_request(emulator, client_id="demo-client", client_secret="demo-secret", **form)
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type"}


def test_unreadable_token_form_is_400(emulator: Emulator) -> None:
    with requests.Session() as session:
        session.trust_env = False
        response = session.post(emulator.token_url, data=b"\xff=\xfe", timeout=10)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request"}


@pytest.mark.parametrize("length", ["abc", "-5"])
def test_invalid_content_length_is_400(emulator: Emulator, length: str) -> None:
    host = f"127.0.0.1:{emulator.port}"
    request = f"POST /api/v2/triggers HTTP/1.1\r\nHost: {host}\r\nContent-Length: {length}\r\n\r\n"
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=10) as sock:
        sock.sendall(request.encode())
        received = b""
        while chunk := sock.recv(65536):  # the server closes: the framing is lost
            received += chunk
    assert received.startswith(b"HTTP/1.1 400 ")


def test_unexpected_failure_is_a_json_500(
    emulator: Emulator, emulator_session: requests.Session, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.store.close()  # every query now raises sqlite3.ProgrammingError
    response = emulator_session.get(f"{emulator.url}/triggers")
    assert response.status_code == 500
    assert response.json() == {"error": "internal emulator error"}
    assert "unexpected failure handling GET /api/v2/chat/triggers" in caplog.text


def test_an_emulator_starts_only_once(emulator: Emulator) -> None:
    with pytest.raises(RuntimeError):
        emulator.start()


def test_busy_port_raises_and_closes_the_store(emulator: Emulator) -> None:
    second = Emulator(port=emulator.port)
    with pytest.raises(OSError, match="in use"):
        second.start()
    second.stop()  # still safe after a failed start


def test_ipv6_loopback_is_served() -> None:
    with Emulator(host="::1").start() as em, requests.Session() as session:
        session.trust_env = False
        assert em.url.startswith("http://[::1]:")
        auth = (em.credentials.email, em.credentials.password)
        assert session.get(f"{em.url}/triggers", auth=auth, timeout=10).status_code == 200
