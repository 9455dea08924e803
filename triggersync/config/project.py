"""The project file, `triggersync.yaml`: which accounts a repository manages, and settings.

It names each account's API (a subdomain or a URL), its configuration paths, its `--vars`
file and the *names* of the environment variables that hold its credentials, plus `strict` and
`rules`, which apply to every command. It is read by the same loader as configuration (every
problem at its file:line:col), checked against `schemas/project.schema.json`, and every problem
is reported at once. A credential written where a variable's name belongs is refused without
being shown: the message names the place, never the value (docs/projects.md).

Paths inside the file are relative to the file's folder, so a project runs the same from any
working directory.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from triggersync.base_url import account_key, zendesk_base_url
from triggersync.config import schema
from triggersync.config.files import PROJECT_FILE_NAME
from triggersync.config.reader import Document, read
from triggersync.engine.schemas import packaged_schema
from triggersync.errors import ConfigError, JsonPath, Location, Problem
from triggersync.language.rules import RuleSettings, settings_problems

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

PROJECT_SCHEMA_NAME = "project.schema.json"
FILE_NAME = PROJECT_FILE_NAME  # found in the working directory
# The credential roles, each as the TRIGGERSYNC_* variable it stands for (docs/commands.md).
CREDENTIAL_ROLES: Mapping[str, str] = MappingProxyType(
    {
        "token": "TRIGGERSYNC_TOKEN",
        "client_id": "TRIGGERSYNC_CLIENT_ID",
        "client_secret": "TRIGGERSYNC_CLIENT_SECRET",
        "email": "TRIGGERSYNC_EMAIL",
        "password": "TRIGGERSYNC_PASSWORD",
    }
)
_VARIABLE = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_ACCOUNT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_SUBDOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*$", re.IGNORECASE)
_HOST_SUFFIX = ".zendesk.com"


@dataclass(frozen=True)
class Account:
    """One account: where its API is, which files configure it, and where its credentials
    are (the names of environment variables, by role: token, client_id, ...)."""

    name: str
    paths: tuple[str, ...]
    subdomain: str | None = None
    api_url: str | None = None
    token_url: str | None = None
    vars: str | None = None
    credentials: Mapping[str, str] = field(default_factory=dict)
    location: Location | None = None


@dataclass(frozen=True)
class ProjectFile:
    """A project file's content: its accounts (in file order) and settings."""

    file: str
    accounts: tuple[Account, ...] = ()
    strict: bool = False
    rules: Mapping[str, Any] = field(default_factory=dict)

    @property
    def rule_settings(self) -> RuleSettings:
        """`strict` and `rules` as the rules read them (docs/rules.md#settings)."""
        return RuleSettings.from_mapping(self.strict, self.rules)

    def account(self, name: str) -> Account:
        for account in self.accounts:
            if account.name == name:
                return account
        names = [account.name for account in self.accounts]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"the accounts: {', '.join(names)}"
        raise ConfigError(
            [Problem(location=Location(self.file, 1, 1), message=f"no account {name!r}; {hint}")]
        )

    def select(self, names: Sequence[str]) -> tuple[Account, ...]:
        """The accounts named (all when none is), in file order; an unknown name is an error.
        One name may be given as a string: a str is a Sequence[str] too, of its letters."""
        if isinstance(names, str):
            names = (names,)
        if not names:
            return self.accounts
        wanted = {self.account(name).name for name in names}
        return tuple(account for account in self.accounts if account.name in wanted)


def find_project_file(explicit: str | os.PathLike[str] | None = None) -> str | None:
    """The project file to use: the one given, else `triggersync.yaml` in the working
    directory when there is one, else none."""
    if explicit is not None:
        return os.fspath(explicit)
    return FILE_NAME if os.path.isfile(FILE_NAME) else None


def settings(explicit: str | os.PathLike[str] | None = None) -> ProjectFile:
    """The project file in use (`find_project_file`), loaded; with none, an empty one: no
    accounts, the default settings."""
    found = find_project_file(explicit)
    return load_project_file(found) if found is not None else ProjectFile(file="")


def load_project_schema() -> dict[str, Any]:
    return packaged_schema(PROJECT_SCHEMA_NAME)


@functools.cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    document = load_project_schema()
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document)


