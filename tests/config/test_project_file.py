"""The project file: accounts and settings read, every problem at its file:line:col, and a
secret written where a variable's name belongs refused without being shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from triggersync.config import load as load_config
from triggersync.config import load_vars, project
from triggersync.errors import ConfigError

TWO_ACCOUNTS = """\
accounts:
  production:
    subdomain: acme
    paths: [triggers/common, triggers/production]
    vars: vars/production.yaml
    credentials:
      client_id: ACME_CLIENT_ID
      client_secret: ACME_CLIENT_SECRET
  staging:
    api_url: http://127.0.0.1:8080/api/v2/chat
    paths: [triggers/common]
    credentials: {token: STAGING_TOKEN}
strict: true
rules: {ignore: [TS201]}
"""


ACCOUNT = "accounts:\n  a:\n    subdomain: acme\n    paths: [t]\n"


def _write(tmp_path: Path, text: str, name: str = "triggersync.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        project.load_project_file(path)
    return [str(problem) for problem in caught.value.problems]


def test_accounts_are_read_in_file_order_with_paths_from_the_files_folder(
    tmp_path: Path,
) -> None:
    loaded = project.load_project_file(_write(tmp_path, TWO_ACCOUNTS))
    production, staging = loaded.accounts
    assert (production.name, production.subdomain, production.api_url) == (
        "production",
        "acme",
        None,
    )
    assert production.paths == (
        str(tmp_path / "triggers/common"),
        str(tmp_path / "triggers/production"),
    )
    assert production.vars == str(tmp_path / "vars/production.yaml")
    assert dict(production.credentials) == {
        "client_id": "ACME_CLIENT_ID",
        "client_secret": "ACME_CLIENT_SECRET",
    }
    assert (staging.api_url, dict(staging.credentials)) == (
        "http://127.0.0.1:8080/api/v2/chat",
        {"token": "STAGING_TOKEN"},
    )


def test_strict_and_rules_are_passed_through(tmp_path: Path) -> None:
    loaded = project.load_project_file(_write(tmp_path, TWO_ACCOUNTS))
    assert (loaded.strict, dict(loaded.rules)) == (True, {"ignore": ["TS201"]})


def test_a_file_with_settings_only_has_no_accounts(tmp_path: Path) -> None:
    loaded = project.load_project_file(_write(tmp_path, "strict: true\n"))
    assert (loaded.accounts, loaded.strict, dict(loaded.rules)) == ((), True, {})


def test_a_relative_project_file_keeps_relative_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "accounts:\n  a: {subdomain: acme, paths: [triggers]}\n")
    monkeypatch.chdir(tmp_path)
    (account,) = project.load_project_file("triggersync.yaml").accounts
    assert account.paths == ("triggers",)


def test_an_unknown_key_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    path = _write(tmp_path, "accounts:\n  a:\n    subdomain: acme\n    path: [triggers]\n")
    assert _problems(path) == [
        f"{path}:3:5: accounts.a: missing required key 'paths'",
        f"{path}:4:5: accounts.a.path: unknown key 'path' (did you mean 'paths'?)",
    ]


def test_an_unknown_top_level_key_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    path = _write(tmp_path, "acounts: {}\n")
    assert _problems(path) == [
        f"{path}:1:1: acounts: unknown key 'acounts' (did you mean 'accounts'?)"
    ]


@pytest.mark.parametrize(
    "secret",
    [
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",  # a token, lower case and digits
        "AKIAIOSFODNN7EXAMPLE",  # an access key: name-shaped, but random
        "hunter2",
        "s3cr3t pass!",
        "correct-horse-battery-staple",
    ],
)
def test_a_secret_where_a_variable_name_belongs_is_refused_without_showing_it(
    tmp_path: Path, secret: str
) -> None:
    text = f"{ACCOUNT}    credentials:\n      token: '{secret}'\n"
    path = _write(tmp_path, text)
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:6:14: accounts.a.credentials.token: ")
    assert "(the value is not shown)" in problem
    assert secret not in problem


def test_a_numeric_secret_is_refused_without_showing_it(tmp_path: Path) -> None:
    text = f"{ACCOUNT}    credentials:\n      token: 12345678901234\n"
    (problem,) = _problems(_write(tmp_path, text))
    assert "12345678901234" not in problem
    assert "expected the name of an environment variable" in problem


@pytest.mark.parametrize(
    "name", ["ACME_TOKEN", "TRIGGERSYNC_TOKEN", "PROD_2024_CLIENT_SECRET", "_PRIVATE"]
)
def test_a_variable_name_is_accepted(tmp_path: Path, name: str) -> None:
    text = f"{ACCOUNT}    credentials: {{token: {name}}}\n"
    (account,) = project.load_project_file(_write(tmp_path, text)).accounts
    assert dict(account.credentials) == {"token": name}


def test_client_id_without_client_secret_is_an_error(tmp_path: Path) -> None:
    text = (
        "accounts:\n  a:\n    subdomain: acme\n    paths: [t]\n    credentials: {client_id: ID}\n"
    )
    path = _write(tmp_path, text)
    assert _problems(path) == [
        f"{path}:5:19: accounts.a.credentials.client_id: 'client_id' needs 'client_secret' too"
    ]


def test_a_host_given_as_subdomain_suggests_the_subdomain(tmp_path: Path) -> None:
    path = _write(tmp_path, "accounts:\n  a: {subdomain: https://acme.zendesk.com, paths: [t]}\n")
    assert _problems(path) == [
        f"{path}:2:18: accounts.a.subdomain: write the subdomain only: 'acme', not a host or URL"
    ]


def test_subdomain_and_api_url_together_are_an_error(tmp_path: Path) -> None:
    text = "accounts:\n  a: {subdomain: acme, api_url: 'http://127.0.0.1:1', paths: [t]}\n"
    path = _write(tmp_path, text)
    assert _problems(path) == [
        f"{path}:2:3: accounts.a: give subdomain (acme for https://acme.zendesk.com) or "
        "api_url, not both"
    ]


def test_an_account_without_an_api_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "accounts:\n  a: {paths: [t]}\n")
    assert _problems(path) == [
        f"{path}:2:3: accounts.a: missing subdomain or api_url: where is this account's API?"
    ]


def test_an_account_name_that_cannot_be_typed_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "accounts:\n  'a b': {subdomain: acme, paths: [t]}\n")
    (problem,) = _problems(path)
    assert problem.startswith(f'{path}:2:3: accounts["a b"]: an account\'s name is letters')


def test_an_empty_project_file_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "")
    assert _problems(path) == [
        f"{path}:1:1: expected a mapping with `accounts`, `strict` and/or `rules`, "
        "got an empty file"
    ]


def test_configuration_given_as_the_project_file_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "triggers: []\n")
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:1:1: this is configuration")


def test_strict_must_be_true_or_false(tmp_path: Path) -> None:
    path = _write(tmp_path, "strict: yes please\n")
    assert _problems(path) == [f"{path}:1:9: strict: expected true/false, got 'yes please'"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = "accounts:\n  a: {subdomain: acme, paths: []}\n  b: {api_url: x, paths: [t], vars: 3}\n"
    assert len(_problems(_write(tmp_path, text))) == 2


def test_select_keeps_file_order_and_refuses_an_unknown_name(tmp_path: Path) -> None:
    loaded = project.load_project_file(_write(tmp_path, TWO_ACCOUNTS))
    assert [a.name for a in loaded.select(["staging", "production"])] == [
        "production",
        "staging",
    ]
    with pytest.raises(ConfigError, match="no account 'prodution'; did you mean 'production'"):
        loaded.select(["prodution"])


def test_select_takes_one_name_given_as_a_string(tmp_path: Path) -> None:
    # A str is a Sequence[str] to the type checker: select("staging") is one name, not seven.
    loaded = project.load_project_file(_write(tmp_path, TWO_ACCOUNTS))
    assert [a.name for a in loaded.select("staging")] == ["staging"]


def test_find_prefers_the_file_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert project.find_project_file() is None
    _write(tmp_path, "strict: false\n")
    assert project.find_project_file() == "triggersync.yaml"
    assert project.find_project_file(tmp_path / "other.yaml") == os.fspath(tmp_path / "other.yaml")


def test_a_folder_walk_leaves_the_project_file_out(tmp_path: Path) -> None:
    _write(tmp_path, TWO_ACCOUNTS)
    _write(tmp_path, "triggers: [{name: A}]\n", "chat.yaml")
    assert [t.name for t in load_config([tmp_path]).triggers] == ["A"]


def test_the_project_file_named_as_configuration_points_to_project(tmp_path: Path) -> None:
    path = _write(tmp_path, TWO_ACCOUNTS)
    with pytest.raises(ConfigError) as caught:
        load_config([path])
    (problem,) = caught.value.problems
    assert "this is a project file" in str(problem)
    assert f"--project {path}" in str(problem)


def test_settings_without_a_project_file_are_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert project.settings() == project.ProjectFile(file="")


def test_settings_read_the_working_directorys_project_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "strict: true\nrules: {ignore: [TS201]}\n")
    loaded = project.settings()
    assert (loaded.file, loaded.strict, dict(loaded.rules)) == (
        "triggersync.yaml",
        True,
        {"ignore": ["TS201"]},
    )


def test_the_example_project_loads_with_each_accounts_configuration() -> None:
    root = Path(__file__).resolve().parents[2]
    example = project.load_project_file(root / "examples" / "project" / "triggersync.yaml")
    assert [account.name for account in example.accounts] == ["sandbox", "production"]
    for account in example.accounts:
        assert account.vars is not None
        cfg = load_config(account.paths, variables=load_vars(account.vars))
        assert [t.name for t in cfg.triggers] == ["Support greeting"]


def _same(first: str, second: str) -> str:
    return f"accounts:\n  production: {{{first}, paths: [t]}}\n  copy: {{{second}, paths: [t]}}\n"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("subdomain: acme", "api_url: 'https://acme.zendesk.com/api/v2/chat/'"),
        ("subdomain: acme", "subdomain: ACME"),
        ("subdomain: acme", "api_url: 'https://acme.zendesk.com.:443/api/v2/chat'"),
        ("api_url: 'https://acme.zendesk.com/api/v2/chat'", "api_url: 'https://ACME.Zendesk.com'"),
        (
            "api_url: 'http://127.0.0.1:8080/api/v2/chat'",
            "api_url: 'http://127.0.0.1:8080/api/v2/chat/'",
        ),
        ("api_url: 'https://chat.example/api'", "api_url: 'https://CHAT.example:443/api//'"),
    ],
)
def test_two_accounts_of_one_zendesk_account_are_refused_at_the_second(
    tmp_path: Path, first: str, second: str
) -> None:
    path = _write(tmp_path, _same(first, second))
    [problem] = _problems(path)
    assert problem.startswith(f"{path}:3:")
    assert (
        f"accounts.copy.{second.split(':')[0]}: account 'copy' is the same Zendesk account "
        in problem
    )
    assert "as 'production' (" in problem
    assert problem.endswith(
        "each account's apply would delete the other's triggers; give one account per Zendesk "
        "account (its paths may list several folders)"
    )


def test_the_same_zendesk_account_is_named_by_its_host(tmp_path: Path) -> None:
    path = _write(
        tmp_path, _same("subdomain: acme", "api_url: 'https://Acme.zendesk.com/api/v2/chat/'")
    )
    assert _problems(path) == [
        f"{path}:3:19: accounts.copy.api_url: account 'copy' is the same Zendesk account as "
        "'production' (acme.zendesk.com): each account's apply would delete the other's "
        "triggers; give one account per Zendesk account (its paths may list several folders)"
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("subdomain: acme", "subdomain: acme-staging"),
        (
            "api_url: 'http://127.0.0.1:8080/api/v2/chat'",
            "api_url: 'http://127.0.0.1:8081/api/v2/chat'",
        ),
        (
            "api_url: 'https://gw.example/acme/api/v2/chat'",
            "api_url: 'https://gw.example/beta/api/v2/chat'",
        ),
        # The retired host: there the credentials, not the URL, chose the account.
        ("api_url: 'https://www.zopim.com/api/v2'", "api_url: 'https://www.zopim.com/api/v2'"),
    ],
)
def test_accounts_at_different_apis_are_accepted(tmp_path: Path, first: str, second: str) -> None:
    assert len(project.load_project_file(_write(tmp_path, _same(first, second))).accounts) == 2


@pytest.mark.parametrize(
    "url",
    [
        "https://acme.zendesk.com/api/v2/chat",
        " https://ACME.zendesk.com/api/v2/chat/ ",
        "http://127.0.0.1:8080/api/v2/chat/",
        "https://gw.example/Acme/api",
    ],
)
def test_the_project_files_key_is_taken_from_the_url_the_client_uses(url: str) -> None:
    from triggersync.api.urls import resolve_base_url
    from triggersync.base_url import account_key

    used = resolve_base_url({"TRIGGERSYNC_API_URL": url})
    assert account_key(url) == account_key(used)
    assert account_key(resolve_base_url({"TRIGGERSYNC_SUBDOMAIN": "Acme"})) == "acme.zendesk.com"


# -- paths stay in the repository -------------------------------------------------------------
# A pull request can edit the project file: a path to /home/runner/.ssh/id_rsa would print the
# key's first line in the plan's error, in a public log. Paths resolve inside the project
# file's folder or the working directory, or they are an error, and nothing there is read.


@pytest.mark.parametrize(
    ("paths", "vars_file", "where"),
    [
        ("[/etc]", None, "4:13"),
        ("[t, ../outside]", None, "4:16"),
        ("[t]", "../outside/vars.yaml", "5:11"),
    ],
)
def test_a_path_outside_the_project_and_the_working_directory_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, paths: str, vars_file: str | None, where: str
) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "vars.yaml").write_text("secret: hunter2\n")
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    text = f"accounts:\n  a:\n    subdomain: acme\n    paths: {paths}\n"
    if vars_file is not None:
        text += f"    vars: {vars_file}\n"
    [problem] = _problems(_write(tmp_path / "repo", text))
    assert problem.startswith(f"{tmp_path / 'repo' / 'triggersync.yaml'}:{where}: accounts.a.")
    assert problem.endswith(
        "is outside the project file's folder and the working directory: a project file "
        "names files of its repository (not read)"
    )
    assert "hunter2" not in problem


def test_a_link_in_the_project_that_leads_outside_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "t").symlink_to("/etc")
    monkeypatch.chdir(tmp_path / "repo")
    [problem] = _problems(_write(tmp_path / "repo", ACCOUNT))
    assert "accounts.a.paths[0]: 't' is outside the project file's folder" in problem


def test_a_path_beside_the_project_inside_the_working_directory_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A repository whose project file sits in a subfolder, run from the repository's root.
    (tmp_path / "zendesk").mkdir()
    monkeypatch.chdir(tmp_path)
    text = "accounts:\n  a:\n    subdomain: acme\n    paths: [../shared]\n"
    (account,) = project.load_project_file(_write(tmp_path / "zendesk", text)).accounts
    assert account.paths == (str(tmp_path / "zendesk" / "../shared"),)
