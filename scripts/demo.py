"""`make demo`: the whole loop against the local emulator, no Zendesk account needed.

Starts the emulator on a free loopback port with a temporary database, seeds it with a few
"hand-made" triggers, then runs plan → apply → plan → (hand edits in the "UI", one of them to a
definition) → drift → plan, the plans and drift showing each definition in words; then adopt
keeps those edits in a copy of the files, and plan on it says No changes. Then, with
no network at all, the scenarios: a passing run, a failing one (kept for the demo in
examples/demo/), and explain and simulate showing why it fails. Last, many accounts: a second
emulator stands for a sandbox, and one plan covers both accounts from a project file.
Every step's exit code is checked: the demo fails loudly, never silently.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "examples/triggers"
SCENARIOS = "examples/scenarios"
FAILING = "examples/demo/failing-scenario.yaml"
DEPARTMENTS = "examples/departments.yaml"  # the configuration routes to these by name
BIN = Path(sys.executable).parent / "triggersync"
ENV = {
    **os.environ,
    "TRIGGERSYNC_EMAIL": "demo@example.com",
    "TRIGGERSYNC_PASSWORD": "demo-password",
    # What the demo's project file names for its accounts (docs/projects.md).
    "DEMO_EMAIL": "demo@example.com",
    "DEMO_PASSWORD": "demo-password",
    "NO_COLOR": "1",
}
for var in ("TRIGGERSYNC_TOKEN", "TRIGGERSYNC_CLIENT_ID", "TRIGGERSYNC_CLIENT_SECRET"):
    ENV.pop(var, None)

# What a team has built by hand in the Zendesk UI before adopting triggersync.
HAND_MADE = [
    {"name": "Good Trigger", "description": "Visitor entered page", "enabled": 1},
    {"name": "Better Trigger", "description": "Visitor requested chat", "enabled": 0},
    {"name": "Old Trigger", "description": "Nobody remembers why", "enabled": 0},
    {"name": "Legacy VIP routing", "description": "Owned by another team", "enabled": 1},
]


def banner(text: str) -> None:
    print(f"\n\033[1m== {text}\033[0m" if sys.stdout.isatty() else f"\n== {text}", flush=True)


def run(*args: str, expect: int) -> None:
    shown = shlex.join(["triggersync", *args])
    print(f"$ {shown}", flush=True)
    code = subprocess.run([str(BIN), *args], env=ENV, cwd=ROOT, check=False).returncode
    if code != expect:
        raise SystemExit(f"demo failed: `{shown}` exited {code}, expected {expect}")


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="triggersync-demo-"))
    server = subprocess.Popen(
        [
            *(str(BIN), "emulator", "--port", "0", "--db", str(workdir / "demo.db")),
            *("--departments", str(ROOT / DEPARTMENTS)),
        ],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        url = next((w for w in first.split() if w.startswith("http://")), None)
        if url is None:
            raise SystemExit(f"demo failed: the emulator did not start ({first.strip()!r})")
        ENV["TRIGGERSYNC_API_URL"] = url
        auth = (ENV["TRIGGERSYNC_EMAIL"], ENV["TRIGGERSYNC_PASSWORD"])
        banner(
            f"Emulator up at {url} with the departments of {DEPARTMENTS}; "
            f"seeding {len(HAND_MADE)} hand-made triggers"
        )
        with requests.Session() as http:
            for trigger in HAND_MADE:
                http.post(f"{url}/triggers", json=trigger, auth=auth, timeout=10).raise_for_status()
                print(f'  seeded "{trigger["name"]}"')

            banner(f"1. plan: what would change to make Zendesk match {CONFIG}/")
            run("plan", CONFIG, expect=0)
            banner("2. apply --yes: make it so")
            run("apply", CONFIG, "--yes", expect=0)
            banner("3. plan again: converged in one run")
            run("plan", CONFIG, "--detailed-exitcode", expect=0)

            banner("4. meanwhile, in the Zendesk UI: two edits, one new trigger, one deletion")
            edit = {"description": "Edited in the UI on a Friday afternoon"}
            http.put(
                f"{url}/triggers/Good%20Trigger", json=edit, auth=auth, timeout=10
            ).raise_for_status()
            print('  edited "Good Trigger"')
            made = {"name": "Quick fix", "description": "Made in the UI", "enabled": 1}
            http.post(f"{url}/triggers", json=made, auth=auth, timeout=10).raise_for_status()
            print('  created "Quick fix"')
            http.delete(f"{url}/triggers/Chat%20rescuer", auth=auth, timeout=10).raise_for_status()
            print('  deleted "Chat rescuer"')
            edit_definition(http, url, auth)
        banner("5. drift: the nightly audit finds it (exit 2 = drift found, as expected)")
        run("drift", CONFIG, expect=2)
        banner("6. plan: undoing it replaces the edited trigger (what it did, what it will do)")
        run("plan", CONFIG, expect=0)
        adopt(workdir)
        scenarios()
        accounts(workdir, url)
        banner(
            "Demo complete: plan, apply, plan, drift, plan, adopt, plan, test, explain, simulate, "
            "and one plan over two accounts, as expected."
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()
        shutil.rmtree(workdir, ignore_errors=True)


def edit_definition(http: requests.Session, url: str, auth: tuple[str, str]) -> None:
    """Someone drops Switzerland from the DACH routing in the UI. The API cannot update a
    definition in place, so the demo stands in for the UI with a delete and a create."""
    name = "Route DACH to German support"
    path = f"{url}/triggers/{quote(name, safe='')}"
    trigger = http.get(path, auth=auth, timeout=10).json()
    trigger["definition"]["condition"] = [
        "or",
        ["eq", "@visitor_country_code", "DE"],
        ["eq", "@visitor_country_code", "AT"],
    ]
    trigger.pop("id", None)
    http.delete(path, auth=auth, timeout=10).raise_for_status()
    http.post(f"{url}/triggers", json=trigger, auth=auth, timeout=10).raise_for_status()
    print(f'  edited the definition of "{name}": Switzerland dropped')


def adopt(workdir: Path) -> None:
    """Or keep the UI's edits: adopt writes them into (a copy of) the files, in place."""
    copy = workdir / "triggers"
    shutil.copytree(ROOT / CONFIG, copy)
    banner(f"7. adopt --diff: keep the UI's edits instead, in a copy of {CONFIG}/ (exit 2: some)")
    run("adopt", str(copy), "--diff", expect=2)
    banner("8. adopt: write them; every other line of the files stays as it was")
    run("adopt", str(copy), expect=0)
    banner("9. plan on the adopted files: nothing left to do")
    run("plan", str(copy), "--detailed-exitcode", expect=0)


