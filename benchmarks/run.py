"""triggersync benchmarks (issue 7): plan against its floor and the per-resource way, apply
against latency and a rate limit, start-up time, and `test` of many scenarios against many
triggers (issue 13). Run with `make bench` (or `.venv/bin/python benchmarks/run.py --quick`);
writes benchmarks/results.md.

Everything runs on loopback against `triggersync emulator` subprocesses; every loop is
bounded and every child process has a timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import difflib
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
import workload
from harness import PYTHON, TRIGGERSYNC, Emulator, Sample, delta, repeat

HERE = Path(__file__).resolve().parent
LATENCY_MS = 50
APPLY_UPDATES = 500


@dataclass
class Report:
    rows: list[tuple[str, ...]] = field(default_factory=list)
    targets: list[tuple[str, str, str, bool]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def row(self, *cells: str) -> None:
        self.rows.append(cells)
        print("  " + " | ".join(cells), flush=True)

    def target(self, what: str, goal: str, measured: str, met: bool) -> None:
        self.targets.append((what, goal, measured, met))


def _s(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


def _cfg_plan(cfg: Path, url: str, *extra: str) -> list[str]:
    return [TRIGGERSYNC, "plan", str(cfg), "--api-url", url, "-q", *extra]


def bench_plan(n: int, reps: int, baseline_reps: int, work: Path, report: Report) -> dict[str, Any]:
    db, cfg = work / f"live-{n}.db", work / f"config-{n}.yaml"
    started = time.perf_counter()
    made = subprocess.run(
        [PYTHON, str(HERE / "workload.py"), str(n), str(db), str(cfg)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    counts = json.loads(made.stdout)
    seeded = time.perf_counter() - started
    size_mb = cfg.stat().st_size / 1e6
    print(f"\n== plan, {n:,} live triggers (made in {seeded:.1f}s; config {size_mb:.1f} MB)")
    with Emulator(db) as em:
        # One untimed run checks the plan is the expected one and counts its requests.
        before = em.stats()
        out = work / f"plan-{n}.json"
        harness.run(_cfg_plan(cfg, em.url, "--format", "json"), stdout=out)
        requests = delta(before, em.stats())
        _check_summary(out, counts)
        plan = repeat(_cfg_plan(cfg, em.url), reps)
        floor = repeat([PYTHON, str(HERE / "floor.py"), str(cfg), em.url], reps)
        baseline = (
            repeat([PYTHON, str(HERE / "per_resource.py"), str(cfg), em.url], baseline_reps)
            if baseline_reps
            else None
        )
    ratio = plan.wall / floor.wall
    base = f"{_s(baseline.wall)} ({baseline.wall / plan.wall:.0f}× plan)" if baseline else "-"
    report.row(
        f"plan {n:,}",
        _s(plan.wall),
        f"{plan.peak_mb:.0f} MB",
        f"{requests['total']} ({requests['list']} list)",
        f"floor {_s(floor.wall)}, {floor.peak_mb:.0f} MB",
        f"{ratio:.2f}× floor",
        f"per-resource {base}",
    )
    return {"n": n, "plan": plan, "floor": floor, "baseline": baseline, "requests": requests}


def _check_summary(out: Path, counts: dict[str, int]) -> None:
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    expected = {
        "create": counts["create"] + counts["replace"],
        "update": counts["update"],
        "delete": counts["delete"] + counts["replace"],
    }
    if summary != expected:
        raise SystemExit(f"benchmark: plan summary {summary}, expected {expected}")


def _apply_configs(live: list[dict[str, Any]], work: Path, updates: int) -> list[Path]:
    """Two configurations, each `updates` description changes away from the other (and from
    the seeded state), so applies can alternate between them."""
    paths = []
    for variant in ("a", "b"):
        wanted = [
            {**t, "description": f"{t['description']} ({variant})"} if i < updates else t
            for i, t in enumerate(live)
        ]
        path = work / f"apply-{variant}-{updates}.yaml"
        path.write_text(workload.to_yaml(wanted), encoding="utf-8")
        paths.append(path)
    return paths


# What an apply sends beyond its changes: the list, the account's lock taken (a create), the
# list again under it, and the lock released (looked up, then deleted): docs/safety.md.
LOCKED = 5


def _apply_cmd(cfg: Path, url: str, parallelism: int) -> list[str]:
    flags = ["--yes", "-q", "--parallelism", str(parallelism)]
    return [TRIGGERSYNC, "apply", str(cfg), "--api-url", url, *flags]


def _verify_clean(em: Emulator, cfg: Path) -> None:
    """Zero failed changes: a fresh plan finds nothing left to do."""
    harness.run(_cfg_plan(cfg, em.url, "--detailed-exitcode"), expect=0)


def bench_apply(parallelisms: list[int], work: Path, report: Report) -> dict[int, Sample]:
    live = workload.live_set(2 * APPLY_UPDATES)
    db = work / "apply.db"
    workload.seed(db, live)
    configs = _apply_configs(live, work, APPLY_UPDATES)
    print(f"\n== apply, {APPLY_UPDATES} updates, {LATENCY_MS} ms latency per request")
    results: dict[int, Sample] = {}
    turn = 0
    with Emulator(db, latency_ms=LATENCY_MS) as em:
        for parallelism in parallelisms:
            runs = []
            for _ in range(1 if parallelism == 1 else 3):
                cfg = configs[turn % 2]
                turn += 1
                before = em.stats()
                runs.append(harness.run(_apply_cmd(cfg, em.url, parallelism)))
                traffic = delta(before, em.stats())
                if traffic["update"] != APPLY_UPDATES or traffic["total"] != APPLY_UPDATES + LOCKED:
                    raise SystemExit(f"benchmark: apply sent {traffic}")
            _verify_clean(em, configs[(turn - 1) % 2])
            sample = Sample(tuple(runs))
            ideal = APPLY_UPDATES * LATENCY_MS / 1000 / parallelism
            results[parallelism] = sample
            report.row(
                f"apply 500 @ parallelism {parallelism}",
                _s(sample.wall),
                f"{sample.peak_mb:.0f} MB",
                f"{APPLY_UPDATES + LOCKED} (2 lists, lock 3)",
                f"ideal {_s(ideal)}",
                f"{sample.wall / ideal:.2f}× ideal",
                "0 failed",
            )
    return results


def bench_rate_limit(
    rate: int, updates: int, parallelism: int, work: Path, report: Report
) -> tuple[float, float, dict[str, int]]:
    live = workload.live_set(updates)
    db = work / f"rate-{rate}.db"
    workload.seed(db, live)
    cfg = _apply_configs(live, work, updates)[0]
    sent = updates + LOCKED  # one PUT each, and what an apply always sends
    # The emulator's bucket starts full (a minute's allowance) and refills at rate/60 per s.
    allowed = max((sent - rate) * 60 / rate, updates * LATENCY_MS / 1000 / parallelism)
    print(f"\n== apply under a rate limit: {rate}/min, {updates} updates, at {parallelism}")
    with Emulator(db, latency_ms=LATENCY_MS, rate_limit=rate) as em:
        result = harness.run(_apply_cmd(cfg, em.url, parallelism))
        traffic = em.stats()
        _verify_clean(em, cfg)
    report.row(
        f"apply {updates} @ {rate}/min, parallelism {parallelism}",
        _s(result.wall),
        f"{result.peak_mb:.0f} MB",
        f"{traffic['total']} ({traffic['rate_limited']} × 429)",
        f"limit allows {_s(allowed)}",
        f"{result.wall / allowed:.2f}× limit",
        "0 failed",
    )
    return result.wall, allowed, traffic


def bench_test(n: int, reps: int, work: Path, report: Report) -> Sample:
    """`triggersync test` of n scenarios against n triggers: local, no emulator. The process
    is single-threaded, so its wall time is one core's."""
    cfg, scenarios = work / f"test-config-{n}.yaml", work / f"test-scenarios-{n}.yaml"
    made = subprocess.run(
        [PYTHON, str(HERE / "scenario_workload.py"), str(n), str(cfg), str(scenarios)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    counts = json.loads(made.stdout)
    print(f"\n== test, {n:,} scenarios against {n:,} triggers ({counts['expected_fires']:,} fires)")
    cmd = [TRIGGERSYNC, "test", str(cfg), "--scenarios", str(scenarios)]
    out = work / f"test-{n}.txt"
    harness.run(cmd, stdout=out)  # untimed: every scenario must pass
    last = out.read_text(encoding="utf-8").splitlines()[-1]
    if last != f"Scenarios: {n} passed, 0 failed.":
        raise SystemExit(f"benchmark: test printed {last!r}")
    sample = repeat(cmd, reps)
    report.row(
        f"test {n:,} scenarios × {n:,} triggers",
        _s(sample.wall),
        f"{sample.peak_mb:.0f} MB",
        "0",
        "target 2 s",
        f"{sample.wall / 2:.2f}× target",
        f"{counts['expected_fires']:,} expected fires, all pass",
    )
    return sample


def bench_fmt(n: int, reps: int, work: Path, report: Report) -> dict[str, Sample]:
    """`fmt --check` against `validate` of the same file: a file written by hand (every
    condition to lay out again) and an export (already in the layout). Both read every file
    whole; fmt's budget is 2x validate's (issue 20). Local, no emulator; one core."""
    by_hand, exported = work / f"fmt-hand-{n}.yaml", work / f"fmt-export-{n}.yaml"
    subprocess.run(
        [PYTHON, str(HERE / "fmt_workload.py"), str(n), str(by_hand), str(exported)],
        check=True,
        timeout=600,
    )
    print(f"\n== fmt, {n:,} triggers ({by_hand.stat().st_size / 1e6:.1f} MB by hand)")
    # Untimed: fmt rewrites the hand-written copy, after which it is fmt-clean.
    rewritten = work / f"fmt-rewritten-{n}.yaml"
    rewritten.write_bytes(by_hand.read_bytes())
    harness.run([TRIGGERSYNC, "fmt", str(rewritten), "-q"])
    harness.run([TRIGGERSYNC, "fmt", "--check", str(rewritten), "-q"])
    samples = {
        "validate by hand": repeat([TRIGGERSYNC, "validate", str(by_hand)], reps),
        "fmt --check by hand": repeat(
            [TRIGGERSYNC, "fmt", "--check", str(by_hand)], reps, expect=1
        ),
        "validate export": repeat([TRIGGERSYNC, "validate", str(exported)], reps),
        "fmt --check export": repeat([TRIGGERSYNC, "fmt", "--check", str(exported)], reps),
    }
    for what, sample in samples.items():
        base = samples["validate by hand" if what.endswith("by hand") else "validate export"]
        report.row(
            f"{what}, {n:,} triggers",
            _s(sample.wall),
            f"{sample.peak_mb:.0f} MB",
            "0",
            "" if what.startswith("validate") else "≤ 2× validate",
            f"{sample.wall / base.wall:.2f}× validate",
            "",
        )
    return samples


def bench_adopt(n: int, reps: int, work: Path, report: Report) -> Sample:
    """`adopt` of the plan benchmark's configuration (~10% differing from the live triggers)
    against the emulator, with `plan` on the same files as its reference; then one real adopt,
    after which plan must say No changes, and how many lines it changed."""
    db, cfg = work / f"adopt-live-{n}.db", work / f"adopt-config-{n}.yaml"
    made = subprocess.run(
        [PYTHON, str(HERE / "workload.py"), str(n), str(db), str(cfg)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    counts = json.loads(made.stdout)
    print(f"\n== adopt, {n:,} triggers ({sum(counts.values())} differing)")
    before = cfg.read_text(encoding="utf-8")
    with Emulator(db) as em:
        diff_cmd = [TRIGGERSYNC, "adopt", str(cfg), "--api-url", em.url, "--diff", "-q"]
        sample = repeat(diff_cmd, reps, expect=2)
        plan = repeat(_cfg_plan(cfg, em.url), reps)
        harness.run([TRIGGERSYNC, "adopt", str(cfg), "--api-url", em.url, "-q"])
        harness.run(_cfg_plan(cfg, em.url, "--detailed-exitcode"), expect=0)
    after = cfg.read_text(encoding="utf-8")
    changed = sum(
        1
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0)
        if line[:1] in "-+" and line[:3] not in ("---", "+++")
    )
    report.row(
        f"adopt --diff {n:,}",
        _s(sample.wall),
        f"{sample.peak_mb:.0f} MB",
        "1 (1 list)",
        f"plan {_s(plan.wall)}",
        f"{sample.wall / plan.wall:.2f}× plan",
        f"then plan: No changes; {changed} lines added or removed of {len(before.splitlines())}"
        + _round_trip_note(work, before),
    )
    report.target(
        "adopt 1,000 vs plan",
        "≤ 2×",
        f"{sample.wall / plan.wall:.2f}×",
        sample.wall <= 2 * plan.wall,
    )
    return sample


def _round_trip_note(work: Path, text: str) -> str:
    """ruamel.yaml's round trip of the same file, when a Python with it is given
    (TRIGGERSYNC_BENCH_RUAMEL_PYTHON): the technique adopt did not take."""
    python = os.environ.get("TRIGGERSYNC_BENCH_RUAMEL_PYTHON")
    if not python:
        return ""
    path = work / "round-trip.yaml"
    path.write_text(text, encoding="utf-8")
    made = subprocess.run(
        [python, str(HERE / "round_trip_yaml.py"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    found = json.loads(made.stdout)
    return (
        f"; ruamel.yaml round trip of one description: {_s(found['seconds'])} in-process, "
        f"{found['lines_changed']} lines rewritten"
    )


def bench_startup(reps: int, report: Report) -> tuple[Sample, Sample]:
    print("\n== start-up")
    version = repeat([TRIGGERSYNC, "--version"], reps)
    click = repeat([PYTHON, "-c", "import click"], reps)
    report.row(
        "triggersync --version",
        _s(version.wall),
        f"{version.peak_mb:.0f} MB",
        "0",
        f"import click {_s(click.wall)}",
        f"{version.wall / click.wall:.2f}× click",
        "",
    )
    return version, click


ACCOUNT_LATENCY_MS = 1000
ACCOUNT_TRIGGERS = 50


def bench_accounts(counts: list[int], reps: int, work: Path, report: Report) -> dict[int, Sample]:
    """`plan` over a project file of 1, 3, 10 accounts, each an emulator answering after the
    same latency: the accounts are planned at once, so the time should stay near one's."""
    print(f"\n== plan over many accounts, {ACCOUNT_LATENCY_MS} ms latency each")
    config = work / "accounts-config" / "triggers.yaml"
    config.parent.mkdir(exist_ok=True)
    lines = [f"  - name: Trigger {i}\n    description: number {i}" for i in range(ACCOUNT_TRIGGERS)]
    config.write_text("triggers:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    results: dict[int, Sample] = {}
    for count in counts:
        with contextlib.ExitStack() as stack:
            ems = [
                stack.enter_context(
                    Emulator(work / f"account-{count}-{i}.db", latency_ms=ACCOUNT_LATENCY_MS)
                )
                for i in range(count)
            ]
            project = work / f"project-{count}.yaml"
            entries = [
                f"  a{i}:\n    api_url: {em.url}\n    paths: [accounts-config]\n"
                "    credentials: {email: BENCH_EMAIL, password: BENCH_PASSWORD}"
                for i, em in enumerate(ems)
            ]
            project.write_text("accounts:\n" + "\n".join(entries) + "\n", encoding="utf-8")
            command = [TRIGGERSYNC, "plan", "--project", str(project), "-q"]
            harness.run(command)  # untimed: warms the caches the first run would pay for
            sample = repeat(command, reps)
        results[count] = sample
        ratio = sample.wall / results[counts[0]].wall
        report.row(
            f"plan over {count} account{'s' if count > 1 else ''}",
            _s(sample.wall),
            f"{sample.peak_mb:.0f} MB",
            f"{count} list",
            f"{ACCOUNT_LATENCY_MS} ms latency each",
            f"{ratio:.2f}× one account",
            f"{ACCOUNT_TRIGGERS} triggers per account",
        )
    return results


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, commit {commit or 'unknown'}"
    )


def write_results(path: Path, report: Report, command: str, took: float) -> None:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = ("case", "median wall", "peak RSS", "requests", "reference", "ratio", "notes")
    lines = [
        "# triggersync benchmark results",
        "",
        f"- Command: `{command}` (whole run {took:.0f} s)",
        f"- Date: {now}",
        f"- Machine: {machine()}",
        "- Emulator: `triggersync emulator` subprocess on loopback; every figure is the median",
        "  of the repetitions; peak RSS is the measured process's own (wait4).",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(row) + " |" for row in report.rows),
        "",
        "## Targets",
        "",
        "| target | goal | measured | met |",
        "|---|---|---|---|",
        *(
            f"| {what} | {goal} | {measured} | {'yes' if met else '**no**'} |"
            for what, goal, measured, met in report.targets
        ),
        "",
        *report.notes,
    ]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="1k and 10k only, fewer runs")
    parser.add_argument("--sizes", help="comma-separated trigger counts (default 1000,10000,50000)")
    parser.add_argument("--out", default=str(HERE / "results.md"), help="where to write results")
    parser.add_argument(
        "--only",
        choices=["plan", "apply", "rate", "startup", "test", "adopt", "accounts", "fmt"],
        action="append",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else None
    sizes = sizes or ([1000, 10000] if args.quick else [1000, 10000, 50000])
    only: set[str] = set(
        args.only or ["plan", "apply", "rate", "startup", "test", "adopt", "accounts", "fmt"]
    )
    command = "make bench" if argv is None and len(sys.argv) == 1 else shlex.join(sys.argv)
    report = Report()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="triggersync-bench-") as tmp:
        work = Path(tmp)
        # Small cases first: Linux counts the runner's own pages in a child's ru_maxrss, and
        # the runner grows a little with each case.
        steps: list[Callable[[], None]] = []
        if "startup" in only:
            steps.append(lambda: _startup(args.quick, report))
        if "test" in only:
            steps.append(lambda: _test(args.quick, work, report))
        if "accounts" in only:
            steps.append(lambda: _accounts(args.quick, work, report))
        if "adopt" in only:
            steps.append(lambda: bench_adopt(1000, 3 if args.quick else 5, work, report))
        if "fmt" in only:
            steps.append(lambda: _fmt(args.quick, work, report))
        if "apply" in only:
            steps.append(lambda: _applies(args.quick, work, report))
        if "rate" in only:
            steps.append(lambda: _rate(args.quick, work, report))
        if "plan" in only:
            steps.append(lambda: _plans(sizes, args.quick, work, report))
        for step in steps:
            step()
    took = time.perf_counter() - started
    print("\n== targets")
    for what, goal, measured, met in report.targets:
        print(f"  [{'met' if met else 'MISSED'}] {what}: {measured} (goal {goal})")
    write_results(Path(args.out), report, command, took)
    print(f"\nwrote {args.out} ({took:.0f} s)")
    return 0


def _plans(sizes: list[int], quick: bool, work: Path, report: Report) -> None:
    results = {}
    for n in sizes:
        reps = 3 if quick or n >= 50000 else 5
        baseline_reps = 1 if quick or n >= 10000 else 3
        results[n] = bench_plan(n, reps, baseline_reps, work, report)
    if 10000 in results:
        r = results[10000]
        ratio = r["plan"].wall / r["floor"].wall
        report.target("plan at 10,000 vs floor", "≤ 2×", f"{ratio:.2f}×", ratio <= 2)
        req = r["requests"]
        one = req["total"] == 1 and req["list"] == 1
        report.target("requests per plan", "exactly 1 list", f"{req['total']} total", one)
    if 50000 in results:
        peak = results[50000]["plan"].peak_mb
        report.target("plan peak memory at 50,000", "< 300 MB", f"{peak:.0f} MB", peak < 300)


def _applies(quick: bool, work: Path, report: Report) -> None:
    results = bench_apply([4, 8, 16] if quick else [1, 4, 8, 16], work, report)
    ideal = APPLY_UPDATES * LATENCY_MS / 1000 / 8
    ratio = results[8].wall / ideal
    report.target("apply 500 @ 50 ms, parallelism 8", "≤ 1.3× ideal", f"{ratio:.2f}×", ratio <= 1.3)


def _rate(quick: bool, work: Path, report: Report) -> None:
    rate, updates = (120, 150) if quick else (300, 500)
    wall, allowed, _ = bench_rate_limit(rate, updates, 8, work, report)
    ratio = wall / allowed
    report.target(
        f"apply under {rate}/min", "0 failed, ≤ 1.2× limit", f"0 failed, {ratio:.2f}×", ratio <= 1.2
    )


def _test(quick: bool, work: Path, report: Report) -> None:
    sample = bench_test(1000, 3 if quick else 5, work, report)
    report.target(
        "test 1,000 scenarios × 1,000 triggers", "< 2 s", _s(sample.wall), sample.wall < 2
    )


def _fmt(quick: bool, work: Path, report: Report) -> None:
    samples = bench_fmt(10000, 3 if quick else 5, work, report)
    for kind in ("by hand", "export"):
        ratio = samples[f"fmt --check {kind}"].wall / samples[f"validate {kind}"].wall
        report.target(
            f"fmt 10,000 triggers ({kind}) vs validate", "≤ 2×", f"{ratio:.2f}×", ratio <= 2
        )


def _accounts(quick: bool, work: Path, report: Report) -> None:
    results = bench_accounts([1, 3, 10], 3 if quick else 5, work, report)
    ratio = results[10].wall / results[1].wall
    report.target(
        f"plan over 10 accounts ({ACCOUNT_LATENCY_MS} ms each) vs one",
        "≤ 1.5×",
        f"{ratio:.2f}×",
        ratio <= 1.5,
    )


def _startup(quick: bool, report: Report) -> None:
    version, click = bench_startup(10 if quick else 20, report)
    ratio = version.wall / click.wall
    report.target("--version vs import click", "≤ 1.5×", f"{ratio:.2f}×", ratio <= 1.5)


if __name__ == "__main__":
    sys.exit(main())