def load_project_file(path: str | os.PathLike[str]) -> ProjectFile:
    """Read and check a project file: ConfigError carrying every problem, each at its place."""
    document = read(path)
    data = document.data
    if not isinstance(data, dict):
        got = "an empty file" if data is None else schema.describe_yaml(data)
        message = f"expected a mapping with `accounts`, `strict` and/or `rules`, got {got}"
        raise ConfigError([Problem(location=document.location(()), message=message)])
    if "triggers" in data or "ignore" in data:
        message = (
            "this is configuration (it declares triggers or ignore), not a project file: "
            "give it as a PATH, and name it in a project file's `accounts: {NAME: {paths}}`"
        )
        raise ConfigError([Problem(location=document.location(()), message=message)])
    pending = [
        (problem, at_key)
        for problem, at_key in schema.problems(_validator(), data)
        if at_key or not _own(problem.path)
    ]
    accounts: list[Account] = []
    raw_accounts = data.get("accounts")
    if isinstance(raw_accounts, dict):
        for name, raw in raw_accounts.items():
            account, found = _account(document, str(name), raw)
            pending.extend(found)
            if account is not None:
                accounts.append(account)
    pending.extend(_same_accounts(accounts))
    rules = data.get("rules", {})
    if isinstance(rules, dict):
        pending.extend(
            (Problem(path=("rules", *path), message=message), False)
            for path, message in settings_problems(rules)
        )
    problems = [*document.problems, *document.place(pending)]
    if problems:
        raise ConfigError(problems)
    return ProjectFile(
        file=document.file,
        accounts=tuple(accounts),
        strict=bool(data.get("strict", False)),
        rules=MappingProxyType(dict(rules)),
    )


def _own(path: JsonPath) -> bool:
    """Values this module checks itself, with messages that never show a secret's value and
    that suggest the fix: each credential, each subdomain."""
    if len(path) == 4 and path[0] == "accounts" and path[2] == "credentials":
        return path[3] in CREDENTIAL_ROLES
    return len(path) == 3 and path[0] == "accounts" and path[2] == "subdomain"


def _account(
    document: Document, name: str, raw: Any
) -> tuple[Account | None, list[schema.ProblemAtKey]]:
    """One account, and the problems the schema leaves to this module."""
    at: JsonPath = ("accounts", name)
    found: list[schema.ProblemAtKey] = []
    if not _ACCOUNT.match(name):
        message = (
            "an account's name is letters, digits, '_', '.' and '-', starting with a letter "
            "or digit (it is given to --account and shown in reports)"
        )
        found.append((Problem(path=at, message=message), True))
    if not isinstance(raw, dict):
        return None, found
    subdomain = raw.get("subdomain")
    if isinstance(subdomain, str):
        found.extend(_subdomain_problems(subdomain, at))
    if ("subdomain" in raw) == ("api_url" in raw):
        message = (
            "give subdomain (acme for https://acme.zendesk.com) or api_url, not both"
            if "subdomain" in raw
            else "missing subdomain or api_url: where is this account's API?"
        )
        found.append((Problem(path=at, message=message), True))
    credentials = raw.get("credentials")
    names: dict[str, str] = {}
    if isinstance(credentials, dict):
        for role, variable in credentials.items():
            problem = _variable_problem(variable)
            if problem is not None:
                found.append((Problem(path=(*at, "credentials", role), message=problem), False))
            elif role in CREDENTIAL_ROLES:
                names[role] = variable
    if found or not _usable(raw):
        return None, found
    folder = os.path.dirname(document.file)
    vars_file = raw.get("vars")
    named: list[tuple[JsonPath, str]] = [
        ((*at, "paths", index), path) for index, path in enumerate(raw["paths"])
    ]
    if isinstance(vars_file, str):
        named.append(((*at, "vars"), vars_file))
    for path_at, path in named:
        if not _in_repository(os.path.join(folder, path), folder):
            message = (
                f"{path!r} is outside the project file's folder and the working directory: "
                "a project file names files of its repository (not read)"
            )
            found.append((Problem(path=path_at, message=message), False))
    if found:
        return None, found
    account = Account(
        name=name,
        paths=tuple(os.path.join(folder, path) for path in raw["paths"]),
        subdomain=subdomain if isinstance(subdomain, str) else None,
        api_url=raw.get("api_url"),
        token_url=raw.get("token_url"),
        vars=os.path.join(folder, vars_file) if isinstance(vars_file, str) else None,
        credentials=MappingProxyType(names),
        location=document.location(at),
    )
    return account, found