def start_emulator(
    db: Path, departments: Path = ROOT / DEPARTMENTS
) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [
            str(BIN),
            "emulator",
            "--port",
            "0",
            "--db",
            str(db),
            "--departments",
            str(departments),
        ],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    first = server.stdout.readline()
    url = next((w for w in first.split() if w.startswith("http://")), None)
    if url is None:
        server.terminate()
        raise SystemExit(f"demo failed: the emulator did not start ({first.strip()!r})")
    return server, url


def accounts(workdir: Path, production: str) -> None:
    """Two accounts, one project file, one plan: the drifted "production" of the steps above
    and a second emulator standing for an empty sandbox, planned at once. The sandbox's
    departments were made in another order, so their ids differ from production's: the same
    files route by name to each account's own ids."""
    shuffled = workdir / "sandbox-departments.yaml"
    listed = (ROOT / DEPARTMENTS).read_text(encoding="utf-8")
    entries = ["- " + entry for entry in listed.split("\n- ")[1:]]
    shuffled.write_text("\n".join(reversed([e.rstrip("\n") for e in entries])) + "\n")
    sandbox_server, sandbox = start_emulator(workdir / "sandbox.db", shuffled)
    try:
        project = workdir / "triggersync.yaml"
        lines = ["accounts:"]
        for name, url in (("sandbox", sandbox), ("production", production)):
            lines += [
                f"  {name}:",
                f"    api_url: {url}",
                f"    paths: [{ROOT / CONFIG}]",
                "    credentials: {email: DEMO_EMAIL, password: DEMO_PASSWORD}",
            ]
        project.write_text("\n".join(lines) + "\n", encoding="utf-8")
        banner("14. many accounts: a project file names a sandbox and production")
        print(project.read_text(encoding="utf-8"), end="")
        banner(
            "15. plan: one report, a section per account, both planned at once; "
            "each account's department ids differ, the files name them"
        )
        run("plan", "--project", str(project), expect=0)
    finally:
        sandbox_server.terminate()
        sandbox_server.wait(timeout=10)
        if sandbox_server.stdout is not None:
            sandbox_server.stdout.close()


def scenarios() -> None:
    """What fires for whom, decided locally: no emulator, no credentials."""
    banner(f"10. test: the scenarios of {SCENARIOS}/ pass (no network, no credentials)")
    run("test", CONFIG, "--scenarios", SCENARIOS, expect=0)
    banner(f"11. test: a scenario that fails (exit 1, as expected): {FAILING}")
    run("test", CONFIG, "--scenarios", FAILING, expect=1)
    banner("12. explain: what the trigger checks, in words")
    run("explain", CONFIG, "--name", "Route DACH to German support", "--lines", expect=0)
    banner('13. simulate: "at" is not "AT" (country codes compare exactly); "AT" fires')
    run(
        "simulate",
        CONFIG,
        "--event",
        "chat_requested",
        "--set",
        "visitor_country_code=at",
        "--set",
        "visitor_served=true",
        "-v",
        expect=0,
    )
    run(
        "simulate",
        CONFIG,
        "--event",
        "chat_requested",
        "--set",
        "visitor_country_code=AT",
        "--set",
        "visitor_served=true",
        expect=0,
    )


if __name__ == "__main__":
    main()