def _in_repository(path: str, folder: str) -> bool:
    """Whether `path`, links followed, is inside the project file's folder or the working
    directory. A pull request can edit the project file: `paths: [/home/runner/.ssh]` would
    otherwise print a runner's files, line by line, as configuration errors in a public log
    (as a link out of a configuration folder would: docs/safety.md#files-not-devices)."""
    target = os.path.realpath(path)
    for root in (os.path.realpath(folder or os.curdir), os.path.realpath(os.curdir)):
        if os.path.commonpath([root, target]) == root:
            return True
    return False


def _same_accounts(accounts: Sequence[Account]) -> list[schema.ProblemAtKey]:
    """An account whose API is another's, at the later one's subdomain or api_url: two
    applies to one Zendesk account would each prune the other's triggers (docs/projects.md)."""
    found: list[schema.ProblemAtKey] = []
    first: dict[str, Account] = {}
    for account in accounts:
        if account.subdomain is not None:
            setting, url = "subdomain", zendesk_base_url(account.subdomain)
        else:
            setting, url = "api_url", account.api_url or ""
        key = account_key(url)
        if key is None:
            continue
        if key not in first:
            first[key] = account
            continue
        message = (
            f"account {account.name!r} is the same Zendesk account as {first[key].name!r} "
            f"({key}): each account's apply would delete the other's triggers; give one "
            "account per Zendesk account (its paths may list several folders)"
        )
        found.append((Problem(path=("accounts", account.name, setting), message=message), False))
    return found


def _usable(raw: dict[str, Any]) -> bool:
    """The schema vouched for the fields an Account reads (its problems stop the load)."""
    paths = raw.get("paths")
    return isinstance(paths, list) and all(isinstance(path, str) for path in paths)


def _subdomain_problems(value: str, at: JsonPath) -> list[schema.ProblemAtKey]:
    if _SUBDOMAIN.match(value):
        return []
    host = value.split("://", 1)[-1].split("/", 1)[0]
    if host.lower().endswith(_HOST_SUFFIX) and _SUBDOMAIN.match(host[: -len(_HOST_SUFFIX)]):
        message = f"write the subdomain only: {host[: -len(_HOST_SUFFIX)]!r}, not a host or URL"
    else:
        message = (
            f"{schema.describe_yaml(value)} is not a subdomain (letters, digits and '-'); "
            "for another host give api_url"
        )
    return [(Problem(path=(*at, "subdomain"), message=message), False)]


def _variable_problem(value: Any) -> str | None:
    """Why `value` is not the name of an environment variable; the message never holds the
    value, which may be the secret itself."""
    if not isinstance(value, str):
        return (
            "expected the name of an environment variable (e.g. ACME_TOKEN), got a "
            f"{'list or mapping' if isinstance(value, list | dict) else 'number or true/false'}"
        )
    if _VARIABLE.match(value) and not _looks_random(value):
        return None
    what = (
        "this looks like a secret, not the name of an environment variable"
        if looks_like_secret(value)
        else "this is not the name of an environment variable (A-Z, 0-9 and _)"
    )
    return (
        f"{what}: put the value in an environment variable (a CI secret) and write that "
        "variable's name here, e.g. ACME_TOKEN (the value is not shown)"
    )


def looks_like_secret(value: str) -> bool:
    """A token, key or password rather than a variable's name: long, or mixing lower case
    with digits, or random-looking. Used for wording only: anything that is not a variable's
    name is refused either way."""
    if _looks_random(value):
        return True
    stripped = value.strip()
    if len(stripped) >= 20 and " " not in stripped:
        return True
    has_lower = any(char.islower() for char in stripped)
    has_digit = any(char.isdigit() for char in stripped)
    has_other = any(not char.isalnum() and char not in "_- " for char in stripped)
    return (has_lower and has_digit) or (has_other and len(stripped) >= 8)


def _looks_random(name: str) -> bool:
    """A name-shaped string that is a key, not a name: a long run with no `_` that mixes
    letters and digits (`AKIAIOSFODNN7EXAMPLE`), or mostly digits."""
    for word in name.split("_"):
        letters = sum(char.isalpha() for char in word)
        digits = sum(char.isdigit() for char in word)
        if len(word) >= 16 and letters and digits:
            return True
        if len(word) >= 8 and digits * 2 > len(word):
            return True
    return False
